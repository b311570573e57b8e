#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Convert an out-of-tree module's direct vma->vm_flags writes to the
# vm_flags modifiers (vm_flags_set() & co.) with cocci/vm_flags.cocci.
#
# Usage: scripts/cocci-module.sh [--mode patch|report|context|org] DIR
#
#   patch   (default) print a unified diff for every .c/.h under DIR; apply
#           it with: (cd DIR && patch -p1 < the.diff)
#   report  print one "file:line:col: WARNING: ..." line per direct write
#   context, org   the other coccicheck modes
#
# Nothing under DIR is changed. Environment: SPATCH (default: spatch),
# COCCI (default: cocci/vm_flags.cocci of this repository), SPFLAGS (extra
# spatch arguments, run from DIR, e.g. "-I include --all-includes
# --include-headers-for-types" to let spatch see the types in DIR/include).
# Runs one spatch process at nice 19; exit status 0 when spatch succeeded
# (whether or not it found anything), 1 on error, 2 on a bad argument.
set -uo pipefail

me=$(basename "$0")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COCCI=${COCCI:-$top/cocci/vm_flags.cocci}
SPATCH=${SPATCH:-spatch}

usage() {
	echo "usage: $me [--mode patch|report|context|org] DIR" >&2
	exit 2
}
err() { # MESSAGE [STATUS]
	echo "$me: error: $1" >&2
	exit "${2:-1}"
}

mode='patch'
dir=
while [ $# -gt 0 ]; do
	case $1 in
	--mode)
		[ $# -ge 2 ] || err "--mode needs an argument (patch, report, context or org)" 2
		mode=$2
		shift 2
		;;
	--mode=*)
		mode=${1#--mode=}
		shift
		;;
	-h | --help)
		sed -n '4,19p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	--)
		shift
		break
		;;
	-*)
		err "unknown option '$1'" 2
		;;
	*)
		[ -z "$dir" ] || err "more than one DIR given ('$dir' and '$1')" 2
		dir=$1
		shift
		;;
	esac
done
if [ $# -gt 0 ]; then
	if [ -n "$dir" ] || [ $# -gt 1 ]; then
		err "more than one DIR given" 2
	fi
	dir=$1
fi
[ -n "$dir" ] || usage
case $mode in
patch | report | context | org) ;;
*) err "unknown mode '$mode' (use patch, report, context or org)" 2 ;;
esac
[ -d "$dir" ] || err "'$dir' is not a directory" 2
[ -r "$COCCI" ] || err "semantic patch '$COCCI' not found"
COCCI=$(cd "$(dirname "$COCCI")" && pwd)/$(basename "$COCCI") # we cd to DIR
command -v "$SPATCH" >/dev/null 2>&1 ||
	err "'$SPATCH' not found: install Coccinelle (Debian: apt-get install coccinelle)"

# The options the kernel's coccicheck would use (the "// Options:" line).
read -r -a opts <<<"$(sed -n 's|^// *Options: *||p' "$COCCI" | head -n 1)"
read -r -a extra <<<"${SPFLAGS:-}"

# Run from DIR with --dir . so that patch paths are a/FILE b/FILE
# relative to DIR (apply with patch -p1 inside DIR).
log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
(cd "$dir" && nice -n 19 "$SPATCH" --very-quiet --sp-file "$COCCI" -D "$mode" \
	"${opts[@]}" "${extra[@]}" --jobs 1 --dir . >"$out" 2>"$log")
rc=$?
if [ $rc -ne 0 ] || grep -Eq '^(Fatal error|EXN|Exception|.*: parse error|meta: )' "$log"; then
	cat "$log" >&2
	err "spatch failed (exit status $rc)"
fi
if [ "$mode" = report ]; then
	# spatch prints rule by rule; sort by file and line, paths relative to DIR
	sed 's|^\./||' "$out" | LC_ALL=C sort -t: -k1,1 -k2,2n -k3,3n -s
else
	cat "$out"
fi
