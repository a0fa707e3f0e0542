#!/bin/sh
# asm_errors.sh ASM REPLAY: a text input whose Together holds an op that cannot be a member, or
# whose count runs past the end, is refused by ptdiff-asm (exit 1, no output file) and by
# ptdiff-replay (exit 2), each naming the file and line and saying why.
set -u
asm=$1 replay=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
refused() { # refused FILE.ops PATTERN
	"$asm" "$1" -o "$tmp/out" >"$tmp/log" 2>&1
	got=$?
	if [ $got -ne 1 ] || [ -e "$tmp/out" ] || ! grep -q "$2" "$tmp/log"; then
		echo "FAIL: ptdiff-asm $1 exited $got (want 1, no output), output:"; cat "$tmp/log"
		fail=1
	fi
	"$replay" "$1" >"$tmp/log" 2>&1
	got=$?
	if [ $got -ne 2 ] || ! grep -q "$2" "$tmp/log"; then
		echo "FAIL: ptdiff-replay $1 exited $got (want 2), output:"; cat "$tmp/log"
		fail=1
	fi
	rm -f "$tmp/out"
}
cat >"$tmp/non-member.ops" <<'OPS'
NewVmSpace
OpenCursorMut vs=#0 start=0x0 end=0x2000
Together ops=2 schedule=0x0
Query c=#0
FrameFromUnused paddr=0x1000
OPS
refused "$tmp/non-member.ops" \
	"non-member.ops:5: FrameFromUnused cannot be member 2 of the Together on line 3"
cat >"$tmp/past-end.ops" <<'OPS'
NewVmSpace
Together ops=3 schedule=0x0
OpenCursor vs=#0 start=0x0 end=0x1000
OPS
refused "$tmp/past-end.ops" "past-end.ops:2: this Together has ops=3 but the text ends after 1"
# The same group written correctly assembles, and prints back with its count in decimal.
cat >"$tmp/good.ops" <<'OPS'
NewVmSpace
Together ops=0x2 schedule=0x0
OpenCursor vs=#0 start=0x0 end=0x1000
OpenCursor vs=#0 start=0x200000 end=0x201000
OPS
if ! "$asm" "$tmp/good.ops" -o "$tmp/good" ||
	! "$replay" --print "$tmp/good" | grep -qx "Together ops=2 schedule=0x0"; then
	echo "FAIL: a well-formed group was refused or printed otherwise"; fail=1
fi
[ $fail -eq 0 ] && echo "ok"
exit $fail
