#!/bin/sh
# replay_errors.sh REPLAY: bad paths and options get a clear message and exit 2, not a crash.
set -u
replay=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() { # expect STATUS PATTERN ARGS...
	want=$1 pattern=$2; shift 2
	"$replay" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ $got -ne "$want" ] || ! grep -q "$pattern" "$tmp/out"; then
		echo "FAIL: ptdiff-replay $* exited $got (want $want), output:"; cat "$tmp/out"; fail=1
	fi
}
expect 2 "cannot open '$tmp/missing'" "$tmp/missing"
expect 2 "unknown option" --bogus
expect 2 "usage" 
expect 2 "needs a number" --incremental --full-every
expect 2 "bad --full-every 'x'" --incremental --full-every x "$tmp"
expect 2 "bad --full-every '0'" --incremental --full-every 0 "$tmp"
mkdir "$tmp/empty"
expect 0 "0 inputs" "$tmp/empty"
: >"$tmp/zero"
expect 0 "agree" "$tmp/zero"
mkfifo "$tmp/fifo" 2>/dev/null && expect 2 "not a regular file" "$tmp/fifo"
[ $fail -eq 0 ] && echo "ok"
exit $fail
