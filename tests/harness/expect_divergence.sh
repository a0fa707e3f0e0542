#!/bin/sh
# expect_divergence.sh ASM REPLAY PLANTED_REPLAY OPS SIGNATURE
# The correct build agrees on OPS; the planted build reports exactly SIGNATURE.
set -u
asm=$1 replay=$2 planted=$3 ops=$4 sig=$5
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$asm" "$ops" -o "$tmp/input" || { echo "cannot assemble $ops"; exit 1; }
if ! "$replay" --quiet "$tmp/input"; then
	echo "FAIL: the correct core diverges on $ops"; exit 1
fi
"$planted" --quiet "$tmp/input" 2>"$tmp/report"
rc=$?
if [ $rc -ne 1 ]; then
	echo "FAIL: planted build exited $rc, expected 1 (divergence)"; cat "$tmp/report"; exit 1
fi
if ! grep -qx "ASSERTION FAILURE: ptdiff $sig" "$tmp/report"; then
	echo "FAIL: expected 'ASSERTION FAILURE: ptdiff $sig' in:"; cat "$tmp/report"; exit 1
fi
echo "ok: planted bug caught as $sig"
