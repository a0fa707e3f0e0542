#!/bin/sh
# Adds a crash file to the regression corpus: minimised op by op (ptdiff-minimize: fewer ops,
# simpler arguments, the same divergence signature), named by that signature's id (the
# signature and its XXH3 hash, fuzz/report/signature.h), with its text form and divergence report
# beside it.  A crash whose signature already has a regression is the same bug as far as the
# harness can tell: it is not added again (exit 0, says which file has it).  The build used is $PTDIFF_BUILD (default build/fuzz, the
# one tools/fuzz.sh makes), so run this while the divergence still reproduces; the regression
# test then guards the fix.
#   tools/add-regression.sh CRASH_FILE
# Writes corpus/regressions/bin/NAME and corpus/regressions/ops/NAME.ops; never overwrites.
set -eu
[ $# -ge 1 ] || { sed -n '2,8p' "$0"; exit 2; }
crash=$1
[ -f "$crash" ] || { echo "add-regression: cannot read '$crash'" >&2; exit 2; }
crash=$(cd "$(dirname "$crash")" && pwd)/$(basename "$crash")
cd "$(dirname "$0")/.."
build=${PTDIFF_BUILD:-build/fuzz}
if [ ! -x "$build/fuzz/ptdiff-minimize" ] || [ ! -x "$build/fuzz/ptdiff-replay" ]; then
	tools/deps.sh
	[ -f "$build/CMakeCache.txt" ] ||
		cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DPTDIFF_ENGINE=libfuzzer \
			-DPTDIFF_SANITIZE=address,undefined -DPTDIFF_TESTS=OFF >/dev/null
	cmake --build "$build" --target ptdiff-minimize ptdiff-replay -j"$(nproc)" >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

signature() { # the divergence signature ptdiff-replay reports for a file, or nothing
	"$build/fuzz/ptdiff-replay" --quiet "$1" 2>&1 |
		sed -n 's/^ASSERTION FAILURE: ptdiff //p' | head -1
}
sig=$(signature "$crash")
[ -n "$sig" ] || { echo "add-regression: '$crash' does not diverge with this build" >&2; exit 1; }
name=$("$build/fuzz/ptdiff-replay" --quiet --ids "$crash" 2>/dev/null | cut -d' ' -f1)
echo "signature: $sig (id $name)"
if [ -e "corpus/regressions/bin/$name" ]; then
	echo "add-regression: corpus/regressions/bin/$name already reproduces this signature;" \
		"not added again"
	exit 0
fi

best=$tmp/min
"$build/fuzz/ptdiff-minimize" "$crash" -o "$best" --ops "$tmp/min.ops" || exit 1

bin=corpus/regressions/bin/$name ops=corpus/regressions/ops/$name.ops
if [ -e "$bin" ] || [ -e "$ops" ]; then
	echo "add-regression: $bin already exists" >&2
	exit 1
fi
cp "$best" "$bin"
{
	echo "# Regression: ASSERTION FAILURE: ptdiff $sig"
	echo "# The divergence it reproduced when it was added:"
	"$build/fuzz/ptdiff-replay" --quiet "$best" 2>&1 | grep -v "^ptdiff-replay: " | sed 's/^/#   /'
	grep -v '^#' "$tmp/min.ops"
} >"$ops"
echo "added $bin and $ops"
