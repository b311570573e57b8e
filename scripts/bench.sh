#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: build the unpatched base and the patched work tree for ARCH
# (FEATURE=on, no debug options: benchmarks are not run on debug kernels)
# and compare them with scripts/bench.py in one run.
#
# Usage: scripts/bench.sh ARCH
# Environment: RUNS (default 5), BENCH_SECONDS (default 3),
#   BENCH_OUT (output prefix, default $PERVMA_CACHE/bench/ARCH-BASEVERSION)
#   BENCH_COMPARE  series (default): the unpatched base ("base") against the
#                  work tree ("pervma");
#                  maple-rcu: the work tree with the maple tree's RCU mode
#                  disabled ("rcu-off", MAPLE_RCU=off) against the same tree
#                  as it is ("rcu-on"): what RCU mode costs. Both with the
#                  per-VMA lock off (FEATURE=off): its lockless VMA lookup
#                  needs RCU mode, so a kernel with both on and RCU mode
#                  off would be unsafe
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: scripts/bench.sh ARCH"
arch_setup "$1"
S=$PERVMA_TOP/scripts
"$S/base.sh" >/dev/null || exit 1
"$S/apply.sh" || exit 1
case "${BENCH_COMPARE:-series}" in
series)
	base_img=$(KSRC=$PRISTINE FEATURE=on DEBUG=0 "$S/build.sh" "$PVARCH") || exit 1
	patched_img=$(FEATURE=on DEBUG=0 "$S/build.sh" "$PVARCH") || exit 1
	names=(base pervma) tag=
	;;
maple-rcu)
	base_img=$(MAPLE_RCU=off FEATURE=off DEBUG=0 "$S/build.sh" "$PVARCH") || exit 1
	patched_img=$(MAPLE_RCU=on FEATURE=off DEBUG=0 "$S/build.sh" "$PVARCH") || exit 1
	names=(rcu-off rcu-on) tag=-maple-rcu
	;;
*) die "BENCH_COMPARE must be series or maple-rcu, not '$BENCH_COMPARE'" ;;
esac
out=${BENCH_OUT:-$PERVMA_CACHE/bench/$PVARCH-$BASE_TAG$tag}
mkdir -p "$(dirname "$out")"
"$S/initramfs.sh" "$PVARCH" "$out.cpio" "$(MAPLE_RCU=on build_dir "$PVARCH" on 0)" || exit 1
exec /usr/bin/python3 "$S/bench.py" --arch "$PVARCH" --initrd "$out.cpio" --out "$out" \
	--runs "${RUNS:-5}" --seconds "${BENCH_SECONDS:-3}" \
	"${names[0]}=$base_img" "${names[1]}=$patched_img"
