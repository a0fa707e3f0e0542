#!/bin/sh
# ignorelist_paths.sh LIST ROOT: every entry of the coverage ignore list (src:*/<path>) names a
# file under ROOT, or a system header (src:*/<name>.h) that a source file under ROOT includes
# as <name.h>.  Compilers match the entries silently, so a renamed file, or a header no longer
# used, would otherwise go unnoticed (and a renamed file give its coverage back to the fuzzer).
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
	[ -f "$root/$path" ] && continue
	case $path in
	*/* | *[!A-Za-z0-9_.-]* | '') ;;
	*.h)
		grep -rqsF --include='*.c' --include='*.h' "#include <$path>" \
			"$root/core" "$root/oracle" "$root/fuzz" "$root/include" && continue
		echo "FAIL: $path (in $list) is not a file, nor a header the sources include"
		fail=1
		continue
		;;
	esac
	echo "FAIL: $path (in $list) is not a file"
	fail=1
done <"$list"
[ "$n" -gt 0 ] || { echo "FAIL: no entries in $list"; fail=1; }
[ $fail = 0 ] && echo "ok: $n entries, every one a file or an included header"
exit $fail
