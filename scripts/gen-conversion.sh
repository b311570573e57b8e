#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate the tree-wide vm_flags conversion patch from the semantic patch.
#
# Usage: scripts/gen-conversion.sh [--check] [--no-cache]
#   (default)   write the series' NNNN-$GEN_NAME
#   --check     regenerate and fail (exit 1, with the difference) unless
#               the committed patch is byte for byte the result; then fail
#               unless rerunning the semantic patch on the tree with the
#               whole series applied changes nothing
#   --no-cache  recompute even if a result for the same inputs is cached
#
# How: the pristine base plus the series up to (not including) the
# generated patch, every .c/.h outside tools/ that mentions vm_flags (no
# other file can write it), cocci/vm_flags.cocci in patch mode with the
# options of its "// Options:" line, --jobs 2. The diff is made by git in
# path order, so the result does not depend on spatch's job scheduling.
# Results are cached in $PERVMA_CACHE/gen under a hash of everything they
# depend on (this script, the semantic patch, spatch's version, the base
# version and the series' patches).
. "$(dirname "$0")/lib.sh"

# The generated patch: the series entry named NNNN-$GEN_NAME (the number is
# its place in the series, which patches before it may change).
GEN_NAME=mm-replace-vma-vm_flags-direct-modifications-with-modifier-calls.patch

check=0 use_cache=1
for arg in "$@"; do
	case "$arg" in
	--check) check=1 ;;
	--no-cache) use_cache=0 ;;
	-h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$arg' (usage: scripts/gen-conversion.sh [--check] [--no-cache])" ;;
	esac
done

COCCI=$PERVMA_TOP/cocci/vm_flags.cocci
command -v spatch >/dev/null || die "spatch not found: run 'make deps' (Debian package coccinelle)"
read_series
pre=() post=() seen=0 GEN_PATCH=
for p in "${PATCHES[@]}"; do
	if [[ $p =~ ^[0-9]+-$GEN_NAME$ ]]; then seen=1 GEN_PATCH=$p
	elif [ $seen = 0 ]; then pre+=("$p")
	else post+=("$p")
	fi
done
if [ $seen = 0 ]; then
	# 6.12 has the conversion upstream: its backport series has no such patch.
	[ $check = 1 ] && { echo "$SERIES has no NNNN-$GEN_NAME: nothing to check"; exit 0; }
	die "no NNNN-$GEN_NAME is in $SERIES"
fi
"$PERVMA_TOP/scripts/base.sh" >/dev/null || exit 1
read -r -a opts <<<"$(sed -n 's|^// *Options: *||p' "$COCCI" | head -n 1)"

key=$( {
	cat "$0" "$COCCI"
	spatch --version 2>&1 | head -n 1
	echo "$BASE_VERSION"
	for p in "${PATCHES[@]}"; do
		[ "$p" = "$GEN_PATCH" ] || cat "$PATCHES_DIR/$p"
	done
} | sha256sum | cut -c1-16)
cache=$PERVMA_CACHE/gen/$key
mkdir -p "$PERVMA_CACHE/gen"

scratch=$(mktemp -d "$PERVMA_CACHE/gen/.run.XXXXXX") || die "cannot make a scratch directory"
trap 'rm -rf "$scratch"' EXIT

# apply_to TREE PATCH...: patch(1) --fuzz=0 (it writes new files, so a
# hard-linked copy of the pristine tree stays pristine).
apply_to() {
	local tree=$1 p
	shift
	for p in "$@"; do
		patch -d "$tree" -p1 -s --fuzz=0 -N -r - <"$PATCHES_DIR/$p" >"$scratch/patch.log" 2>&1 ||
			{ cat "$scratch/patch.log" >&2; die "$p does not apply (see above)"; }
	done
}

# candidates TREE DEST: copy TREE's files that can write vm_flags to DEST,
# a fresh git repository (committed), so that a diff can be taken later.
candidates() {
	(cd "$1" && grep -rlw --include='*.[ch]' --exclude-dir=tools vm_flags . |
		sed 's|^\./||' | LC_ALL=C sort) >"$scratch/cand.list"
	mkdir -p "$2"
	(cd "$1" && tar cf - -T "$scratch/cand.list") | tar xf - -C "$2"
	(cd "$2" && git init -q && git add -A . &&
		git -c user.name=pervma -c user.email=pervma@localhost commit -qm candidates)
}

# run_spatch DIR: the semantic patch over DIR, in place.
run_spatch() {
	(cd "$1" && nice -n 10 spatch --very-quiet --sp-file "$COCCI" -D patch "${opts[@]}" \
		--jobs 2 --in-place --dir . >"$scratch/spatch.out" 2>"$scratch/spatch.err")
	local rc=$?
	if [ $rc -ne 0 ] || grep -Eq '^(Fatal error|EXN|Exception|meta: |minus: |plus: )' "$scratch/spatch.err"; then
		cat "$scratch/spatch.err" >&2
		die "spatch failed (exit status $rc)"
	fi
}

generate() { # OUT
	local t0=$SECONDS
	cp -al "$PRISTINE" "$scratch/tree" || die "cannot copy $PRISTINE"
	apply_to "$scratch/tree" "${pre[@]}"
	candidates "$scratch/tree" "$scratch/cand"
	note "spatch over $(wc -l <"$scratch/cand.list") files that mention vm_flags ..."
	run_spatch "$scratch/cand"
	{
		header
		echo "---"
		(cd "$scratch/cand" && git diff --stat=72 --summary && echo && git diff --no-color --no-renames)
		echo "-- "
		echo "pervma scripts/gen-conversion.sh"
		echo
	} >"$1"
	note "generated in $((SECONDS - t0)) s: $(grep -c '^diff --git' "$1") files changed"
}

# rerun_is_noop: the semantic patch changes nothing once the whole series
# is applied (the converted tree, with vm_flags const and any later patch).
rerun_is_noop() {
	local t0=$SECONDS
	[ -d "$scratch/tree" ] || { cp -al "$PRISTINE" "$scratch/tree" && apply_to "$scratch/tree" "${pre[@]}"; }
	apply_to "$scratch/tree" "$GEN_PATCH" "${post[@]}"
	candidates "$scratch/tree" "$scratch/final"
	run_spatch "$scratch/final"
	(cd "$scratch/final" && git diff --stat --exit-code >"$scratch/rerun.diff") || {
		cat "$scratch/rerun.diff" >&2
		(cd "$scratch/final" && git diff) | head -n 100 >&2
		note "rerunning the semantic patch on the fully patched tree changes the files above"
		return 1
	}
	note "rerun over $(wc -l <"$scratch/cand.list") files of the patched tree changes nothing ($((SECONDS - t0)) s)"
}

header() {
	cat <<'EOF'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: pervma maintainers <maintainers@pervma.invalid>
Date: Mon, 23 Nov 2026 00:00:00 +0000
Subject: [PATCH] mm: replace vma->vm_flags direct modifications with modifier calls

Replace every direct write of vma->vm_flags in the tree with the modifier
the context calls for, so that per-VMA locking can assert (and later take)
the VMA write lock in one place: vm_flags_init() for a VMA nobody else can
see yet, vm_flags_reset() or vm_flags_reset_once() (WRITE_ONCE stores) to
assign, vm_flags_set(), vm_flags_clear() or vm_flags_mod() to change bits,
__vm_flags_mod() for VMA objects that are never in a tree.

This patch is generated: scripts/gen-conversion.sh runs pervma's
cocci/vm_flags.cocci over every file that mentions vm_flags and
`make check` fails if this file differs from what the script produces.
Do not edit it; change the semantic patch or add a hand-written patch
after it. Writes the semantic patch cannot see (through a pointer to
vm_flags, as ksm_madvise() users do) are converted by the patches that
follow.

Upstream made the same conversion by hand.

Patch-mainline: v6.3-rc1
Git-commit: 1c71222e5f23
Signed-off-by: pervma maintainers <maintainers@pervma.invalid>
EOF
}

t0=$SECONDS
if [ $use_cache = 1 ] && [ -f "$cache.patch" ]; then
	note "conversion for these inputs is cached ($cache.patch)"
else
	generate "$scratch/out.patch"
	mv "$scratch/out.patch" "$cache.patch"
fi

if [ $check = 0 ]; then
	cp "$cache.patch" "$PATCHES_DIR/$GEN_PATCH"
	echo "wrote $PATCHES_DIR/$GEN_PATCH"
	exit 0
fi

if ! cmp -s "$cache.patch" "$PATCHES_DIR/$GEN_PATCH"; then
	diff -u "$PATCHES_DIR/$GEN_PATCH" "$cache.patch" | head -n 60 >&2
	die "$GEN_PATCH differs from what scripts/gen-conversion.sh generates (run it to regenerate)"
fi
echo "$GEN_PATCH is what scripts/gen-conversion.sh generates"
# The rerun depends on the whole series (the generated patch included).
rkey=$( { echo "$key"; cat "$PATCHES_DIR/$GEN_PATCH"; } | sha256sum | cut -c1-16)
if [ $use_cache = 1 ] && [ -f "$PERVMA_CACHE/gen/$rkey.noop" ]; then
	echo "rerun on the patched tree changes nothing (cached result)"
else
	rerun_is_noop || exit 1
	touch "$PERVMA_CACHE/gen/$rkey.noop"
	echo "rerun on the patched tree changes nothing"
fi
