#!/bin/bash
# A fuzzing campaign on this machine's cores, with either engine, that stops by itself.
#   tools/campaign.sh afl       [-t SECONDS] [-j JOBS] [-o OUTDIR] [-m]
#   tools/campaign.sh libfuzzer [-t SECONDS] [-j JOBS] [-o OUTDIR] [-m]
# afl: builds ptdiff-afl (persistent mode) and a CmpLog twin, starts one main (-M, with CmpLog)
#   and JOBS-1 secondaries (-S) on one sync folder, prints a progress line every 10 s, stops
#   them after SECONDS, then runs afl-cmin on the main queue.
# libfuzzer: ptdiff-fuzz (ASan+UBSan) with -fork=JOBS, then -merge=1 into a minimal corpus.
# Both: crashes are collected in OUTDIR/crashes, each with its divergence report (.report).
# -m: also the op-level mutator of fuzz/input/mutate.h -- AFL++: ptdiff-afl-mutator.so as a custom
#   mutator in every instance (AFL's own havoc stays on); libFuzzer: ptdiff-fuzz-ops.
# Defaults: 600 s, all cores, out/campaign-ENGINE.  Exit 1 when a divergence was found.
# To spread a campaign over machines, give each the same seeds and sync OUTDIR/sync (AFL++)
# or OUTDIR/corpus (libFuzzer) between them; see docs/RUNNING.md.
set -eu -o pipefail
cd "$(dirname "$0")/.."
engine=${1:-}
case $engine in afl|libfuzzer) shift ;; *) sed -n '2,15p' "$0"; exit 2 ;; esac
seconds=600 jobs=$(nproc) out=out/campaign-$engine ops=0
while [ $# -gt 0 ]; do
	case $1 in
	-t) seconds=$2; shift 2 ;;
	-j) jobs=$2; shift 2 ;;
	-o) out=$2; shift 2 ;;
	-m) ops=1; shift ;;
	*) echo "campaign: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case "$seconds$jobs" in *[!0-9]*|'') echo "campaign: -t and -j take numbers" >&2; exit 2 ;; esac
[ "$jobs" -ge 1 ] || jobs=1
mkdir -p "$out/crashes"
seeds=(corpus/seeds/bin corpus/regressions/bin)
make_build() { # make_build DIR TARGET CMAKE-ARGS...
	local dir=$1 target=$2; shift 2
	[ -f "$dir/CMakeCache.txt" ] || cmake -S . -B "$dir" -DPTDIFF_TESTS=OFF "$@" >/dev/null
	cmake --build "$dir" --target "$target" ptdiff-replay -j"$(nproc)" >/dev/null
}
replay=build/replay-campaign/fuzz/ptdiff-replay

describe() { # describe FILE...: write FILE.report (the divergence report) beside each
	local f found=0
	for f in "$@"; do
		[ -f "$f" ] || continue
		"$replay" --quiet "$f" >"$f.report" 2>&1 || true
		echo "crash: $f  $(grep -m1 'ASSERTION FAILURE' "$f.report" || echo '(see report)')"
		found=$((found + 1))
	done
	echo "divergences: $found (in $out/crashes)"
	[ $found -eq 0 ]
}

describe_all() { # every crash file in $out/crashes (not the reports)
	local f files=()
	for f in "$out"/crashes/*; do
		case $f in *.report) ;; *) [ -f "$f" ] && files+=("$f") ;; esac
	done
	describe "${files[@]}"
}

tools/deps.sh afl
make_build build/replay-campaign ptdiff-replay -DCMAKE_C_COMPILER=clang -DPTDIFF_ENGINE=none

if [ "$engine" = afl ]; then
	make_build build/afl ptdiff-afl -DCMAKE_C_COMPILER=afl-clang-fast -DPTDIFF_ENGINE=afl
	AFL_LLVM_CMPLOG=1 make_build build/afl-cmplog ptdiff-afl \
		-DCMAKE_C_COMPILER=afl-clang-fast -DPTDIFF_ENGINE=afl
	export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
	export AFL_TRY_AFFINITY=1 AFL_AUTORESUME=1
	if [ $ops = 1 ]; then
		cmake --build build/afl --target ptdiff-afl-mutator -j"$(nproc)" >/dev/null
		export AFL_CUSTOM_MUTATOR_LIBRARY=$PWD/build/afl/fuzz/ptdiff-afl-mutator.so
		echo "== custom mutator $AFL_CUSTOM_MUTATOR_LIBRARY"
	fi
	mkdir -p "$out/in" "$out/sync"
	cp "${seeds[0]}"/* "$out/in/"
	cp "${seeds[1]}"/* "$out/in/" 2>/dev/null || true
	pids=()
	stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
	trap stop INT TERM
	afl-fuzz -i "$out/in" -o "$out/sync" -M main -V "$seconds" -x fuzz/ptdiff-fuzz.dict \
		-c build/afl-cmplog/fuzz/ptdiff-afl -- build/afl/fuzz/ptdiff-afl >"$out/main.log" 2>&1 &
	pids+=($!)
	for i in $(seq 1 $((jobs - 1))); do
		afl-fuzz -i "$out/in" -o "$out/sync" -S "s$i" -V "$seconds" -x fuzz/ptdiff-fuzz.dict \
			-- build/afl/fuzz/ptdiff-afl >"$out/s$i.log" 2>&1 &
		pids+=($!)
	done
	echo "== AFL++: 1 main (CmpLog) + $((jobs - 1)) secondaries for ${seconds}s, sync $out/sync"
	start=$(date +%s)
	while kill -0 "${pids[@]}" 2>/dev/null; do
		sleep 10
		# fuzzer_stats is written once a minute; the logs say more often how far each got.
		line=""
		for log in "$out"/main.log "$out"/s*.log; do
			[ -f "$log" ] || continue # -j 1: no secondaries
			line="$line $(basename "$log" .log): $(grep -a 'Fuzzing test case' "$log" | tail -1 |
				sed -n 's/.*(\([0-9]*\) total, \([0-9]*\) crashes saved.*/corpus \1 crashes \2;/p')"
		done
		echo "[$(( $(date +%s) - start ))s] $line"
	done
	wait || true
	echo "== summary"
	cat "$out"/sync/*/fuzzer_stats | awk -F' *: *' '
		$1=="execs_done"{e+=$2} $1=="execs_per_sec"{r+=$2} $1=="saved_crashes"{x+=$2}
		END{printf "total execs %d, final execs/s %.0f (all instances), saved crashes %d\n", e, r, x}'
	rm -rf "$out/cmin"
	if afl-cmin -i "$out/sync/main/queue" -o "$out/cmin" -- build/afl/fuzz/ptdiff-afl >"$out/cmin.log" 2>&1; then
		echo "afl-cmin: $(ls "$out/sync/main/queue" | wc -l) queue entries -> $(ls "$out/cmin" | wc -l) in $out/cmin"
	else
		echo "afl-cmin failed, see $out/cmin.log"
	fi
	for f in "$out"/sync/*/crashes/id:*; do
		[ -f "$f" ] && cp "$f" "$out/crashes/$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f" | tr -c 'A-Za-z0-9._-' '_')"
	done
	describe_all
else
	fuzzer=ptdiff-fuzz
	[ $ops = 1 ] && fuzzer=ptdiff-fuzz-ops
	make_build build/fuzz $fuzzer -DCMAKE_C_COMPILER=clang -DPTDIFF_ENGINE=libfuzzer \
		-DPTDIFF_SANITIZE=address,undefined
	export ASAN_OPTIONS=detect_leaks=1:handle_abort=1 UBSAN_OPTIONS=halt_on_error=1
	mkdir -p "$out/corpus"
	echo "== libFuzzer ($fuzzer): -fork=$jobs for ${seconds}s, corpus $out/corpus"
	build/fuzz/fuzz/$fuzzer -fork="$jobs" -ignore_crashes=1 -max_total_time="$seconds" \
		-max_len=2048 -timeout=10 -dict=fuzz/ptdiff-fuzz.dict \
		-artifact_prefix="$out/crashes/" "$out/corpus" "${seeds[@]}" 2>&1 |
		tee "$out/fuzz.log" | grep --line-buffered -E '^#[0-9]+: cov|INFO: fuzzed for|ASSERTION' || true
	echo "== summary"
	rm -rf "$out/merged" && mkdir -p "$out/merged"
	build/fuzz/fuzz/$fuzzer -merge=1 "$out/merged" "$out/corpus" >"$out/merge.log" 2>&1 || true
	echo "merge: $(ls "$out/corpus" | wc -l) corpus entries -> $(ls "$out/merged" | wc -l) in $out/merged"
	describe_all
fi
