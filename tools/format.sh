#!/bin/sh
# Formats the C sources with clang-format-14 and the repository's .clang-format (kernel style,
# tabs, 100 columns).  The version is pinned: another clang-format may break lines differently.
#   tools/format.sh [--check] [FILE...]
#   (default)  rewrite, in place, every file that is not formatted, and name each one
#   --check    change nothing: list the files that would change, exit 1 if there is any
# FILE... (relative to the current folder) or, by default, every *.c and *.h file git tracks
# (outside a git checkout: every *.c and *.h under the source folders).
# Exit: 0 nothing (left) to change; 1 --check found files to change, or clang-format failed;
# 2 bad usage, or clang-format-14 missing and not installable (tools/deps.sh format).
set -eu
check=0
for arg in "$@"; do
	case $arg in
	--check) check=1 ;;
	-h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "tools/format.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
	esac
done
here=$(pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/deps.sh" format || exit 2
cf=clang-format-14
command -v $cf >/dev/null 2>&1 || { echo "tools/format.sh: $cf not found" >&2; exit 2; }

list=$(mktemp)
trap 'rm -f "$list" "$list.out"' EXIT
nfiles=0
for arg in "$@"; do
	case $arg in -*) continue ;; esac
	case $arg in /*) f=$arg ;; *) f=$here/$arg ;; esac
	[ -f "$f" ] || { echo "tools/format.sh: no file '$arg'" >&2; exit 2; }
	printf '%s\n' "$f" >>"$list"
	nfiles=$((nfiles + 1))
done
if [ $nfiles -eq 0 ]; then
	cd "$root"
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -- '*.c' '*.h'
	else
		find bench core fuzz include oracle tests -name '*.[ch]' | LC_ALL=C sort
	fi | awk -v root="$root" '{ print root "/" $0 }' >"$list"
fi

# The repository's .clang-format for every file, wherever it is (clang-format 14: file:PATH).
changed=0
while IFS= read -r f; do
	if ! $cf --style="file:$root/.clang-format" "$f" >"$list.out"; then
		echo "tools/format.sh: $cf failed on $f" >&2
		exit 1
	fi
	cmp -s "$f" "$list.out" && continue
	changed=$((changed + 1))
	name=${f#"$root"/}
	if [ $check = 1 ]; then
		echo "$name"
	else
		cat "$list.out" >"$f" # keeps the file's mode and links
		echo "formatted $name"
	fi
done <"$list"
if [ $check = 1 ] && [ $changed -gt 0 ]; then
	echo "tools/format.sh: $changed file(s) not formatted (tools/format.sh rewrites them)" >&2
	exit 1
fi
exit 0
