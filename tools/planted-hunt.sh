#!/bin/sh
# For each planted core bug: build ptdiff-fuzz with the bug (clang, libFuzzer, ASan+UBSan),
# fuzz from the shipped seeds only (fresh empty corpus), and report the time to the first
# divergence and its signature.  Usage: tools/planted-hunt.sh [-t CAP_SECONDS] [-e] [-m] [BUG...]
# -e starts from an empty corpus instead of the seeds (how far the fuzzer gets on its own).
# -m uses ptdiff-fuzz-ops (op-level, structure-aware mutation) instead of byte mutation.
# Bugs: QUERY_RC MAP_PATH UNMAP_LEN FIND_NEXT_SKIP (core/planted.h), and BOTH_UNIQUE_FRESH
# BOTH_TEARDOWN_USAGE BOTH_SEGMENT_ROLLBACK, planted in core and oracle alike so that only the
# contract checker can find them.  Output: one line per bug.
set -eu
cd "$(dirname "$0")/.."
cap=60
seeds=corpus/seeds/bin
[ "${1:-}" = -t ] && { cap=$2; shift 2; }
[ "${1:-}" = -e ] && { seeds=; shift; }
target=ptdiff-fuzz
[ "${1:-}" = -m ] && { target=ptdiff-fuzz-ops; shift; }
bugs=${*:-QUERY_RC MAP_PATH UNMAP_LEN FIND_NEXT_SKIP}
tools/deps.sh
export ASAN_OPTIONS=detect_leaks=1:handle_abort=1 UBSAN_OPTIONS=halt_on_error=1
printf '%-16s %10s  %s\n' bug seconds signature
for bug in $bugs; do
	build=build/plant-$(echo "$bug" | tr A-Z a-z)
	cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DPTDIFF_ENGINE=libfuzzer \
		-DPTDIFF_SANITIZE=address,undefined -DPTDIFF_TESTS=OFF -DPTDIFF_PLANT="$bug" >/dev/null
	cmake --build "$build" --target "$target" -j"$(nproc)" >/dev/null
	work=$(mktemp -d)
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	"$build/fuzz/$target" -max_total_time="$cap" -artifact_prefix="$work/" "$work" \
		$seeds >"$work/log" 2>&1 || true
	end=$(date +%s.%N)
	sig=$(grep -m1 'ASSERTION FAILURE' "$work/log" || echo "not found within ${cap}s")
	printf '%-16s %10.1f  %s\n' "$bug" "$(awk "BEGIN { print $end - $start }")" "$sig"
	rm -rf "$work"
done
