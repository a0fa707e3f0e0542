#!/bin/bash
# Builds every documented combination of the build options (README, "Build options":
# PTDIFF_ENGINE none/libfuzzer/afl/external, PTDIFF_SANITIZE, PTDIFF_PLANT,
# PTDIFF_PLANTED_FUZZERS, PTDIFF_TESTS, PTDIFF_WERROR, CMAKE_BUILD_TYPE) with the compiler its
# engine needs, each in build/matrix/NAME, and prints one line per combination.  Builds only,
# but for the tests a combination names (the ucontext fallback: its concurrency tests).
# tools/test.sh already builds and runs the tests of engine none with gcc (Release) and clang
# (ASan+UBSan), so those two are not repeated here.
#   tools/build-matrix.sh [--clean] [--all-plants] [-j JOBS] [NAME...]   (default: all, -j2)
#   tools/build-matrix.sh --list
#   --clean       remove build/matrix/NAME first (a fresh configure; otherwise an existing
#                 build folder is configured again with every option given explicitly)
#   --all-plants  build the per-bug targets of every planted bug, not of three (see below)
# Exit: 0 every combination built; 1 one failed (the end of its log is shown, the whole log is
# build/matrix/NAME.log); 2 bad usage or a missing tool.
set -eu -o pipefail
cd "$(dirname "$0")/.."

# NAME|C compiler|cmake arguments (beyond the defaults below)|environment (external engine)|
# tests to run after the build (a ctest -R regular expression; empty: none)
# Every option is given to every build (defaults first), so a build folder reused from an
# earlier run cannot keep a value from another configuration.
defaults="-DPTDIFF_ENGINE=none -DPTDIFF_SANITIZE= -DPTDIFF_PLANT= -DPTDIFF_PLANTED_FUZZERS=OFF
	-DPTDIFF_TESTS=OFF -DPTDIFF_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo"
lf=-DPTDIFF_ENGINE=libfuzzer
oss_flags=-fsanitize=address,fuzzer-no-link # what OSS-Fuzz gives for libfuzzer/address
ext="CXX=clang++ CFLAGS=$oss_flags CXXFLAGS=$oss_flags LIB_FUZZING_ENGINE=-fsanitize=fuzzer"
combos=(
	# engine none: replay, asm, minimize, bench; other compilers, build types, sanitizers
	"none-gcc-debug|gcc|-DCMAKE_BUILD_TYPE=Debug|"
	"none-gcc-asan-ubsan|gcc|-DPTDIFF_SANITIZE=address,undefined|"
	"none-clang|clang||"
	"none-clang-msan|clang|-DPTDIFF_SANITIZE=memory -DCMAKE_BUILD_TYPE=Release|"
	# ThreadSanitizer, as tools/stress.sh builds ptdiff-stress
	"none-clang-tsan|clang|-DPTDIFF_SANITIZE=thread|"
	# the coroutines on POSIX ucontext (core/context.h), as machines other than x86-64 build
	# them, under ASan+UBSan: the tests that run concurrent groups (the corpus has them)
	"none-clang-ucontext-asan|clang|-DPTDIFF_UCONTEXT=ON -DPTDIFF_SANITIZE=address,undefined -DPTDIFF_TESTS=ON||^(core/test_context|corpus/|cli/stats-groups)"
	# one planted bug in core and the oracle (BOTH_), warnings not fatal
	"none-gcc-plant-both-nowerror|gcc|-DPTDIFF_PLANT=BOTH_UNIQUE_FRESH -DPTDIFF_WERROR=OFF|"
	# libFuzzer: plain (the programs other than ptdiff-fuzz link no fuzzer runtime), as
	# tools/fuzz.sh builds it, and with the tests and the kill matrix's planted fuzzers
	"libfuzzer|clang|$lf|"
	"libfuzzer-asan-ubsan|clang|$lf -DPTDIFF_SANITIZE=address,undefined|"
	"libfuzzer-tests-planted|clang|$lf -DPTDIFF_TESTS=ON -DPTDIFF_PLANTED_FUZZERS=ON|"
	# AFL++ (persistent mode, custom mutator) with the kill matrix's planted fuzzers
	"afl-planted|afl-clang-fast|-DPTDIFF_ENGINE=afl -DPTDIFF_PLANTED_FUZZERS=ON|"
	# OSS-Fuzz style: flags from $CFLAGS, ptdiff-fuzz linked with $LIB_FUZZING_ENGINE (as
	# build.sh configures it; every target built, not only ptdiff-fuzz)
	"external-asan|clang|-DPTDIFF_ENGINE=external -DCMAKE_BUILD_TYPE=None -DPTDIFF_WERROR=OFF|$ext"
)

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
clean=0 jobs=2 list=0 all_plants=0 wanted=()
while [ $# -gt 0 ]; do
	case $1 in
	--clean) clean=1; shift ;;
	--list) list=1; shift ;;
	--all-plants) all_plants=1; shift ;;
	-j) [ $# -ge 2 ] || { echo "build-matrix: -j needs a number" >&2; exit 2; }
	    jobs=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) echo "build-matrix: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) wanted+=("$1"); shift ;;
	esac
done
case $jobs in '' | *[!0-9]* | 0) echo "build-matrix: -j needs a positive number" >&2; exit 2 ;; esac
if [ $list = 1 ]; then
	for c in "${combos[@]}"; do echo "${c%%|*}"; done
	exit 0
fi
selected=()
if [ ${#wanted[@]} -eq 0 ]; then
	selected=("${combos[@]}")
else
	for w in "${wanted[@]}"; do
		found=0
		for c in "${combos[@]}"; do
			[ "${c%%|*}" = "$w" ] && { selected+=("$c"); found=1; }
		done
		[ $found = 1 ] || { echo "build-matrix: unknown combination '$w' (see --list)" >&2; exit 2; }
	done
fi

need_afl=0
for c in "${selected[@]}"; do
	IFS='|' read -r _ cc _ _ <<<"$c"
	case $cc in afl-*) need_afl=1 ;; esac
done
if [ $need_afl = 1 ]; then tools/deps.sh afl; else tools/deps.sh; fi

# Per-bug targets (PTDIFF_PLANTED_FUZZERS, and with the tests ptdiff-replay-plant-<bug>): the
# same sources with one -DPTDIFF_PLANT_<bug> more, ~160 targets in all.  Unless --all-plants,
# only those of three bugs are built: one planted in core (QUERY_RC, which the tests'
# minimiser also uses), the first in the oracle and the first in both (core/planted.h,
# oracle/planted.h).  tools/test.sh builds every bug's core and oracle with gcc and clang.
bugs=$(sed -n 's/^#ifndef PTDIFF_PLANT_\([A-Z0-9_]*\).*/\1/p' core/planted.h oracle/planted.h)
sample="query_rc $(echo "$bugs" | grep -m1 '^ORACLE_' | tr 'A-Z' 'a-z')"
sample="$sample $(echo "$bugs" | grep -m1 '^BOTH_' | tr 'A-Z' 'a-z')"

# targets DIR: what to build in DIR -- every target of the build but the per-bug ones outside
# the sample; nothing (= all) with --all-plants or when there is no per-bug target.
targets() {
	[ $all_plants = 1 ] && return 0
	cmake --build "$1" --target help | sed -n 's/^\.\.\. \([A-Za-z0-9_.+-]*\).*/\1/p' |
		grep -v -x -e all -e clean -e depend -e edit_cache -e rebuild_cache -e test |
		awk -v sample="$sample" '
			BEGIN { n = split(sample, s, " "); for (i = 1; i <= n; i++) keep["plant" s[i]] = 1 }
			/plant[-_]/ { plants++; b = $0; sub(/.*plant[-_]/, "", b); if (!keep["plant" b]) next }
			{ out[++m] = $0 }
			END { if (plants) for (i = 1; i <= m; i++) print out[i] }'
}

# build_combo NAME CC ARGS ENVS TESTS: configure and build in build/matrix/NAME, then run TESTS
# (run in a subshell).
build_combo() {
	local dir=build/matrix/$1 cc=$2 args=$3 envs=$4 tests=$5 t
	# AFL++ reads compile-time settings (CmpLog, its own sanitizers) from the environment and
	# CMake the external engine's flags: the caller's must not change what is built.  The
	# flags and the external link are passed explicitly too, as a reused cache keeps them.
	unset AFL_LLVM_CMPLOG AFL_USE_ASAN AFL_USE_UBSAN AFL_USE_MSAN AFL_USE_CFISAN AFL_HARDEN \
		AFL_LLVM_INSTRUMENT AFL_LLVM_LAF_ALL CFLAGS CXXFLAGS LIB_FUZZING_ENGINE
	# shellcheck disable=SC2086 # the option lists are split into words on purpose
	[ -z "$envs" ] || export $envs
	# shellcheck disable=SC2086
	cmake -S . -B "$dir" --no-warn-unused-cli -DCMAKE_C_COMPILER="$cc" $defaults $args \
		-DCMAKE_C_FLAGS="${CFLAGS:-}" -DCMAKE_CXX_FLAGS="${CXXFLAGS:-}" \
		-DPTDIFF_FUZZ_LINK="${LIB_FUZZING_ENGINE:-}" || return 1
	t=$(targets "$dir") || return 1
	if [ -n "$t" ]; then
		echo "== building $(echo "$t" | wc -l) targets (per-bug ones only for: $sample)"
		# shellcheck disable=SC2046
		cmake --build "$dir" -j"$jobs" --target $(echo "$t")
	else
		cmake --build "$dir" -j"$jobs"
	fi || return 1
	[ -z "$tests" ] || (cd "$dir" && ctest -j"$jobs" --output-on-failure -R "$tests")
}

mkdir -p build/matrix
failed=0 start=$SECONDS
for c in "${selected[@]}"; do
	IFS='|' read -r name cc args envs tests <<<"$c"
	log=build/matrix/$name.log
	[ $clean = 1 ] && rm -rf "build/matrix/$name"
	t0=$SECONDS
	if (build_combo "$name" "$cc" "$args" "$envs" "$tests") >"$log" 2>&1; then
		printf 'ok    %-30s %4ds\n' "$name" $((SECONDS - t0))
	else
		printf 'FAIL  %-30s %4ds  (log %s)\n' "$name" $((SECONDS - t0)) "$log"
		tail -n 20 "$log" | sed 's/^/      /'
		failed=$((failed + 1))
	fi
done
echo "build-matrix: ${#selected[@]} combinations, $failed failed, $((SECONDS - start))s"
[ $failed -eq 0 ]
