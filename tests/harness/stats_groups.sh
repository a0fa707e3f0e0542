#!/bin/sh
# stats_groups.sh REPLAY SEEDS_OPS: --stats counts the groups whose members were in flight at
# the same time: some on a seed with interleaved groups, none when --sequential runs the same
# ops one after another (no group runs at all).
set -u
replay=$1 seeds=$2
inflight() { # inflight ARGS...: the "with two or more ops in flight" count, or "none"
	"$replay" --stats --quiet "$@" 2>/dev/null |
		sed -n 's/^concurrent groups: .*, \([0-9]*\) with two or more ops in flight.*/\1/p' |
		grep . || echo none
}
n=$(inflight "$seeds/concurrent-unlink-race.ops")
[ "$n" != none ] && [ "$n" -ge 1 ] || { echo "FAIL: concurrent seed: in flight '$n' (want >= 1)"; exit 1; }
n=$(inflight --sequential "$seeds/concurrent-unlink-race.ops")
[ "$n" = 0 ] || { echo "FAIL: --sequential: in flight '$n' (want 0)"; exit 1; }
echo "ok"
