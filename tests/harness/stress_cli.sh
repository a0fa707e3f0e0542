#!/bin/sh
# stress_cli.sh STRESS STRESS-DFS-SKIP-HELD STRESS-UNLOCK-BEFORE-LINK PLANTED CORPUS:
# ptdiff-stress agrees on the shipped corpus with groups on threads (and ran some), refuses bad
# usage with exit 2, and keeps the input of a finding: a divergence is saved under -o with
# exit 1; an abort inside core (a protocol violation) leaves the input in -o/running-input.
set -u
stress=$1 dfs=$2 ubl=$3 planted=$4 corpus=$5
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$stress" -n 300 -o "$tmp/ok" "$corpus/seeds" "$corpus/regressions" >"$tmp/log" 2>&1
rc=$?
groups=$(sed -n 's/.*inputs (.* random), \([0-9]*\) groups on threads.*/\1/p' "$tmp/log" | tail -1)
[ $rc -eq 0 ] && grep -q "no divergence" "$tmp/log" || { bad "corpus: exit $rc"; cat "$tmp/log"; }
[ "${groups:-0}" -gt 0 ] || { bad "corpus: no group ran on threads"; cat "$tmp/log"; }
[ ! -e "$tmp/ok/running-input" ] || bad "corpus: running-input left after a clean run"
"$stress" --no-random -n 120 -o "$tmp/ok" "$corpus/seeds" >"$tmp/log" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "done in .*: 120 inputs (0 random)" "$tmp/log" ||
	{ bad "--no-random: exit $rc"; cat "$tmp/log"; }

for args in "-t" "-t 0" "-n x" "-s -1" "-o" "--bogus" "$tmp/missing" "--no-random"; do
	# shellcheck disable=SC2086
	"$stress" $args >"$tmp/log" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q "ptdiff-stress" "$tmp/log" || bad "'$args' exited $rc (want 2)"
done

"$dfs" -t 60 -o "$tmp/dfs" "$planted/conc_dfs_skip_held.ops" >"$tmp/log" 2>&1
rc=$?
saved=$(ls "$tmp/dfs" 2>/dev/null | grep '^stress-' | head -1)
[ $rc -eq 1 ] && grep -q "DIVERGENCE" "$tmp/log" && [ -n "$saved" ] ||
	{ bad "DFS_SKIP_HELD: exit $rc, saved '$saved'"; cat "$tmp/log"; }
[ -z "$saved" ] || [ -s "$tmp/dfs/$saved" ] || bad "DFS_SKIP_HELD: the saved input is empty"

"$ubl" -t 60 -o "$tmp/ubl" "$planted/conc_unlock_before_link.ops" >"$tmp/log" 2>&1
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 1 ] && [ $rc -ne 2 ] && [ -s "$tmp/ubl/running-input" ] &&
	grep -q "ASSERTION FAILURE: ptdiff core protocol-unlocked-store" "$tmp/log" ||
	{ bad "UNLOCK_BEFORE_LINK: exit $rc"; cat "$tmp/log"; }
exit $fail
