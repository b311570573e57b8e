#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the maple tree knobs' input checking: scripts/maple-test.sh and
# MAPLE_RCU (scripts/lib.sh) reject bad values with a clear message and a
# non-zero exit, before building anything. (The stage itself, with its
# negative control, runs in make check's "maple tree" stage.)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/tap.sh"

# bad NAME WANT-PATTERN CMD...: CMD must exit 1 and print WANT-PATTERN.
bad() {
	local name=$1 want=$2 log=$tmp/$n.log rc st=0
	shift 2
	"$@" >"$log" 2>&1
	rc=$?
	expect_rc "$log" $rc 1 && expect_grep "$log" "$want" || st=1
	result $st "rejected: $name" "$log"
}

bad "maple-test.sh with an unknown argument" "unknown argument '--bogus'" \
	"$top/scripts/maple-test.sh" --bogus
bad "MAPLE_SECONDS that is not a number" "MAPLE_SECONDS must be a number of seconds, not 'ten'" \
	env MAPLE_SECONDS=ten "$top/scripts/maple-test.sh"
bad "MAPLE_READERS that is not a number" "MAPLE_READERS must be a number, not '-1'" \
	env MAPLE_READERS=-1 "$top/scripts/maple-test.sh"
bad "MAPLE_RCU other than on/off" "MAPLE_RCU must be on or off, not 'maybe'" \
	env MAPLE_RCU=maybe CONFIG_ONLY=1 "$top/scripts/build.sh" x86_64
bad "maple-test.sh on a tree without the suite" "no kernel tree with lib/maple_tree.c" \
	env KSRC="$tmp" "$top/scripts/maple-test.sh"

tap_done
