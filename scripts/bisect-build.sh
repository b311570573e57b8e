#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every prefix of the series (0 patches, 1, 2, ... all), with the
# feature on and off: the series must be bisectable.
#
# Usage: scripts/bisect-build.sh [ARCH]      (default x86_64)
# Environment: FEATURES (default "on off"), DEBUG (default 0), BASE, ...
#   FROM=K  build prefixes K and up only (the patches before are still
#           applied), to go on after an interrupted run
#   TO=K    stop after prefix K (default: the whole series); FROM=K TO=K
#           builds the one prefix a changed patch ends
# Prints one line per prefix and build, then "bisect: N passed, N failed";
# exits 1 if any prefix failed to build. Build logs stay in the build dirs.
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: scripts/bisect-build.sh [ARCH]"
ARCH=${1:-x86_64}
arch_setup "$ARCH"
FEATURES=${FEATURES:-on off}
FROM=${FROM:-0}
case $FROM in '' | *[!0-9]*) die "FROM must be a prefix number, not '$FROM'" ;; esac
TO=${TO:-}
case $TO in *[!0-9]*) die "TO must be a prefix number, not '$TO'" ;; esac
S=$PERVMA_TOP/scripts
"$S/base.sh" >/dev/null || exit 1
read_series
[ "$FROM" -le ${#PATCHES[@]} ] || die "FROM=$FROM: the series has only ${#PATCHES[@]} patches"
TO=${TO:-${#PATCHES[@]}}
[ "$TO" -le ${#PATCHES[@]} ] || die "TO=$TO: the series has only ${#PATCHES[@]} patches"
[ "$FROM" -le "$TO" ] || die "FROM=$FROM is after TO=$TO"

tree=$PERVMA_CACHE/bisect/$BASE_TAG/linux
rm -rf "$tree"
mkdir -p "$(dirname "$tree")"
cp -al "$PRISTINE" "$tree" || die "cannot copy the base to $tree"
rm -f "$tree/.pervma-pristine"
# Files the series touches start out as fresh copies with new mtimes, so
# objects left in the build dirs by an earlier run (built from patched
# sources) are rebuilt.
for p in "${PATCHES[@]}"; do
	sed -n 's|^+++ b/||p' "$PATCHES_DIR/$p"
done | sort -u | while read -r f; do
	[ -f "$PRISTINE/$f" ] && cp --remove-destination "$PRISTINE/$f" "$tree/$f"
done

export QUILT_PATCHES=$PATCHES_DIR QUILT_SERIES=$SERIES QUILT_PC=.pc
pass=0 fail=0
for k in $(seq 0 "$TO"); do
	if [ "$k" -gt 0 ]; then
		name=${PATCHES[$((k - 1))]}
		(cd "$tree" && quilt --quiltrc "$S/quiltrc" push -q --fuzz=0 >/dev/null) ||
			die "patch $name does not apply at prefix $k (run scripts/apply.sh for details)"
	else
		name="(base)"
	fi
	[ "$k" -ge "$FROM" ] || continue
	first_cfg=
	for f in $FEATURES; do
		t=$(date +%s)
		cfg=$(KSRC=$tree build_dir "$ARCH" "$f" 0)/.config
		# Until the series defines CONFIG_PER_VMA_LOCK, "on" and "off" are
		# the same .config: the same sources and config make the same build.
		if [ -n "$first_cfg" ] &&
			KSRC=$tree FEATURE=$f CONFIG_ONLY=1 "$S/build.sh" "$ARCH" >/dev/null 2>&1 &&
			cmp -s "$first_cfg" "$cfg"; then
			echo "ok      prefix $k/${#PATCHES[@]} FEATURE=$f $name (same .config as FEATURE=$first_f: built above)"
			pass=$((pass + 1))
			continue
		fi
		if KSRC=$tree FEATURE=$f "$S/build.sh" "$ARCH" >/dev/null 2>"$PERVMA_CACHE/bisect/build-err.log"; then
			[ -n "$first_cfg" ] || { first_cfg=$cfg; first_f=$f; }
			echo "ok      prefix $k/${#PATCHES[@]} FEATURE=$f $name ($(( $(date +%s) - t ))s)"
			pass=$((pass + 1))
		else
			echo "not ok  prefix $k/${#PATCHES[@]} FEATURE=$f $name"
			grep -v '^pervma: pervma' "$PERVMA_CACHE/bisect/build-err.log" | head -n 12 | sed 's/^/    /'
			fail=$((fail + 1))
		fi
	done
done
echo "bisect: $pass passed, $fail failed"
[ $fail -eq 0 ]
