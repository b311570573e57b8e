#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The maple tree's userspace tests, on the work tree (base + series) or KSRC.
#
# Usage: scripts/maple-test.sh [--suite-only | --stress-only]
#   Builds the tree's own suite (make -C tools/testing/radix-tree maple) and
#   pervma's RCU-mode stress test (tests/maple/rcu_stress.c, linked with the
#   suite's objects) out of tree, in $PERVMA_CACHE/build/.../maple-suite,
#   then runs:
#     maple                the whole suite (about 3 minutes on 2 cores)
#     rcu_stress           readers under rcu_read_lock() against a writer
#                          that maps, splits, merges and erases ranges
#     rcu_stress --no-rcu  the same with the tree NOT in RCU mode: a negative
#                          control that must fail, to show the checks work
# Environment: MAPLE_SECONDS (rcu_stress run time, default 20),
#   MAPLE_READERS (reader threads, default 3), MAPLE_SEED (default: random).
# Exit status: 0 if everything passed (and the control failed), 1 otherwise.
. "$(dirname "$0")/lib.sh"

RUN_SUITE=1 RUN_STRESS=1
for arg in "$@"; do
	case "$arg" in
	--suite-only) RUN_STRESS=0 ;;
	--stress-only) RUN_SUITE=0 ;;
	-h|--help) sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$arg' (usage: scripts/maple-test.sh [--suite-only | --stress-only])" ;;
	esac
done
SECONDS_=${MAPLE_SECONDS:-20}
READERS=${MAPLE_READERS:-3}
case "$SECONDS_" in ''|*[!0-9]*) die "MAPLE_SECONDS must be a number of seconds, not '$SECONDS_'" ;; esac
case "$READERS" in ''|*[!0-9]*) die "MAPLE_READERS must be a number, not '$READERS'" ;; esac

[ -f "$WORK/lib/maple_tree.c" ] && [ -d "$WORK/tools/testing/radix-tree" ] ||
	die "no kernel tree with lib/maple_tree.c and tools/testing/radix-tree at $WORK (run scripts/apply.sh first)"
dpkg-query -W -f='${Status}' liburcu-dev 2>/dev/null | grep -q 'install ok installed' ||
	die "liburcu-dev is not installed (scripts/deps.sh installs it)"

# The suite's Makefile reaches ../../include (tools/include), ../../lib
# (tools/lib), ../../../lib and ../../../include from its own directory, and
# writes its objects there. Build in a mirror: a copy of
# tools/testing/radix-tree, symlinks for the rest, so that the work tree
# (hard links to the pristine base) is never written.
OUT=$(dirname "$(build_dir x86_64 on 0)")/maple-suite
SUITE=$OUT/tools/testing/radix-tree
STRESS_SRC=$PERVMA_TOP/tests/maple/rcu_stress.c
STRESS_MK=$PERVMA_TOP/tests/maple/rcu_stress.mk

# Rebuild from scratch whenever the tree's sources changed (a content hash:
# mtimes of a re-applied work tree can go backwards); make rebuilds
# rcu_stress when its source changes.
stamp=$( (cd "$WORK" && find tools/testing/radix-tree tools/include tools/lib \
		lib/maple_tree.c lib/test_maple_tree.c lib/xarray.c lib/test_xarray.c \
		lib/radix-tree.c lib/idr.c lib/test_ida.c include/linux \
		-type f \( -name '*.[ch]' -o -name Makefile \) -print0 | sort -z | xargs -0 sha1sum;
	  sha1sum "$STRESS_MK"; echo "$WORK") | sha1sum | cut -c1-16) ||
	die "cannot read the maple tree sources in $WORK"
if [ "$(cat "$OUT/.stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$OUT"
	mkdir -p "$OUT/tools/testing" || die "cannot create $OUT"
	cp -a "$WORK/tools/testing/radix-tree" "$OUT/tools/testing/" || die "cannot copy the suite to $OUT"
	ln -s "$WORK/tools/include" "$OUT/tools/include"
	ln -s "$WORK/tools/lib" "$OUT/tools/lib"
	ln -s "$WORK/lib" "$OUT/lib"
	ln -s "$WORK/include" "$OUT/include"
fi
note "building the maple tree suite and rcu_stress in $SUITE (log: $OUT/build.log)"
t=$(date +%s)
if ! make -C "$SUITE" -f Makefile -f "$STRESS_MK" -j"$(nproc)" \
	RCU_STRESS_SRC="$STRESS_SRC" maple rcu_stress >"$OUT/build.log" 2>&1; then
	grep -E 'error|Error' "$OUT/build.log" | head -n 20 >&2
	die "building the maple tree suite failed (log: $OUT/build.log)"
fi
echo "$stamp" >"$OUT/.stamp"
note "built in $(( $(date +%s) - t ))s"

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
rc=0

# run NAME LOG CMD...: run a program with its output in LOG; 0 if it passed
# (exit 0 and no sanitizer report).
run() {
	local name=$1 log=$2 t r
	shift 2
	t=$(date +%s)
	(cd "$SUITE" && "$@") >"$log" 2>&1
	r=$?
	if [ $r -eq 0 ] && grep -aqE 'ERROR: AddressSanitizer|runtime error:' "$log"; then
		r=1
	fi
	note "$name: exit $r after $(( $(date +%s) - t ))s (log: $log)"
	return $r
}

# seen_update_miss LOG: the suite stopped at one of run_check_rcu_slowread()'s
# "Make sure the test caught at least one update" checks and nowhere else.
# Those count readers that happened to see a transient state (entry2 equals
# the value readers expect at its index, so only a racing, momentarily
# misreported range counts it: docs/maple-rcu.md); on 2 busy cores a run
# can miss the window. They say the race was not exercised, not that a
# reader saw anything wrong.
seen_update_miss() {
	local lines
	lines=$(grep -n -E 'MT_BUG_ON\(mt, !vals->seen_(entry2|entry3|both)\);' "$SUITE/maple.c" |
		cut -d: -f1 | paste -sd'|')
	[ -n "$lines" ] &&
		[ "$(grep -ac 'BUG at' "$1")" = 1 ] &&
		grep -aqE "^BUG at run_check_rcu_slowread:($lines) " "$1"
}

if [ $RUN_SUITE = 1 ]; then
	suite_ok=0
	if run "maple (the suite)" "$OUT/maple.log" ./maple; then
		suite_ok=1
	elif seen_update_miss "$OUT/maple.log"; then
		grep -a 'BUG at' "$OUT/maple.log" >&2
		note "the suite's slow-reader RCU test saw no update this time (timing, see docs/maple-rcu.md): running the suite once more"
		mv "$OUT/maple.log" "$OUT/maple-first.log"
		run "maple (the suite, second run)" "$OUT/maple.log" ./maple && suite_ok=1
	fi
	if [ $suite_ok = 1 ]; then
		grep -a 'tests passed' "$OUT/maple.log" | tail -n 1
	else
		grep -aE 'BUG at|Assertion|ERROR|runtime error|tests passed' "$OUT/maple.log" | head -n 10 >&2
		echo "maple: FAILED" >&2
		rc=1
	fi
fi

if [ $RUN_STRESS = 1 ]; then
	seed=()
	[ -n "${MAPLE_SEED:-}" ] && seed=(--seed "$MAPLE_SEED")
	if run "rcu_stress" "$OUT/rcu_stress.log" ./rcu_stress --seconds "$SECONDS_" \
		--readers "$READERS" "${seed[@]}"; then
		grep -a '^rcu_stress:' "$OUT/rcu_stress.log"
	else
		grep -aE '^rcu_stress:|ERROR: AddressSanitizer|runtime error|SUMMARY' "$OUT/rcu_stress.log" | head -n 20 >&2
		echo "rcu_stress: FAILED" >&2
		rc=1
	fi

	# Negative control: without RCU mode the tree frees and reuses nodes
	# under the readers; the same checks must notice.
	if run "rcu_stress --no-rcu (must fail)" "$OUT/rcu_stress-no-rcu.log" \
		timeout 120 ./rcu_stress --no-rcu --seconds "$SECONDS_" --readers "$READERS" "${seed[@]}"; then
		echo "rcu_stress --no-rcu: passed, but it must fail: the stress test does not detect readers racing with node reuse" >&2
		rc=1
	else
		echo "rcu_stress --no-rcu: failed as it must:"
		grep -aE 'FAIL|ERROR: AddressSanitizer' "$OUT/rcu_stress-no-rcu.log" | head -n 2 | sed 's/^/  /'
	fi
fi
exit $rc
