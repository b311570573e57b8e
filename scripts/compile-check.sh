#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Compile, as objects, every C file the series touches, each under an
# allmodconfig of an architecture that builds it, so that a direct write of
# the now const vma->vm_flags left anywhere the series went fails the build.
#
# Usage: scripts/compile-check.sh [FILE...]
#   FILE  paths inside the kernel tree (default: every .c file the series'
#         patches touch)
# Environment: JOBS (make -j, default: number of CPUs), ARCHES (the
# architectures tried, in order, for files outside arch/; default
# "x86_64 arm64 powerpc arm s390 sparc64 m68k").
#
# Files under arch/NAME/ are built for that architecture only; other files
# for the first one of ARCHES whose allmodconfig builds them. The configs are
# allmodconfig with configs/allmod.config (instrumentation and -Werror off:
# they slow the build and do not change what compiles). Builds go to
# $PERVMA_CACHE/build/<version>/work/allmod-<arch>. Prints one line per file
# ("ok FILE (ARCH)", "FAIL FILE (ARCH)", "skip FILE: reason") and
# "compile-check: N passed, N failed, N skipped"; exits 1 if any failed.
. "$(dirname "$0")/lib.sh"

JOBS=${JOBS:-$(nproc)}
ARCHES=${ARCHES:-x86_64 arm64 powerpc arm s390 sparc64 m68k}
[ -f "$WORK/Makefile" ] || die "no kernel tree at $WORK (run scripts/apply.sh first)"
"$PERVMA_TOP/scripts/deps.sh" --compile-check || exit 1

if [ $# -gt 0 ]; then
	files=("$@")
else
	read_series
	mapfile -t files < <(for p in "${PATCHES[@]}"; do
		sed -n 's|^+++ b/||p' "$PATCHES_DIR/$p"; done | grep '\.c$' | LC_ALL=C sort -u)
fi
for f in "${files[@]}"; do
	case "$f" in *.c) ;; *) die "not a C file: $f" ;; esac
	[ -f "$WORK/$f" ] || die "no such file in $WORK: $f"
done

# cross ARCH: "KARCH CROSS_COMPILE" for make, or nothing if Debian has no
# compiler for it.
cross() {
	case "$1" in
	x86_64)  echo "x86_64 -" ;;
	arm64)   echo "arm64 aarch64-linux-gnu-" ;;
	powerpc) echo "powerpc powerpc64-linux-gnu-" ;; # allmodconfig is 64-bit big-endian
	arm)     echo "arm arm-linux-gnueabihf-" ;;
	s390)    echo "s390 s390x-linux-gnu-" ;;
	sparc64) echo "sparc64 sparc64-linux-gnu-" ;;
	m68k)    echo "m68k m68k-linux-gnu-" ;;
	*) ;;
	esac
}

# arch_of FILE: the architecture a file under arch/ must be built for, or
# "skip:REASON".
arch_of() {
	case "$1" in
	arch/x86/um/*_32.c) echo "skip:32-bit user-mode Linux (ARCH=um SUBARCH=i386) is not built here" ;;
	arch/x86/*)       echo x86_64 ;;
	arch/arm64/*)     echo arm64 ;;
	arch/arm/*)       echo arm ;;
	arch/powerpc/*)   echo powerpc ;;
	arch/s390/*)      echo s390 ;;
	arch/sparc/*)     echo sparc64 ;;
	arch/m68k/*)      echo m68k ;;
	arch/*) echo "skip:Debian 12 has no cross compiler for $(echo "$1" | cut -d/ -f2)" ;;
	*) echo any ;;
	esac
}

declare -A result
pass=0 fail=0 skip=0
pending=()
for f in "${files[@]}"; do
	a=$(arch_of "$f")
	case "$a" in
	skip:*) result[$f]="skip $f: ${a#skip:}" ; skip=$((skip + 1)) ;;
	*) pending+=("$f") ;;
	esac
done

# build_arch ARCH FILE...: allmodconfig for ARCH, then make -k FILE.o...
# Sets built=(files whose object was made), failed=(files that did not
# compile); the rest were not built by this config.
build_arch() {
	local arch=$1 karch cc out log f o
	shift
	read -r karch cc <<<"$(cross "$arch")"
	[ "$cc" = - ] && cc=
	command -v "${cc}gcc" >/dev/null || die "${cc}gcc not found (scripts/deps.sh installs the cross compilers)"
	out=$PERVMA_CACHE/build/$BASE_TAG/work/allmod-$arch
	mkdir -p "$out"
	log=$out/compile-check.log
	local mk=(make -C "$WORK" O="$out" ARCH="$karch" CROSS_COMPILE="$cc" CC="ccache ${cc}gcc"
		HOSTCC="ccache gcc" -j"$JOBS" -s)
	export KBUILD_BUILD_TIMESTAMP="@0" CCACHE_BASEDIR=$PERVMA_CACHE CCACHE_NOHASHDIR=1
	note "$arch: allmodconfig + prepare in $out"
	{ KCONFIG_ALLCONFIG=$PERVMA_TOP/configs/allmod.config "${mk[@]}" allmodconfig &&
		"${mk[@]}" prepare; } >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "$arch: allmodconfig/prepare failed (log: $log)"; }
	for f in "$@"; do rm -f "$out/${f%.c}.o"; done
	note "$arch: compiling $# files"
	"${mk[@]}" -k "${@/%.c/.o}" >>"$log" 2>&1
	built=() failed=()
	for f in "$@"; do
		o=$out/${f%.c}.o
		if [ -f "$o" ]; then
			built+=("$f")
		elif grep -q "^[^ ]*${f}:[0-9]*:[0-9]*: error:" "$log" ||
			grep -q "\[.*${f%.c}.o\] Error" "$log"; then
			failed+=("$f")
			grep -A3 "${f}:[0-9]*:[0-9]*: error:" "$log" | head -n 12 | sed 's/^/    /' >&2
		fi
	done
}

# Files under arch/ first, each group with its own architecture.
for arch in $(for f in "${pending[@]}"; do arch_of "$f"; done | grep -v '^any$' | sort -u); do
	group=()
	for f in "${pending[@]}"; do [ "$(arch_of "$f")" = "$arch" ] && group+=("$f"); done
	build_arch "$arch" "${group[@]}"
	for f in "${built[@]}"; do result[$f]="ok   $f ($arch)"; pass=$((pass + 1)); done
	for f in "${failed[@]}"; do result[$f]="FAIL $f ($arch)"; fail=$((fail + 1)); done
	for f in "${group[@]}"; do
		[ -n "${result[$f]:-}" ] || { result[$f]="FAIL $f ($arch): its allmodconfig does not build it"; fail=$((fail + 1)); }
	done
done

# Generic files: the first architecture that builds them.
left=()
for f in "${pending[@]}"; do [ "$(arch_of "$f")" = any ] && left+=("$f"); done
for arch in $ARCHES; do
	[ ${#left[@]} -eq 0 ] && break
	[ -n "$(cross "$arch")" ] || die "unknown architecture in ARCHES: $arch"
	build_arch "$arch" "${left[@]}"
	for f in "${built[@]}"; do result[$f]="ok   $f ($arch)"; pass=$((pass + 1)); done
	for f in "${failed[@]}"; do result[$f]="FAIL $f ($arch)"; fail=$((fail + 1)); done
	next=()
	for f in "${left[@]}"; do [ -n "${result[$f]:-}" ] || next+=("$f"); done
	left=("${next[@]}")
done
for f in "${left[@]}"; do
	result[$f]="FAIL $f: no allmodconfig of ($ARCHES) builds it"
	fail=$((fail + 1))
done

for f in "${files[@]}"; do echo "${result[$f]}"; done
echo "compile-check: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
