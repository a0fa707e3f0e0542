#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script.  Honours the environment those builders give it:
#   $CC $CXX $CFLAGS $CXXFLAGS  compilers and every instrumentation flag (sanitizer, coverage,
#                               fuzzer-no-link) for $SANITIZER / $FUZZING_ENGINE
#   $LIB_FUZZING_ENGINE         what a fuzz target links with (libFuzzer, or AFL++'s driver)
#   $SRC $WORK $OUT             sources (this repository is $SRC/ptdiff), scratch, results
# Writes to $OUT: ptdiff-fuzz, ptdiff-fuzz_seed_corpus.zip, ptdiff-fuzz.dict, ptdiff-fuzz.options.
src="$SRC/ptdiff"
build="$WORK/ptdiff-build"

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=None -DPTDIFF_ENGINE=external \
	-DPTDIFF_FUZZ_LINK="$LIB_FUZZING_ENGINE" -DPTDIFF_TESTS=OFF -DPTDIFF_WERROR=OFF
cmake --build "$build" --target ptdiff-fuzz -j"$(nproc)"
cp "$build/fuzz/ptdiff-fuzz" "$OUT/ptdiff-fuzz"

# Seeds and every regression: the fuzzer starts from both.
rm -f "$OUT/ptdiff-fuzz_seed_corpus.zip"
find "$src/corpus/seeds/bin" "$src/corpus/regressions/bin" -type f ! -name '.*' -print0 |
	xargs -0 zip -q -j "$OUT/ptdiff-fuzz_seed_corpus.zip"
cp "$src/fuzz/ptdiff-fuzz.dict" "$OUT/ptdiff-fuzz.dict"
cp "$src/fuzz/ptdiff-fuzz.options" "$OUT/ptdiff-fuzz.options"
