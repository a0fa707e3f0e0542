# OSS-Fuzz project image: the base builder, the Debian/Ubuntu packages ptdiff needs, the source.
FROM gcr.io/oss-fuzz-base/base-builder
RUN apt-get update && apt-get install -y cmake libxxhash-dev zip
COPY . $SRC/ptdiff
WORKDIR $SRC/ptdiff
COPY build.sh $SRC/
