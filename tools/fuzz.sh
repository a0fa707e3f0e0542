#!/bin/sh
# The main job: a libFuzzer run (ASan+UBSan) of core against the oracle, starting from the
# shipped seeds, with libFuzzer's progress lines and a summary at the end.
#   tools/fuzz.sh [-t SECONDS] [-o OUTDIR]     (defaults: 300 s, out/fuzz)
# New corpus entries go to OUTDIR/corpus (the shipped corpus is only read); crashes to
# OUTDIR/crashes with their reports beside them.  Exit 0 when nothing was found, 1 otherwise.
set -eu
cd "$(dirname "$0")/.."
seconds=300 out=out/fuzz
while [ $# -gt 0 ]; do
	case $1 in
	-t) seconds=$2; shift 2 ;;
	-o) out=$2; shift 2 ;;
	-h|--help) sed -n '2,7p' "$0"; exit 0 ;;
	*) echo "tools/fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case $seconds in ''|*[!0-9]*) echo "tools/fuzz.sh: -t needs a number of seconds" >&2; exit 2 ;; esac

tools/deps.sh
build=build/fuzz
echo "== building ptdiff-fuzz (clang, libFuzzer, ASan+UBSan) in $build"
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DPTDIFF_ENGINE=libfuzzer -DPTDIFF_SANITIZE=address,undefined -DPTDIFF_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

mkdir -p "$out/corpus" "$out/crashes"
before=$(ls "$out/crashes" | grep -vc "\.report$" || true)
echo "== fuzzing for $seconds s (checking: ${PTDIFF_CHECK:-incremental}, PTDIFF_CHECK=full for" \
	"full): corpus $out/corpus (+ corpus/seeds/bin), crashes $out/crashes"
export ASAN_OPTIONS=detect_leaks=1:handle_abort=1:dedup_token_length=3
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
set +e
# -reload=0: one process writes the corpus folder, so libFuzzer's default of listing it again
# every second (a stat per entry, 1 % of the time with 2,000 entries) finds nothing new.
"$build/fuzz/ptdiff-fuzz" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -max_len=2048 \
	-reload=0 -rss_limit_mb=2560 -artifact_prefix="$out/crashes/" "$out/corpus" corpus/seeds/bin \
	corpus/regressions/bin \
	2>&1 | tee "$out/fuzz.log" | grep --line-buffered -E '^#[0-9]+.*(INITED|pulse|DONE)|ERROR|ASSERTION|SUMMARY'
set -e

echo "== summary"
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$out/fuzz.log" || true
echo "corpus: $(ls "$out/corpus" | wc -l) inputs in $out/corpus"
found=0
for crash in "$out"/crashes/*; do
	[ -f "$crash" ] || continue
	case $crash in *.report) continue ;; esac
	[ -f "$crash.report" ] || "$build/fuzz/ptdiff-replay" --quiet "$crash" >"$crash.report" 2>&1 || true
	found=$((found + 1))
	echo "crash: $crash  $(grep -m1 'ASSERTION FAILURE' "$crash.report" || echo '(see report)')"
done
new=$((found - before))
echo "divergences: $found in $out/crashes ($new new this run); full log $out/fuzz.log"
[ "$new" -le 0 ]
