#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of scripts/check-patches.sh: a good format-patch passes; each kind
# of bad header, and a checkpatch.pl error, is caught and named.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
good=$here/fixtures/apply/patches/0001-mm-demo-make-demo_03-explicit.patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/tap.sh"

log=$tmp/good.log
"$top/scripts/check-patches.sh" "$good" >"$log" 2>&1
rc=$?
st=0
expect_rc "$log" $rc 0 && expect_grep "$log" "^ok - 0001-" || st=1
result $st "a good patch passes" "$log"

# variant NAME SED-SCRIPT EXPECTED-MESSAGE
variant() {
	local f=$tmp/$1.patch log=$tmp/$1.log rc st=0
	sed "$2" "$good" >"$f"
	"$top/scripts/check-patches.sh" "$f" >"$log" 2>&1
	rc=$?
	expect_rc "$log" $rc 1 && expect_grep "$log" "^not ok - $1.patch" &&
		expect_grep "$log" "$3" || st=1
	result $st "caught: $1" "$log"
}
variant no-signoff '/^Signed-off-by:/d' 'header: no "Signed-off-by'
variant bad-subject 's/^Subject: \[PATCH 1\/2\] mm\/demo: /Subject: [PATCH 1\/2] /' 'is not "area: summary"'
variant no-body '/^The fixture needs/d' 'header: no body explaining why'
variant no-mainline '/^Patch-mainline:/d' 'header: no Patch-mainline: tag'
variant mainline-no-commit 's/^Patch-mainline: .*/Patch-mainline: v6.4-rc1/' 'without "Git-commit: <sha>"'
variant not-format-patch '1d' 'not git format-patch output'
variant checkpatch-error 's/^+\treturn x + 3 + 0;/+        return x + 3 + 0; /' 'checkpatch: line .*(ERROR|WARNING)'

log=$tmp/missing.log
"$top/scripts/check-patches.sh" "$tmp/no-such.patch" >"$log" 2>&1
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "no such patch" || st=1
result $st "a missing file is an error, not a pass" "$log"

tap_done
