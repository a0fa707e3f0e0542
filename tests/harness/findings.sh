#!/bin/sh
# findings.sh ASM REPLAY DIR PLANTS: every minimal stream of docs/FINDINGS.md still shows what
# the document says.  Each DIR/*.ops replays clean; each "# expect-strict: SIG" line is the
# divergence --strict-contract reports; each "# expect-trace: TEXT" is a line of its trace; each
# "# expect-ostd: PLANT SIG" is the divergence the build that behaves as OSTD's code does there
# reports: PLANTS/ptdiff-replay-plant-PLANT, core (and the oracle) built with that switch.
set -u
asm=$1 replay=$2 dir=$3 plants=$4
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for ops in "$dir"/*.ops; do
	name=$(basename "$ops" .ops)
	n=$((n + 1))
	"$asm" "$ops" -o "$tmp/$name" || { fail=1; continue; }
	"$replay" --quiet "$tmp/$name" || { echo "FAIL $name: diverges"; fail=1; }
	sed -n 's/^# expect-strict: //p' "$ops" | while read -r sig; do
		"$replay" --quiet --strict-contract "$tmp/$name" 2>&1 |
			grep -qx "ASSERTION FAILURE: ptdiff $sig" ||
			{ echo "FAIL $name: strict contract does not report $sig"; exit 1; }
	done || fail=1
	sed -n 's/^# expect-ostd: //p' "$ops" | while read -r plant sig; do
		"$plants/ptdiff-replay-plant-$plant" --quiet "$tmp/$name" 2>&1 |
			grep -qx "ASSERTION FAILURE: ptdiff $sig" ||
			{ echo "FAIL $name: the $plant build does not report $sig"; exit 1; }
	done || fail=1
	"$replay" --trace "$tmp/$name" >"$tmp/$name.trace" 2>&1
	sed -n 's/^# expect-trace: //p' "$ops" | while read -r text; do
		grep -qF "$text" "$tmp/$name.trace" ||
			{ echo "FAIL $name: trace lacks '$text'"; exit 1; }
	done || fail=1
done
[ $n -gt 0 ] || { echo "FAIL: no streams in $dir"; exit 1; }
[ $fail -eq 0 ] && echo "ok: $n findings reproduce"
exit $fail
