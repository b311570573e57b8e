#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the built kernel for ARCH with the test initramfs and judge the run.
#
# Usage: scripts/guest-test.sh ARCH
# Environment: FEATURE, DEBUG (which build, as scripts/build.sh),
#   TEST_SECONDS (stress-test run time in the guest, default 5),
#   ONLY (comma-separated test names), TIMEOUT (guest time limit),
#   KERNEL_ARGS (more kernel command line arguments, space separated, e.g.
#   disable_radix for powerpc's hash MMU; the console log then goes to
#   console-test-args.log, and the verdict names the arguments).
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: scripts/guest-test.sh ARCH"
arch_setup "$1"
FEATURE=${FEATURE:-on} DEBUG=${DEBUG:-0}
OUT=$(build_dir "$PVARCH" "$FEATURE" "$DEBUG") || exit 1
[ -f "$OUT/$IMAGE" ] || die "no $PVARCH kernel built in $OUT (run scripts/build.sh $PVARCH with FEATURE=$FEATURE DEBUG=$DEBUG)"

"$PERVMA_TOP/scripts/initramfs.sh" "$PVARCH" "$OUT/pervma-tests.cpio" "$OUT" || exit 1
log=$OUT/console-test.log name=$PVARCH-$(flavour_name "$FEATURE" "$DEBUG")
if [ -n "${KERNEL_ARGS:-}" ]; then
	log=$OUT/console-test-args.log name="$name ($KERNEL_ARGS)"
fi
extra=("pervma.mode=test" "pervma.seconds=${TEST_SECONDS:-5}")
# A kernel built with the per-VMA lock counters must show them: this makes
# the vma_lock_stats test fail, instead of skip, when they are missing.
grep -qx 'CONFIG_PER_VMA_LOCK_STATS=y' "$OUT/.config" && extra+=("pervma.vma_lock_stats=1")
grep -qx 'CONFIG_PER_VMA_LOCK_KUNIT_TEST=y' "$OUT/.config" && extra+=("pervma.vma_lock_kunit=1")
[ -n "${ONLY:-}" ] && extra+=("pervma.only=$ONLY")
# shellcheck disable=SC2206 # split on purpose: one argument per word
[ -n "${KERNEL_ARGS:-}" ] && extra+=($KERNEL_ARGS)
"$PERVMA_TOP/scripts/boot.sh" "$PVARCH" "$OUT/$IMAGE" "$OUT/pervma-tests.cpio" "$log" "${extra[@]}"
boot_rc=$?
"$PERVMA_TOP/scripts/check-log.py" --name "$name" "$log"
check_rc=$?
[ $boot_rc -eq 0 ] && [ $check_rc -eq 0 ]
