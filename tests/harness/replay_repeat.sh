#!/bin/sh
# replay_repeat.sh ASM PLANTED_REPLAY OPS N: a concurrent divergence replays identically: N
# replays of the same input (its schedule included) print the same report, byte for byte.
set -u
asm=$1 replay=$2 ops=$3 n=$4
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$asm" "$ops" -o "$tmp/in" || exit 1
# AddressSanitizer notes once per process, with its pid, that it does not fully support the
# context switches of concurrent groups (core/scheduler.c announces every switch to it): not part
# of the replay.
run() { "$replay" --trace "$tmp/in" 2>&1 | grep -v "doesn't fully support makecontext/swapcontext"; }
run >"$tmp/first"
grep -q "ASSERTION FAILURE" "$tmp/first" || { echo "FAIL: $ops does not diverge"; exit 1; }
i=1
while [ $i -lt "$n" ]; do
	run >"$tmp/again"
	cmp -s "$tmp/first" "$tmp/again" || { echo "FAIL: replay $i differs:"; diff "$tmp/first" "$tmp/again" | head; exit 1; }
	i=$((i + 1))
done
echo "ok: $n identical replays of $(grep -m1 'ASSERTION FAILURE' "$tmp/first")"
