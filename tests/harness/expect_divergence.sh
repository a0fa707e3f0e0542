#!/bin/sh
# expect_divergence.sh ASM REPLAY PLANTED_REPLAY OPS SIGNATURE [--contract-only]
# The correct build agrees on OPS; the planted build reports exactly SIGNATURE.  With
# --contract-only, the planted build must also agree when the contract checker is off: only the
# checker can see the bug.  $PTDIFF_REPLAY_FLAGS (e.g. --incremental) is passed to every replay.
#
# With --incremental, a report is always that of the full rerun, so the signature alone cannot
# show that the incremental pass caught anything.  The test then also asks at which op the
# incremental pass first saw the divergence: it must be the op the full report names, seen by
# the per-op check of what that op touched.  The input gets one trailing op that changes
# nothing (a misaligned FrameFromUnused), so that the diverging op is not the last one, where
# the incremental pass checks everything in full anyway.
set -u
flags=${PTDIFF_REPLAY_FLAGS:-}
asm=$1 replay=$2 planted=$3 ops=$4 sig=$5 mode=${6:-}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
case " $flags " in
*" --incremental "*)
	incremental=1
	{ cat "$ops"; echo "FrameFromUnused paddr=0x1"; } >"$tmp/input.ops" ;;
*)
	incremental=0
	cp "$ops" "$tmp/input.ops" ;;
esac
"$asm" "$tmp/input.ops" -o "$tmp/input" || { echo "cannot assemble $ops"; exit 1; }
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
# A bug core aborts on stops the run before any check: nothing to ask the incremental pass.
case $sig in "core-bug "* | "core protocol-"*) incremental=0 ;; esac
if [ $incremental -eq 1 ]; then
	at=$(sed -n 's/^==== ptdiff: divergence at op #\([0-9]*\) .*/\1/p' "$tmp/report")
	seen="the incremental check first saw it at op #$at (per-op check)"
	if [ -z "$at" ] || ! grep -qF ": $seen" "$tmp/report"; then
		echo "FAIL: expected '$seen' in:"; grep "incremental check" "$tmp/report"
		exit 1
	fi
	echo "ok: planted bug caught as $sig, by the per-op incremental check at op #$at"
	exit 0
fi
echo "ok: planted bug caught as $sig"
