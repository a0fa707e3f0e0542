#!/bin/sh
# The threads mode: ptdiff-stress under ThreadSanitizer, running the concurrent groups of the
# shipped corpus and of random inputs on POSIX threads (docs/CONCURRENCY.md "Threads").
#   tools/stress.sh [-t SECONDS] [-o OUTDIR] [-s SEED]     (defaults: 600 s, out/stress, 1)
# A divergence or a data race stops the run: the input is kept in OUTDIR/crashes (never over
# an existing file) and the report in OUTDIR/stress.log.  Exit 0 when nothing was found.
set -eu
cd "$(dirname "$0")/.."
seconds=600 out=out/stress seed=1
while [ $# -gt 0 ]; do
	case $1 in -t|-o|-s)
		[ $# -ge 2 ] || { echo "tools/stress.sh: $1 needs a value" >&2; exit 2; } ;;
	esac
	case $1 in
	-t) seconds=$2; shift 2 ;;
	-o) out=$2; shift 2 ;;
	-s) seed=$2; shift 2 ;;
	-h|--help) sed -n '2,6p' "$0"; exit 0 ;;
	*) echo "tools/stress.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
for n in "$seconds" "$seed"; do
	case $n in ''|*[!0-9]*) echo "tools/stress.sh: -t and -s need numbers" >&2; exit 2 ;; esac
done
[ -n "$out" ] || { echo "tools/stress.sh: -o needs a folder" >&2; exit 2; }

tools/deps.sh
build=build/tsan
echo "== building ptdiff-stress (clang, ThreadSanitizer) in $build"
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DPTDIFF_ENGINE=none -DPTDIFF_SANITIZE=thread -DPTDIFF_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target ptdiff-stress >/dev/null

mkdir -p "$out/crashes"
echo "== stressing for $seconds s: corpus/seeds, corpus/regressions and random inputs (seed $seed)"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
set +e
"$build/fuzz/ptdiff-stress" -t "$seconds" -s "$seed" -o "$out/crashes" corpus/seeds \
	corpus/regressions >"$out/stress.log" 2>&1 &
pid=$!
tail -n +1 -f "$out/stress.log" --pid=$pid | grep --line-buffered -E '^ptdiff-stress|WARNING|SUMMARY|ASSERTION'
wait $pid
rc=$?
set -e

echo "== summary"
if [ -f "$out/crashes/running-input" ]; then
	# ThreadSanitizer or a core abort stopped the process: keep the input it was running.
	keep="$out/crashes/stopped-$(date +%Y%m%d-%H%M%S)-$$"
	mv -n "$out/crashes/running-input" "$keep"
	echo "the run was stopped: input kept as $keep; report in $out/stress.log"
fi
grep -E 'SUMMARY: ThreadSanitizer|ASSERTION FAILURE' "$out/stress.log" || true
echo "exit status $rc; full log $out/stress.log"
exit "$rc"
