#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: the whole verification of the series on $BASE, in stages.
#
#   host tests     the harness's own tests (apply failure handling, console
#                  log judging, patch checks, the guest programs on the host)
#   apply          quilt push -a --fuzz=0 onto the cached work tree
#   apply (git am) the same series with git am onto a scratch git copy
#   patches        header fields + checkpatch.pl for every patch
#   conversion     the vm_flags conversion patch is what
#                  scripts/gen-conversion.sh makes, and rerunning the
#                  semantic patch on the patched tree changes nothing
#   maple tree     the tree's userspace maple tree suite and pervma's RCU-mode
#                  stress test (scripts/maple-test.sh)
#   ARCH-on-debug  for x86_64, arm64 and powerpc: debug build (lockdep,
#                  KASAN, DEBUG_VM, ...) with the feature on, boot, tests;
#                  powerpc boots twice, with the radix and the hash MMU
#   ARCH-off       the same arches with the feature off (FEATURE=off):
#                  build, boot, tests
#   ARCH-on        the feature on without the debug options, as a
#                  distribution ships it (x86_64): build; a module that is
#                  not GPL-licensed links against it (tests/kmod/abi);
#                  boot, tests
#
# A stage that fails does not stop the others (a boot is skipped when its
# build failed). Prints a summary and "N passed, N failed"; exits 1 if any
# stage failed. Environment: ARCHS (default "x86_64 arm64 powerpc"),
# DEBUG_ARCHS (those of ARCHS built with debug.config, default all three),
# OFF_ARCHS (archs also built and tested with the feature off,
# FEATURE=off; default all three, empty for none), ON_ARCHS (archs also
# built and tested with the feature on and no debug options; default
# x86_64, empty for none),
# TEST_SECONDS (stress-test time in the guest, default 5), MAPLE_SECONDS
# (RCU stress time on the host, default 20).
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "check.sh takes no arguments (see the environment variables in its header)"
ARCHS=${ARCHS:-x86_64 arm64 powerpc}
DEBUG_ARCHS=${DEBUG_ARCHS-x86_64 arm64 powerpc}
OFF_ARCHS=${OFF_ARCHS-x86_64 arm64 powerpc}
ON_ARCHS=${ON_ARCHS-x86_64}
for a in $ARCHS $OFF_ARCHS $ON_ARCHS; do (arch_setup "$a") || exit 1; done
S=$PERVMA_TOP/scripts
T0=$(date +%s)
results=()
npass=0 nfail=0

# stage NAME CMD...: run CMD with its output shown, and record the result.
stage() {
	local name=$1 t rc
	shift
	echo
	echo "==== $name"
	t=$(date +%s)
	"$@"
	rc=$?
	t=$(( $(date +%s) - t ))
	if [ $rc -eq 0 ]; then
		results+=("ok      $name (${t}s)")
		npass=$((npass + 1))
	else
		results+=("not ok  $name (${t}s)")
		nfail=$((nfail + 1))
	fi
	return $rc
}

apply_git_scratch() {
	local scratch
	scratch=$(mktemp -d "$PERVMA_CACHE/gitam.XXXXXX") || return 1
	cp -al "$PRISTINE" "$scratch/linux" && rm -f "$scratch/linux/.pervma-pristine" &&
		git_snapshot "$scratch/linux" "base $BASE_VERSION" &&
		KSRC=$scratch/linux "$S/apply.sh" --git
	local rc=$?
	rm -rf "$scratch"
	return $rc
}

stage "deps" "$S/deps.sh"
for t in programs apply check-log check-patches cocci cocci-context gen-conversion kmod maple; do
	stage "host tests: $t" bash "$PERVMA_TOP/tests/host/$t.sh"
done
stage "base $BASE_PKG $BASE_VERSION" "$S/base.sh"
applied=0
stage "apply series (quilt --fuzz=0)" "$S/apply.sh" && applied=1
stage "apply series (git am)" apply_git_scratch
stage "patches: headers + checkpatch" "$S/check-patches.sh"
stage "conversion patch: generated, rerun changes nothing" "$S/gen-conversion.sh" --check
if [ $applied = 1 ]; then
	stage "maple tree: userspace suite + RCU stress" "$S/maple-test.sh"
else
	results+=("skip    maple tree: userspace suite + RCU stress (series did not apply)")
fi

# arch_stages ARCH FEATURE DEBUG: build that kernel, then boot it and run
# the guest tests.
arch_stages() {
	local flav
	flav=$(flavour_name "$2" "$3")
	if [ $applied = 1 ] &&
		stage "$1-$flav: build" env DEBUG="$3" FEATURE="$2" "$S/build.sh" "$1"; then
		# What a distribution ships: a module of another licence that
		# uses the vm_flags modifiers and VMA locks must link.
		if [ "$2" = on ] && [ "$3" = 0 ]; then
			stage "$1-$flav: a module that is not GPL-licensed links" \
				"$S/kmod.sh" "$1" "$(build_dir "$1" on 0)" pervma_abi
		fi
		stage "$1-$flav: boot + tests" env DEBUG="$3" FEATURE="$2" "$S/guest-test.sh" "$1"
		# The powerpc guest runs the radix MMU; the fault path under the
		# hash MMU gets a boot of its own.
		if [ "$1" = powerpc ] && [ "$2" = on ]; then
			stage "$1-$flav: boot + tests, hash MMU" env KERNEL_ARGS=disable_radix \
				DEBUG="$3" FEATURE="$2" "$S/guest-test.sh" "$1"
		fi
	else
		results+=("skip    $1-$flav: boot + tests (no kernel)")
	fi
}

for a in $ARCHS; do
	debug=0
	case " $DEBUG_ARCHS " in *" $a "*) debug=1 ;; esac
	arch_stages "$a" on $debug
done
# The feature off: the kernel must behave as the base does.
for a in $OFF_ARCHS; do
	arch_stages "$a" off 0
done
# The feature on, as a distribution builds it (no lockdep, KASAN, ...).
for a in $ON_ARCHS; do
	case " $DEBUG_ARCHS " in
	*" $a "*) arch_stages "$a" on 0 ;;
	esac	# else the ARCHS loop built it so already
done

echo
echo "==== summary (base $BASE_VERSION, $(date -u +%Y-%m-%dT%H:%MZ), $(( ($(date +%s) - T0) / 60 )) min)"
printf '%s\n' "${results[@]}"
echo "check: $npass passed, $nfail failed"
[ $nfail -eq 0 ]
