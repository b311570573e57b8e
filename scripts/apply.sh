#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Apply pervma's series to a kernel tree with zero fuzz.
#
# Usage: scripts/apply.sh [--git]
#   default  quilt push -a --fuzz=0
#   --git    git am (the tree must be a git checkout with a clean work tree;
#            the cached work tree is made one)
#
# Without KSRC the series goes onto a fresh copy of the pristine base in
# $PERVMA_CACHE/work/<version>/linux, which replaces the old work tree only
# once every patch has applied. With KSRC=/path the series goes onto that
# tree; on failure every patch this run applied is taken off again.
# Either way a patch that does not apply is named with its failing hunks,
# the exit status is 1 and the tree is as it was before the run.
. "$(dirname "$0")/lib.sh"

MODE=quilt
for arg in "$@"; do
	case "$arg" in
	--git) MODE=git ;;
	-h|--help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$arg' (usage: scripts/apply.sh [--git])" ;;
	esac
done

read_series

export QUILT_PATCHES=$PATCHES_DIR QUILT_SERIES=$SERIES
export QUILT_PC=.pc
QUILT=(quilt --quiltrc "$PERVMA_TOP/scripts/quiltrc")

# quilt_hunks PATCH LOG: patch(1)'s output as one line per failed hunk,
# "FILE: hunk #N FAILED at line L".
quilt_hunks() {
	awk '
	/^patching file / { f = $3 }
	/^Hunk #[0-9]+ FAILED at/ { sub(/\.$/, "", $5); printf "  %s: hunk %s FAILED at line %s\n", f, $2, $5 }
	' "$2"
}

# git_hunks PATCH LOG: git reports FILE:LINE of a failed hunk; translate it
# to the hunk number inside PATCH, as quilt users read them.
git_hunks() {
	local patch=$1 log=$2 fl file line
	grep -o 'error: patch failed: .*' "$log" | sed 's/error: patch failed: //' |
	while read -r fl; do
		file=${fl%:*}; line=${fl##*:}
		awk -v f="$file" -v l="$line" '
		/^diff --git / { cur = ""; n = 0 }
		/^\+\+\+ / { cur = $2; sub(/^b\//, "", cur) }
		/^@@ / && cur != "" { n++; split($2, a, ","); s = substr(a[1], 2)
			if (cur == f && s == l) printf "  %s: hunk #%d FAILED at line %s\n", f, n, l }
		' "$PATCHES_DIR/$patch"
	done
}

# fail_patch PATCH LOG TREE HUNKS-FN: name the patch and its failed hunks
# (or, when the tool's output names none, its last lines).
fail_patch() {
	local hunks
	echo "pervma: error: patch '$1' does not apply to $3 with --fuzz=0:" >&2
	hunks=$("$4" "$1" "$2")
	if [ -n "$hunks" ]; then
		echo "$hunks" >&2
	else
		sed 's/^/  /' "$2" | tail -n 8 >&2
	fi
}

# apply_quilt TREE: push the whole series; on failure pop back to where the
# tree was and return 1.
apply_quilt() {
	local tree=$1 before had_pc log rc failing
	cd "$tree" || die "cannot enter $tree"
	had_pc=0; [ -d .pc ] && had_pc=1
	before=$("${QUILT[@]}" top 2>/dev/null) || before=
	if [ -z "$("${QUILT[@]}" unapplied 2>/dev/null)" ]; then
		[ ${#PATCHES[@]} -eq 0 ] && note "series is empty: nothing to apply" ||
			note "series already applied (top: $before)"
		[ "$had_pc" = 0 ] && rm -rf .pc
		return 0
	fi
	log=$(mktemp)
	"${QUILT[@]}" push -a --fuzz=0 >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		failing=$(sed -n 's/^Patch \(.*\) does not apply.*/\1/p' "$log" | tail -n1)
		failing=${failing#"$QUILT_PATCHES"/}
		failing=${failing#patches/}
		[ -n "$failing" ] || failing=$(sed -n 's/^Applying patch //p' "$log" | tail -n1)
		fail_patch "${failing##*/}" "$log" "$tree" quilt_hunks
		if [ -n "$before" ]; then
			"${QUILT[@]}" pop -q "$before" >/dev/null 2>&1
		elif [ -n "$("${QUILT[@]}" applied 2>/dev/null)" ]; then
			"${QUILT[@]}" pop -a -q >/dev/null 2>&1
		fi
		[ "$had_pc" = 0 ] && rm -rf .pc
		rm -f "$log"
		echo "pervma: $tree left as it was (top patch: ${before:-none})" >&2
		return 1
	fi
	grep -i 'offset\|fuzz' "$log" | sed 's/^/pervma: note: /' >&2
	rm -f "$log"
	note "applied ${#PATCHES[@]} patch(es) to $tree (top: $("${QUILT[@]}" top 2>/dev/null))"
}

# apply_git TREE: git am the series onto a clean checkout; on failure
# git am --abort puts HEAD and the work tree back.
apply_git() {
	local tree=$1 log p n=0
	cd "$tree" || die "cannot enter $tree"
	git rev-parse --git-dir >/dev/null 2>&1 || die "$tree is not a git checkout (--git needs one)"
	[ -z "$(git status --porcelain --untracked-files=no)" ] ||
		die "$tree has uncommitted changes; git am needs a clean tree"
	[ ${#PATCHES[@]} -eq 0 ] && { note "series is empty: nothing to apply"; return 0; }
	log=$(mktemp)
	for p in "${PATCHES[@]}"; do
		n=$((n + 1))
		if ! git am -q --no-3way "$PATCHES_DIR/$p" >"$log" 2>&1; then
			fail_patch "$p" "$log" "$tree" git_hunks
			git am --abort >/dev/null 2>&1
			[ $n -gt 1 ] && git reset -q --hard "HEAD~$((n - 1))"
			rm -f "$log"
			echo "pervma: $tree left as it was (HEAD $(git rev-parse --short HEAD))" >&2
			return 1
		fi
	done
	rm -f "$log"
	note "applied ${#PATCHES[@]} patch(es) to $tree with git am (HEAD $(git rev-parse --short HEAD))"
}

series_stamp() {
	{
		echo "$MODE $BASE_VERSION"
		cat "$SERIES"
		for p in "${PATCHES[@]}"; do cat "$PATCHES_DIR/$p"; done
	} | sha256sum | cut -d' ' -f1
}

if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/mm" ] || die "KSRC=$KSRC does not look like a kernel tree"
	if [ "$MODE" = git ]; then apply_git "$KSRC"; else apply_quilt "$KSRC"; fi
	exit $?
fi

"$(dirname "$0")/base.sh" >/dev/null || exit 1
stamp=$(series_stamp)
if [ -f "$WORK/.pervma-applied" ] && [ "$(cat "$WORK/.pervma-applied")" = "$stamp" ]; then
	note "work tree $WORK is up to date with the series"
	exit 0
fi

# Build the new work tree beside the old one. Unchanged files are hard
# links to the pristine base (patch(1) and git write new files rather than
# editing in place, so the base is never modified).
staging=$WORK.new
rm -rf "$staging"
mkdir -p "$(dirname "$WORK")"
cp -al "$PRISTINE" "$staging" || die "cannot copy the base to $staging"
rm -f "$staging/.pervma-pristine"
# Files the previous series changed are back to pristine content here but
# with old mtimes: give them fresh ones so kbuild rebuilds their objects.
if [ -f "$WORK/.pervma-touched" ]; then
	while read -r f; do
		[ -f "$staging/$f" ] && cp --remove-destination "$PRISTINE/$f" "$staging/$f"
	done < "$WORK/.pervma-touched"
fi
marker=$(mktemp)
if [ "$MODE" = git ]; then
	git_snapshot "$staging" "base $BASE_VERSION" || die "cannot make $staging a git checkout"
	(apply_git "$staging")
else
	(apply_quilt "$staging")
fi
rc=$?
if [ $rc -ne 0 ]; then
	rm -rf "$staging" "$marker"
	exit 1
fi
(cd "$staging" && find . -path ./.pc -prune -o -path ./.git -prune -o \
	-type f -newer "$marker" -print | sed 's|^\./||' | sort) > "$staging/.pervma-touched"
[ -f "$WORK/.pervma-touched" ] &&
	sort -u "$WORK/.pervma-touched" "$staging/.pervma-touched" -o "$staging/.pervma-touched"
rm -f "$marker"
echo "$stamp" > "$staging/.pervma-applied"
rm -rf "$WORK"
mv "$staging" "$WORK"
note "work tree: $WORK"
