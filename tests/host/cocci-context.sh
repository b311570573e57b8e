#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of cocci/vma_lock_context.cocci, the semantic patch that reports
# vm_flags writes made where the mmap_lock is not held for write, and of
# scripts/audit-vma-lock.sh, the whole-tree audit built on it.
# Fixtures: cocci/tests/context/NAME.c with its expected report-mode lines
# in NAME.report; cocci/tests/audit/, a miniature kernel tree, with the
# audit's expected output in expected*.report and expected.helpers.
#
#  - report mode prints exactly the lines of NAME.report for NAME.c (an
#    empty NAME.report: nothing to report);
#  - org mode gives the same messages at the same positions;
#  - context mode stars exactly the lines of the reported calls and writes;
#  - the audit prints expected.report (one line per site, from a plain
#    directory: grep), expected-all.report (--all, from a git checkout: git
#    grep), expected.helpers (--helpers), and expected-arches.report with
#    --arches all (arch/sparc's fault handler too; tools/ is never read);
#  - the audit rejects bad arguments, and fails clearly without spatch.
#
# spatch runs at nice 19, one process (--jobs 1) per run. SPATCH=PROG and
# COCCI=FILE test another spatch or semantic patch.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
cocci=${COCCI:-$top/cocci/vma_lock_context.cocci}
export COCCI=$cocci # for scripts/audit-vma-lock.sh
fx=$top/cocci/tests/context
atree=$top/cocci/tests/audit
audit=$top/scripts/audit-vma-lock.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/tap.sh"

SPATCH=${SPATCH:-spatch}
export SPATCH
if ! command -v "$SPATCH" >/dev/null 2>&1; then
	echo "spatch not found (scripts/deps.sh installs coccinelle)" >"$tmp/nospatch.log"
	result 1 "spatch is installed" "$tmp/nospatch.log"
	tap_done
	exit
fi

# The options make coccicheck would pass: the "// Options:" line.
read -r -a opts <<<"$(sed -n 's|^// *Options: *||p' "$cocci" | head -n 1)"

# cocci MODE DIR OUT: run the semantic patch over DIR (from DIR, so paths
# print relative to it); stdout to OUT, stderr to OUT.err.
cocci() {
	(cd "$2" && nice -n 19 "$SPATCH" --very-quiet --sp-file "$cocci" -D "$1" \
		"${opts[@]}" --jobs 1 --dir .) >"$3" 2>"$3.err"
}

# spatch_ok OUT RC: spatch exited 0 and printed no semantic-patch error.
spatch_ok() {
	if [ "$2" != 0 ] || grep -Eq '^(Fatal error|EXN|Exception|.*: parse error|meta: |minus: |plus: |Python error)' "$1.err"; then
		{ echo "spatch exit status $2"; cat "$1.err"; } >>"$1"
		return 1
	fi
}

# sorted: by file, then line and column, paths without "./".
sorted() {
	sed 's|^\./||' | LC_ALL=C sort -t: -k1,1 -k2,2n -k3,3n -s
}

names=()
for c in "$fx"/*.c; do
	[ -e "$c" ] || continue
	names+=("$(basename "$c" .c)")
done
st=0
: >"$tmp/fixtures.log"
[ ${#names[@]} -gt 0 ] || { echo "no fixtures in $fx" >>"$tmp/fixtures.log"; st=1; }
for name in "${names[@]}"; do
	[ -e "$fx/$name.report" ] || { echo "$name.c has no $name.report" >>"$tmp/fixtures.log"; st=1; }
done
result $st "every fixture has its expected report (${#names[@]} fixtures)" "$tmp/fixtures.log"

mkdir -p "$tmp/src"
cp "$fx"/*.c "$tmp/src/"

# --- report mode --------------------------------------------------------------
rep=$tmp/report.out
cocci report "$tmp/src" "$rep"
rc=$?
spatch_ok "$rep" $rc
rep_ok=$?
sorted <"$rep" >"$rep.sorted"
for name in "${names[@]}"; do
	log=$tmp/report-$name.log
	st=$rep_ok
	if [ $st = 0 ]; then
		grep "^$name\.c:" "$rep.sorted" >"$tmp/report-$name.got"
		diff -u "$fx/$name.report" "$tmp/report-$name.got" >"$log" 2>&1 || st=1
	else
		cp "$rep" "$log"
	fi
	result $st "report mode: $name.c gives $name.report ($(wc -l <"$fx/$name.report") lines)" "$log"
done

# --- org mode: the same messages at the same positions -----------------------
org=$tmp/org.out
cocci org "$tmp/src" "$org"
rc=$?
st=0
if spatch_ok "$org" $rc; then
	sed -n 's|^\* TODO \[\[view:\(\./\)\{0,1\}\([^:]*\)::face=[^:]*::linb=\([0-9]*\)::colb=\([0-9]*\)::cole=\([0-9]*\)\]\[\(.*\)\]\]$|\2:\3:\4-\5: \6|p' "$org" |
		sorted >"$org.lines"
	{
		echo "report lines vs org TODOs:"
		diff -u "$rep.sorted" "$org.lines"
	} >>"$org" 2>&1 || st=1
	[ -s "$org.lines" ] || { echo "org mode printed nothing" >>"$org"; st=1; }
else
	st=1
fi
result $st "org mode gives each report-mode message at its position" "$org"

# --- context mode: the starred lines are those of the reported calls -------
# The lines a report covers: from its line and column to where the call's
# parentheses close (or, for a write, to the end of the assignment).
spans() {
	local f l c rest
	while IFS=: read -r f l c rest; do
		awk -v l="$l" -v c="${c%%-*}" -v f="$f" '
			NR < l { next }
			{
				s = (NR == l) ? substr($0, c + 1) : $0
				for (i = 1; i <= length(s); i++) {
					ch = substr(s, i, 1)
					if (ch == "(") { d++; open = 1 }
					else if (ch == ")") { d--; if (d < 0 || (open && d == 0)) { print f ":" NR; exit } }
					else if (d == 0 && (ch == ";" || ch == ",")) { print f ":" NR; exit }
				}
				print f ":" NR
			}' "$tmp/src/$f"
	done <"$1" | LC_ALL=C sort -u
}
ctx=$tmp/context.out
cocci context "$tmp/src" "$ctx"
rc=$?
st=0
if spatch_ok "$ctx" $rc; then
	awk '/^--- /{f=$2; sub(/^(a\/)?(\.\/)?/, "", f); next}
	     /^\+\+\+ /{next}
	     /^@@ /{split($2, a, ","); l=-a[1]; next}
	     /^-/{print f ":" l; l++; next}
	     /^ /{l++}' "$ctx" | LC_ALL=C sort -u >"$ctx.lines"
	spans "$rep.sorted" >"$ctx.want"
	{
		echo "lines of the reported calls vs starred lines:"
		diff -u "$ctx.want" "$ctx.lines"
	} >>"$ctx" 2>&1 || st=1
	[ -s "$ctx.want" ] || { echo "nothing reported" >>"$ctx"; st=1; }
else
	st=1
fi
result $st "context mode stars exactly the lines of the reported calls and writes" "$ctx"

# --- the whole-tree audit on the miniature tree -----------------------------
# audit_run NAME DIR ARGS...: the audit over DIR; stdout to $tmp/NAME.out.
audit_run() {
	local name=$1 dir=$2
	shift 2
	nice -n 19 "$audit" --jobs 1 "$@" "$dir" >"$tmp/$name.out" 2>"$tmp/$name.err"
}

# audit_check NAME RC WANT DESC: exit status 0 and stdout exactly WANT.
audit_check() {
	local log=$tmp/$1.log st=0
	if [ "$2" != 0 ]; then
		{ echo "exit status $2"; cat "$tmp/$1.err"; } >"$log"
		st=1
	else
		diff -u "$3" "$tmp/$1.out" >"$log" 2>&1 || st=1
		[ -s "$3" ] || { echo "empty expectation $3" >>"$log"; st=1; }
	fi
	result $st "$4" "$log"
}

cp -a "$atree" "$tmp/tree"
audit_run plain "$tmp/tree" --work "$tmp/work"
audit_check plain $? "$atree/expected.report" "audit: one line per site (grep over a plain directory)"

audit_run helpers "$tmp/tree" --work "$tmp/work" --reuse --helpers
audit_check helpers $? "$atree/expected.helpers" "audit --reuse --helpers: the functions of mm/, arch/*/mm and headers that reach a modifier"

audit_run reuse-all "$tmp/tree" --work "$tmp/work" --reuse --all --arches all
rc=$?
st=0
expect_rc "$tmp/reuse-all.out" $rc 1 && expect_grep "$tmp/reuse-all.err" "no complete run with these settings" || st=1
cat "$tmp/reuse-all.err" >>"$tmp/reuse-all.out"
result $st "audit --reuse refuses facts made with other settings" "$tmp/reuse-all.out"

cp -a "$atree" "$tmp/gtree"
(cd "$tmp/gtree" && git init -q && git add -A . &&
	git -c user.name=t -c user.email=t@localhost commit -qm tree) >"$tmp/git.log" 2>&1
audit_run all "$tmp/gtree" --all
audit_check all $? "$atree/expected-all.report" "audit --all: one line per site and context (git grep over a git checkout)"

audit_run arches "$tmp/gtree" --arches all
audit_check arches $? "$atree/expected-arches.report" "audit --arches all: arch/sparc's fault handler too, never tools/"

# --- bad arguments -------------------------------------------------------------
for bad in "--frobnicate $tmp/tree:unknown option" "$tmp/no-such-dir:not a directory" \
	"$tmp/tree $tmp/tree:more than one TREE" "$fx:not a kernel tree" \
	"--jobs x $tmp/tree:--jobs wants a number" "--arches x86,,arm64 $tmp/tree:--arches wants" \
	"--arches nosuch $tmp/tree:no arch/nosuch" "-o:needs a file name" \
	"--work:needs a directory" "--reuse $tmp/tree:--reuse needs --work"; do
	args=${bad%%:*} want=${bad#*:}
	out=$tmp/audit-bad.out
	# shellcheck disable=SC2086
	"$audit" $args >"$out" 2>&1
	rc=$?
	st=0
	expect_rc "$out" $rc 2 && expect_grep "$out" "$want" || st=1
	shown=${args//$tmp/TMP}
	shown=${shown//$top/TOP}
	result $st "audit-vma-lock.sh $shown fails with '$want'" "$out"
done

out=$tmp/audit-nospatch.out
SPATCH=$tmp/no-such-spatch "$audit" "$tmp/tree" >"$out" 2>&1
rc=$?
st=0
expect_rc "$out" $rc 1 && expect_grep "$out" "not found: install Coccinelle" || st=1
result $st "audit-vma-lock.sh without spatch fails with a clear error" "$out"

tap_done
