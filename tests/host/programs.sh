#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host self-test of the guest test programs: build them natively and check
# that they really behave as intended (pass, catch injected corruption,
# print every benchmark result, reject bad command lines), then check that
# they cross-compile as static binaries without warnings.
#
# Output is TAP ("ok N - ..." / "not ok N - ..."), then "N passed, N failed".
# Exits 1 if any check failed.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
progs=(mm_integrity fork_faults pft vma_races vma_lock_stats vma_lock_kunit)
declare -A src=(
	[mm_integrity]=$top/tests/guest/mm_integrity.c
	[fork_faults]=$top/tests/guest/fork_faults.c
	[pft]=$top/tests/bench/pft.c
	[vma_races]=$top/tests/guest/vma_races.c
	[vma_lock_stats]=$top/tests/guest/vma_lock_stats.c
	[vma_lock_kunit]=$top/tests/guest/vma_lock_kunit.c
)
cflags=(-static -O2 -pthread -Wall -Wextra -Werror)
bench_names=(faults_t1 faults_t1_writer writer_ops_t1 faults_t2
	     faults_t2_writer writer_ops_t2 fault_ns fork_us_v256)
run_timeout=120

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$here/tap.sh"

# build CC PROG OUT LOG: compile; fail on any compiler output.
build() {
	local rc=0

	"$1" "${cflags[@]}" -o "$3" "${src[$2]}" >"$4" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		echo "$1 exited with status $rc" >>"$4"
		return 1
	fi
	if [ -s "$4" ]; then
		echo "(compiler printed the output above)" >>"$4"
		return 1
	fi
}

# is_static_elf FILE MACHINE LOG: an ELF for MACHINE with no interpreter.
is_static_elf() {
	local machine

	machine=$(readelf -h "$1" 2>>"$3" | sed -n 's/^ *Machine: *//p')
	if [ "$machine" != "$2" ]; then
		echo "ELF machine is '$machine', expected '$2'" >>"$3"
		return 1
	fi
	if readelf -l "$1" 2>>"$3" | grep -q INTERP; then
		echo "$1 has a program interpreter: not static" >>"$3"
		return 1
	fi
}

# run LOG CMD...: run with a time limit, output to LOG; prints exit status.
run() {
	local log=$1 rc=0

	shift
	timeout "$run_timeout" "$@" >"$log" 2>&1 || rc=$?
	echo "$rc"
}

# --- native builds ----------------------------------------------------------

for p in "${progs[@]}"; do
	log=$tmp/build-$p.log
	rc=0
	build gcc "$p" "$tmp/$p" "$log" &&
		is_static_elf "$tmp/$p" "Advanced Micro Devices X86-64" "$log" ||
		rc=1
	result "$rc" "$p builds natively, static, without warnings" "$log"
done

# --- behaviour --------------------------------------------------------------

for p in "${progs[@]}"; do
	log=$tmp/help-$p.log
	rc=$(run "$log" "$tmp/$p" --help)
	st=0
	expect_rc "$log" "$rc" 0 && expect_grep "$log" '^Usage: ' || st=1
	result "$st" "$p --help prints usage and exits 0" "$log"
done

for p in mm_integrity fork_faults; do
	log=$tmp/pass-$p.log
	rc=$(run "$log" "$tmp/$p" --seconds 2)
	st=0
	expect_rc "$log" "$rc" 0 && expect_grep "$log" ": PASS$" || st=1
	result "$st" "$p --seconds 2 passes" "$log"

	log=$tmp/inject-$p.log
	rc=$(run "$log" "$tmp/$p" --seconds 2 --inject-corruption)
	st=0
	expect_rc "$log" "$rc" 1 && expect_grep "$log" "CORRUPTION: " &&
		expect_grep "$log" ": FAIL " || st=1
	result "$st" "$p --inject-corruption is detected (exit 1, CORRUPTION reported)" "$log"
done

# The race modes on the host's own kernel; mbind skips (4) without NUMA.
for mode in mremap mbind stack munmap; do
	log=$tmp/races-$mode.log
	rc=$(run "$log" "$tmp/vma_races" --mode "$mode" --seconds 1)
	st=0
	if [ "$mode" = mbind ] && [ "$rc" = 4 ]; then
		expect_grep "$log" "SKIP: mbind\(\) is not implemented" || st=1
	else
		expect_rc "$log" "$rc" 0 && expect_grep "$log" ": PASS$" || st=1
	fi
	result "$st" "vma_races --mode $mode --seconds 1 passes" "$log"
done

# vma_lock_stats against made-up /proc files: it skips without counters,
# fails without them when the command line says the kernel has them, and
# fails every part when the counters do not move.
grep -v '^vma_lock_' /proc/vmstat >"$tmp/vmstat-none"
{ cat "$tmp/vmstat-none"
  printf 'vma_lock_success 10\nvma_lock_abort 20\nvma_lock_retry 0\nvma_lock_miss 0\n'
} >"$tmp/vmstat-still"
echo "console=ttyS0 quiet" >"$tmp/cmdline-plain"
echo "console=ttyS0 pervma.vma_lock_stats=1 quiet" >"$tmp/cmdline-stats"

log=$tmp/stats-skip.log
rc=$(run "$log" "$tmp/vma_lock_stats" --vmstat "$tmp/vmstat-none" --cmdline "$tmp/cmdline-plain")
st=0
expect_rc "$log" "$rc" 4 && expect_grep "$log" "SKIP: .* has no vma_lock_\* counters" || st=1
result "$st" "vma_lock_stats skips (4) without counters" "$log"

log=$tmp/stats-missing.log
rc=$(run "$log" "$tmp/vma_lock_stats" --vmstat "$tmp/vmstat-none" --cmdline "$tmp/cmdline-stats")
st=0
expect_rc "$log" "$rc" 1 &&
	expect_grep "$log" "has no vma_lock_success line although the kernel command line has pervma.vma_lock_stats=1" ||
	st=1
result "$st" "vma_lock_stats fails without counters when the command line has pervma.vma_lock_stats=1" "$log"

grep -v '^pgfault ' "$tmp/vmstat-none" >"$tmp/vmstat-noevents"
log=$tmp/stats-noevents.log
rc=$(run "$log" "$tmp/vma_lock_stats" --vmstat "$tmp/vmstat-noevents" --cmdline "$tmp/cmdline-stats")
st=0
expect_rc "$log" "$rc" 1 && expect_grep "$log" "CONFIG_VM_EVENT_COUNTERS is off" || st=1
result "$st" "vma_lock_stats names CONFIG_VM_EVENT_COUNTERS when /proc/vmstat has no events at all" "$log"

log=$tmp/stats-still.log
rc=$(run "$log" "$tmp/vma_lock_stats" --vmstat "$tmp/vmstat-still" --cmdline "$tmp/cmdline-stats")
st=0
expect_rc "$log" "$rc" 1 &&
	expect_grep "$log" "^vma_lock_stats: \(a\) 255 write faults .*vma_lock_success grew by 0, expected at least 255" &&
	expect_grep "$log" "^vma_lock_stats: \(b\) .*vma_lock_abort grew by 0, expected at least 16" &&
	expect_grep "$log" "^vma_lock_stats: \(c\) 64 faults .*vma_lock_abort grew by 0, expected at least 64" &&
	expect_grep "$log" "^vma_lock_stats: \(c\) control: .*vma_lock_success grew by 0" &&
	expect_grep "$log" "^vma_lock_stats: \(c\) the handler resolved 64 faults \(64 pages read\)$" || st=1
result "$st" "vma_lock_stats fails (a), (b) and (c) when the counters do not move; its userfaultfd handler sees every fault" "$log"

# vma_lock_kunit against made-up KUnit debugfs results (6.1's format): it
# passes a passing suite, fails a failing one and one that never ran (the
# suite line says ok, no case line), and without results skips unless the
# command line says the kernel has the suite.
kunit_results() { # DIR SUITE-RESULT CASE-RESULT...
	local dir=$1 suite=$2 n=0 r
	shift 2
	mkdir -p "$dir"
	{ printf 'KTAP version 1\n1..1\n    KTAP version 1\n'
	  printf '    # Subtest: per_vma_lock\n    1..5\n'
	  for r in "$@"; do
		n=$((n + 1))
		printf '    %s %d vma_lock_test_%d\n' "$r" "$n" "$n"
	  done
	  printf '# per_vma_lock: pass:%d fail:0 skip:0 total:%d\n' "$n" "$n"
	  printf '%s 1 per_vma_lock\n' "$suite"
	} >"$dir/results"
}
kunit_results "$tmp/kunit-pass" ok ok ok ok ok ok
kunit_results "$tmp/kunit-fail" "not ok" ok "not ok" ok ok ok
kunit_results "$tmp/kunit-norun" ok
echo "console=ttyS0 pervma.vma_lock_kunit=1 quiet" >"$tmp/cmdline-kunit"

log=$tmp/kunit-pass.log
rc=$(run "$log" "$tmp/vma_lock_kunit" --dir "$tmp/kunit-pass" --cmdline "$tmp/cmdline-kunit")
st=0
expect_rc "$log" "$rc" 0 && expect_grep "$log" "^    ok 5 vma_lock_test_5$" &&
	expect_grep "$log" "^vma_lock_kunit: ok, 5 test cases passed" || st=1
result "$st" "vma_lock_kunit prints the results and passes a passing suite" "$log"

log=$tmp/kunit-fail.log
rc=$(run "$log" "$tmp/vma_lock_kunit" --dir "$tmp/kunit-fail" --cmdline "$tmp/cmdline-kunit")
st=0
expect_rc "$log" "$rc" 1 && expect_grep "$log" "^vma_lock_kunit: FAIL: suite not ok, 2 \"not ok\" line" || st=1
result "$st" "vma_lock_kunit fails a failing suite" "$log"

log=$tmp/kunit-norun.log
rc=$(run "$log" "$tmp/vma_lock_kunit" --dir "$tmp/kunit-norun" --cmdline "$tmp/cmdline-kunit")
st=0
expect_rc "$log" "$rc" 1 && expect_grep "$log" "0 test case\(s\) ran \(at least 5 expected\)" || st=1
result "$st" "vma_lock_kunit fails a suite whose test cases did not run" "$log"

log=$tmp/kunit-skip.log
rc=$(run "$log" "$tmp/vma_lock_kunit" --dir "$tmp/kunit-none" --cmdline "$tmp/cmdline-plain")
st=0
expect_rc "$log" "$rc" 4 && expect_grep "$log" "the kernel does not have the per_vma_lock KUnit suite" || st=1
result "$st" "vma_lock_kunit skips (4) without the suite's results" "$log"

log=$tmp/kunit-missing.log
rc=$(run "$log" "$tmp/vma_lock_kunit" --dir "$tmp/kunit-none" --cmdline "$tmp/cmdline-kunit")
st=0
expect_rc "$log" "$rc" 1 && expect_grep "$log" "FAIL: no .*kunit-none, but the kernel was built with the suite" || st=1
result "$st" "vma_lock_kunit fails without results when the command line has pervma.vma_lock_kunit=1" "$log"

log=$tmp/pft-all.log
rc=$(run "$log" "$tmp/pft" --mode all --seconds 1)
st=0
expect_rc "$log" "$rc" 0 || st=1
result "$st" "pft --mode all --seconds 1 exits 0" "$log"
for name in "${bench_names[@]}"; do
	st=0
	awk -v name="$name" '
		$1 == "BENCH" && $2 == name && NF == 4 &&
		$3 ~ /^[0-9]+\.[0-9]$/ && $3 + 0 > 0 { found++ }
		END { exit found == 1 ? 0 : 1 }' "$log" || st=1
	result "$st" "pft --mode all prints one 'BENCH $name <positive> <unit>'" "$log"
done
st=0
if grep -v '^BENCH [a-z0-9_]* [0-9]*\.[0-9] [a-z/]*$' "$log" >"$tmp/pft-extra.log"; then
	st=1
fi
result "$st" "pft --mode all prints nothing but BENCH lines" "$tmp/pft-extra.log"

for p in "${progs[@]}"; do
	log=$tmp/bogus-$p.log
	rc=$(run "$log" "$tmp/$p" --bogus)
	st=0
	expect_rc "$log" "$rc" 2 && expect_grep "$log" "unrecognized option '--bogus'" &&
		expect_grep "$log" "--help" || st=1
	result "$st" "$p --bogus is rejected with a clear message" "$log"

	case "$p" in vma_lock_stats|vma_lock_kunit) continue ;; esac	# no --seconds
	log=$tmp/badval-$p.log
	rc=$(run "$log" "$tmp/$p" --seconds 0)
	st=0
	expect_rc "$log" "$rc" 2 && expect_grep "$log" "--seconds: '0' is not a number from 1 to" ||
		st=1
	result "$st" "$p --seconds 0 is rejected with a clear message" "$log"
done

log=$tmp/races-nomode.log
rc=$(run "$log" "$tmp/vma_races" --seconds 1)
st=0
expect_rc "$log" "$rc" 2 && expect_grep "$log" "--mode is required" || st=1
result "$st" "vma_races without --mode is rejected with a clear message" "$log"

log=$tmp/races-badmode.log
rc=$(run "$log" "$tmp/vma_races" --mode nosuch)
st=0
expect_rc "$log" "$rc" 2 && expect_grep "$log" "unknown mode 'nosuch'" || st=1
result "$st" "vma_races --mode nosuch is rejected with a clear message" "$log"

log=$tmp/badmode.log
rc=$(run "$log" "$tmp/pft" --mode nosuch)
st=0
expect_rc "$log" "$rc" 2 && expect_grep "$log" "unknown mode 'nosuch'" || st=1
result "$st" "pft --mode nosuch is rejected with a clear message" "$log"

# --- cross builds -----------------------------------------------------------

declare -A cross_machine=(
	[aarch64-linux-gnu-gcc]=AArch64
	[powerpc64le-linux-gnu-gcc]="PowerPC64"
)
for cc in aarch64-linux-gnu-gcc powerpc64le-linux-gnu-gcc; do
	if ! command -v "$cc" >/dev/null; then
		echo "# skipping cross builds with $cc: not installed"
		continue
	fi
	for p in "${progs[@]}"; do
		log=$tmp/cross-$cc-$p.log
		rc=0
		build "$cc" "$p" "$tmp/$p.$cc" "$log" &&
			is_static_elf "$tmp/$p.$cc" "${cross_machine[$cc]}" "$log" ||
			rc=1
		result "$rc" "$p builds with $cc, static, without warnings" "$log"
	done
done

tap_done
