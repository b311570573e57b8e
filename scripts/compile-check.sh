#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Compile, as objects, every C file the series touches, each under an
# allmodconfig of an architecture that builds it, so that a direct write of
# the now const vma->vm_flags left anywhere the series went fails the build.
#
# Usage: scripts/compile-check.sh [FILE...]
#   FILE  paths inside the kernel tree (default: every .c file the series'
#         patches touch outside tools/, which holds user-space code)
# Environment: JOBS (make -j, default: number of CPUs), CONFIGS (what is
# tried, in order, for files outside arch/: ARCH for its allmodconfig, or
# ARCH:NAME_defconfig; default "x86_64 arm64 powerpc arm s390 sparc64").
#
# Kbuild compiles a single object even where the config does not enable
# it, and then it may fail for reasons of its own (an arch-only driver on
# x86). So a file counts as compiled under the first config that produces
# its object without error; a file whose compiler output says "assignment
# of read-only member 'vm_flags'" under any config fails at once. Files
# under arch/NAME/ are tried for that architecture only (32-bit UML: um
# defconfig with SUBARCH=i386), mm/nommu.c under riscv's
# nommu_k210_defconfig, the MC68328 fbdev under allnoconfig plus
# configs/m68328.config; files for which Debian has no compiler (ia64,
# loongarch) are skipped with the reason. allmodconfig gets
# configs/allmod.config (instrumentation and -Werror off: slower, and no
# change to what compiles). Builds go to
# $PERVMA_CACHE/build/<version>/work/allmod-<config>. Prints one line per
# file ("ok FILE (CONFIG)", "FAIL FILE ...", "skip FILE: reason") and
# "compile-check: N passed, N failed, N skipped"; exits 1 if any failed.
. "$(dirname "$0")/lib.sh"

JOBS=${JOBS:-$(nproc)}
CONFIGS=${CONFIGS:-x86_64 arm64 powerpc arm s390 sparc64}
[ -f "$WORK/Makefile" ] || die "no kernel tree at $WORK (run scripts/apply.sh first)"
"$PERVMA_TOP/scripts/deps.sh" --compile-check || exit 1

headers=()
if [ $# -gt 0 ]; then
	files=("$@")
else
	read_series
	mapfile -t touched < <(for p in "${PATCHES[@]}"; do
		sed -n 's|^+++ b/||p' "$PATCHES_DIR/$p"; done | LC_ALL=C sort -u)
	files=()
	for f in "${touched[@]}"; do
		case "$f" in tools/*) ;; *.c) files+=("$f") ;; *.h) headers+=("$f") ;; esac
	done
fi
for f in "${files[@]}"; do
	case "$f" in *.c) ;; *) die "not a C file: $f" ;; esac
	[ -f "$WORK/$f" ] || die "no such file in $WORK: $f"
done

# cross ARCH: "KARCH CROSS_COMPILE" for make (- for the host compiler).
cross() {
	case "$1" in
	x86_64)  echo "x86_64 -" ;;
	arm64)   echo "arm64 aarch64-linux-gnu-" ;;
	powerpc) echo "powerpc powerpc64-linux-gnu-" ;; # allmodconfig is 64-bit big-endian
	arm)     echo "arm arm-linux-gnueabihf-" ;;
	s390)    echo "s390 s390x-linux-gnu-" ;;
	sparc64) echo "sparc64 sparc64-linux-gnu-" ;;
	riscv)   echo "riscv riscv64-linux-gnu-" ;;
	m68k)    echo "m68k m68k-linux-gnu-" ;;
	um32)    echo "um i686-linux-gnu-" ;; # SUBARCH=i386 (gcc-multilib would remove the other cross compilers)
	*) die "no compiler known for architecture '$1'" ;;
	esac
}

# configs_for FILE: the configs to try, or "skip:REASON".
configs_for() {
	case "$1" in
	arch/x86/um/*_32.c) echo um32:defconfig ;;
	arch/x86/*)     echo x86_64 ;;
	arch/arm64/*)   echo arm64 ;;
	arch/arm/*)     echo arm ;;
	arch/powerpc/*) echo powerpc ;;
	arch/s390/*)    echo s390 ;;
	arch/sparc/*)   echo sparc64 ;;
	arch/riscv/*)   echo riscv ;;
	arch/*) echo "skip:Debian 12 has no cross compiler for $(echo "$1" | cut -d/ -f2)" ;;
	drivers/char/mspec.c) echo "skip:ia64 only (Debian 12 has no ia64 cross compiler)" ;;
	drivers/video/fbdev/68328fb.c) echo m68k:allnoconfig:m68328.config ;;
	mm/nommu.c)     echo riscv:nommu_k210_defconfig ;;
	*) echo "$CONFIGS" ;;
	esac
}

# obj_of FILE: the object make builds it as (amdkfd is built from amdgpu's
# directory, with amdgpu's include flags).
obj_of() {
	case "$1" in
	drivers/gpu/drm/amd/amdkfd/*) echo "drivers/gpu/drm/amd/amdgpu/../amdkfd/$(basename "${1%.c}").o" ;;
	*) echo "${1%.c}.o" ;;
	esac
}

# build CONFIG FILE...: configure, prepare, make -k the objects. Sets
# built=(files whose object was made) and constfail=(files whose compile
# printed a read-only vm_flags write); writes the log to $log.
build() {
	local cfg=$1 arch defconfig frag karch cc out f o extra=()
	shift
	IFS=: read -r arch defconfig frag <<<"$cfg"
	defconfig=${defconfig:-allmodconfig}
	[ -z "$frag" ] && [ "$defconfig" = allmodconfig ] && frag=allmod.config
	read -r karch cc <<<"$(cross "$arch")"
	[ "$cc" = - ] && cc=
	[ "$arch" = um32 ] && extra=(SUBARCH=i386)
	command -v "${cc}gcc" >/dev/null || die "${cc}gcc not found (scripts/deps.sh --compile-check installs it)"
	out=$PERVMA_CACHE/build/$BASE_TAG/work/allmod-$(echo "$cfg" | tr ':' '-')
	mkdir -p "$out"
	log=$out/compile-check.log
	local mk=(make -C "$WORK" O="$out" ARCH="$karch" CROSS_COMPILE="$cc" CC="ccache ${cc}gcc"
		HOSTCC="ccache gcc" ${extra[@]+"${extra[@]}"} -j"$JOBS" -s)
	export KBUILD_BUILD_TIMESTAMP="@0" CCACHE_BASEDIR=$PERVMA_CACHE CCACHE_NOHASHDIR=1
	note "$cfg: $defconfig + prepare in $out"
	{ KCONFIG_ALLCONFIG=${frag:+$PERVMA_TOP/configs/$frag} "${mk[@]}" "$defconfig" &&
		"${mk[@]}" prepare; } >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "$cfg: $defconfig/prepare failed (log: $log)"; }
	local objs=()
	for f in "$@"; do
		o=$(obj_of "$f")
		rm -f "$out/$o"
		objs+=("$o")
	done
	note "$cfg: compiling $# files"
	"${mk[@]}" -k "${objs[@]}" >>"$log" 2>&1
	built=() constfail=()
	for f in "$@"; do
		if grep -q "${f}:[0-9]*:[0-9]*: error: assignment of read-only member .vm_flags" "$log"; then
			constfail+=("$f")
			grep "${f}:[0-9]*:[0-9]*: error: assignment of read-only member" "$log" | sed 's/^/    /' >&2
		elif [ -f "$out/$(obj_of "$f")" ]; then
			built+=("$f")
		fi
	done
}

declare -A result tried
pass=0 fail=0 skip=0
left=()
for f in "${files[@]}"; do
	c=$(configs_for "$f")
	case "$c" in
	skip:*) result[$f]="skip $f: ${c#skip:}"; skip=$((skip + 1)) ;;
	*) left+=("$f") ;;
	esac
done

# CONFIGS in their order, then the others files name; each builds the
# files still open that may be tried under it.
mapfile -t order < <({ echo "$CONFIGS"; for f in "${left[@]}"; do configs_for "$f"; done; } |
	tr ' ' '\n' | awk 'NF && !seen[$0]++')
for cfg in "${order[@]}"; do
	group=()
	for f in "${left[@]}"; do
		[ -n "${result[$f]:-}" ] && continue
		case " $(configs_for "$f") " in *" $cfg "*) group+=("$f") ;; esac
	done
	[ ${#group[@]} -eq 0 ] && continue
	build "$cfg" "${group[@]}"
	for f in "${group[@]}"; do tried[$f]="${tried[$f]:-}${tried[$f]:+ }$cfg"; done
	for f in "${constfail[@]}"; do
		result[$f]="FAIL $f ($cfg): a direct write of vm_flags is left"
		fail=$((fail + 1))
	done
	for f in "${built[@]}"; do result[$f]="ok   $f ($cfg)"; pass=$((pass + 1)); done
done
for f in "${left[@]}"; do
	[ -n "${result[$f]:-}" ] && continue
	result[$f]="FAIL $f: did not compile under ${tried[$f]} (see the compile-check.log files)"
	fail=$((fail + 1))
done

for f in "${files[@]}"; do echo "${result[$f]}"; done
# Headers are compiled by the files that include them; an arch's headers
# only where that arch was built.
for f in "${headers[@]}"; do
	case "$f" in
	arch/*/include/*)
		a=$(echo "$f" | cut -d/ -f2)
		case " ${order[*]} " in
		*" $a "*|*" $a:"*|*" ${a}64 "*) echo "hdr  $f (through the $a objects above)" ;;
		*) echo "skip $f: no $a build here (no Debian 12 cross compiler for it)"; skip=$((skip + 1)) ;;
		esac ;;
	*) echo "hdr  $f (through the objects above)" ;;
	esac
done
echo "compile-check: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
