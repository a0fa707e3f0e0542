#!/bin/sh
# minimize.sh ASM MINIMIZE PLANTED_REPLAY OPS SIGNATURE MAX_OPS: ptdiff-minimize (built with a
# planted bug) shrinks OPS to at most MAX_OPS ops that still give SIGNATURE, writes bytes and
# text that assemble to each other, and never overwrites without --force.
set -u
asm=$1 minimize=$2 planted=$3 ops=$4 sig=$5 max=$6
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$asm" "$ops" -o "$tmp/in" || exit 1
"$minimize" "$tmp/in" -o "$tmp/min" --ops "$tmp/min.ops" || { echo "FAIL: minimize failed"; exit 1; }
n=$(grep -vc '^#' "$tmp/min.ops")
[ "$n" -le "$max" ] || { echo "FAIL: $n ops left (want <= $max)"; cat "$tmp/min.ops"; exit 1; }
"$planted" --quiet "$tmp/min" 2>&1 | grep -qx "ASSERTION FAILURE: ptdiff $sig" ||
	{ echo "FAIL: the minimised input does not give $sig"; exit 1; }
"$asm" "$tmp/min.ops" -o "$tmp/again" && cmp -s "$tmp/min" "$tmp/again" ||
	{ echo "FAIL: text and bytes of the result differ"; exit 1; }
"$minimize" "$tmp/in" -o "$tmp/min" >/dev/null 2>&1 && { echo "FAIL: overwrote without --force"; exit 1; }
echo "ok: $(grep -vc '^#' "$ops") ops -> $n ops"
