#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build a kernel for QEMU from the work tree (or KSRC).
#
# Usage: scripts/build.sh ARCH
#   ARCH      x86_64, arm64 or powerpc (ppc64le)
# Environment:
#   FEATURE   on (default: configs/pervma.config) or off (pervma-off.config)
#   DEBUG     1 adds configs/debug.config (lockdep, DEBUG_VM, KASAN, ...),
#             and with FEATURE=on configs/pervma-debug.config
#   EXTRA_CONFIGS  more fragment files, space separated
#   JOBS      make -j (default: number of CPUs)
#   CONFIG_ONLY=1  stop after making and checking the .config
#   MAPLE_RCU off: build with -DCONFIG_MAPLE_RCU_DISABLED (the maple tree
#             never in RCU mode), into a build dir of its own; default on
# The config is tinyconfig + common.config + ARCH.config + the flavour's
# fragments; every symbol a fragment sets must end up with that value
# (symbols the tree does not define are only reported, for pervma*.config).
# Prints the path of the built image on success.
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: scripts/build.sh ARCH (x86_64, arm64 or powerpc)"
arch_setup "$1"
FEATURE=${FEATURE:-on}
DEBUG=${DEBUG:-0}
OUT=$(build_dir "$PVARCH" "$FEATURE" "$DEBUG") || exit 1
JOBS=${JOBS:-$(nproc)}

[ -f "$WORK/Makefile" ] || die "no kernel tree at $WORK (run scripts/apply.sh first)"
command -v "${CROSS}gcc" >/dev/null || die "${CROSS}gcc not found (scripts/deps.sh installs it)"

CFG=$PERVMA_TOP/configs
frags=("$CFG/common.config" "$CFG/$PVARCH.config")
lenient=()
if [ "$FEATURE" = on ]; then lenient+=("$CFG/pervma.config"); else lenient+=("$CFG/pervma-off.config"); fi
[ "$DEBUG" = 1 ] && frags+=("$CFG/debug.config")
[ "$DEBUG" = 1 ] && [ -f "$CFG/$PVARCH-debug.config" ] && frags+=("$CFG/$PVARCH-debug.config")
[ "$DEBUG" = 1 ] && [ "$FEATURE" = on ] && lenient+=("$CFG/pervma-debug.config")
for f in ${EXTRA_CONFIGS:-}; do
	[ -f "$f" ] || die "EXTRA_CONFIGS: no such file '$f'"
	frags+=("$f")
done

mkdir -p "$OUT"
CC_CMD="${CROSS}gcc"
command -v ccache >/dev/null && CC_CMD="ccache ${CROSS}gcc"
export KBUILD_BUILD_TIMESTAMP="@0" KBUILD_BUILD_USER=pervma KBUILD_BUILD_HOST=pervma
export CCACHE_BASEDIR=$PERVMA_CACHE CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros
MAKE_ARGS=(-C "$WORK" O="$OUT" ARCH="$KARCH" CROSS_COMPILE="$CROSS" CC="$CC_CMD" HOSTCC="ccache gcc" -j"$JOBS")
[ "${MAPLE_RCU:-on}" = off ] && MAKE_ARGS+=(KCFLAGS="${KCFLAGS:+$KCFLAGS }-DCONFIG_MAPLE_RCU_DISABLED")

log=$OUT/build.log
note "configuring $PVARCH (FEATURE=$FEATURE DEBUG=$DEBUG${MAPLE_RCU:+ MAPLE_RCU=$MAPLE_RCU}) in $OUT"
{
	make "${MAKE_ARGS[@]}" tinyconfig &&
	"$WORK/scripts/kconfig/merge_config.sh" -m -O "$OUT" "$OUT/.config" "${frags[@]}" "${lenient[@]}" &&
	make "${MAKE_ARGS[@]}" olddefconfig
} >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "configuration failed (log: $log)"; }

# check_fragment FILE STRICT: every CONFIG_X=v / CONFIG_X=n in FILE must hold.
bad=0
check_fragment() {
	local file=$1 strict=$2 sym want have req
	# A lenient fragment may say "# pervma-requires: CONFIG_X": where
	# this tree and arch do not have CONFIG_X=y, it does not apply.
	if [ "$strict" = 0 ]; then
		for req in $(sed -n 's/^# pervma-requires: *//p' "$file"); do
			if ! grep -qx "$req=y" "$OUT/.config"; then
				note "$(basename "$file"): $req is not set for $PVARCH in this tree (fragment skipped)"
				return
			fi
		done
	fi
	while IFS='=' read -r sym want; do
		have=$(sed -n "s/^$sym=//p" "$OUT/.config")
		[ -n "$have" ] || have=n
		[ "$have" = "$want" ] && continue
		if [ "$strict" = 0 ] && ! grep -rqs --include='Kconfig*' "^[[:space:]]*\(menu\)\{0,1\}config ${sym#CONFIG_}\$" "$WORK"; then
			note "$(basename "$file"): ${sym} is not defined in this tree (skipped)"
			continue
		fi
		echo "pervma: error: $(basename "$file") asks for $sym=$want but the config has $sym=$have" >&2
		bad=1
	done < <(grep -E '^CONFIG_[A-Za-z0-9_]+=' "$file")
}
for f in "${frags[@]}"; do check_fragment "$f" 1; done
for f in "${lenient[@]}"; do check_fragment "$f" 0; done
[ $bad = 0 ] || die "config fragments did not take (see above; $OUT/.config)"
if [ "${CONFIG_ONLY:-0}" = 1 ]; then
	note "config only: $OUT/.config"
	exit 0
fi

note "building $PVARCH with $JOBS jobs (log: $log)"
start=$(date +%s)
if ! make "${MAKE_ARGS[@]}" >>"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -n 20 >&2
	die "build failed for $PVARCH (log: $log)"
fi
nwarn=$(grep -c 'warning:' "$log")
note "built $PVARCH in $(( $(date +%s) - start ))s, $nwarn compiler warning(s)"
[ -f "$OUT/$IMAGE" ] || die "build produced no $IMAGE"
echo "$OUT/$IMAGE"
