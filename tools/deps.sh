#!/bin/sh
# Installs the Debian packages ptdiff needs, if any is missing.
#   tools/deps.sh [afl] [coverage] [oss-fuzz] [format]
#   afl        also AFL++ (afl-clang-fast)
#   coverage   also llvm-14 (llvm-profdata-14, llvm-cov-14) for tools/coverage.sh
#   oss-fuzz   also zip, unzip and AFL++ for tools/oss-fuzz-check.sh
#   format     also clang-format-14 for tools/format.sh
set -eu
need="cmake make gcc clang libclang-rt-14-dev libxxhash-dev"
for extra in "$@"; do
	case $extra in
	afl) need="$need afl++" ;;
	coverage) need="$need llvm-14" ;;
	oss-fuzz) need="$need zip unzip afl++" ;;
	format) need="$need clang-format-14" ;;
	*) echo "tools/deps.sh: unknown argument '$extra' (expected afl, coverage, oss-fuzz or" \
		"format)" >&2
	   exit 2 ;;
	esac
done
missing=""
for p in $need; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "ptdiff: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "ptdiff: need root to install:$missing" >&2; exit 1; }
	SUDO=sudo
else
	SUDO=
fi
$SUDO apt-get update -q >/dev/null
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing >/dev/null
