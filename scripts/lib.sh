# SPDX-License-Identifier: GPL-2.0
# Shared settings for pervma's scripts; sourced, never run.
#
# Environment (all optional):
#   BASE          6.1 (default) or 6.12: which entry of configs/bases.conf
#   BASE_VERSION  Debian version of the base package (default: pinned one)
#   PERVMA_CACHE  where bases, work trees and builds live
#                 (default: ~/.cache/pervma; never inside the repo)
#   KSRC          apply to / build this tree instead of the cached work tree

set -o pipefail

PERVMA_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PERVMA_CACHE=${PERVMA_CACHE:-${HOME:-/root}/.cache/pervma}
BASE=${BASE:-6.1}

die() {
	echo "pervma: error: $*" >&2
	exit 1
}

note() {
	echo "pervma: $*" >&2
}

# base_field BASE COLUMN: column 2 = package, 3 = version, 4 = series
base_field() {
	local line
	line=$(awk -v b="$1" '!/^#/ && $1 == b' "$PERVMA_TOP/configs/bases.conf")
	[ -n "$line" ] || die "unknown BASE '$1' (known: $(awk '!/^#/ && NF {printf "%s ", $1}' "$PERVMA_TOP/configs/bases.conf"))"
	echo "$line" | awk -v c="$2" '{print $c}'
}

BASE_PKG=$(base_field "$BASE" 2) || exit 1
BASE_VERSION=${BASE_VERSION:-$(base_field "$BASE" 3)} || exit 1
SERIES=${SERIES:-$PERVMA_TOP/$(base_field "$BASE" 4)} || exit 1
PATCHES_DIR=${PATCHES_DIR:-$(dirname "$SERIES")/patches}
# Debian versions carry '~' and ':'; keep directory names plain.
BASE_TAG=$(echo "$BASE_VERSION" | tr '~:' '__')
PRISTINE=$PERVMA_CACHE/src/$BASE_TAG/linux
WORK=${KSRC:-$PERVMA_CACHE/work/$BASE_TAG/linux}

# arch_setup ARCH: sets KARCH, CROSS, IMAGE, QEMU and friends.
arch_setup() {
	PVARCH=$1
	case "$PVARCH" in
	x86_64)
		KARCH=x86; CROSS=; IMAGE=arch/x86/boot/bzImage
		QEMU=qemu-system-x86_64; CONSOLE=ttyS0
		QEMU_MACHINE=(-M q35 -cpu max,la57=off)
		TGT_CC=gcc
		;;
	arm64)
		KARCH=arm64; CROSS=aarch64-linux-gnu-; IMAGE=arch/arm64/boot/Image
		QEMU=qemu-system-aarch64; CONSOLE=ttyAMA0
		QEMU_MACHINE=(-M virt -cpu cortex-a57)
		TGT_CC=aarch64-linux-gnu-gcc
		;;
	powerpc)
		KARCH=powerpc; CROSS=powerpc64le-linux-gnu-; IMAGE=vmlinux
		QEMU=qemu-system-ppc64; CONSOLE=hvc0
		QEMU_MACHINE=(-M pseries -cpu power9)
		TGT_CC=powerpc64le-linux-gnu-gcc
		;;
	*)
		die "unknown ARCH '$PVARCH' (use x86_64, arm64 or powerpc)"
		;;
	esac
}

# flavour_name FEATURE DEBUG -> e.g. "on-debug"
flavour_name() {
	case "$1" in on|off) ;; *) die "FEATURE must be on or off, not '$1'";; esac
	case "$2" in 0|1) ;; *) die "DEBUG must be 0 or 1, not '$2'";; esac
	if [ "$2" = 1 ]; then echo "$1-debug"; else echo "$1"; fi
}

# git_snapshot DIR MESSAGE: make DIR a git checkout with all of its files
# (Debian's source tree ignores everything at the top, hence -f) committed.
git_snapshot() {
	(cd "$1" && git init -q && git add -f -A . &&
		git -c user.name=pervma -c user.email=pervma@localhost commit -qm "$2")
}

# read_series: PATCHES=(the patch names of $SERIES, in order); dies if the
# series file or a patch it lists is missing.
read_series() {
	local p
	[ -f "$SERIES" ] || die "series file $SERIES not found"
	mapfile -t PATCHES < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$SERIES" |
		awk 'NF {print $1}')
	for p in "${PATCHES[@]}"; do
		[ -f "$PATCHES_DIR/$p" ] || die "series lists '$p' but $PATCHES_DIR/$p does not exist"
	done
}

# MAPLE_RCU=off builds with the maple tree's own switch
# CONFIG_MAPLE_RCU_DISABLED (include/linux/maple_tree.h: mt_in_rcu() is
# always false, so the VMA tree is never in RCU mode), in its own build dir;
# for measuring what RCU mode costs (scripts/bench.sh, BENCH_COMPARE=maple-rcu).
maple_rcu_suffix() {
	case "${MAPLE_RCU:-on}" in
	on) ;;
	off) echo "-mt-rcu-off" ;;
	*) die "MAPLE_RCU must be on or off, not '$MAPLE_RCU'" ;;
	esac
}

build_dir() { # ARCH FEATURE DEBUG
	local tree=work suffix
	suffix=$(maple_rcu_suffix) || exit 1
	[ -n "${KSRC:-}" ] && tree=ksrc-$(echo "$KSRC" | md5sum | cut -c1-8)
	echo "$PERVMA_CACHE/build/$BASE_TAG/$tree/$1-$(flavour_name "$2" "$3")$suffix"
}
