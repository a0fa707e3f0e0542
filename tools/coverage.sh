#!/bin/sh
# Source-based coverage (clang -fprofile-instr-generate -fcoverage-mapping) of what the shipped
# corpus alone reaches: builds ptdiff-replay in build/coverage, replays corpus/seeds/bin and
# corpus/regressions/bin (in full and in incremental mode, and 5,000 inputs of them through
# ptdiff-stress for the threads mode), and writes an HTML report to out/coverage/html/ plus a per-file table to
# out/coverage/report.txt.  Prints line, branch and region coverage per directory (core/,
# oracle/, fuzz/ without fuzz/entry/), as llvm-cov's own totals.
#   tools/coverage.sh [--min-line PCT]
#   --min-line PCT  exit 1 if core/ or oracle/ is below PCT % line coverage
# Exit 0 when done (and above --min-line); 1 below --min-line, or when the corpus did not
# replay clean (the report is still written); 2 bad usage.  Writes only build/coverage and
# out/coverage.
set -eu
cd "$(dirname "$0")/.."
min_line=""
while [ $# -gt 0 ]; do
	case $1 in
	--min-line)
		[ $# -ge 2 ] || { echo "tools/coverage.sh: --min-line needs a percentage" >&2; exit 2; }
		min_line=$2; shift 2 ;;
	--min-line=*) min_line=${1#--min-line=}; shift ;;
	-h|--help) sed -n '2,11p' "$0"; exit 0 ;;
	*) echo "tools/coverage.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
if [ -n "$min_line" ]; then
	case $min_line in
	''|.|*[!0-9.]*|*.*.*)
		echo "tools/coverage.sh: --min-line needs a percentage, got '$min_line'" >&2
		exit 2 ;;
	esac
fi

tools/deps.sh coverage
profdata=llvm-profdata-14 cov=llvm-cov-14
build=build/coverage out=out/coverage
root=$(pwd)

echo "== building ptdiff-replay with clang source-based coverage in $build"
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang \
	-DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" \
	-DPTDIFF_ENGINE=none -DPTDIFF_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target ptdiff-replay ptdiff-stress \
	>/dev/null
bin=$build/fuzz/ptdiff-replay

# The regression inputs are corpus/regressions/bin/* (their text forms and reports sit in
# ops/); a flat corpus/regressions/ is read as it is.
regressions=corpus/regressions
[ -d "$regressions/bin" ] && regressions=$regressions/bin
echo "== replaying the shipped corpus: corpus/seeds/bin $regressions, in full and incremental mode"
rm -rf "$build/profiles"
mkdir -p "$build/profiles"
replay=0
# Both ways the harness runs an input (docs/POLICY.md §4): full checking after every op, and
# incremental checking (touched slots per op, full check every 32 ops and at the end).
for mode in --full --incremental; do
	LLVM_PROFILE_FILE="$root/$build/profiles/replay-%p.profraw" \
		"$bin" --quiet "$mode" corpus/seeds/bin "$regressions" || replay=$?
done
# And the threads mode (docs/CONCURRENCY.md): the same inputs through ptdiff-stress, 5,000 in
# all, no random ones.  Which wait and deferral paths run depends on the thread timing.
LLVM_PROFILE_FILE="$root/$build/profiles/stress-%p.profraw" "$build/fuzz/ptdiff-stress" \
	--no-random -n 5000 -o "$build/stress-crashes" corpus/seeds/bin "$regressions" >/dev/null ||
	replay=$?
if [ "$replay" -ne 0 ]; then
	echo "tools/coverage.sh: ptdiff-replay exited $replay (divergence or error above);" \
		"coverage below is of what ran" >&2
fi
set -- "$build"/profiles/*.profraw
if [ ! -f "$1" ]; then
	echo "tools/coverage.sh: no profile written (did ptdiff-replay abort?)" >&2
	exit 1
fi
"$profdata" merge -sparse -o "$build/ptdiff.profdata" "$@"

# What is measured: core/, oracle/ and fuzz/ (their headers included), not the entry points,
# the tests, system headers, core/diag.c (core's abort paths: a core bug, a harness error, a
# locking-protocol violation, which correct code never reaches), or core/scheduler_threads.c:
# which of its wait and deferral lines run depends on thread timing, so a gate counting them
# would pass or fail by chance (tests/harness/stress_cli.sh and tools/stress.sh run it; the
# threads mode's share in the other files is counted, from the ptdiff-stress run above).
ignore='/fuzz/entry/|/tests/|^/usr/|/core/diag\.c$|/core/scheduler_threads\.c$'
set -- "$root/core" "$root/oracle" "$root/fuzz"

rm -rf "$out/html"
mkdir -p "$out"
"$cov" show "$bin" -instr-profile="$build/ptdiff.profdata" -format=html \
	-output-dir="$out/html" -show-line-counts-or-regions -show-branches=count \
	-ignore-filename-regex="$ignore" -project-title=ptdiff "$@"
"$cov" report "$bin" -instr-profile="$build/ptdiff.profdata" -show-branch-summary \
	-ignore-filename-regex="$ignore" "$@" >"$out/report.txt"

# One llvm-cov report per directory: its TOTAL row is llvm-cov's own aggregate.  Columns:
# Filename Regions Missed Cover Functions Missed Executed Lines Missed Cover Branches Missed Cover
total() { # total DIR -> "lines covered/count pct branches ... regions ..."
	"$cov" report "$bin" -instr-profile="$build/ptdiff.profdata" -show-branch-summary \
		-ignore-filename-regex="$ignore" "$root/$1" |
		awk '$1 == "TOTAL" {
			printf "%s %s %s %s %s %s %s %s %s\n",
				$8 - $9, $8, $10, $11 - $12, $11, $13, $2 - $3, $2, $4 }'
}

echo "== coverage of the shipped corpus, by llvm-cov (HTML: $out/html/index.html," \
	"per file: $out/report.txt)"
printf '%-8s %22s %22s %22s\n' directory "lines" "branches" "regions"
status=0
for dir in core oracle fuzz; do
	row=$(total "$dir")
	[ -n "$row" ] || { echo "tools/coverage.sh: llvm-cov gave no total for $dir/" >&2; exit 1; }
	# shellcheck disable=SC2086
	set -- $row
	printf '%-8s %8s %13s %8s %13s %8s %13s\n' "$dir/" "$3" "($1/$2)" "$6" "($4/$5)" \
		"$9" "($7/$8)"
	if [ -n "$min_line" ] && [ "$dir" != fuzz ] &&
		awk -v p="${3%\%}" -v m="$min_line" 'BEGIN { exit !(p + 0 < m + 0) }'; then
		echo "tools/coverage.sh: $dir/ line coverage $3 is below --min-line $min_line%" >&2
		status=1
	fi
done
[ "$replay" -eq 0 ] || status=1
exit "$status"
