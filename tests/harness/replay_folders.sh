#!/bin/sh
# replay_folders.sh REPLAY SEEDS: ptdiff-replay given a folder runs every file under it,
# sub-folders included, in name order, skipping names that start with '.', and reads FILE.ops
# as the text form; a folder without any file is an error (exit 2), not "0 inputs agreed".
set -u
replay=$1 seeds=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# The shipped seeds sit in bin/ and ops/ under SEEDS, none directly in it: every file is read,
# in the order of their paths.
find "$seeds" -type f ! -name '.*' | LC_ALL=C sort >"$tmp/want"
n=$(wc -l <"$tmp/want")
[ "$n" -gt 0 ] && grep -q '/bin/' "$tmp/want" && grep -q '/ops/.*\.ops$' "$tmp/want" ||
	bad "expected seeds in $seeds/bin and $seeds/ops, found $n files"
"$replay" "$seeds" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "replay $seeds exited $rc"; cat "$tmp/out"; }
grep -qx "ptdiff-replay: $n inputs, 0 divergences, 0 errors" "$tmp/out" ||
	{ bad "replay $seeds should read all $n files:"; tail -1 "$tmp/out"; }
sed -n 's/: agree$//p' "$tmp/out" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || { bad "files run, or their order, differ:"; diff "$tmp/want" "$tmp/got"; }

# AddressSanitizer notes once per process, with its pid, that it does not fully support the
# context switches concurrent groups use (their stacks are announced to it, core/scheduler.c).
asan_fiber_note="doesn't fully support makecontext/swapcontext"

# Each text seed, assembled by replay itself, is the same op stream as its bytes.
for ops in "$seeds"/ops/*.ops; do
	name=$(basename "$ops" .ops)
	"$replay" --print "$ops" 2>&1 | grep -v "$asan_fiber_note" | sed 1d >"$tmp/text"
	"$replay" --print "$seeds/bin/$name" 2>&1 | grep -v "$asan_fiber_note" | sed 1d >"$tmp/bytes"
	[ -s "$tmp/text" ] && cmp -s "$tmp/text" "$tmp/bytes" ||
		bad "$ops does not run as $seeds/bin/$name"
done

# Nested folders, dot-files and dot-folders, a link back up (not followed twice), a FIFO.
mkdir -p "$tmp/tree/a/b" "$tmp/tree/.git"
: >"$tmp/tree/z"
: >"$tmp/tree/a/1"
printf 'NewVmSpace\n' >"$tmp/tree/a/b/2.ops"
: >"$tmp/tree/.hidden"
: >"$tmp/tree/.git/x"
ln -s .. "$tmp/tree/a/up" 2>/dev/null
mkfifo "$tmp/tree/a/fifo" 2>/dev/null
"$replay" "$tmp/tree/" >"$tmp/out" 2>&1
rc=$?
printf '%s\n' "$tmp/tree/a/1: agree" "$tmp/tree/a/b/2.ops: agree" "$tmp/tree/z: agree" \
	"ptdiff-replay: 3 inputs, 0 divergences, 0 errors" >"$tmp/want"
[ $rc -eq 0 ] && cmp -s "$tmp/want" "$tmp/out" ||
	{ bad "tree: exited $rc, output:"; cat "$tmp/out"; }

# Nothing to run: an empty folder, or one with only dot-files and empty sub-folders.
mkdir -p "$tmp/empty" "$tmp/dots/sub/.deeper"
: >"$tmp/dots/.only"
: >"$tmp/dots/sub/.deeper/x"
for dir in "$tmp/empty" "$tmp/dots"; do
	"$replay" "$dir" >"$tmp/out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q "folder '$dir' holds no input" "$tmp/out" ||
		{ bad "$dir: exited $rc (want 2 with a message), output:"; cat "$tmp/out"; }
done
# ... and beside other inputs: those still run, and the exit status says something was wrong.
"$replay" "$tmp/tree" "$tmp/empty" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -qx "ptdiff-replay: 3 inputs, 0 divergences, 1 errors" "$tmp/out" ||
	{ bad "tree + empty: exited $rc (want 2), output:"; cat "$tmp/out"; }

# A text input that does not assemble is an unreadable input, named by file and line.
printf 'NewVmSpace\nBogus x\n' >"$tmp/bad.ops"
"$replay" "$tmp/bad.ops" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "$tmp/bad.ops:2: unknown op 'Bogus'" "$tmp/out" ||
	{ bad "bad.ops: exited $rc (want 2), output:"; cat "$tmp/out"; }

[ $fail -eq 0 ] && echo "ok: $n seeds, nested tree, empty folders, bad text"
exit $fail
