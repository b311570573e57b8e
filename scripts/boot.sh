#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel under QEMU (TCG, multi-threaded) with an initramfs; the
# console goes to LOG. The guest powers itself off; a guest still running
# after TIMEOUT seconds is killed and the run fails.
#
# Usage: scripts/boot.sh ARCH KERNEL INITRD LOG [KERNEL-ARGS...]
# Environment: TIMEOUT (default 1200), CPUS (default 2), MEM (default 1G, in
#   M or G), NUMA_NODES (default 1; more: that many NUMA nodes, a socket
#   each, the CPUs and memory split evenly), ICOUNT (unset: multi-threaded
#   TCG; N: single-threaded TCG with -icount shift=N, where the guest's
#   clock advances 2^N ns per guest instruction, so that time measured in
#   the guest counts instructions, free of host noise; x86_64 guests with
#   more than one CPU hang at SMP bring-up that way with QEMU 7.2: CPUS=1)
. "$(dirname "$0")/lib.sh"

[ $# -ge 4 ] || die "usage: scripts/boot.sh ARCH KERNEL INITRD LOG [KERNEL-ARGS...]"
arch_setup "$1"
KERNEL=$2 INITRD=$3 LOG=$4
shift 4
[ -f "$KERNEL" ] || die "no kernel image at $KERNEL"
[ -f "$INITRD" ] || die "no initramfs at $INITRD"
command -v "$QEMU" >/dev/null || die "$QEMU not found (scripts/deps.sh installs it)"
TIMEOUT=${TIMEOUT:-1200} CPUS=${CPUS:-2} MEM=${MEM:-1G} NUMA_NODES=${NUMA_NODES:-1}
accel=(-accel tcg,thread=multi) mode=
if [ -n "${ICOUNT:-}" ]; then
	case "$ICOUNT" in [0-9] | 1[0-9]) ;; *) die "ICOUNT must be a shift from 0 to 19, not '$ICOUNT'" ;; esac
	accel=(-accel tcg,thread=single -icount "shift=$ICOUNT,sleep=off")
	mode=", icount shift=$ICOUNT"
fi

# NUMA_NODES > 1: one socket per node (the kernel warns about a cache
# shared across nodes otherwise), memory split evenly.
smp=$CPUS numa=()
case "$NUMA_NODES" in
1) ;;
[2-9])
	[ $((CPUS % NUMA_NODES)) -eq 0 ] || die "NUMA_NODES=$NUMA_NODES must divide CPUS=$CPUS"
	case "$MEM" in
	*[0-9]M) mib=${MEM%M} ;;
	*[0-9]G) mib=$(( ${MEM%G} * 1024 )) ;;
	*) die "NUMA_NODES needs MEM in M or G, not '$MEM'" ;;
	esac
	case "$mib" in ''|*[!0-9]*) die "MEM must be a number of M or G, not '$MEM'" ;; esac
	per=$((CPUS / NUMA_NODES))
	smp=$CPUS,sockets=$NUMA_NODES,cores=$per,threads=1
	for ((n = 0; n < NUMA_NODES; n++)); do
		size=$(( mib / NUMA_NODES ))
		[ $n -eq $((NUMA_NODES - 1)) ] && size=$(( mib - size * n ))
		# cpus= rather than -numa cpu,socket-id=, which pseries lacks
		numa+=(-object "memory-backend-ram,id=pvmem$n,size=${size}M"
		       -numa "node,nodeid=$n,memdev=pvmem$n,cpus=$((n * per))-$((n * per + per - 1))")
	done
	;;
*) die "NUMA_NODES must be 1 to 9, not '$NUMA_NODES'" ;;
esac

mkdir -p "$(dirname "$LOG")"
note "booting $(basename "$KERNEL") on $PVARCH ($CPUS CPUs${numa:+, $NUMA_NODES NUMA nodes}, timeout ${TIMEOUT}s$mode), console: $LOG"
start=$(date +%s)
timeout -k 10 "$TIMEOUT" "$QEMU" "${QEMU_MACHINE[@]}" "${accel[@]}" \
	-smp "$smp" -m "$MEM" "${numa[@]}" -nographic -no-reboot -monitor none -serial stdio \
	-kernel "$KERNEL" -initrd "$INITRD" \
	-append "console=$CONSOLE panic=-1 loglevel=7 pervma.cpus=$CPUS $*" \
	</dev/null >"$LOG" 2>&1
rc=$?
# The console uses CRLF; keep the log plain.
sed -i 's/\r$//' "$LOG"
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "pervma: error: guest did not finish within ${TIMEOUT}s; last console lines:" >&2
	tail -n 20 "$LOG" >&2
	exit 1
fi
[ $rc -eq 0 ] || { tail -n 20 "$LOG" >&2; die "$QEMU exited with status $rc"; }
note "guest ran $(( $(date +%s) - start ))s"
