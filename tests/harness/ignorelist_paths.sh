#!/bin/sh
# ignorelist_paths.sh LIST ROOT: every entry of the coverage ignore list (src:*/<path>) names a
# file under ROOT.  Compilers match the entries silently, so a renamed file would otherwise
# give its coverage back to the fuzzer without a word.
set -u
list=$1 root=$2
fail=0 n=0
while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	case $line in
	'src:*/'*) path=${line#src:\*/} ;;
	*) echo "FAIL: '$line' is not of the form src:*/<path>"; fail=1; continue ;;
	esac
	n=$((n + 1))
	[ -f "$root/$path" ] || { echo "FAIL: $path (in $list) is not a file"; fail=1; }
done <"$list"
[ "$n" -gt 0 ] || { echo "FAIL: no entries in $list"; fail=1; }
[ $fail = 0 ] && echo "ok: $n entries, every one a file"
exit $fail
