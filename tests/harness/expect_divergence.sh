#!/bin/sh
# expect_divergence.sh ASM REPLAY PLANTED_REPLAY OPS SIGNATURE [--contract-only]
# The correct build agrees on OPS; the planted build reports exactly SIGNATURE.  With
# --contract-only, the planted build must also agree when the contract checker is off: only the
# checker can see the bug.  $PTDIFF_REPLAY_FLAGS (e.g. --incremental) is passed to every replay.
set -u
flags=${PTDIFF_REPLAY_FLAGS:-}
asm=$1 replay=$2 planted=$3 ops=$4 sig=$5 mode=${6:-}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$asm" "$ops" -o "$tmp/input" || { echo "cannot assemble $ops"; exit 1; }
if ! "$replay" --quiet $flags "$tmp/input"; then
	echo "FAIL: the correct core diverges on $ops"; exit 1
fi
if [ "$mode" = --contract-only ] && ! "$planted" --quiet $flags --no-contract "$tmp/input"; then
	echo "FAIL: without the contract checker the planted build already diverges"; exit 1
fi
"$planted" --quiet $flags "$tmp/input" 2>"$tmp/report"
rc=$?
# A bug core catches itself (core-bug, a locking-protocol violation) aborts the process, as
# it does under a fuzzer; every other divergence is reported with exit status 1.
case $sig in
"core-bug "* | "core protocol-"*) want="an abort" ok=$([ $rc -ge 128 ] && echo 1) ;;
*) want="1 (divergence)" ok=$([ $rc -eq 1 ] && echo 1) ;;
esac
if [ -z "$ok" ]; then
	echo "FAIL: planted build exited $rc, expected $want"; cat "$tmp/report"; exit 1
fi
if ! grep -qx "ASSERTION FAILURE: ptdiff $sig" "$tmp/report"; then
	echo "FAIL: expected 'ASSERTION FAILURE: ptdiff $sig' in:"; cat "$tmp/report"; exit 1
fi
echo "ok: planted bug caught as $sig"
