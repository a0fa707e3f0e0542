#!/bin/sh
# Installs the Debian packages ptdiff needs, if any is missing.  Usage: tools/deps.sh [afl]
set -eu
need="cmake make gcc clang libclang-rt-14-dev libxxhash-dev"
[ "${1:-}" = afl ] && need="$need afl++"
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
