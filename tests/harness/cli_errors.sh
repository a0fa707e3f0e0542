#!/bin/sh
# cli_errors.sh REPLAY BENCH: bad paths and options of ptdiff-replay and ptdiff-bench get a
# clear message and exit 2, not a crash.
set -u
replay=$1 bench=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
run_expect() { # run_expect TOOL STATUS PATTERN ARGS...
	tool=$1 want=$2 pattern=$3; shift 3
	"$tool" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ $got -ne "$want" ] || ! grep -q "$pattern" "$tmp/out"; then
		echo "FAIL: $(basename "$tool") $* exited $got (want $want), output:"; cat "$tmp/out"
		fail=1
	fi
}
expect() { run_expect "$replay" "$@"; }
expect 2 "cannot open '$tmp/missing'" "$tmp/missing"
expect 2 "unknown option" --bogus
expect 2 "usage" 
expect 2 "needs a number" --incremental --full-every
expect 2 "bad --full-every 'x'" --incremental --full-every x "$tmp"
expect 2 "bad --full-every '0'" --incremental --full-every 0 "$tmp"
mkdir "$tmp/empty"
expect 2 "folder '$tmp/empty' holds no input" "$tmp/empty"
: >"$tmp/zero"
expect 0 "agree" "$tmp/zero"
mkfifo "$tmp/fifo" 2>/dev/null && expect 2 "not a regular file" "$tmp/fifo"
run_expect "$bench" 2 "cannot open '$tmp/missing'" "$tmp/missing"
run_expect "$bench" 2 "unknown option '--bogus'" --bogus
run_expect "$bench" 2 "needs a number" --full-every
run_expect "$bench" 2 "bad --full-every '0'" --full-every 0
run_expect "$bench" 2 "bad --full-every '65'" --full-every 65
run_expect "$bench" 2 "folder '$tmp/empty' holds no input" "$tmp/empty"
run_expect "$bench" 0 "usage" --help
[ $fail -eq 0 ] && echo "ok"
exit $fail
