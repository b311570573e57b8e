#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of scripts/apply.sh on a small fixture tree (tests/host/fixtures/apply):
# a series whose second patch has a broken second hunk must fail, name the
# patch and the hunk, exit non-zero and leave the tree exactly as it was,
# for quilt on a user's tree (KSRC), git am on a user's git tree, and the
# cached work tree. The good series must apply. Also: bisect-build.sh
# refuses a bad prefix range before building anything.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
fx=$here/fixtures/apply
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/tap.sh"

apply() { # LOG ENV... -- ARGS: run apply.sh, return its exit status
	local log=$1
	shift
	env "$@" >"$log" 2>&1
}

# snapshot DIR: every file's path and checksum, and git HEAD if any.
snapshot() {
	(cd "$1" && find . -path ./.git -prune -o -type f -print0 | LC_ALL=C sort -z |
		xargs -0 sha256sum; [ -d .git ] && git rev-parse HEAD; find . -path ./.git -prune -o -print | LC_ALL=C sort)
}

newtree() { # DIR: a fresh copy of the fixture tree
	rm -rf "$1"
	cp -a "$fx/tree" "$1"
}

# --- quilt on KSRC -----------------------------------------------------------
t=$tmp/ksrc
newtree "$t"
before=$(snapshot "$t")
log=$tmp/quilt-broken.log
apply "$log" KSRC="$t" SERIES="$fx/series.broken" "$top/scripts/apply.sh"
rc=$?
st=0
expect_rc "$log" $rc 1 &&
	expect_grep "$log" "patch '0002-mm-other-broken-second-hunk.patch' does not apply" &&
	expect_grep "$log" "mm/other.c: hunk #2 FAILED at line 148" &&
	expect_grep "$log" "left as it was" || st=1
result $st "quilt: broken patch fails, naming the patch and the hunk" "$log"
st=0
[ "$(snapshot "$t")" = "$before" ] || { echo "tree changed:"; diff <(echo "$before") <(snapshot "$t"); } >>"$log" || st=1
result $st "quilt: the tree is exactly as it was (no .pc, no half-applied patch)" "$log"

# The series grows in place (as when a user pulls a newer pervma): one file.
mkdir -p "$tmp/q"
ln -s "$fx/patches" "$tmp/q/patches"
cp "$fx/series.good" "$tmp/q/series"
log=$tmp/quilt-good.log
apply "$log" KSRC="$t" SERIES="$tmp/q/series" "$top/scripts/apply.sh"
rc=$?
st=0
expect_rc "$log" $rc 0 && grep -q 'return x + 3 + 0;' "$t/mm/demo.c" || st=1
result $st "quilt: good series applies" "$log"

# With one patch already applied, a failure must pop back to it, not further.
before=$(snapshot "$t")
log=$tmp/quilt-broken2.log
cp "$fx/series.broken" "$tmp/q/series"
apply "$log" KSRC="$t" SERIES="$tmp/q/series" "$top/scripts/apply.sh"
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "top patch: 0001-mm-demo" &&
	[ "$(snapshot "$t")" = "$before" ] || st=1
result $st "quilt: failure on top of applied patches restores the previous top" "$log"

# --- git am on a KSRC git tree -----------------------------------------------
t=$tmp/git
newtree "$t"
(cd "$t" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm base)
before=$(snapshot "$t")
log=$tmp/git-broken.log
apply "$log" KSRC="$t" SERIES="$fx/series.broken" "$top/scripts/apply.sh" --git
rc=$?
st=0
expect_rc "$log" $rc 1 &&
	expect_grep "$log" "patch '0002-mm-other-broken-second-hunk.patch' does not apply" &&
	expect_grep "$log" "mm/other.c: hunk #2 FAILED at line 148" || st=1
result $st "git am: broken patch fails, naming the patch and the hunk" "$log"
st=0
{ [ "$(snapshot "$t")" = "$before" ] && [ ! -d "$t/.git/rebase-apply" ]; } || st=1
result $st "git am: HEAD and the tree are as they were, no am in progress" "$log"
log=$tmp/git-good.log
apply "$log" KSRC="$t" SERIES="$fx/series.good" "$top/scripts/apply.sh" --git
rc=$?
st=0
expect_rc "$log" $rc 0 &&
	[ "$(git -C "$t" log -1 --format=%s)" = "mm/demo: make demo_03 explicit" ] || st=1
result $st "git am: good series applies as a commit with the patch's subject" "$log"

# --- the cached work tree ------------------------------------------------------
# A fake pristine base in a private cache: apply.sh must build the work tree
# beside the old one and keep the old one when the new series fails.
cache=$tmp/cache
base=$(awk '!/^#/ && $1 == "6.1" {print $3}' "$top/configs/bases.conf")
mkdir -p "$cache/src/$base"
cp -a "$fx/tree" "$cache/src/$base/linux"
echo "$base" >"$cache/src/$base/linux/.pervma-pristine"
work=$cache/work/$base/linux
log=$tmp/cache-good.log
apply "$log" PERVMA_CACHE="$cache" SERIES="$fx/series.good" "$top/scripts/apply.sh"
rc=$?
st=0
expect_rc "$log" $rc 0 && grep -q 'return x + 3 + 0;' "$work/mm/demo.c" &&
	! grep -q 'return x + 3 + 0;' "$cache/src/$base/linux/mm/demo.c" || st=1
result $st "work tree: good series applies; the pristine base is untouched" "$log"
before=$(snapshot "$work")
log=$tmp/cache-broken.log
apply "$log" PERVMA_CACHE="$cache" SERIES="$fx/series.broken" "$top/scripts/apply.sh"
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "hunk #2 FAILED" &&
	[ "$(snapshot "$work")" = "$before" ] && [ ! -e "$work.new" ] || st=1
result $st "work tree: broken series fails and the previous work tree stays as it was" "$log"

# --- bad input -----------------------------------------------------------------
log=$tmp/badarg.log
apply "$log" KSRC="$t" SERIES="$fx/series.good" "$top/scripts/apply.sh" --bogus
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "unknown argument '--bogus'" || st=1
result $st "a bad argument gets a clear message and a non-zero exit" "$log"
log=$tmp/missing.log
printf 'no-such.patch\n' >"$tmp/series.missing"
mkdir -p "$tmp/patches"
apply "$log" KSRC="$t" SERIES="$tmp/series.missing" "$top/scripts/apply.sh"
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "series lists 'no-such.patch'" || st=1
result $st "a series naming a missing patch is refused" "$log"

# --- make bisect's prefix range (checked before anything is built) -----------
log=$tmp/bisect-to.log
apply "$log" TO=1x "$top/scripts/bisect-build.sh"
rc=$?
st=0
expect_rc "$log" $rc 1 && expect_grep "$log" "TO must be a prefix number, not '1x'" || st=1
log2=$tmp/bisect-from.log
apply "$log2" FROM=x "$top/scripts/bisect-build.sh"
rc=$?
expect_rc "$log2" $rc 1 && expect_grep "$log2" "FROM must be a prefix number, not 'x'" || st=1
cat "$log2" >>"$log"
result $st "bisect-build.sh refuses a FROM or TO that is not a prefix number" "$log"

tap_done
