#!/bin/sh
# seeds_match.sh ASM SEEDS_DIR: every seed's text form assembles to exactly its bytes, and
# every byte seed has a text form.
set -u
asm=$1 dir=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for ops in "$dir"/ops/*.ops; do
	name=$(basename "$ops" .ops)
	n=$((n + 1))
	"$asm" "$ops" -o "$tmp/$name" || { fail=1; continue; }
	if ! cmp -s "$tmp/$name" "$dir/bin/$name"; then
		echo "FAIL: $dir/bin/$name differs from the assembly of $ops"; fail=1
	fi
done
for bin in "$dir"/bin/*; do
	[ -f "$dir/ops/$(basename "$bin").ops" ] || { echo "FAIL: $bin has no text form"; fail=1; }
done
[ $n -gt 0 ] || { echo "FAIL: no seeds in $dir/ops"; exit 1; }
[ $fail -eq 0 ] && echo "ok: $n seeds match"
exit $fail
