#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of scripts/kmod.sh, which builds the test modules (tests/kmod)
# against a kernel build: bad arguments are refused with a message and a
# non-zero exit before anything is built. (Building the modules is what the
# guest stages and make check's "a module that is not GPL-licensed links"
# stage do.)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/tap.sh"

# kmod LOG ARGS...: run kmod.sh, return its exit status
kmod() {
	local log=$1
	shift
	"$top/scripts/kmod.sh" "$@" >"$log" 2>&1
}

log=$tmp/noargs.log
kmod "$log"
rc=$?
st=0
expect_rc "$log" $rc 2 && expect_grep "$log" "usage: scripts/kmod.sh ARCH BUILD_DIR" || st=1
result $st "kmod.sh without arguments prints its usage and exits 2" "$log"

log=$tmp/arch.log
kmod "$log" sparc "$tmp"
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "unknown ARCH 'sparc'" || st=1
result $st "kmod.sh refuses an unknown ARCH" "$log"

log=$tmp/nobuild.log
kmod "$log" x86_64 "$tmp/none"
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "no kernel build in '$tmp/none'" || st=1
result $st "kmod.sh refuses a directory with no kernel build" "$log"

mkdir -p "$tmp/nomod"
echo '# CONFIG_MODULES is not set' >"$tmp/nomod/.config"
log=$tmp/nomod.log
kmod "$log" x86_64 "$tmp/nomod"
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "has no CONFIG_MODULES" || st=1
result $st "kmod.sh refuses a kernel built without modules" "$log"

mkdir -p "$tmp/mod"
echo 'CONFIG_MODULES=y' >"$tmp/mod/.config"
touch "$tmp/mod/Module.symvers" "$tmp/mod/Makefile"
log=$tmp/name.log
kmod "$log" x86_64 "$tmp/mod" pervma_nonsense
rc=$?
st=0
expect_rc "$log" $rc 2 && expect_grep "$log" "unknown module 'pervma_nonsense'" || st=1
[ -e "$tmp/mod/kmod" ] && { echo "it made $tmp/mod/kmod" >>"$log"; st=1; }
result $st "kmod.sh refuses an unknown module name and builds nothing" "$log"

tap_done
