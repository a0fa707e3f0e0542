#!/bin/bash
# Runs build.sh here the way OSS-Fuzz's builder would (same environment variables and flags,
# without Docker) for each engine/sanitizer pair, then checks what it produced: the target,
# the seed corpus zip, the dictionary and options; that the target runs the whole seed corpus
# clean (libFuzzer: with the dictionary, at least 100 instrumented edges like check_build);
# that a coverage build writes a profile.
#   tools/oss-fuzz-check.sh [PAIR...]   PAIR = engine/sanitizer, default: all five below
set -eu -o pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
pairs=${*:-libfuzzer/address libfuzzer/undefined libfuzzer/memory libfuzzer/coverage afl/address}
tools/deps.sh oss-fuzz
for tool in zip unzip clang++; do
	command -v $tool >/dev/null || { echo "oss-fuzz-check: needs $tool" >&2; exit 2; }
done

base_cflags="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
ubsan_checks=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
declare -A sanitizer_flags=(
	[address]="-fsanitize=address -fsanitize-address-use-after-scope"
	[undefined]="-fsanitize=$ubsan_checks,unsigned-integer-overflow -fno-sanitize-recover=$ubsan_checks"
	[memory]="-fsanitize=memory -fsanitize-memory-track-origins"
	[coverage]="-fprofile-instr-generate -fcoverage-mapping -pthread -Wl,--no-as-needed -Wl,-ldl -Wl,-lm -Wno-unused-command-line-argument"
)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src"
ln -s "$repo" "$scratch/src/ptdiff"
nseeds=$(find corpus/seeds/bin corpus/regressions/bin -type f ! -name '.*' | wc -l)
failed=0

fail() { echo "FAIL [$pair]: $*"; failed=1; }

for pair in $pairs; do
	engine=${pair%/*} sanitizer=${pair#*/}
	[ -n "${sanitizer_flags[$sanitizer]:-}" ] || { echo "unknown sanitizer in $pair" >&2; exit 2; }
	out="$scratch/out/${engine}-${sanitizer}" work="$scratch/work/${engine}-${sanitizer}"
	mkdir -p "$out" "$work"
	flags="$base_cflags ${sanitizer_flags[$sanitizer]}"
	case $engine in
	libfuzzer) cc=clang cxx=clang++ lib="-fsanitize=fuzzer"; flags="$flags -fsanitize=fuzzer-no-link" ;;
	afl) cc=afl-clang-fast cxx=afl-clang-fast++ lib=/usr/lib/afl/libAFLDriver.a ;;
	*) echo "unknown engine in $pair" >&2; exit 2 ;;
	esac
	echo "== $pair: build.sh"
	if ! env -i PATH="$PATH" HOME="$HOME" SRC="$scratch/src" WORK="$work" OUT="$out" \
		CC="$cc" CXX="$cxx" CFLAGS="$flags" CXXFLAGS="$flags" LIB_FUZZING_ENGINE="$lib" \
		SANITIZER="$sanitizer" FUZZING_ENGINE="$engine" AFL_QUIET=1 \
		bash "$scratch/src/ptdiff/build.sh" >"$work/build.log" 2>&1; then
		fail "build.sh failed"; tail -20 "$work/build.log"; continue
	fi
	for f in ptdiff-fuzz ptdiff-fuzz_seed_corpus.zip ptdiff-fuzz.dict ptdiff-fuzz.options; do
		[ -s "$out/$f" ] || fail "missing $f"
	done
	[ -x "$out/ptdiff-fuzz" ] || { fail "ptdiff-fuzz not executable"; continue; }
	n=$(unzip -Z1 "$out/ptdiff-fuzz_seed_corpus.zip" | wc -l)
	[ "$n" -eq "$nseeds" ] || fail "seed zip holds $n files, expected $nseeds"
	mkdir -p "$work/seeds" && unzip -q -o "$out/ptdiff-fuzz_seed_corpus.zip" -d "$work/seeds"
	export LLVM_PROFILE_FILE="$work/run-%p.profraw"
	if [ "$engine" = libfuzzer ]; then
		if ! "$out/ptdiff-fuzz" -runs=0 -dict="$out/ptdiff-fuzz.dict" "$work/seeds" \
			>"$work/run.log" 2>&1; then
			fail "the seed corpus does not run clean"; tail -20 "$work/run.log"; continue
		fi
		edges=$(sed -n 's/.*INITED cov: \([0-9]*\).*/\1/p' "$work/run.log" | head -1)
		[ "${edges:-0}" -ge 100 ] || fail "only ${edges:-0} instrumented edges"
		grep -q "ParseDictionaryFile: error" "$work/run.log" && fail "dictionary rejected"
	else
		for seed in "$work"/seeds/*; do
			"$out/ptdiff-fuzz" "$seed" >>"$work/run.log" 2>&1 || fail "$(basename "$seed") fails"
		done
		edges=afl
	fi
	if [ "$sanitizer" = coverage ]; then
		ls "$work"/run-*.profraw >/dev/null 2>&1 || fail "no coverage profile written"
	fi
	echo "   ok: $(du -h "$out/ptdiff-fuzz" | cut -f1) target, $n seeds, edges: $edges"
done
[ $failed -eq 0 ] && echo "oss-fuzz-check: all pairs build and run"
exit $failed
