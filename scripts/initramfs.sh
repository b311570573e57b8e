#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make the guest initramfs for ARCH: Debian's static busybox, tests/guest/init,
# pervma's static test programs and benchmark (tests/guest, tests/bench),
# the base tree's mm selftests named in tests/guest/list, and the test
# modules (tests/kmod) in /tests/mod.
#
# Usage: scripts/initramfs.sh ARCH OUTPUT.cpio [BUILD_DIR]
# With BUILD_DIR (a kernel build dir of the work tree), the selftests are
# compiled against the tree's own uapi headers, exported there by
# `make headers` (incremental, seconds); without it, against the libc's.
# With BUILD_DIR and CONFIG_MODULES=y there, the test modules are built
# against that kernel by scripts/kmod.sh (the guest tests that need them
# skip elsewhere); a module that does not build, or does not link, fails
# the script.
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || [ $# -eq 3 ] || die "usage: scripts/initramfs.sh ARCH OUTPUT.cpio [BUILD_DIR]"
arch_setup "$1"
OUTPUT=$2
KHDR=
case "$PVARCH" in
x86_64) DEBARCH=amd64 ;;
arm64) DEBARCH=arm64 ;;
powerpc) DEBARCH=ppc64el ;;
esac
command -v "$TGT_CC" >/dev/null || die "$TGT_CC not found (scripts/deps.sh installs it)"
[ -f "$WORK/Makefile" ] || die "no kernel tree at $WORK (run scripts/apply.sh first)"
if [ $# -eq 3 ]; then
	make -s -C "$WORK" O="$3" ARCH="$KARCH" CROSS_COMPILE="$CROSS" headers >/dev/null ||
		die "make headers failed in $3"
	KHDR=$3/usr/include
fi

# Debian's busybox-static for the guest's architecture, unpacked once.
busybox=$PERVMA_CACHE/busybox/$DEBARCH/bin/busybox
if [ ! -x "$busybox" ]; then
	dir=$PERVMA_CACHE/busybox/$DEBARCH
	mkdir -p "$dir"
	if [ "$DEBARCH" = amd64 ]; then
		[ -x /bin/busybox ] || die "busybox-static is not installed (scripts/deps.sh)"
		mkdir -p "$dir/bin" && cp /bin/busybox "$busybox"
	else
		if ! dpkg --print-foreign-architectures | grep -qx "$DEBARCH"; then
			[ "$(id -u)" = 0 ] || die "need root once to run: dpkg --add-architecture $DEBARCH && apt-get update"
			dpkg --add-architecture "$DEBARCH" || die "cannot add Debian architecture $DEBARCH"
			# A mirror mid-sync can fail one index; the download below
			# is what has to work.
			apt-get update -qq || note "apt-get update reported errors; trying the download anyway"
		fi
		(cd "$dir" && apt-get download -qq "busybox-static:$DEBARCH") ||
			{ [ "$(id -u)" = 0 ] && apt-get update -qq &&
			  (cd "$dir" && apt-get download -qq "busybox-static:$DEBARCH"); } ||
			die "cannot download busybox-static:$DEBARCH"
		dpkg-deb -x "$dir"/busybox-static_*_"$DEBARCH".deb "$dir" || die "cannot unpack busybox-static:$DEBARCH"
	fi
fi
[ -x "$busybox" ] || die "no busybox at $busybox"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,tests/bin/vm}
cp "$busybox" "$stage/bin/busybox"
install -m 755 "$PERVMA_TOP/tests/guest/init" "$stage/init"

CFLAGS=(-static -O2 -pthread -Wall -Wextra -Werror -I "$PERVMA_TOP/tests/guest")
cc_prog() { # OUT SRC...
	"$TGT_CC" "${CFLAGS[@]}" -o "$@" -lrt 2>"$stage/cc.log" ||
		{ cat "$stage/cc.log" >&2; die "cannot build $(basename "$1") for $PVARCH"; }
}

VMDIR=$WORK/tools/testing/selftests/vm
[ -d "$VMDIR" ] || VMDIR=$WORK/tools/testing/selftests/mm
build_vm_selftest() { # NAME
	local src=("$VMDIR/$1.c") f
	[ -f "${src[0]}" ] || die "tests/guest/list names vm/$1 but $VMDIR/$1.c does not exist"
	# Extra sources, as the selftests' Makefile lists them:
	# "$(OUTPUT)/NAME: vm_util.c ..." (6.1) and "$(TEST_GEN_FILES): ..." (6.12)
	for f in $(sed -n -e "s|^\$(OUTPUT)/$1: *||p" -e "s|^\$(TEST_GEN_FILES): *||p" "$VMDIR/Makefile"); do
		case "$f" in *.c) src+=("$VMDIR/$f") ;; esac
	done
	"$TGT_CC" -static -O2 -pthread -Wall ${KHDR:+-isystem "$KHDR"} \
		-I "$WORK" -I "$WORK/tools/testing/selftests" \
		-o "$stage/tests/bin/vm/$1" "${src[@]}" -lrt 2>"$stage/cc.log" ||
		{ cat "$stage/cc.log" >&2; die "cannot build selftest vm/$1 for $PVARCH"; }
}

# select_list LIST: keep the entries for this arch and base, as
# name|timeout|command.
select_list() {
	awk -F'|' -v a="$PVARCH" -v b="$BASE" '/^#/ || NF < 3 { next }
		($4 == "" || index("," $4 ",", "," a ",")) &&
		($5 == "" || index("," $5 ",", "," b ",")) { print $1 "|" $2 "|" $3 }' "$1"
}
select_list "$PERVMA_TOP/tests/guest/list" > "$stage/tests/list"
select_list "$PERVMA_TOP/tests/bench/list" > "$stage/tests/bench.list"

for prog in $(cut -d'|' -f3 "$stage/tests/list" "$stage/tests/bench.list" | awk '{print $1}' | sort -u); do
	case "$prog" in
	vm/*) build_vm_selftest "${prog#vm/}" ;;
	*)
		if [ -f "$PERVMA_TOP/tests/guest/$prog.c" ]; then
			cc_prog "$stage/tests/bin/$prog" "$PERVMA_TOP/tests/guest/$prog.c"
		elif [ -f "$PERVMA_TOP/tests/bench/$prog.c" ]; then
			cc_prog "$stage/tests/bin/$prog" "$PERVMA_TOP/tests/bench/$prog.c"
		else
			die "a test list names '$prog' but there is no tests/guest/$prog.c or tests/bench/$prog.c"
		fi
		;;
	esac
done
rm -f "$stage/cc.log"

if [ -n "$KHDR" ] && grep -qx 'CONFIG_MODULES=y' "$3/.config"; then
	kos=$("$PERVMA_TOP/scripts/kmod.sh" "$PVARCH" "$3") || exit 1
	mkdir -p "$stage/tests/mod"
	# shellcheck disable=SC2086 # one path per line, no spaces
	cp $kos "$stage/tests/mod/" || die "cannot copy the test modules"
fi

mkdir -p "$(dirname "$OUTPUT")"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$OUTPUT.tmp" ||
	die "cannot write $OUTPUT"
mv "$OUTPUT.tmp" "$OUTPUT"
note "initramfs for $PVARCH: $OUTPUT ($(du -h "$OUTPUT" | cut -f1), $(wc -l < "$stage/tests/list") tests)"
