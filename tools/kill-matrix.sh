#!/bin/bash
# Kill matrix: how fast each fuzzing set-up finds each planted bug (docs/KILL-MATRIX.md).
#   tools/kill-matrix.sh [-r RUNS] [-t CAP] [-j JOBS] [-s SETUPS] [-b BUGS] [-c CHECK] [-g GROUPS] [-o OUT.md] [-k]
#   -r RUNS    runs per bug and set-up, seeds 1..RUNS (default 3)
#   -t CAP     seconds per run; a run without a divergence by then is not a kill (default 60)
#   -j JOBS    runs at a time (default 2; one core each)
#   -s SETUPS  comma list of libfuzzer, libfuzzer-ops, afl, afl-ops, stress (default the first
#              four; stress takes CONC_* bugs only)
#   -b BUGS    comma list of planted bugs (default every PTDIFF_PLANT_<NAME> switch declared in
#              core/planted.h and oracle/planted.h, read now)
#   -c CHECK   full or incremental: how the targets check each op (PTDIFF_CHECK, runner.h;
#              default incremental, as the fuzz targets)
#   -g GROUPS  on or off: whether Together groups run their ops at the same time (PTDIFF_GROUPS,
#              docs/CONCURRENCY.md; off shows which bugs need concurrency; default on)
#   -o OUT.md  also write the Markdown report there (it is always printed on stdout), and the
#              CSV of every run beside it as OUT.csv unless a file not written by this script
#              is in the way
#   -k         keep each run's working folder (corpus, AFL++ output, logs)
# Set-ups: libfuzzer = ptdiff-fuzz (byte mutation); libfuzzer-ops = ptdiff-fuzz-ops (op-level
# custom mutator); afl = ptdiff-afl (AFL++'s own mutations); afl-ops = ptdiff-afl with
# ptdiff-afl-mutator.so; stress = ptdiff-stress (groups on threads, random inputs, no coverage
# feedback).  Every run starts from an empty corpus (AFL++: one 1-byte file, a zero
# byte) with fuzz/ptdiff-fuzz.dict.  Builds (no sanitizers, same flags for both engines):
# build/kill-matrix-libfuzzer and build/kill-matrix-afl.  Results: out/kill-matrix-<time>/.
# Exit: 0 done, 1 missing tool or failed build, 2 bad arguments.
set -eu -o pipefail
cd "$(dirname "$0")/.."

die() { echo "kill-matrix: $*" >&2; exit 2; }
usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }

all_setups="libfuzzer libfuzzer-ops afl afl-ops stress"
default_setups="libfuzzer libfuzzer-ops afl afl-ops"
runs=3 cap=60 jobs=2 setups_arg="" bugs_arg="" out_md="" keep=0 check=incremental groups=on
while getopts ":r:t:j:s:b:c:g:o:kh" opt; do
	case $opt in
	r) runs=$OPTARG ;;
	t) cap=$OPTARG ;;
	j) jobs=$OPTARG ;;
	s) setups_arg=$OPTARG ;;
	b) bugs_arg=$OPTARG ;;
	c) check=$OPTARG ;;
	g) groups=$OPTARG ;;
	o) out_md=$OPTARG ;;
	k) keep=1 ;;
	h) usage; exit 0 ;;
	:) die "option -$OPTARG needs a value (see -h)" ;;
	*) die "unknown option -$OPTARG (see -h)" ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || die "unexpected argument '$1' (bugs go in -b, comma separated; see -h)"
case $check in full | incremental) ;; *) die "-c wants full or incremental, got '$check'" ;; esac
export PTDIFF_CHECK=$check
case $groups in on | off) ;; *) die "-g wants on or off, got '$groups'" ;; esac
export PTDIFF_GROUPS=$groups
for v in "r:$runs" "t:$cap" "j:$jobs"; do
	case ${v#*:} in
	'' | *[!0-9]* | 0*) die "-${v%%:*} wants a positive whole number, got '${v#*:}'" ;;
	esac
done

# Planted bugs, as the build finds them (top-level CMakeLists.txt, PTDIFF_ALL_PLANTS).
known_bugs=$(sed -n 's/^#ifndef PTDIFF_PLANT_\([A-Z0-9_]*\).*/\1/p' core/planted.h oracle/planted.h |
	awk 'NF && !seen[$0]++')
[ -n "$known_bugs" ] || { echo "kill-matrix: no PTDIFF_PLANT_ switch in core/ or oracle/planted.h" >&2; exit 1; }

split_list() { echo "$1" | tr ',' ' ' | xargs -n1 2>/dev/null | awk 'NF && !seen[$0]++'; }
setups=""
for s in $(split_list "${setups_arg:-${default_setups// /,}}"); do
	case " $all_setups " in *" $s "*) setups="$setups $s" ;;
	*) die "unknown set-up '$s' (known: ${all_setups// /, })" ;; esac
done
[ -n "$setups" ] || die "-s names no set-up"
bugs=""
for b in $(split_list "${bugs_arg:-$(echo "$known_bugs" | paste -sd, -)}"); do
	b=${b^^}
	echo "$known_bugs" | grep -qx -- "$b" ||
		die "unknown bug '$b' (known: $(echo "$known_bugs" | paste -sd' ' -))"
	bugs="$bugs $b"
done
[ -n "$bugs" ] || die "-b names no bug"
case " $setups " in *" stress "*)
	for b in $bugs; do
		case $b in CONC_*) ;; *) die "set-up stress takes CONC_* bugs only, got '$b'" ;; esac
	done ;;
esac
if [ -n "$out_md" ]; then
	[ -d "$out_md" ] && die "-o $out_md is a folder"
	[ -d "$(dirname "$out_md")" ] || die "-o $out_md: folder $(dirname "$out_md") does not exist"
fi

# Where the bug is planted: the build plants ORACLE_<x> in the oracle, BOTH_<x> in both, else
# core (top-level CMakeLists.txt, ptdiff_plant_libraries).
where() {
	case $1 in ORACLE_*) echo oracle ;; BOTH_*) echo both ;; *) echo core ;; esac
}

# Tools: tell what is missing, install nothing.
use_lf=0 use_afl=0
case $setups in *libfuzzer* | *stress*) use_lf=1 ;; esac
case $setups in *afl*) use_afl=1 ;; esac
missing=""
for c in cmake make clang timeout; do command -v "$c" >/dev/null 2>&1 || missing="$missing $c"; done
if [ $use_afl = 1 ]; then
	for c in afl-fuzz afl-clang-fast; do command -v "$c" >/dev/null 2>&1 || missing="$missing $c"; done
fi
if [ -n "$missing" ]; then
	echo "kill-matrix: missing:$missing" >&2
	echo "kill-matrix: on Debian, tools/deps.sh$([ $use_afl = 1 ] && echo ' afl') installs them" >&2
	exit 1
fi

res=out/kill-matrix-$(date +%Y%m%d-%H%M%S)
[ -e "$res" ] && res=$res-$$
mkdir -p "$res/runs" "$res/crashes" "$res/work"
lfdir=build/kill-matrix-libfuzzer afldir=build/kill-matrix-afl
ncpu=$(nproc)

build() { # build ENGINE DIR CMAKE-ARGS... -- TARGETS...
	local engine=$1 dir=$2 args=() targets=()
	shift 2
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	targets=("$@")
	echo "== building ${#targets[@]} $engine targets in $dir (log $res/build-$engine.log)"
	# shellcheck disable=SC2016 # expanded by the sh below
	local script='cmake -S . -B "$0" "$@" && cmake --build "$0" -j"$NCPU" --target $TARGETS'
	# Compile-time AFL++ settings from the caller's environment would change the AFL++ build
	# (CmpLog, sanitizers); the matrix wants the plain one.
	if ! env -u AFL_LLVM_CMPLOG -u AFL_USE_ASAN -u AFL_USE_UBSAN -u AFL_USE_MSAN \
		-u AFL_USE_CFISAN -u AFL_HARDEN -u AFL_LLVM_INSTRUMENT -u AFL_LLVM_LAF_ALL \
		NCPU="$ncpu" TARGETS="${targets[*]}" sh -c "$script" \
		"$dir" "${args[@]}" >"$res/build-$engine.log" 2>&1; then
		tail -n 25 "$res/build-$engine.log" >&2
		echo "kill-matrix: the $engine build failed (log $res/build-$engine.log)" >&2
		exit 1
	fi
}
common=(-DPTDIFF_TESTS=OFF -DPTDIFF_PLANTED_FUZZERS=ON -DPTDIFF_SANITIZE= -DPTDIFF_PLANT=
	-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ $use_lf = 1 ]; then
	t=(ptdiff-fuzz ptdiff-stress)
	for b in $bugs; do
		l=${b,,}
		case " $setups " in *" libfuzzer "*) t+=("ptdiff-fuzz-plant-$l") ;; esac
		case " $setups " in *" libfuzzer-ops "*) t+=("ptdiff-fuzz-ops-plant-$l") ;; esac
		case " $setups " in *" stress "*) t+=("ptdiff-stress-plant-$l") ;; esac
	done
	build libfuzzer "$lfdir" -DCMAKE_C_COMPILER=clang -DPTDIFF_ENGINE=libfuzzer "${common[@]}" \
		-- "${t[@]}"
fi
if [ $use_afl = 1 ]; then
	t=(ptdiff-afl)
	case " $setups " in *" afl-ops "*) t+=(ptdiff-afl-mutator) ;; esac
	for b in $bugs; do t+=("ptdiff-afl-plant-${b,,}"); done
	build afl "$afldir" -DCMAKE_C_COMPILER=afl-clang-fast -DPTDIFF_ENGINE=afl "${common[@]}" \
		-- "${t[@]}"
fi
mutator=$PWD/$afldir/fuzz/ptdiff-afl-mutator.so
dict=$PWD/fuzz/ptdiff-fuzz.dict

# One run: fuzz until the first crash or CAP, then name the crash by running it once on the
# binary that found it (the report's "ASSERTION FAILURE: ptdiff <signature>") and check that
# the build without the bug agrees on it.  Writes $res/runs/<bug>.<setup>.<run>.csv.
run_one() { # run_one BUG SETUP RUN
	local bug=$1 setup=$2 run=$3 lower dir bin clean start end crash="" t killed=0 sig="" note=""
	local pid rc execs clean_args
	lower=${bug,,}
	dir=$res/work/$lower.$setup.$run
	mkdir -p "$dir"
	case $setup in
	libfuzzer) bin=$lfdir/fuzz/ptdiff-fuzz-plant-$lower clean=$lfdir/fuzz/ptdiff-fuzz ;;
	libfuzzer-ops) bin=$lfdir/fuzz/ptdiff-fuzz-ops-plant-$lower clean=$lfdir/fuzz/ptdiff-fuzz ;;
	stress) bin=$lfdir/fuzz/ptdiff-stress-plant-$lower clean=$lfdir/fuzz/ptdiff-stress ;;
	*) bin=$afldir/fuzz/ptdiff-afl-plant-$lower clean=$afldir/fuzz/ptdiff-afl ;;
	esac
	start=$(date +%s.%N)
	case $setup in
	libfuzzer*)
		mkdir -p "$dir/corpus"
		timeout -k 10 $((cap + 60)) "$bin" -seed="$run" -max_total_time="$cap" -max_len=2048 \
			-timeout=10 -dict="$dict" -print_final_stats=1 -artifact_prefix="$dir/" \
			"$dir/corpus" >"$dir/log" 2>&1 &
		;;
	stress)
		# Random inputs only (no corpus), seed = run; a finding ends the run with the input
		# saved as crashes/stress-* or, after an abort, left in crashes/running-input.
		timeout -k 10 $((cap + 60)) "$bin" -t "$cap" -s "$run" -o "$dir/crashes" \
			>"$dir/log" 2>&1 &
		;;
	afl*)
		mkdir -p "$dir/in"
		printf '\0' >"$dir/in/seed"
		local envs=(AFL_BENCH_UNTIL_CRASH=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
			AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1)
		[ "$setup" = afl-ops ] && envs+=("AFL_CUSTOM_MUTATOR_LIBRARY=$mutator")
		env -u AFL_CUSTOM_MUTATOR_LIBRARY -u AFL_CUSTOM_MUTATOR_ONLY -u AFL_PYTHON_MODULE \
			-u AFL_AUTORESUME "${envs[@]}" \
			timeout -k 10 $((cap + 60)) afl-fuzz -i "$dir/in" -o "$dir/out" -s "$run" -V "$cap" \
			-x "$dict" -- "$bin" >"$dir/log" 2>&1 &
		;;
	esac
	pid=$!
	trap 'kill "$pid" 2>/dev/null; exit 130' TERM INT
	wait "$pid"
	rc=$?
	end=$(date +%s.%N)
	if [ -f "$dir/out/default/fuzzer_stats" ]; then
		execs=$(awk -F' *: *' '$1 == "execs_done" { print $2 }' "$dir/out/default/fuzzer_stats")
	elif [ "$setup" = stress ]; then
		execs=$(sed -n 's/^ptdiff-stress: .* s: \([0-9]*\) inputs.*/\1/p' "$dir/log" | tail -n 1)
	else
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
	fi
	for f in "$dir"/crash-* "$dir"/out/default/crashes/id:* "$dir"/crashes/stress-* \
		"$dir"/crashes/running-input; do
		[ -f "$f" ] && { crash=$f; break; }
	done
	# ptdiff-stress ends normally (removing running-input) or leaves it behind an abort.
	[ "$setup" = stress ] && [ "$crash" = "$dir/crashes/running-input" ] && [ "$rc" -le 2 ] &&
		crash=""
	if [ -n "$crash" ]; then
		t=$(awk -v s="$start" -v m="$(stat -c %.3Y "$crash")" 'BEGIN { printf "%.1f", m - s }')
		cp "$crash" "$res/crashes/$lower.$setup.$run"
		if [ "$setup" = stress ]; then
			# A thread interleaving does not replay: the run's own report names it, and
			# the build without the bug must agree on the input for 200 tries.
			cp "$dir/log" "$res/crashes/$lower.$setup.$run.report"
			clean_args=(-n 200 -o "$dir/clean")
		else
			timeout 60 "$bin" "$crash" >"$res/crashes/$lower.$setup.$run.report" 2>&1
			clean_args=()
		fi
		sig=$(sed -n 's/^ASSERTION FAILURE: ptdiff //p' "$res/crashes/$lower.$setup.$run.report" |
			head -n 1 | tr ',"|' ';;/')
		if [ -z "$sig" ]; then
			note=no-repro
		elif ! timeout 60 "$clean" "${clean_args[@]}" "$crash" >/dev/null 2>&1; then
			note='clean-diverges' # a divergence, but not the planted bug's
		elif awk -v t="$t" -v c="$cap" 'BEGIN { exit !(t > c) }'; then
			note=after-cap
		else
			killed=1
		fi
	else
		t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
		if grep -aq 'PROGRAM ABORT' "$dir/log"; then
			note=afl-error
		elif ls "$dir"/timeout-* >/dev/null 2>&1; then
			note=slow-input
		elif ls "$dir"/oom-* "$dir"/leak-* >/dev/null 2>&1; then
			note=oom-or-leak
		elif [ "$rc" -ne 0 ] || awk -v t="$t" -v c="$cap" 'BEGIN { exit !(t < c - 1) }'; then
			note=ended-early:rc$rc
		else
			note=cap
		fi
	fi
	echo "$bug,$setup,$run,$run,$t,$killed,${execs:-},$sig,$note" >"$res/runs/$lower.$setup.$run.csv"
	local done_count
	done_count=$(find "$res/runs" -name '*.csv' | wc -l)
	if [ $killed = 1 ]; then
		printf '[%s %3d/%d] %-26s %-13s run %d: killed in %6.1f s  %s\n' "$(date +%T)" \
			"$done_count" "$total" "$bug" "$setup" "$run" "$t" "$sig"
	else
		printf '[%s %3d/%d] %-26s %-13s run %d: not killed (%s after %s s)%s\n' "$(date +%T)" \
			"$done_count" "$total" "$bug" "$setup" "$run" "$note" "$t" "${sig:+  $sig}"
	fi
	[ $keep = 1 ] || rm -rf "$dir"
}

nbugs=$(echo "$bugs" | wc -w) nsetups=$(echo "$setups" | wc -w)
total=$((runs * nbugs * nsetups))
echo "== $total runs: $nbugs bugs x $nsetups set-ups ($(echo "$setups" | xargs | tr ' ' ,))" \
	"x $runs, cap ${cap}s, $jobs at a time; results in $res"
pids=()
stop() {
	trap - INT TERM
	echo "kill-matrix: interrupted; stopping the runs (results so far in $res)" >&2
	[ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	exit 130
}
trap stop INT TERM
running=0
for run in $(seq 1 "$runs"); do
	for bug in $bugs; do
		for setup in $setups; do
			if [ $running -ge "$jobs" ]; then
				wait -n || true
				running=$((running - 1))
			fi
			(set +e; run_one "$bug" "$setup" "$run") &
			pids+=($!)
			running=$((running + 1))
		done
	done
done
wait || true
trap - INT TERM
[ $keep = 1 ] || rmdir "$res/work" 2>/dev/null || true

# ---- report
csv=$res/runs.csv
header=bug,setup,run,seed,seconds,killed,execs,signature,note
{
	echo "$header"
	for run in $(seq 1 "$runs"); do
		for bug in $bugs; do
			for setup in $setups; do
				f=$res/runs/${bug,,}.$setup.$run.csv
				[ -f "$f" ] && cat "$f"
			done
		done
	done
} >"$csv"

tool_versions() {
	[ $use_lf = 1 ] && echo "libFuzzer: $(clang --version | head -n 1)"
	[ $use_afl = 1 ] && echo "AFL++: $(afl-fuzz -h 2>&1 | head -n 1 | sed 's/\x1b\[[0-9;]*m//g' |
		awk '{print $1}'), instrumentation by afl-clang-fast (clang PCGUARD)"
	return 0
}

report() {
	echo "# Kill matrix"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -n), $ncpu cores; tools/kill-matrix.sh" \
		"-r $runs -t $cap -j $jobs -c $check."
	echo "Checking: **$check** (PTDIFF_CHECK=$check: $([ "$check" = full ] &&
		echo "both whole views after every op" ||
		echo "what each op touched, a full check every 32 ops and at the end"))."
	echo "Each run: empty corpus (AFL++: one 1-byte file), fuzz/ptdiff-fuzz.dict, seed = run" \
		"number, cap ${cap} s, $jobs runs at a time."
	echo "Builds: RelWithDebInfo, **no sanitizers** in either engine (a divergence is an" \
		"abort() and needs none); same coverage ignore list for both."
	tool_versions | sed 's/^/- /'
	echo
	echo "Cell: median seconds to the first divergence over the runs (a run that reached the cap" \
		"counts as not killed; '>$cap' if the median run was not killed) and kills/runs."
	echo
	awk -F, -v cap="$cap" -v runs="$runs" -v setups="$(echo "$setups" | xargs)" \
		-v bugs="$(echo "$bugs" | xargs)" -v wheres="$(for b in $bugs; do where "$b"; done | xargs)" '
	function median(a, n,    i, j, x) { # a[1..n], sorted in place; INF = not killed
		for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		if (n == 0) return INF
		if (n % 2) return a[(n + 1) / 2]
		if (a[n / 2 + 1] >= INF) return INF
		return (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function show(v) { return v >= INF ? ">" cap : sprintf("%.1f", v) }
	BEGIN { INF = 1e18 }
	NR > 1 {
		k = $1 SUBSEP $2; n[k]++; tot[$2]++; ex[$2] += $7; sec[$2] += $5
		v[k, n[k]] = $6 ? $5 : INF
		if ($6) { kills[k]++; skill[$2]++; kt[$2, ++nk[$2]] = $5; par[$2] += $5
			  if (!(($1, $8) in sigseen)) { sigseen[$1, $8] = 1; sigs[$1] = sigs[$1] (sigs[$1] == "" ? "" : "; ") $8 }
			  sigcount[$1, $8]++ }
		else par[$2] += 2 * cap
		if ($9 != "" && $9 != "cap") notes = notes sprintf("- %s, %s, run %s: %s after %s s%s\n", $1, $2, $3, $9, $5, $8 == "" ? "" : " (" $8 ")")
	}
	END {
		ns = split(setups, S, " "); nb = split(bugs, B, " "); split(wheres, W, " ")
		line = "| bug | where |"; sep = "|---|---|"
		for (s = 1; s <= ns; s++) { line = line " " S[s] " |"; sep = sep "---|" }
		print line " signature |"; print sep "---|"
		for (b = 1; b <= nb; b++) {
			line = "| " B[b] " | " W[b] " |"
			for (s = 1; s <= ns; s++) {
				k = B[b] SUBSEP S[s]; m = n[k] + 0
				for (i = 1; i <= m; i++) tmp[i] = v[k, i]
				med = median(tmp, m); bm[b, s] = med
				if (kills[k] > 0) killedbugs[S[s]]++
				if (m > 0 && med < INF) medbugs[S[s]]++
				line = line sprintf(" %s (%d/%d) |", m ? show(med) : "-", kills[k], m)
			}
			sg = sigs[B[b]]
			if (sg == "") sg = "-"
			print line " " sg " |"
		}
		print ""
		print "## Summary"
		print ""
		print "| set-up | bugs killed (>= 1 run) | bugs killed (median run) | runs killed | median over bugs of the median s | median s of killed runs | PAR-2 s | execs/s |"
		print "|---|---|---|---|---|---|---|---|"
		best = ""; bestpar = INF
		for (s = 1; s <= ns; s++) {
			for (b = 1; b <= nb; b++) tmp[b] = bm[b, s]
			mo = median(tmp, nb)
			m = nk[S[s]] + 0
			for (i = 1; i <= m; i++) tmp[i] = kt[S[s], i]
			mk = median(tmp, m)
			p = tot[S[s]] ? par[S[s]] / tot[S[s]] : INF
			if (p < bestpar) { bestpar = p; best = S[s] }
			printf "| %s | %d/%d | %d/%d | %d/%d | %s | %s | %s | %s |\n", S[s], killedbugs[S[s]], nb, medbugs[S[s]], nb, skill[S[s]], tot[S[s]], show(mo), m ? sprintf("%.1f", mk) : "-", tot[S[s]] ? sprintf("%.1f", p) : "-", (sec[S[s]] > 0 ? sprintf("%.0f", ex[S[s]] / sec[S[s]]) : "-")
		}
		print ""
		print "PAR-2: mean over all runs of the time to kill, a run not killed counting 2 x cap (" 2 * cap " s); lower is better. execs/s: all executions over all run time of the set-up (wall time from launch, startup included)."
		if (best != "") print "Best set-up (lowest PAR-2): **" best "**."
		if (notes != "") { print ""; print "Runs that ended without a kill for another reason than the cap:"; printf "%s", notes }
	}' "$csv"
	echo
	echo "Every run: $csv ($header); crashes and their" \
		"reports: $res/crashes/."
}

report >"$res/kill-matrix.md"
echo
cat "$res/kill-matrix.md"
if [ -n "$out_md" ]; then
	cp "$res/kill-matrix.md" "$out_md"
	out_csv=${out_md%.md}.csv
	if [ ! -e "$out_csv" ] || [ "$(head -n 1 "$out_csv")" = "$header" ]; then
		cp "$csv" "$out_csv"
		echo "kill-matrix: wrote $out_md and $out_csv" >&2
	else
		echo "kill-matrix: wrote $out_md; $out_csv exists and is not a kill-matrix CSV, so the" \
			"runs stay in $csv only" >&2
	fi
fi
