#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what pervma needs from Debian's archive, if it is missing.
# Usage: scripts/deps.sh [--check] [--compile-check]
#   (default)        install missing host packages
#   --check          only report; exit 1 if anything is missing
#   --compile-check  also the cross compilers scripts/compile-check.sh uses
. "$(dirname "$0")/lib.sh"

PKGS=(quilt coccinelle patch make gcc flex bison bc libelf-dev libssl-dev
      cpio xz-utils rsync kmod dwarves ccache perl python3 python3-matplotlib
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross
      gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
      qemu-system-x86 qemu-system-arm qemu-system-ppc busybox-static git
      liburcu-dev)

# Only scripts/compile-check.sh needs these (not make check).
COMPILE_CHECK_PKGS=(gcc-powerpc64-linux-gnu gcc-arm-linux-gnueabihf
      gcc-s390x-linux-gnu gcc-sparc64-linux-gnu gcc-riscv64-linux-gnu
      gcc-m68k-linux-gnu gcc-i686-linux-gnu libc6-dev-i386-cross)

check_only=0
for arg in "$@"; do
	case "$arg" in
	--check) check_only=1 ;;
	--compile-check) PKGS+=("${COMPILE_CHECK_PKGS[@]}") ;;
	*) die "unknown argument '$arg' (usage: scripts/deps.sh [--check] [--compile-check])" ;;
	esac
done

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

if [ $check_only = 1 ]; then
	[ ${#missing[@]} -eq 0 ] && { echo "all host packages present"; exit 0; }
	echo "missing: ${missing[*]}"
	exit 1
fi

[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]}; run as root: apt-get install ${missing[*]}"
note "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A mirror mid-sync fails the update of one index now and then (seen for
# ppc64el security); the install then decides with the lists it has.
apt-get update -qq || note "apt-get update reported errors; trying the install anyway"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get install failed for: ${missing[*]}"
