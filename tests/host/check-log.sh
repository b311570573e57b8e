#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of scripts/check-log.py, the judge of guest consoles: a clean run
# passes; every kind of kernel report, a failed test, a missing result, a
# hung or crashed guest each fail it; words in test output do not.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
fx=$here/fixtures/logs
pass=$fx/pass.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/tap.sh"

judge() { # LOG OUT: run the judge, return its status
	"$top/scripts/check-log.py" "$1" >"$2" 2>&1
}

out=$tmp/pass.out
judge "$pass" "$out"
rc=$?
st=0
expect_rc "$out" $rc 0 && expect_grep "$out" ": [1-9][0-9]* passed, 0 failed, [0-9]+ skipped; kernel reports: 0$" || st=1
result $st "a clean console passes" "$out"

# insert SNIPPET: the pass log with SNIPPET's lines in the middle of the run
insert() {
	awk -v f="$1" '{ print } /^ok 2 / { while ((getline l < f) > 0) print l }' "$pass"
}
for kind in lockdep:lockdep kasan:KASAN rcu-stall:"RCU stall" warning:WARNING \
	    oops:BUG atomic-sleep:"atomic sleep" hung-task:"hung task" rcu-suspicious:lockdep; do
	snip=${kind%%:*} want=${kind#*:}
	insert "$fx/$snip.txt" >"$tmp/$snip.log"
	out=$tmp/$snip.out
	judge "$tmp/$snip.log" "$out"
	rc=$?
	st=0
	expect_rc "$out" $rc 1 && expect_grep "$out" "FAIL: kernel report: $want" || st=1
	result $st "a $snip report fails the run" "$out"
done

insert "$fx/benign.txt" >"$tmp/benign.log"
out=$tmp/benign.out
judge "$tmp/benign.log" "$out"
rc=$?
st=0
expect_rc "$out" $rc 0 || st=1
result $st "report-like words in test output do not fail the run" "$out"

# variant NAME SED WANT: the pass log changed by SED must fail with WANT
variant() {
	sed "$2" "$pass" >"$tmp/$1.log"
	local out=$tmp/$1.out rc st=0
	judge "$tmp/$1.log" "$out"
	rc=$?
	expect_rc "$out" $rc 1 && expect_grep "$out" "$3" || st=1
	result $st "$1 fails the run" "$out"
}
variant "a failed test" 's/^ok 2 \(.*\)/not ok 2 \1/' "FAIL: test 2 .* failed"
variant "a missing result" '/^ok 3 /d' "planned results missing"
variant "a guest that stops early" '/^# pervma-guest: done/,$d' "never reached its end marker"
variant "a guest that never reaches init" '/^KTAP version/,$d' "printed no KTAP plan"

out=$tmp/usage.out
"$top/scripts/check-log.py" >"$out" 2>&1
rc=$?
st=0
expect_rc "$out" $rc 2 && expect_grep "$out" "usage:" || st=1
result $st "no argument: usage message, exit 2" "$out"
"$top/scripts/check-log.py" "$tmp/no-such.log" >"$out" 2>&1
rc=$?
st=0
expect_rc "$out" $rc 2 && expect_grep "$out" "cannot read" || st=1
result $st "a missing log: clear message, exit 2" "$out"

tap_done
