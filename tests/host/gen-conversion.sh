#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of scripts/gen-conversion.sh on copies of the series: a committed
# conversion patch that is not what the script generates fails --check and
# is named; a series without the generated patch is "nothing to check" for
# --check and an error otherwise; bad arguments are refused. (The real
# series is checked by make check's conversion stage; the generation is
# cached by input hash, so this costs one generation on a cold machine.)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
gen=$top/scripts/gen-conversion.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/tap.sh"
GEN=$(grep -E "^[0-9]+-$(sed -n 's/^GEN_NAME=//p' "$gen")" "$top/series")

log=$tmp/badarg.log
"$gen" --frobnicate >"$log" 2>&1
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "unknown argument '--frobnicate'" || st=1
result $st "an unknown argument is refused" "$log"

# A copy of the series whose generated patch has one hunk line changed.
mkdir -p "$tmp/stale/patches"
cp "$top/series" "$tmp/stale/series"
cp "$top"/patches/*.patch "$tmp/stale/patches/"
sed -i '0,/^+.*vm_flags_set(/s//+\tvm_flags_reset(/' "$tmp/stale/patches/$GEN"
log=$tmp/stale.log
st=0
if cmp -s "$top/patches/$GEN" "$tmp/stale/patches/$GEN"; then
	echo "the fixture did not change the patch" >"$log"
	st=1
else
	cp "$tmp/stale/patches/$GEN" "$tmp/stale.before"
	SERIES=$tmp/stale/series "$gen" --check >"$log" 2>&1
	rc=$?
	expect_rc "$log" $rc 1 && expect_grep "$log" "$GEN differs from what" &&
		expect_grep "$log" "^-\+.*vm_flags_reset\(" || st=1
	cmp -s "$tmp/stale.before" "$tmp/stale/patches/$GEN" ||
		{ echo "--check changed the committed patch" >>"$log"; st=1; }
fi
result $st "--check fails on a hand-edited conversion patch and shows the line" "$log"

# The same series without the generated patch.
mkdir -p "$tmp/none"
ln -s "$tmp/stale/patches" "$tmp/none/patches"
grep -v "^$GEN" "$top/series" >"$tmp/none/series"
log=$tmp/none-check.log
SERIES=$tmp/none/series "$gen" --check >"$log" 2>&1
rc=$?
st=0
expect_rc "$log" $rc 0 && expect_grep "$log" "nothing to check" || st=1
result $st "--check on a series without the conversion patch: nothing to check" "$log"

log=$tmp/none-gen.log
SERIES=$tmp/none/series "$gen" >"$log" 2>&1
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "is in .*series" || st=1
result $st "generating for a series without the conversion patch is an error" "$log"

tap_done
