#!/bin/bash -eu
# ClusterFuzzLite runs this; the build is the OSS-Fuzz one.
exec "$SRC/ptdiff/build.sh"
