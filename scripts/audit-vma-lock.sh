#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Whole-tree audit: every vm_flags write that a context without the
# mmap_lock held for write can reach, across files (docs/vma-lock-audit.md).
#
# Usage: scripts/audit-vma-lock.sh [options] [TREE]
#
#   TREE              the kernel tree (default: $KSRC, else the pervma work
#                     tree of BASE, $PERVMA_CACHE/work/<base>/linux)
#   -o, --output FILE write the report to FILE instead of stdout
#   --all             one line per flag-writer site and context, instead of
#                     one line per site (the shortest path, "+N more")
#   --helpers         print the derived helper list instead of the report:
#                     the functions of mm/, arch/*/mm/ and the headers that
#                     reach a modifier (what cocci/vma_lock_context.cocci
#                     lists)
#   --write-helpers   write that list into cocci/vma_lock_context.cocci
#   --keep-guarded    count the VM_MIXEDMAP write of vm_insert_page() and
#                     vm_insert_pages() (left out by default: it is made only
#                     when the flag is not set yet, and BUG()s then unless
#                     the mmap_lock is held for write)
#   --arches LIST     the architectures whose arch/ files are read, comma
#                     separated, or "all" (default: x86,arm64,powerpc, the
#                     ones pervma enables the per-VMA lock on; with a list,
#                     mm/nommu.c is left out too)
#   --work DIR        keep the facts and file lists in DIR (default: a
#                     temporary directory, removed at the end)
#   --reuse           with --work DIR: use the facts of an earlier complete
#                     run over the same tree with the same settings and
#                     semantic patch instead of running spatch again (to
#                     get --all, --helpers and the report from one run)
#   -j, --jobs N      spatch processes (default 2)
#
# Method: starting from the modifiers (vm_flags_set/clear/mod/reset/
# reset_once, vma_start_write), repeat until nothing new: list the .c/.h
# files outside tools/ that mention a name of the current set (git grep, or
# grep -rlw outside git), run the semantic patch in its callgraph mode over
# the new ones (definitions, calls, contexts, read- and write-locked
# regions), and add every function that calls one of the set outside a
# read- or write-locked region (above a context, only the core unmap/zap
# functions). Then walk from every context to every flag-writer site. Calls
# resolve by name: to the static definition in the calling file if it has
# one, else to every non-static definition of that name (static inline
# functions of headers count as non-static). Calls through pointers are not
# followed. docs/vma-lock-audit.md has the details.
#
# Output lines, sorted by file and line:
#   FILE:LINE: WRITER via PATH from CONTEXT at FILE:LINE [(+N more contexts)]
# "at" is the call in the context's function that starts the path.
# Runs spatch at nice 19. Exit status 0 when the audit ran (whatever it
# found), 1 on error, 2 on a bad argument.
set -uo pipefail

me=$(basename "$0")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COCCI=${COCCI:-$top/cocci/vma_lock_context.cocci}
SPATCH=${SPATCH:-spatch}

usage() {
	echo "usage: $me [-o FILE] [--all] [--helpers|--write-helpers] [--keep-guarded] [--arches LIST] [--work DIR [--reuse]] [-j N] [TREE]" >&2
	exit 2
}
err() { # MESSAGE [STATUS]
	echo "$me: error: $1" >&2
	exit "${2:-1}"
}
note() {
	echo "$me: $*" >&2
}

output=
what=report
all=0
guarded=drop
work=
jobs=2
arches=x86,arm64,powerpc
arches_given=0
reuse=0
tree=
while [ $# -gt 0 ]; do
	case $1 in
	-o | --output)
		[ $# -ge 2 ] && [ -n "$2" ] || err "$1 needs a file name" 2
		output=$2
		shift 2
		;;
	--output=*)
		output=${1#--output=}
		[ -n "$output" ] || err "--output needs a file name" 2
		shift
		;;
	--all) all=1; shift ;;
	--helpers) what=helpers; shift ;;
	--write-helpers) what=write-helpers; shift ;;
	--keep-guarded) guarded=keep; shift ;;
	--reuse) reuse=1; shift ;;
	--work)
		[ $# -ge 2 ] && [ -n "$2" ] || err "--work needs a directory" 2
		work=$2
		shift 2
		;;
	--arches)
		[ $# -ge 2 ] && [ -n "$2" ] || err "--arches needs a list (x86,arm64,... or all)" 2
		arches=$2
		arches_given=1
		shift 2
		;;
	--arches=*)
		arches=${1#--arches=}
		arches_given=1
		shift
		;;
	-j | --jobs)
		[ $# -ge 2 ] || err "$1 needs a number" 2
		jobs=$2
		shift 2
		;;
	-h | --help)
		sed -n '4,/^set -uo pipefail/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
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
		[ -z "$tree" ] || err "more than one TREE given ('$tree' and '$1')" 2
		tree=$1
		shift
		;;
	esac
done
if [ $# -gt 0 ]; then
	if [ -n "$tree" ] || [ $# -gt 1 ]; then
		err "more than one TREE given" 2
	fi
	tree=$1
fi
case $jobs in
[1-9] | [1-9][0-9]) ;;
*) err "--jobs wants a number from 1 to 99, not '$jobs'" 2 ;;
esac
case $arches in
all) ;;
*[!a-z0-9_,]* | '' | ,* | *, | *,,*) err "--arches wants a comma-separated list of arch/ names or 'all', not '$arches'" 2 ;;
esac

if [ -z "$tree" ]; then
	# shellcheck source=scripts/lib.sh
	. "$top/scripts/lib.sh" || exit 1
	# shellcheck disable=SC2153 # WORK: set by lib.sh
	tree=$WORK
	[ -d "$tree" ] || err "no tree given and the work tree $tree does not exist (run make apply, or give TREE or KSRC=)" 2
fi
[ -d "$tree" ] || err "'$tree' is not a directory" 2
[ -f "$tree/include/linux/mm.h" ] && [ -d "$tree/mm" ] ||
	err "'$tree' is not a kernel tree (no include/linux/mm.h or mm/)" 2
tree=$(cd "$tree" && pwd)
if [ "$arches" != all ] && [ $arches_given = 1 ]; then
	for a in ${arches//,/ }; do
		[ -d "$tree/arch/$a" ] || err "no arch/$a in '$tree' (--arches)" 2
	done
fi
[ -r "$COCCI" ] || err "semantic patch '$COCCI' not found"
command -v "$SPATCH" >/dev/null 2>&1 ||
	err "'$SPATCH' not found: install Coccinelle (Debian: apt-get install coccinelle)"
command -v python3 >/dev/null 2>&1 || err "python3 not found"
if [ -n "$output" ]; then
	: >"$output" 2>/dev/null || err "cannot write '$output'"
fi

[ $reuse = 0 ] || [ -n "$work" ] || err "--reuse needs --work DIR" 2
# what the facts depend on: a reused run must have had the same (the
# helper list in the semantic patch is not used in callgraph mode)
stamp="tree=$tree arches=$arches guarded=$guarded cocci=$(sed '/^\/\/ BEGIN HELPERS$/,/^\/\/ END HELPERS$/d' "$COCCI" | md5sum | cut -d' ' -f1)"
if [ -n "$work" ]; then
	mkdir -p "$work" || err "cannot create '$work'"
	work=$(cd "$work" && pwd)
	if [ $reuse = 1 ]; then
		[ -f "$work/complete" ] && [ "$(cat "$work/complete")" = "$stamp" ] ||
			err "--reuse: $work holds no complete run with these settings (tree, --arches, --keep-guarded, semantic patch)"
	else
		rm -rf "$work"/iter-* "$work/complete"
	fi
else
	work=$(mktemp -d) || err "mktemp failed"
	trap 'rm -rf "$work"' EXIT
fi
read -r -a opts <<<"$(sed -n 's|^// *Options: *||p' "$COCCI" | head -n 1)"

# A converted tree has a const vm_flags: a direct write there is of some
# other struct's vm_flags (vm_region, ...), not of a VMA, so it is not a
# flag writer. In a tree not converted yet, direct writes are the writers.
if grep -Eq 'const[[:space:]]+vm_flags_t[[:space:]]+vm_flags;' "$tree/include/linux/mm_types.h" 2>/dev/null; then
	direct=ignore
else
	direct=count
fi

# files_mentioning NAMES_FILE: the .c/.h files outside tools/ that mention
# one of the names as a word, relative to the tree, sorted.
if git -C "$tree" rev-parse --show-toplevel 2>/dev/null | grep -qxF "$tree"; then
	files_mentioning() {
		git -C "$tree" grep -l -w -F -f "$1" -- '*.c' '*.h' ':!tools' |
			LC_ALL=C sort
	}
	# the files with a direct write of some vm_flags
	files_writing() {
		git -C "$tree" grep -l -E -e '(->|\.)vm_flags[[:space:]]*[|&]?=[^=]' \
			-e 'WRITE_ONCE\([^,]*vm_flags' -- '*.c' '*.h' ':!tools' | LC_ALL=C sort
	}
else
	files_mentioning() {
		(cd "$tree" && find . -path ./tools -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print0 |
			xargs -0 grep -l -w -F -f "$1" -- 2>/dev/null | sed 's|^\./||' | LC_ALL=C sort)
	}
	files_writing() {
		(cd "$tree" && find . -path ./tools -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print0 |
			xargs -0 grep -l -E -e '(->|\.)vm_flags[[:space:]]*[|&]?=[^=]' \
				-e 'WRITE_ONCE\([^,]*vm_flags' -- 2>/dev/null | sed 's|^\./||' | LC_ALL=C sort)
	}
fi

# in_scope: filter a sorted file list: without the arch/ directories of the
# architectures not chosen (and mm/nommu.c, which none of them builds).
in_scope() {
	if [ "$arches" = all ]; then
		cat
	else
		awk -v keep="$arches" 'BEGIN { n = split(keep, a, ","); for (i = 1; i <= n; i++) k[a[i]] = 1 }
			$0 == "mm/nommu.c" { next }
			/^arch\// { split($0, p, "/"); if (!(p[2] in k)) next }
			{ print }'
	fi
}

# The engine: reads the facts spatch printed, prints names, the helper list
# or the report. Arguments: ACTION FACTS DIRECT(count|ignore)
# GUARDED(drop|keep) ALL(0|1).
engine() {
	python3 - "$@" <<'PYEOF'
import collections
import sys

action, facts, direct, guarded, allpairs = sys.argv[1:6]

MODIFIERS = {"vm_flags_set", "vm_flags_clear", "vm_flags_mod",
             "vm_flags_reset", "vm_flags_reset_once", "vma_start_write"}
GUARDED = {"vm_insert_page", "vm_insert_pages"}
CORE = {"unmap_single_vma", "unmap_vmas", "zap_page_range",
        "zap_page_range_single", "zap_vma_ptes", "unmap_mapping_range",
        "unmap_mapping_pages", "unmap_mapping_folio"}
KIND = {"a": 0, "b": 1, "c": 2, "d": 3}

defs = collections.defaultdict(set)      # file -> names defined there
statics = set()                          # (file, name) defined static
defline = {}                             # (file, name) -> line
calls = set()                            # (file, line, col, caller, callee)
writes = set()                           # (file, line, col, caller)
roots = set()                            # (file, line, fn, kind, detail)
regions = set()                          # (file, line, col, caller, callee, opener)
locked = set()                           # (file, line, col)
nullvma = set()                          # (file, line, col)

with open(facts, errors="replace") as f:
    for raw in f:
        t = raw.rstrip("\n").split("\t")
        k = t[0]
        try:
            if k == "def":
                defs[t[1]].add(t[3])
                key = (t[1], t[3])
                defline[key] = min(defline.get(key, 10**9), int(t[2]))
            elif k == "static":
                statics.add((t[1], t[3]))
            elif k == "call":
                calls.add((t[1], int(t[2]), int(t[3]), t[4], t[5]))
            elif k == "write":
                writes.add((t[1], int(t[2]), int(t[3]), t[4]))
            elif k == "root":
                roots.add((t[1], int(t[2]), t[3], t[4], t[5]))
            elif k == "region":
                regions.add((t[1], int(t[2]), int(t[3]), t[4], t[5], t[6]))
            elif k == "locked":
                locked.add((t[1], int(t[2]), int(t[3])))
            elif k == "nullvma":
                nullvma.add((t[1], int(t[2]), int(t[3])))
        except (IndexError, ValueError):
            pass  # a line cut by another process's output: ignore it

def node_of(file, name):
    """The node a call of NAME from FILE reaches: the static function of
    FILE (a .c file) if it defines one, else the name (every non-static
    definition, and static inline ones of headers)."""
    if name in defs.get(file, ()) and (file, name) in statics \
            and not file.endswith(".h"):
        return (file, name)
    return name

def label(node):
    return node[1] if isinstance(node, tuple) else node

# Calls and writes in a read-locked region (after mmap_read_lock() and the
# like) belong to that region: the lock there is the region's, whoever
# called the function, so they are walked from the region's context only
# and do not make the function reach a writer for its callers.
inregion = set((f, l, c) for (f, l, c, _, _, _) in regions)

# Edges and flag-writer sites.
edges = collections.defaultdict(list)     # node -> [(callee node, file, line)]
sites = {}                                # (file, line, col) -> (writer, node)
# (a site under mmap_write_lock() on some path is kept for the region
# contexts: "if (write) mmap_write_lock(); else mmap_read_lock();")
for (file, line, col, caller, callee) in calls:
    if caller in MODIFIERS or caller == "something_else":
        continue                          # the modifiers' own bodies
    src = node_of(file, caller)
    if callee in MODIFIERS:
        if guarded == "drop" and caller in GUARDED:
            continue
        sites[(file, line, col)] = (callee + "()", src)
    elif (file, line, col) not in inregion and (file, line, col) not in locked \
            and (file, line, col) not in nullvma:
        # (track_pfn_remap(NULL, ...), untrack_pfn(NULL, ...): no VMA, no write)
        edges[src].append((node_of(file, callee), file, line))
if direct == "count":
    for (file, line, col, caller) in writes:
        if caller not in MODIFIERS:
            sites[(file, line, col)] = ("write of vm_flags", node_of(file, caller))
# the sites that make their function a writer for its callers
plain = set(k for k in sites if k not in inregion and k not in locked)

# The contexts that are whole functions: (a), (c), (d).
ctx_of = {}                               # node -> (kind, description)
for (file, line, fn, kind, detail) in sorted(roots):
    if kind == "d" and fn in CORE:
        node, desc = node_of(file, fn), "the unmap/zap path %s()" % fn
    elif kind == "a" and detail == "vm_fault_t":
        node, desc = node_of(file, fn), "vm_fault_t function %s()" % fn
    elif kind == "a":
        node, desc = node_of(file, fn), "fault-time callback %s()" % fn
    elif kind == "c":
        node, desc = node_of(file, fn), "mmu notifier callback %s()" % fn
    else:
        continue
    # a context counts once, whatever made it one (.fault rather than
    # vm_fault_t)
    rank = (KIND[kind], detail == "vm_fault_t")
    if node not in ctx_of or rank < ctx_of[node][2]:
        ctx_of[node] = (kind, desc, rank)

# Every node that reaches a site outside a region (backwards from the
# sites): reach. For finding more files, prop: the same, but above a
# context only the core unmap/zap functions and what lies between them are
# followed (zap_vma_ptes() -> zap_page_range_single() -> unmap_single_vma()),
# not their callers: what a context reaches is reported from it.
rev = collections.defaultdict(set)
for src, outs in edges.items():
    for dst, _, _ in outs:
        rev[dst].add(src)
start_nodes = set(sites[k][1] for k in plain)

def closure(cut, between=frozenset()):
    free = set(start_nodes)
    held = set()                          # reached above a context
    todo = [(n, False) for n in free]
    while todo:
        n, above = todo.pop()
        above = above or (cut and n in ctx_of)
        for m in rev.get(n, ()):
            if not above:
                if m not in free:
                    free.add(m)
                    held.discard(m)
                    todo.append((m, False))
            elif m in between and m not in free and m not in held:
                held.add(m)
                todo.append((m, True))
    return free | held

reach = closure(False)
core = set(n for n, v in ctx_of.items() if v[0] == "d" and n in reach)
down = set(core)
todo = list(core)
while todo:
    n = todo.pop()
    for m, _, _ in edges.get(n, ()):
        if m in reach and m not in down:
            down.add(m)
            todo.append(m)
up = set(core)
todo = list(core)
while todo:
    n = todo.pop()
    for m in rev.get(n, ()):
        if m not in up:
            up.add(m)
            todo.append(m)
prop = closure(True, frozenset(down & up))

if action == "names":
    names = set(MODIFIERS)
    # (not the names made by macros, SYSCALL_DEFINE0 and the like: every
    # file that uses the macro would be read, and nothing calls them)
    names.update(n for n in prop if isinstance(n, str) and not n.isupper())
    for n in sorted(names):
        print(n)
    sys.exit(0)

def driver_visible(name):
    for file, ns in defs.items():
        if name not in ns:
            continue
        if file.endswith(".h") and (file.startswith("include/") or
                                    (file.startswith("arch/") and "/include/" in file)):
            return True
        if (file, name) in statics:
            continue
        parts = file.split("/")
        if parts[0] == "mm" or (parts[0] == "arch" and len(parts) > 2 and parts[2] == "mm"):
            return True
    return False

if action == "helpers":
    for n in sorted(n for n in prop if isinstance(n, str)):
        if n not in MODIFIERS and not n.isupper() and driver_visible(n):
            print(n)
    sys.exit(0)

# The contexts: (kind, description, [(start node, path, at)],
# [(site key, at, caller)]).
contexts = []
for node, (kind, desc, _) in ctx_of.items():
    if node in reach:
        cid = (desc, node if isinstance(node, tuple) else ("", node))
        contexts.append((kind, desc, cid, [(node, [label(node)], None)], []))
byregion = collections.defaultdict(list)
for (file, line, col, caller, callee, opener) in regions:
    byregion[(file, caller, opener)].append((line, col, callee))
for (file, caller, opener), items in byregion.items():
    if opener == "mmap_write_downgrade":
        desc = "the code after mmap_write_downgrade() in %s()" % caller
    elif opener == "lock_mm_and_find_vma":
        desc = "the code after lock_mm_and_find_vma() in %s()" % caller
    else:
        desc = "the %s() region in %s()" % (opener, caller)
    starts, direct_sites = [], []
    for line, col, callee in items:
        key = (file, line, col)
        if key in sites:
            direct_sites.append((key, "%s:%d" % (file, line), caller))
        elif callee != "->vm_flags" and callee not in MODIFIERS \
                and key not in nullvma:
            dst = node_of(file, callee)
            if dst in reach:
                starts.append((dst, [caller, label(dst)], "%s:%d" % (file, line)))
    if starts or direct_sites:
        contexts.append(("b", desc, (desc, (file, caller)), starts, direct_sites))

by_node = collections.defaultdict(list)
for key in plain:
    by_node[sites[key][1]].append(key)

# Shortest path from each context to each site it reaches.
# (a context is its description and where it is: two static functions, or
# two functions with read-locked regions, may have the same name)
found = collections.defaultdict(dict)     # site -> {context: (rank, path, at, desc)}
for kind, desc, cid, starts, direct_sites in contexts:
    def offer(key, path, at):
        rank = (len(path), KIND[kind], desc)
        old = found[key].get(cid)
        if old is None or (rank, path, at) < old[:3]:
            found[key][cid] = (rank, path, at, desc)
    for key, at, caller in direct_sites:
        offer(key, [caller], at)
    seen = {}
    frontier = []
    for node, path, at in sorted(starts, key=lambda s: (len(s[1]), s[1], s[2] or "")):
        if node not in seen:
            seen[node] = (path, at)
            frontier.append(node)
    while frontier:
        nxt = []
        for node in frontier:
            path, at = seen[node]
            for key in by_node.get(node, ()):
                f, l, c = key
                offer(key, path, at or "%s:%d" % (f, l))
            for dst, f, l in sorted(edges.get(node, ()), key=lambda e: (label(e[0]), e[1], e[2])):
                if dst in reach and dst not in seen:
                    seen[dst] = (path + [label(dst)], at or "%s:%d" % (f, l))
                    nxt.append(dst)
        frontier = nxt

out = []
for key, byctx in found.items():
    file, line, col = key
    what = sites[key][0]
    ranked = sorted(byctx.values())
    if allpairs == "1":
        for rank, path, at, desc in ranked:
            out.append(((file, line, col, desc, at),
                        "%s:%d: %s via %s from %s at %s" % (
                            file, line, what, " -> ".join(path), desc, at)))
    else:
        rank, path, at, desc = ranked[0]
        more = ""
        if len(ranked) > 1:
            more = " (+%d more context%s)" % (len(ranked) - 1,
                                               "s" if len(ranked) > 2 else "")
        out.append(((file, line, col, desc, at),
                    "%s:%d: %s via %s from %s at %s%s" % (
                        file, line, what, " -> ".join(path), desc, at, more)))
for _, text in sorted(out):
    print(text)
PYEOF
}

names=$work/names
facts=$work/facts
done_list=$work/done
if [ $reuse = 1 ]; then
	note "reusing the facts of $work ($(wc -l <"$done_list") files)"
else
	: >"$facts"
	: >"$done_list"
	printf '%s\n' vm_flags_set vm_flags_clear vm_flags_mod vm_flags_reset \
		vm_flags_reset_once vma_start_write >"$names"

	start=$(date +%s)
	iter=0
	while :; do
		iter=$((iter + 1))
		{
			files_mentioning "$names"
			if [ $iter = 1 ] && [ $direct = count ]; then files_writing; fi
		} | LC_ALL=C sort -u | in_scope >"$work/cand"
		LC_ALL=C comm -23 "$work/cand" "$done_list" >"$work/new"
		nnew=$(wc -l <"$work/new")
		[ "$nnew" -gt 0 ] || break
		note "pass $iter: $(wc -l <"$names") names, $nnew new files"
		dir=$work/iter-$iter
		mkdir -p "$dir"
		(cd "$tree" && xargs -d '\n' cp --parents -t "$dir") <"$work/new" ||
			err "cannot copy the files of pass $iter"
		(cd "$dir" && nice -n 19 "$SPATCH" --very-quiet --sp-file "$COCCI" -D callgraph \
			"${opts[@]}" --jobs "$jobs" --dir . >"$dir.facts" 2>"$dir.err")
		rc=$?
		if [ $rc -ne 0 ] || grep -Eq '^(Fatal error|EXN|Exception|meta: |Traceback|Python error)' "$dir.err"; then
			cat "$dir.err" >&2
			err "spatch failed in pass $iter (exit status $rc)"
		fi
		cat "$dir.facts" >>"$facts"
		rm -rf "$dir"
		LC_ALL=C sort -u "$done_list" "$work/new" -o "$done_list"
		engine names "$facts" "$direct" "$guarded" "$all" >"$names.new" || err "the engine failed"
		mv "$names.new" "$names"
	done
	note "fixpoint after $((iter - 1)) passes: $(wc -l <"$done_list") files read, $(wc -l <"$names") names, $(($(date +%s) - start))s"
	echo "$stamp" >"$work/complete"
fi

case $what in
report)
	if [ -n "$output" ]; then
		engine report "$facts" "$direct" "$guarded" "$all" >"$output" || err "the engine failed"
		note "report: $(wc -l <"$output") lines in $output"
	else
		engine report "$facts" "$direct" "$guarded" "$all" || err "the engine failed"
	fi
	;;
helpers)
	if [ -n "$output" ]; then
		engine helpers "$facts" "$direct" "$guarded" "$all" >"$output" || err "the engine failed"
	else
		engine helpers "$facts" "$direct" "$guarded" "$all" || err "the engine failed"
	fi
	;;
write-helpers)
	engine helpers "$facts" "$direct" "$guarded" "$all" >"$work/helpers" || err "the engine failed"
	[ -s "$work/helpers" ] || err "no helpers found: not writing an empty list"
	python3 - "$COCCI" "$work/helpers" <<'PYEOF' || err "cannot rewrite the helper list in $COCCI"
import sys
cocci, helpers = sys.argv[1:3]
names = [l.strip() for l in open(helpers) if l.strip()]
text = open(cocci).read()
begin, end = "// BEGIN HELPERS\n", "// END HELPERS\n"
i, j = text.index(begin) + len(begin), text.index(end)
lines, cur = [], " "
for n in names:
    item = " " + n + ","
    if len(cur) + len(item) > 76:
        lines.append(cur.rstrip())
        cur = " "
    cur += item
lines.append(cur.rstrip().rstrip(","))
open(cocci, "w").write(text[:i] + "\n".join(lines) + "\n" + text[j:])
PYEOF
	note "wrote $(wc -l <"$work/helpers") helpers into $COCCI"
	;;
esac
