#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Static checks for patches: the header fields pervma asks for, and the
# base tree's scripts/checkpatch.pl with no error and no warning.
#
# Usage: scripts/check-patches.sh [PATCH...]
#   no arguments: every patch in the series of $BASE (default 6.1)
#
# Header rules (docs/patch-format.md):
#   - git format-patch form: "From <sha> ..." line, From:, Subject:
#   - Subject "area: summary" (after any [PATCH ...] prefix)
#   - a body that says why, before the tags
#   - Signed-off-by: Name <email>
#   - Patch-mainline: <version> with Git-commit: <sha>, or
#     Patch-mainline: Never, <reason> (pervma-only patches)
# Prints one line per patch and "N passed, N failed"; exits 1 on failure.
. "$(dirname "$0")/lib.sh"

if [ $# -eq 0 ]; then
	read_series
	files=("${PATCHES[@]/#/$PATCHES_DIR/}")
else
	files=("$@")
fi
for f in "${files[@]}"; do [ -f "$f" ] || die "no such patch: $f"; done
# Absolute paths: given a relative path to a file git tracks, checkpatch
# reads the file as source rather than as a patch.
for i in "${!files[@]}"; do
	case "${files[$i]}" in /*) ;; *) files[$i]=$PWD/${files[$i]} ;; esac
done

src=$("$(dirname "$0")/base.sh") || exit 1
CHECKPATCH=$src/scripts/checkpatch.pl
[ -f "$CHECKPATCH" ] || die "no checkpatch.pl in $src"

# check_header FILE: print one problem per line; nothing when the header is good.
check_header() {
	perl -e '
	local $/; my $t = <>;
	my ($msg) = split /^---[ \t]*\n/m, $t, 2;
	my ($h0) = split /\n\n/, $msg, 2;
	$msg =~ s/\A\Q$h0\E/do { (my $u = $h0) =~ s{\n[ \t]+}{ }g; $u }/e;
	my @p;
	push @p, "not git format-patch output (no leading \"From <sha> ...\" line)"
		unless $t =~ /\AFrom [0-9a-f]{40} /;
	push @p, "no \"From: Name <email>\" header" unless $msg =~ /^From: .+ <[^@\s]+@[^>\s]+>$/m;
	if ($msg =~ /^Subject: (.*(?:\n[ \t].*)*)$/m) {
		(my $s = $1) =~ s/\n[ \t]+/ /g;
		$s =~ s/^\[[^\]]*\]\s*//;
		push @p, "subject \"$s\" is not \"area: summary\""
			unless $s =~ /^[A-Za-z0-9_.\/,+-]+(?: [A-Za-z0-9_.\/,+-]+)?: \S/;
	} else {
		push @p, "no Subject: header";
	}
	my ($hdr, $body) = split /\n\n/, $msg, 2;
	$body //= "";
	my @why = grep { /\S/ && !/^[A-Za-z-]+: / && !/^\(cherry picked/ } split /\n/, $body;
	push @p, "no body explaining why" unless @why;
	push @p, "no \"Signed-off-by: Name <email>\"" unless $body =~ /^Signed-off-by: .+ <[^@\s]+@[^>\s]+>$/m;
	if ($body =~ /^Patch-mainline: (.*)$/m) {
		my $pm = $1;
		if ($pm =~ /^(Never|No)\b/) {
			push @p, "Patch-mainline: $pm gives no reason" unless $pm =~ /^(Never|No)\b[,:;]?\s*\S/;
		} else {
			push @p, "Patch-mainline: $pm without \"Git-commit: <sha>\""
				unless $body =~ /^Git-commit: [0-9a-f]{12,40}\b/m;
		}
	} else {
		push @p, "no Patch-mainline: tag (upstream version + Git-commit, or \"Never, <reason>\")";
	}
	push @p, "no diff after the --- line" unless $t =~ /^---[ \t]*\n.*?^diff --git /ms;
	print "$_\n" for @p;
	' "$1"
}

pass=0 fail=0
for f in "${files[@]}"; do
	problems=$(check_header "$f")
	cp_out=$(perl "$CHECKPATCH" --root="$src" --quiet --no-summary --terse --show-types \
		--ignore FILE_PATH_CHANGES "$f" 2>&1)
	cp_bad=$(echo "$cp_out" | grep -E ': (ERROR|WARNING):' || true)
	if [ -z "$problems" ] && [ -z "$cp_bad" ]; then
		pass=$((pass + 1))
		echo "ok - $(basename "$f")"
	else
		fail=$((fail + 1))
		echo "not ok - $(basename "$f")"
		[ -n "$problems" ] && echo "$problems" | sed 's/^/    header: /'
		[ -n "$cp_bad" ] && echo "$cp_bad" | sed "s|^$f:|    checkpatch: line |"
	fi
done
echo "patches: $pass passed, $fail failed"
[ $fail -eq 0 ]
