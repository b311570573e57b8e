#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build pervma's test modules (tests/kmod) out of tree against a built kernel.
#
# Usage: scripts/kmod.sh ARCH BUILD_DIR [NAME...]
#   BUILD_DIR  a kernel build dir (scripts/build.sh's), with CONFIG_MODULES=y
#   NAME       pervma_test (tests/kmod) or pervma_abi (tests/kmod/abi, a
#              module whose licence is not GPL: it must link, modpost
#              included); default: pervma_test, and pervma_abi where the
#              kernel has no lockdep (docs/modules.md says why)
# Builds each in BUILD_DIR/kmod/NAME and prints the path of each NAME.ko.
# Exits 1 if one does not build or link (its log is named), 2 on bad
# arguments.
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || { echo "usage: scripts/kmod.sh ARCH BUILD_DIR [NAME...]" >&2; exit 2; }
arch_setup "$1"
bd=$2
shift 2
[ -f "$bd/.config" ] || die "no kernel build in '$bd'"
grep -qx 'CONFIG_MODULES=y' "$bd/.config" || die "the kernel in $bd has no CONFIG_MODULES"
[ -f "$bd/Module.symvers" ] && [ -f "$bd/Makefile" ] || die "the kernel in $bd is not built (no Module.symvers)"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	names=(pervma_test)
	grep -qx 'CONFIG_LOCKDEP=y' "$bd/.config" || names+=(pervma_abi)
fi

kmod_src() { # NAME: its source directory
	case "$1" in
	pervma_test) echo "$PERVMA_TOP/tests/kmod" ;;
	pervma_abi) echo "$PERVMA_TOP/tests/kmod/abi" ;;
	*) return 1 ;;
	esac
}
for name in "${names[@]}"; do
	kmod_src "$name" >/dev/null || {
		echo "pervma: error: unknown module '$name' (pervma_test or pervma_abi)" >&2
		exit 2
	}
done

for name in "${names[@]}"; do
	src=$(kmod_src "$name")
	dir=$bd/kmod/$name
	rm -rf "$dir" && mkdir -p "$dir" && cp "$src"/Kbuild "$src"/*.[ch] "$dir/" ||
		die "cannot copy $src to $dir"
	# The build dir's own Makefile leads to the tree it was built from.
	if ! make -C "$bd" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" M="$dir" modules \
		>"$dir/build.log" 2>&1; then
		grep -E 'error|ERROR' "$dir/build.log" | head -n 20 >&2
		die "the module $name does not build or link against $bd (log: $dir/build.log)"
	fi
	[ -f "$dir/$name.ko" ] || die "no $name.ko in $dir"
	echo "$dir/$name.ko"
done
