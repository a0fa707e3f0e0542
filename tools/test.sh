#!/bin/sh
# Runs every test twice: gcc Release build, and clang with ASan+UBSan (which also replays the
# regression corpus under the sanitizers).  Usage: tools/test.sh
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

run() { # run NAME CMAKE-ARGS...
	dir=build/$1; shift
	cmake -S . -B "$dir" -DPTDIFF_ENGINE=none "$@" >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	(cd "$dir" && ctest --output-on-failure -j"$jobs")
}

echo "== gcc, Release"
run gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release
echo "== clang, ASan+UBSan"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	-DPTDIFF_SANITIZE=address,undefined
