#!/bin/sh
# Groups crash files by divergence signature and keeps one of each, named by the signature id
# (the signature and its XXH3 hash, fuzz/report/signature.h), with its report and readable trace.
#   tools/triage.sh CRASH_DIR OUT_DIR
# For each distinct signature OUT_DIR gets ID (the smallest crash file with it), ID.report
# (ptdiff-replay's divergence report) and ID.trace (every op and result); OUT_DIR/summary.txt
# lists each id with how many crash files had it.  Files that no longer diverge are listed as
# "no divergence".  Crash files are never moved or changed; an existing OUT_DIR/ID is kept.
# Crash files are the files under CRASH_DIR, sub-folders included, but not .report/.trace files
# nor names starting with '.'; a CRASH_DIR without any exits 2.
# Uses $PTDIFF_REPLAY, else $PTDIFF_BUILD/fuzz/ptdiff-replay (default build/fuzz).
set -eu
[ $# -eq 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
crashes=$1 out=$2
[ -d "$crashes" ] || { echo "triage: '$crashes' is not a folder" >&2; exit 2; }
replay=${PTDIFF_REPLAY:-${PTDIFF_BUILD:-build/fuzz}/fuzz/ptdiff-replay}
[ -x "$replay" ] || { echo "triage: $replay not built (run tools/fuzz.sh or set PTDIFF_BUILD)" >&2; exit 2; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The crash files: every file under CRASH_DIR, sub-folders included (AFL++ keeps crashes in
# sync/*/crashes), in path order; not names starting with '.', nor the .report and .trace files
# the fuzzing scripts and this one write beside crashes.
find "$crashes" -mindepth 1 -name '.*' -prune -o -type f ! -name '*.report' ! -name '*.trace' \
	-print | LC_ALL=C sort >"$tmp/files"
if [ ! -s "$tmp/files" ]; then
	echo "triage: folder '$crashes' holds no crash file (sub-folders included; names starting" \
		"with '.' and .report/.trace files are skipped)" >&2
	exit 2
fi

# One "<id> <size> <file>" line per diverging file, "none <size> <file>" for the others.
while IFS= read -r f; do
	id=$("$replay" --quiet --ids "$f" 2>/dev/null | cut -d' ' -f1)
	echo "${id:-none} $(wc -c <"$f") $f"
done <"$tmp/files" | LC_ALL=C sort -k1,1 -k2,2n >"$tmp/all"

: >"$out/summary.txt"
for id in $(cut -d' ' -f1 "$tmp/all" | uniq); do
	n=$(grep -c "^$id " "$tmp/all")
	if [ "$id" = none ]; then
		echo "no divergence: $n file(s)" >>"$out/summary.txt"
		continue
	fi
	first=$(grep "^$id " "$tmp/all" | head -1 | cut -d' ' -f3-)
	if [ ! -e "$out/$id" ]; then
		cp "$first" "$out/$id"
		"$replay" --quiet "$out/$id" 2>"$out/$id.report" >/dev/null || true
		"$replay" --trace "$out/$id" >"$out/$id.trace" 2>&1 || true
	fi
	echo "$id: $n file(s), kept $(basename "$first")" >>"$out/summary.txt"
done
cat "$out/summary.txt"
