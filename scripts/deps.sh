#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what pervma needs from Debian's archive, if it is missing.
# Usage: scripts/deps.sh            install missing host packages
#        scripts/deps.sh --check    only report; exit 1 if anything is missing
. "$(dirname "$0")/lib.sh"

PKGS=(quilt coccinelle patch make gcc flex bison bc libelf-dev libssl-dev
      cpio xz-utils rsync kmod dwarves ccache perl python3 python3-matplotlib
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross
      gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
      qemu-system-x86 qemu-system-arm qemu-system-ppc busybox-static git
      liburcu-dev)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

if [ "${1:-}" = --check ]; then
	[ ${#missing[@]} -eq 0 ] && { echo "all host packages present"; exit 0; }
	echo "missing: ${missing[*]}"
	exit 1
elif [ -n "${1:-}" ]; then
	die "unknown argument '$1' (usage: scripts/deps.sh [--check])"
fi

[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]}; run as root: apt-get install ${missing[*]}"
note "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || die "apt-get update failed"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get install failed for: ${missing[*]}"
