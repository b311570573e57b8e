#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: build the unpatched base and the patched work tree for ARCH
# (FEATURE=on, no debug options: benchmarks are not run on debug kernels)
# and compare them with scripts/bench.py in one run.
#
# Usage: scripts/bench.sh ARCH
# Environment: RUNS (default 5), BENCH_SECONDS (default 3),
#   BENCH_OUT (output prefix, default $PERVMA_CACHE/bench/ARCH-BASEVERSION)
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: scripts/bench.sh ARCH"
arch_setup "$1"
S=$PERVMA_TOP/scripts
"$S/base.sh" >/dev/null || exit 1
"$S/apply.sh" || exit 1
base_img=$(KSRC=$PRISTINE FEATURE=on DEBUG=0 "$S/build.sh" "$PVARCH") || exit 1
patched_img=$(FEATURE=on DEBUG=0 "$S/build.sh" "$PVARCH") || exit 1
out=${BENCH_OUT:-$PERVMA_CACHE/bench/$PVARCH-$BASE_TAG}
mkdir -p "$(dirname "$out")"
"$S/initramfs.sh" "$PVARCH" "$out.cpio" "$(build_dir "$PVARCH" on 0)" || exit 1
exec /usr/bin/python3 "$S/bench.py" --arch "$PVARCH" --initrd "$out.cpio" --out "$out" \
	--runs "${RUNS:-5}" --seconds "${BENCH_SECONDS:-3}" \
	"base=$base_img" "pervma=$patched_img"
