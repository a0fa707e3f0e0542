#!/bin/sh
# triage.sh ASM PLANTED_REPLAY OPS TRIAGE: three crash files, two of them the same bug with
# different bytes and one that does not diverge (in a sub-folder), make one kept crash named by
# its signature id (with report and trace) and a summary counting 2 and 1; a folder without
# crash files is an error.
set -u
asm=$1 planted=$2 ops=$3 triage=$4
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/crashes"
"$asm" "$ops" -o "$tmp/crashes/a" || exit 1
{ grep -v '^#' "$ops"; echo "VirtAddr c=#0"; } >"$tmp/b.ops"
"$asm" "$tmp/b.ops" -o "$tmp/crashes/b" || exit 1
printf 'NewVmSpace\n' >"$tmp/c.ops"
mkdir "$tmp/crashes/sub" # crash folders may nest (AFL++: sync/*/crashes): c is found there
"$asm" "$tmp/c.ops" -o "$tmp/crashes/sub/c" || exit 1
# Not crash files: reports written beside crashes, and a dot-file.  Counted, each would add a
# "no divergence" file to the summary.
echo "report" >"$tmp/crashes/a.report"
echo "report" >"$tmp/crashes/b.report"
: >"$tmp/crashes/.seen"
cmp -s "$tmp/crashes/a" "$tmp/crashes/b" && { echo "FAIL: a and b should differ"; exit 1; }
PTDIFF_REPLAY=$planted sh "$triage" "$tmp/crashes" "$tmp/out" >"$tmp/log" 2>&1 ||
	{ echo "FAIL: triage exited $?"; cat "$tmp/log"; exit 1; }
id=$("$planted" --quiet --ids "$tmp/crashes/a" 2>/dev/null | cut -d' ' -f1)
case $id in *-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;;
*) echo "FAIL: id '$id' does not end in 16 hex digits"; exit 1 ;; esac
[ "$(ls "$tmp/out" | grep -c -v -e '\.report$' -e '\.trace$' -e '^summary.txt$')" = 1 ] ||
	{ echo "FAIL: expected one kept crash:"; ls "$tmp/out"; exit 1; }
[ -f "$tmp/out/$id" ] && [ -s "$tmp/out/$id.trace" ] || { echo "FAIL: $id or its trace missing"; exit 1; }
grep -q "^ASSERTION FAILURE: ptdiff " "$tmp/out/$id.report" || { echo "FAIL: no report"; exit 1; }
grep -qx "$id: 2 file(s), kept a" "$tmp/out/summary.txt" &&
	grep -qx "no divergence: 1 file(s)" "$tmp/out/summary.txt" ||
	{ echo "FAIL: summary:"; cat "$tmp/out/summary.txt"; exit 1; }
mkdir -p "$tmp/none/sub"
: >"$tmp/none/x.report"
PTDIFF_REPLAY=$planted sh "$triage" "$tmp/none" "$tmp/out2" >"$tmp/log" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "folder '$tmp/none' holds no crash file" "$tmp/log" ||
	{ echo "FAIL: triage of a folder without crash files exited $rc:"; cat "$tmp/log"; exit 1; }
echo "ok: 3 crash files -> 1 signature ($id)"
