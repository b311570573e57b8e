#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of cocci/vm_flags.cocci, the semantic patch that turns direct
# vma->vm_flags writes into the vm_flags modifiers, and of
# scripts/cocci-module.sh. Fixtures are in cocci/tests/ (Coccinelle's
# convention): NAME.c is the input, NAME.res the expected patch-mode output,
# NAME.report the expected report-mode lines.
#
#  - patch mode turns every NAME.c into NAME.res (one test each);
#  - rerunning on every NAME.res changes nothing (idempotence);
#  - report mode prints the lines of NAME.report for NAME.c;
#  - report mode flags exactly the writes patch mode rewrites, org mode the
#    same positions, context mode marks the same lines;
#  - scripts/cocci-module.sh prints an applicable patch for a module
#    directory, a sorted report, and rejects bad arguments.
#
# spatch runs at nice 19, one process at a time, each over a whole
# directory (--dir: files are independent, one start-up cost). SPATCH=PROG
# and COCCI=FILE test another spatch or semantic patch.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
cocci=${COCCI:-$top/cocci/vm_flags.cocci}
export COCCI=$cocci # for scripts/cocci-module.sh
fx=$top/cocci/tests
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/tap.sh"

SPATCH=${SPATCH:-spatch}
if ! command -v "$SPATCH" >/dev/null 2>&1; then
	echo "spatch not found (scripts/deps.sh installs coccinelle)" >"$tmp/nospatch.log"
	result 1 "spatch is installed" "$tmp/nospatch.log"
	tap_done
	exit
fi

# The options make coccicheck would pass: the "// Options:" line.
read -r -a opts <<<"$(sed -n 's|^// *Options: *||p' "$cocci" | head -n 1)"

# cocci MODE DIR OUT [ARGS...]: run the semantic patch over DIR (from DIR,
# so paths print relative to it); stdout to OUT, stderr to OUT.err.
cocci() {
	local mode=$1 dir=$2 out=$3
	shift 3
	(cd "$dir" && nice -n 19 "$SPATCH" --very-quiet --sp-file "$cocci" -D "$mode" \
		"${opts[@]}" --jobs 1 --dir . "$@") >"$out" 2>"$out.err"
}

# spatch_ok OUT RC: spatch exited 0 and printed no semantic-patch error.
spatch_ok() {
	if [ "$2" != 0 ] || grep -Eq '^(Fatal error|EXN|Exception|.*: parse error|meta: |minus: |plus: )' "$1.err"; then
		{ echo "spatch exit status $2"; cat "$1.err"; } >>"$1"
		return 1
	fi
}

# report_lines FILE: "NAME.c:LINE" of each report-mode line (sorted, unique).
report_lines() {
	sed -n 's|^\(\./\)\{0,1\}\([^:]*\):\([0-9][0-9]*\):.*|\2:\3|p' "$1" | LC_ALL=C sort -u
}

# removed_lines C RES: "NAME.c:LINE" of each line of C that mentions vm_flags
# and is not in RES unchanged (what patch mode rewrote).
removed_lines() {
	local name
	name=$(basename "$1")
	diff --old-line-format="%dn%c'\012'" --new-line-format= --unchanged-line-format= \
		"$1" "$2" | while read -r l; do
		sed -n "${l}p" "$1" | grep -q vm_flags && echo "$name:$l"
	done | LC_ALL=C sort -u
}

names=()
for res in "$fx"/*.res; do
	[ -e "$res" ] || continue
	names+=("$(basename "$res" .res)")
done
if [ ${#names[@]} -eq 0 ]; then
	echo "no fixtures in $fx" >"$tmp/none.log"
	result 1 "fixtures exist" "$tmp/none.log"
fi

# --- patch mode: NAME.c -> NAME.res -----------------------------------------
mkdir -p "$tmp/patch"
for name in "${names[@]}"; do
	cp "$fx/$name.c" "$tmp/patch/$name.c"
done
out=$tmp/patch.out
cocci patch "$tmp/patch" "$out" --in-place
rc=$?
spatch_ok "$out" $rc
run_ok=$?
for name in "${names[@]}"; do
	log=$tmp/patch-$name.log
	st=0
	if [ $run_ok != 0 ]; then
		cp "$out" "$log"
		st=1
	elif ! diff -u "$fx/$name.res" "$tmp/patch/$name.c" >"$log" 2>&1; then
		st=1
	fi
	result $st "patch mode: $name.c gives $name.res" "$log"
done

# --- idempotence: rerunning on NAME.res changes nothing --------------------
mkdir -p "$tmp/idem"
for name in "${names[@]}"; do
	cp "$fx/$name.res" "$tmp/idem/$name.c"
done
out=$tmp/idem.out
cocci patch "$tmp/idem" "$out"
rc=$?
st=0
if spatch_ok "$out" $rc; then
	[ -s "$out" ] && st=1 # any diff is a change
else
	st=1
fi
result $st "rerunning on every .res (${#names[@]} files) proposes no change" "$out"

# --- report mode ------------------------------------------------------------
mkdir -p "$tmp/report"
cp "$fx"/*.c "$tmp/report/"
rep=$tmp/report.out
cocci report "$tmp/report" "$rep"
rc=$?
spatch_ok "$rep" $rc
rep_ok=$?
# one fixture per line of output, paths as NAME.c, sorted by line
sed 's|^\./||' "$rep" | LC_ALL=C sort -t: -k1,1 -k2,2n -k3,3n -s >"$rep.sorted"

for want in "$fx"/*.report; do
	[ -e "$want" ] || continue
	name=$(basename "$want" .report)
	log=$tmp/report-$name.log
	st=$rep_ok
	if [ $st = 0 ]; then
		grep "^$name\.c:" "$rep.sorted" >"$tmp/report-$name.got"
		diff -u "$want" "$tmp/report-$name.got" >"$log" 2>&1 || st=1
	else
		cp "$rep" "$log"
	fi
	result $st "report mode: $name.c gives $name.report" "$log"
done

# Report mode flags each direct write patch mode rewrites, and nothing else.
for name in "${names[@]}"; do
	log=$tmp/flags-$name.log
	st=$rep_ok
	removed_lines "$fx/$name.c" "$fx/$name.res" >"$tmp/flags-$name.want"
	grep "^$name\.c:" "$rep.sorted" >"$tmp/flags-$name.rep"
	report_lines "$tmp/flags-$name.rep" >"$tmp/flags-$name.got"
	if [ $st = 0 ]; then
		{
			echo "written lines (from $name.res) vs reported lines:"
			diff -u "$tmp/flags-$name.want" "$tmp/flags-$name.got"
		} >"$log" 2>&1 || st=1
	else
		cp "$rep" "$log"
	fi
	result $st "report mode flags each direct write in $name.c ($(wc -l <"$tmp/flags-$name.want") lines)" "$log"
done

# org mode: the same positions as report mode.
org=$tmp/org.out
cocci org "$tmp/report" "$org"
rc=$?
st=0
if spatch_ok "$org" $rc; then
	sed -n 's|.*view:\(\./\)\{0,1\}\([^:]*\)::face=[^:]*::linb=\([0-9]*\)::colb=\([0-9]*\)::cole=\([0-9]*\)\].*|\2:\3:\4-\5|p' "$org" |
		LC_ALL=C sort >"$org.pos"
	sed 's|^\./||' "$rep" | cut -d: -f1-3 | LC_ALL=C sort >"$rep.pos"
	{
		echo "org positions vs report positions:"
		diff -u "$rep.pos" "$org.pos"
	} >>"$org" 2>&1 || st=1
	[ -s "$rep.pos" ] || { echo "report mode printed nothing" >>"$org"; st=1; }
else
	st=1
fi
result $st "org mode gives a TODO at each report-mode position" "$org"

# context mode: the starred ("-") lines that mention vm_flags are the
# reported lines (a statement over several lines is starred whole).
ctx=$tmp/context.out
cocci context "$tmp/report" "$ctx"
rc=$?
st=0
if spatch_ok "$ctx" $rc; then
	awk '/^--- /{f=$2; sub(/^(a\/)?(\.\/)?/, "", f); next}
	     /^\+\+\+ /{next}
	     /^@@ /{split($2, a, ","); l=-a[1]; next}
	     /^-/{if ($0 ~ /vm_flags/) print f ":" l; l++; next}
	     /^ /{l++}' "$ctx" | LC_ALL=C sort -u >"$ctx.lines"
	report_lines "$rep" >"$rep.lines"
	{
		echo "context lines vs report lines:"
		diff -u "$rep.lines" "$ctx.lines"
	} >>"$ctx" 2>&1 || st=1
else
	st=1
fi
result $st "context mode marks each reported line" "$ctx"

# --- scripts/cocci-module.sh ------------------------------------------------
mod=$tmp/module
mkdir -p "$mod/sub"
cp "$fx/mmap.c" "$mod/"
cp "$fx/members.c" "$mod/sub/"
cp -a "$mod" "$tmp/module.orig"
out=$tmp/module-patch.out
"$top/scripts/cocci-module.sh" "$mod" >"$out" 2>"$out.err"
rc=$?
st=0
expect_rc "$out" $rc 0 || st=1
if [ $st = 0 ]; then
	diff -r "$tmp/module.orig" "$mod" >>"$out" 2>&1 || { echo "DIR was changed" >>"$out"; st=1; }
	(cd "$mod" && patch -p1 --quiet) <"$out" >>"$out.err" 2>&1 || { cat "$out.err" >>"$out"; st=1; }
	diff -u "$fx/mmap.res" "$mod/mmap.c" >>"$out" 2>&1 || st=1
	diff -u "$fx/members.res" "$mod/sub/members.c" >>"$out" 2>&1 || st=1
fi
result $st "cocci-module.sh prints a patch that turns a module's files into the .res" "$out"

out=$tmp/module-report.out
"$top/scripts/cocci-module.sh" --mode report "$tmp/module.orig" >"$out" 2>&1
rc=$?
st=0
expect_rc "$out" $rc 0 || st=1
if [ $st = 0 ]; then
	{
		grep "^mmap\.c:" "$rep.sorted"
		grep "^members\.c:" "$rep.sorted" | sed 's|^|sub/|'
	} >"$tmp/module-report.want"
	diff -u "$tmp/module-report.want" "$out" >"$tmp/module-report.diff" 2>&1 ||
		{ cat "$tmp/module-report.diff" >>"$out"; st=1; }
	[ -s "$tmp/module-report.want" ] || st=1
fi
result $st "cocci-module.sh --mode report prints the sorted report" "$out"

for bad in "--mode bogus $mod:unknown mode" "--frobnicate $mod:unknown option" \
	"$tmp/no-such-dir:not a directory" ":usage:" "$mod $mod:more than one DIR"; do
	args=${bad%%:*} want=${bad#*:}
	out=$tmp/module-bad.out
	# shellcheck disable=SC2086
	"$top/scripts/cocci-module.sh" $args >"$out" 2>&1
	rc=$?
	st=0
	expect_rc "$out" $rc 2 && expect_grep "$out" "$want" || st=1
	shown=${args//$tmp/TMP}
	result $st "cocci-module.sh ${shown:-(no argument)} fails with '$want'" "$out"
done

out=$tmp/module-nospatch.out
SPATCH=$tmp/no-such-spatch "$top/scripts/cocci-module.sh" "$mod" >"$out" 2>&1
rc=$?
st=0
expect_rc "$out" $rc 1 && expect_grep "$out" "not found: install Coccinelle" || st=1
result $st "cocci-module.sh without spatch fails with a clear error" "$out"

tap_done
