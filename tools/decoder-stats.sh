#!/bin/sh
# What the decoder makes of random bytes: writes COUNT inputs of random length and content from
# a fixed seed (the same files on every machine: a 32-bit LCG in awk, no $RANDOM or
# /dev/urandom), replays them with `ptdiff-replay --stats` and sums up how many inputs held 2 or
# more cursors live at once (docs/CONCURRENCY.md) and how often each op kind was decoded.
#   tools/decoder-stats.sh [-n COUNT] [-s SEED] [-l MIN] [-L MAX] [-k DIR]
#   -n COUNT  inputs (default 2000)      -s SEED  generator seed (default 1)
#   -l MIN -L MAX  input lengths in bytes, uniform in [MIN, MAX] (default 16, 512)
#   -k DIR    write the inputs to DIR (kept; it must not exist) instead of a temporary folder
# Uses $PTDIFF_REPLAY, else $PTDIFF_BUILD/fuzz/ptdiff-replay (default build/gcc).  Prints
# ptdiff-replay's table, then "decoded" (skipped + applied) per op kind and the summary lines.
# Exit: 0 done, 1 the replay failed (a divergence or an error), 2 bad usage or no build.
set -eu
count=2000 seed=1 min=16 max=512 keep=
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
while getopts n:s:l:L:k:h opt; do
	case $opt in
	n) count=$OPTARG ;; s) seed=$OPTARG ;; l) min=$OPTARG ;; L) max=$OPTARG ;;
	k) keep=$OPTARG ;; h) usage; exit 0 ;; *) usage >&2; exit 2 ;;
	esac
done
for v in "$count" "$seed" "$min" "$max"; do
	case $v in ''|*[!0-9]*) echo "decoder-stats: '$v' is not a number" >&2; exit 2 ;; esac
done
[ "$min" -le "$max" ] || { echo "decoder-stats: MIN above MAX" >&2; exit 2; }
replay=${PTDIFF_REPLAY:-${PTDIFF_BUILD:-build/gcc}/fuzz/ptdiff-replay}
[ -x "$replay" ] || { echo "decoder-stats: $replay not built (set PTDIFF_BUILD)" >&2; exit 2; }
if [ -n "$keep" ]; then
	[ ! -e "$keep" ] || { echo "decoder-stats: '$keep' exists" >&2; exit 2; }
	mkdir -p "$keep"
	dir=$keep tmp=$(mktemp -d)
else
	tmp=$(mktemp -d)
	dir=$tmp/inputs
	mkdir "$dir"
fi
trap 'rm -rf "$tmp"' EXIT

# One line per input: its name and its bytes as octal escapes, which printf(1) writes out.
# x * 1664525 + 1013904223 stays below 2^53, so awk's doubles compute the LCG exactly.
awk -v n="$count" -v seed="$seed" -v min="$min" -v max="$max" '
function next_byte() { x = (x * 1664525 + 1013904223) % 4294967296; return int(x / 16777216) }
BEGIN {
	x = seed % 4294967296
	for (i = 0; i < n; i++) {
		len = min + (next_byte() * 256 + next_byte()) % (max - min + 1)
		s = ""
		for (j = 0; j < len; j++)
			s = s sprintf("\\%03o", next_byte())
		printf "r%05d %s\n", i, s
	}
}' | while read -r name bytes; do
	# shellcheck disable=SC2059 # the octal escapes are the format, on purpose
	printf "$bytes" >"$dir/$name"
done

"$replay" --quiet --stats "$dir" >"$tmp/stats" || {
	cat "$tmp/stats"; echo "decoder-stats: the replay failed" >&2; exit 1; }
cat "$tmp/stats"
awk '
/^op / { table = 1; next }
table && /^concurrent groups/ { table = 0 }
table { decoded[$1] = $2 + $3; total += $2 + $3; order[++k] = $1 }
/^inputs by the most cursors/ {
	for (i = 1; i <= NF; i++)
		if ($i ~ /^[0-9]+\+?:$/) { b = $i; sub(/:$/, "", b); by[b] = $(i + 1); all += $(i + 1) }
}
END {
	printf "decoded ops by kind (skipped + applied, %% of %d):\n", total
	for (i = 1; i <= k; i++)
		printf "  %-18s %7d %5.1f %%\n", order[i], decoded[order[i]], 100 * decoded[order[i]] / total
	two = by["2"] + by["3"] + by["4+"]
	printf "inputs with the most cursors live at once 0 / 1 / 2 / 3 / 4+: "
	printf "%.1f / %.1f / %.1f / %.1f / %.1f %%\n", 100 * by["0"] / all, 100 * by["1"] / all,
		100 * by["2"] / all, 100 * by["3"] / all, 100 * by["4+"] / all
	printf "inputs with 2 or more cursors live at once: %d of %d (%.1f %%)\n", two, all,
		100 * two / all
}' "$tmp/stats"
