#!/bin/sh
# build_options.sh SRC CC: the per-file compile options CMake gives (CMakeLists.txt,
# ptdiff_source_options()), read from compile_commands.json of builds configured here:
#  - a libFuzzer build with ASan compiles the observers (both view.c, state.c, contract.c,
#    invariants.c, diff.c) with -fno-sanitize=address, every other file without it, and the
#    planted core and oracle libraries get the options of the shipped ones;
#  - the oracle's store.c, in every library, has no comparison tracing;
#  - a build without an engine, or with UBSan only, compiles nothing with -fno-sanitize=address.
set -u
src=$1 cc=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

# file<TAB>1 if the file's command has the flag, else 0, one line per compile command.
flag_by_file() { # flag_by_file BUILD FLAG
	awk -v flag="$2" '/"command":/ { has = index($0, flag) > 0 }
		/"file":/ { f = $0; sub(/.*"file": *"/, "", f); sub(/".*/, "", f); print f "\t" has }' \
		"$1/compile_commands.json"
}
configure() { # configure NAME CMAKE-ARGS...
	dir=$tmp/$1; shift
	cmake -S "$src" -B "$dir" -DCMAKE_C_COMPILER="$cc" -DPTDIFF_TESTS=OFF "$@" >"$dir.log" 2>&1 ||
		{ echo "FAIL: configure $*"; cat "$dir.log"; exit 1; }
}

configure lf -DPTDIFF_ENGINE=libfuzzer -DPTDIFF_SANITIZE=address,undefined \
	-DPTDIFF_PLANTED_FUZZERS=ON
flag_by_file "$tmp/lf" -fno-sanitize=address >"$tmp/lf.asan"
observers='core/view.c oracle/view.c fuzz/run/state.c fuzz/check/contract.c fuzz/check/invariants.c fuzz/check/diff.c'
for f in $observers; do
	n=$(grep -c "/$f	1$" "$tmp/lf.asan")
	[ "$n" -ge 1 ] && ! grep -q "/$f	0$" "$tmp/lf.asan" ||
		{ echo "FAIL: $f not compiled without ASan in every library of the libFuzzer build"; fail=1; }
done
for f in core/view.c oracle/view.c; do
	[ "$(grep -c "/$f	1$" "$tmp/lf.asan")" -gt 1 ] ||
		{ echo "FAIL: no planted library compiles $f without ASan"; fail=1; }
done
others=$(grep "	1$" "$tmp/lf.asan" | cut -f1 | sed "s|^$src/||" | sort -u |
	grep -vxF "$(echo $observers | tr ' ' '\n')")
[ -z "$others" ] || { echo "FAIL: not observers, yet without ASan: $others"; fail=1; }
flag_by_file "$tmp/lf" -fno-sanitize-coverage=trace-cmp | grep "/oracle/store.c	" >"$tmp/store"
[ "$(wc -l <"$tmp/store")" -gt 1 ] && ! grep -q "	0$" "$tmp/store" ||
	{ echo "FAIL: oracle/store.c keeps comparison tracing in some library"; fail=1; }

configure none -DPTDIFF_ENGINE=none -DPTDIFF_SANITIZE=address,undefined
configure ubsan -DPTDIFF_ENGINE=libfuzzer -DPTDIFF_SANITIZE=undefined
for b in none ubsan; do
	! flag_by_file "$tmp/$b" -fno-sanitize=address | grep -q "	1$" ||
		{ echo "FAIL: the $b build compiles some file without ASan"; fail=1; }
done
[ $fail = 0 ] && echo "ok: observers without ASan in the libFuzzer ASan build only, planted libraries alike"
exit $fail
