// SPDX-License-Identifier: GPL-2.0-only
/// Find vm_flags writes made where the mmap_lock is not held for write.
///
/// With per-VMA locks (upstream 6.3; pervma on 6.1) vm_flags_set(),
/// vm_flags_clear() and vm_flags_mod() assert that the mmap_lock is held for
/// write and write-lock the VMA (vma_start_write()); vm_flags_reset() and
/// vm_flags_reset_once() assert that the VMA is write-locked. A call made
/// with the mmap_lock held only for read, or not at all, trips the
/// assertion and races with everything that reads the flags.
///
/// Reported: every call of a flag writer, in a function that one of these
/// contexts reaches, following calls from function to function in the same
/// file (static helpers included; calls through pointers are not followed):
///  (a) fault-time callbacks: .fault, .huge_fault, .page_mkwrite,
///      .pfn_mkwrite, .map_pages of a struct vm_operations_struct
///      initializer, and any vm_fault_t f(struct vm_fault *, ...);
///  (b) code after mmap_read_lock(), mmap_read_lock_killable(),
///      mmap_read_trylock(), lock_mm_and_find_vma() or
///      mmap_write_downgrade() and before mmap_read_unlock() (or a write
///      lock, which means the read lock was dropped), on some path;
///  (c) struct mmu_notifier_ops and mmu_interval_notifier_ops callbacks;
///  (d) the core unmap/zap paths (unmap_single_vma(), unmap_vmas(),
///      zap_page_range(), zap_page_range_single(), zap_vma_ptes(),
///      unmap_mapping_range(), unmap_mapping_pages(), unmap_mapping_folio()),
///      which run from exit_mmap(), from munmap after the lock downgrade and
///      from truncation without the mmap_lock held for write.
/// Flag writers: the modifiers vm_flags_set/clear/mod/reset/reset_once and
/// vma_start_write(); direct writes of E->vm_flags (|=, &=, =, WRITE_ONCE)
/// in code not converted yet; and the kernel functions that reach a
/// modifier (the list in the WRITERS rule below: remap_pfn_range(),
/// io_remap_pfn_range(), untrack_pfn(), zap_vma_ptes(), ...).
///
/// That list is derived from the tree, not written by hand:
/// scripts/audit-vma-lock.sh --helpers computes, over a whole kernel tree,
/// every function that reaches a modifier through any chain of calls
/// (across files, by name, to a fixpoint; see docs/vma-lock-audit.md) and
/// prints those defined in mm/, arch/*/mm/ and as inline functions in the
/// headers (include/, arch/*/include/): the functions a driver can call.
/// --write-helpers rewrites the list in this file (from 6.1.192 and the
/// pervma series, x86, arm64 and powerpc: 54 names). Left out on purpose:
/// vm_insert_page(), vm_insert_pages() and vm_map_pages() (and so
/// vm_map_pages_zero()): they set VM_MIXEDMAP only when it is not set yet,
/// and on that path 6.1 already BUG()s unless the mmap_lock is held for
/// write (BUG_ON(mmap_read_trylock())), so a fault handler may call them
/// only if ->mmap set VM_MIXEDMAP; every such call would be reported.
/// Functions that write a VMA only before it is visible (mmap_region() and
/// its callers under mmap_write_lock()) stay in the list: calling them from
/// a fault handler or under the read lock is wrong anyway.
///
/// Not reported: calls and writes after mmap_write_lock*() (and before the
/// unlock or downgrade), which also do not make their function a writer;
/// track_pfn_remap(NULL, ...) and untrack_pfn(NULL, ...) (no VMA). A call
/// guarded by a test that the flags are set already is reported all the
/// same. Across files, run scripts/audit-vma-lock.sh.
/// Modes: report, org, context; callgraph prints the facts the whole-tree
/// audit is built from (definitions, calls, direct writes, contexts).
/// See docs/vma-lock-audit.md of pervma.
///
// Confidence: Moderate
// Copyright: (C) 2026 The pervma authors.
// Comments: one message per call site, naming the context and the path.
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report
virtual callgraph

@initialize:python@
@@
import re
import sys

# (The names of the writers, the contexts and the lock calls are in the
# rules below, where spatch can use them to skip files.)

# What to do, by context: (a) fault-time, (b) read-locked region, (c) MMU
# notifier, (d) core unmap/zap path.
ADVICE = {
    "a": "the mmap_lock is held only for read here; set the flags in "
         "->mmap, or use vmf_insert_pfn()",
    "b": "the mmap_lock is held only for read here; take mmap_write_lock() "
         "instead, or set the flags in ->mmap",
    "c": "notifiers run from zap and unmap paths without the mmap_lock held "
         "for write; change vm_flags in ->mmap or under mmap_write_lock()",
    "d": "the mmap_lock is held only for read here (exit_mmap(), munmap "
         "after mmap_write_downgrade()) or not at all "
         "(zap_page_range_single(), unmap_mapping_range()); use "
         "__vm_flags_mod() when it is not held for write, as upstream "
         "68f48381d7fd did for untrack_pfn()",
}

class _File:
    def __init__(self):
        self.defs = set()      # functions defined in the file
        self.sites = {}        # key -> (what, function, location)
        self.calls = []        # (caller, callee, key)
        self.roots = {}        # function -> (kind, description)
        self.region = []       # (caller, callee or None, key, opener)
        self.locked = set()    # keys of calls and writes under the write lock
        self.msgs = None       # key -> message, once computed

_files = {}

def _st(p):
    f = p[0].file
    if f not in _files:
        _files[f] = _File()
    return _files[f]

def _key(p):
    return (p[0].file, p[0].line, p[0].column)

# Syscalls: spatch names SYSCALL_DEFINE3(mprotect, ...) "mprotect" (which
# clashes with functions of that name, migrate_pages()) and
# SYSCALL_DEFINE0(fork) "SYSCALL_DEFINE0"; they are called sys_NAME here.
_renamed = {}   # (file, name as spatch has it) -> [(line, new name)]

def _fn(p):
    return _fnl(p[0])

def _fnl(loc):
    f = str(loc.current_element)
    r = _renamed.get((loc.file, f))
    if r:
        line = int(loc.line)
        best = r[0][1]
        for l, n in r:
            if l <= line:
                best = n
        return best
    return f

def _defname(p, f):
    m = re.match(r"\s*(COMPAT_)?SYSCALL_DEFINE\d\(\s*(\w+)",
                 _lines(p[0].file, int(p[0].line)))
    if not m:
        return str(f)
    new = ("compat_sys_" if m.group(1) else "sys_") + m.group(2)
    r = _renamed.setdefault((p[0].file, str(f)), [])
    r.append((int(p[0].line), new))
    r.sort()
    return new

def _out(*fields):
    # one write per line: jobs running in parallel share stdout
    sys.stdout.write("\t".join(str(x) for x in fields) + "\n")
    sys.stdout.flush()

def _path(p):
    f = p[0].file
    return f[2:] if f.startswith("./") else f

def note_def(p, f, static):
    _st(p).defs.add(_defname(p, f))

def note_site(p, what):
    # (the function is looked up later: syscall names are known only
    # once the definitions are seen)
    _st(p).sites[_key(p)] = (str(what), None, p[0])

def note_call(p, g):
    _st(p).calls.append((_fn(p), str(g), _key(p)))

def note_protected(p):
    _st(p).locked.add(_key(p))

def note_root(p, f, kind, desc):
    s = _st(p)
    f = str(f)
    if f not in s.roots or kind < s.roots[f][0]:
        s.roots[f] = (kind, desc)

def note_region(p, g, opener):
    _st(p).region.append((_fn(p), g and str(g), _key(p), str(opener)))

def real_opener(q):
    """The lock call at Q is not the argument of an assertion:
    BUG_ON(mmap_read_trylock(mm)) checks that the lock is held."""
    line = _lines(q[0].file, int(q[0].line))
    before = line[:int(q[0].column)]
    return re.search(r"\b(VM_)?(BUG|WARN)_ON(_ONCE)?\s*\(\s*!?\s*$", before) is None

_text = {}

def _lines(path, n):
    if path not in _text:
        try:
            with open(path, errors="replace") as f:
                _text[path] = f.read().split("\n")
        except OSError:
            _text[path] = []
    t = _text[path]
    return t[n - 1] if 0 < n <= len(t) else ""

def _subject(what):
    if what.startswith("->"):
        return "write of %s" % what[2:]
    return "%s()" % what

def _compute(s):
    """For each flag-writer site reachable from a context: the message
    for the best path (shortest, then context kind a < b < c < d, then
    name)."""
    for key, (what, fn, loc) in list(s.sites.items()):
        s.sites[key] = (what, _fnl(loc), loc)
    writers = set(w for (w, fn, loc) in s.sites.values())
    adj = {}
    for caller, callee, key in s.calls:
        if callee in s.defs and callee not in writers and key not in s.locked:
            adj.setdefault(caller, set()).add(callee)
    by_fn = {}
    for key, (what, fn, loc) in s.sites.items():
        if key not in s.locked:
            by_fn.setdefault(fn, []).append(key)
    best = {}

    def offer(key, kind, desc, path):
        cand = (len(path), kind, path[0], path, desc)
        if key not in best or cand[:4] < best[key][:4]:
            best[key] = cand

    def walk(kind, desc, starts, direct):
        for key, path in direct:
            offer(key, kind, desc, path)
        seen = {}
        todo = []
        for node, path in sorted(starts, key=lambda x: (len(x[1]), x[1])):
            if node not in seen:
                seen[node] = path
                todo.append(node)
        while todo:
            nxt = []
            for node in todo:
                for key in by_fn.get(node, ()):
                    offer(key, kind, desc, seen[node])
                for callee in sorted(adj.get(node, ())):
                    if callee not in seen:
                        seen[callee] = seen[node] + [callee]
                        nxt.append(callee)
            todo = nxt

    for f, (kind, desc) in sorted(s.roots.items()):
        if f in s.defs:
            walk(kind, desc, [(f, [f])], [])
    regions = {}
    for caller, callee, key, opener in s.region:
        regions.setdefault((caller, opener), []).append((callee, key))
    for (caller, opener), items in sorted(regions.items()):
        if opener == "mmap_write_downgrade":
            desc = "the code after mmap_write_downgrade() in %s()" % caller
        elif opener == "lock_mm_and_find_vma":
            desc = "the code after lock_mm_and_find_vma() in %s()" % caller
        else:
            desc = "the %s() region in %s()" % (opener, caller)
        starts, direct = [], []
        for callee, key in items:
            if key in s.sites:
                direct.append((key, [caller]))
            elif callee in s.defs and callee != caller:
                starts.append((callee, [caller, callee]))
        walk("b", desc, starts, direct)
    msgs = {}
    for key, (n, kind, root, path, desc) in best.items():
        what = s.sites[key][0]
        msgs[key] = "WARNING: %s reached from %s (%s): %s" % (
            _subject(what), desc, " -> ".join(path), ADVICE[kind])
    return msgs

def flagged(p):
    s = _files.get(p[0].file)
    if s is None:
        return False
    if s.msgs is None:
        s.msgs = _compute(s)
    return _key(p) in s.msgs

_org = [False]
_done = set()

def emit(p):
    key = _key(p)
    if key in _done:
        return
    _done.add(key)
    msg = _files[p[0].file].msgs[key]
    if _org[0]:
        coccilib.org.print_todo(p[0], msg)
    else:
        coccilib.report.print_report(p[0], msg)

//----------------------------------------------------------------------------
// The flag writers. Every other rule depends on these two (or on
// callgraph), so that spatch skips files that mention no writer.
//----------------------------------------------------------------------------

// WRITERS: the modifiers, then the helpers that reach one. The helper
// part, between the two marker lines, is generated by
// scripts/audit-vma-lock.sh --write-helpers; do not edit it by hand.
@wcall depends on !callgraph@
identifier w = {
  vm_flags_set, vm_flags_clear, vm_flags_mod, vm_flags_reset,
  vm_flags_reset_once, vma_start_write,
// BEGIN HELPERS
  __mmu_notifier_register, __split_vma, __vma_adjust,
  _install_special_mapping, collapse_pte_mapped_thp, copy_page_range,
  copy_vma, dma_mmap_attrs, dma_mmap_from_global_coherent,
  dma_mmap_noncontiguous, dma_mmap_wc, do_mas_munmap, do_mmap, do_munmap,
  drm_gem_dma_object_mmap, drm_gem_shmem_object_mmap, dup_userfaultfd,
  expand_downwards, expand_stack_locked, find_extend_vma_locked,
  hash__remap_4k_pfn, insert_vm_struct, install_special_mapping,
  io_mapping_map_user, io_remap_pfn_range, mm_take_all_locks, mmap_region,
  mmu_interval_notifier_insert_locked, mmu_notifier_get_locked,
  mprotect_fixup, mremap_userfaultfd_prep, remap_4k_pfn, remap_pfn_range,
  remap_pfn_range_notrack, remap_vmalloc_range, remap_vmalloc_range_partial,
  split_vma, track_pfn_copy, track_pfn_remap, unmap_mapping_folio,
  unmap_mapping_pages, unmap_mapping_range, unmap_vmas, untrack_pfn,
  untrack_pfn_clear, untrack_pfn_copy, uprobe_mmap, vm_iomap_memory,
  vma_adjust, vma_expand, vma_merge, zap_page_range, zap_page_range_single,
  zap_vma_ptes
// END HELPERS
};
position p;
@@
 w@p(...)

@script:python@
p << wcall.p;
w << wcall.w;
@@
note_site(p, w)

// Direct writes, in code not converted to the modifiers yet.
@wdirect@
expression E, F;
position p;
@@
(
 E->vm_flags@p |= F
|
 E->vm_flags@p &= F
|
 E->vm_flags@p = F
|
 WRITE_ONCE(E->vm_flags@p, F)
)

// (No script rule without metavariables: it would make spatch process every
// file. So org mode is noted here, before any message.)
@script:python depends on org@
p << wcall.p;
@@
_org[0] = True

@script:python depends on org@
p << wdirect.p;
@@
_org[0] = True

// track_pfn_remap() and untrack_pfn() take a NULL VMA for "no VMA"
// (memremap_pages()) and then write no flags.
@wnull depends on wcall || wdirect || callgraph@
identifier w = {track_pfn_remap, untrack_pfn};
position p;
@@
 w@p(NULL, ...)

@script:python depends on !callgraph@
p << wnull.p;
@@
_st(p).sites.pop(_key(p), None)

@script:python depends on callgraph@
p << wnull.p;
@@
_out("nullvma", _path(p), p[0].line, p[0].column)

//----------------------------------------------------------------------------
// The facts: definitions, calls, contexts.
//----------------------------------------------------------------------------

@defs depends on wcall || wdirect || callgraph@
identifier f;
position p;
@@
 f@p(...) { ... }

@script:python depends on !callgraph@
p << defs.p;
f << defs.f;
@@
note_def(p, f, False)

@sdefs depends on callgraph@
identifier f;
type T;
position p;
@@
 static T f@p(...) { ... }

@script:python depends on callgraph@
p << defs.p;
f << defs.f;
@@
_out("def", _path(p), p[0].line, _defname(p, f))

@script:python depends on callgraph@
p << sdefs.p;
f << sdefs.f;
@@
_out("static", _path(p), p[0].line, f)

// (after defs: _fn() needs the syscall names)
@script:python depends on callgraph@
p << wdirect.p;
e << wdirect.E;
@@
_out("write", _path(p), p[0].line, p[0].column, _fn(p), str(e).replace(" ", ""))

@script:python depends on !callgraph@
p << wdirect.p;
e << wdirect.E;
@@
note_site(p, "->%s->vm_flags" % str(e).replace(" ", ""))

@calls depends on wcall || wdirect || callgraph@
identifier g;
position p;
@@
 g@p(...)

@script:python depends on !callgraph@
p << calls.p;
g << calls.g;
@@
note_call(p, g)

@script:python depends on callgraph@
p << calls.p;
g << calls.g;
@@
if str(p[0].current_element) != "something_else":
    _out("call", _path(p), p[0].line, p[0].column, _fn(p), g)

// (a) fault-time callbacks.
@vmops depends on wcall || wdirect || callgraph@
identifier o, fn;
identifier m = {fault, huge_fault, page_mkwrite, pfn_mkwrite, map_pages};
position p;
@@
 struct vm_operations_struct o@p = { ..., .m = fn, ... };

@script:python depends on !callgraph@
p << vmops.p;
fn << vmops.fn;
@@
note_root(p, fn, "a", "fault-time callback %s()" % fn)

@script:python depends on callgraph@
p << vmops.p;
fn << vmops.fn;
m << vmops.m;
@@
_out("root", _path(p), p[0].line, fn, "a", "." + str(m))

@vfshape depends on wcall || wdirect || callgraph@
identifier f, v;
typedef vm_fault_t;
position p;
@@
 vm_fault_t f@p(struct vm_fault *v, ...) { ... }

@script:python depends on !callgraph@
p << vfshape.p;
f << vfshape.f;
@@
note_root(p, f, "a", "vm_fault_t function %s()" % f)

@script:python depends on callgraph@
p << vfshape.p;
f << vfshape.f;
@@
_out("root", _path(p), p[0].line, f, "a", "vm_fault_t")

// (c) MMU notifier callbacks: any member.
@mnops depends on wcall || wdirect || callgraph@
identifier o, fn, m;
position p;
@@
(
 struct mmu_notifier_ops o@p = { ..., .m = fn, ... };
|
 struct mmu_interval_notifier_ops o@p = { ..., .m = fn, ... };
)

@script:python depends on !callgraph@
p << mnops.p;
fn << mnops.fn;
@@
note_root(p, fn, "c", "mmu notifier callback %s()" % fn)

@script:python depends on callgraph@
p << mnops.p;
fn << mnops.fn;
m << mnops.m;
@@
_out("root", _path(p), p[0].line, fn, "c", "." + str(m))

// (d) the core unmap/zap paths, by name.
@core depends on wcall || wdirect || callgraph@
identifier f = {unmap_single_vma, unmap_vmas, zap_page_range,
                zap_page_range_single, zap_vma_ptes, unmap_mapping_range,
                unmap_mapping_pages, unmap_mapping_folio};
position p;
@@
 f@p(...) { ... }

@script:python depends on !callgraph@
p << core.p;
f << core.f;
@@
note_root(p, f, "d", "the unmap/zap path %s()" % f)

@script:python depends on callgraph@
p << core.p;
f << core.f;
@@
_out("root", _path(p), p[0].line, f, "d", "core")

// (b) after a read lock (or the downgrade) and before the unlock: every
// call, and every direct write, on some path. A path that takes the write
// lock has dropped the read lock (maybe in a callee: madvise_collapse()),
// so it ends the region too. An opener inside BUG_ON() (vm_insert_page()'s
// BUG_ON(mmap_read_trylock())) is no lock.
@rregion depends on wcall || wdirect || callgraph exists@
identifier opener = {mmap_read_lock, mmap_read_lock_killable,
                     mmap_read_trylock, lock_mm_and_find_vma,
                     mmap_write_downgrade};
position q : script:python() { real_opener(q) };
identifier g;
position p;
@@
 opener@q(...)
 ... when != mmap_read_unlock(...)
     when != mmap_write_lock(...)
     when != mmap_write_lock_killable(...)
     when != mmap_write_trylock(...)
     when != upgrade_mmap_lock_carefully(...)
     when any
 g@p(...)

// (the opener's own call, vma = lock_mm_and_find_vma(...), is not in it)
@script:python depends on !callgraph@
p << rregion.p;
q << rregion.q;
g << rregion.g;
opener << rregion.opener;
@@
if str(g) != "mmap_read_unlock" and _key(p) != _key(q):
    note_region(p, g, opener)

@script:python depends on callgraph@
p << rregion.p;
q << rregion.q;
g << rregion.g;
opener << rregion.opener;
@@
if str(g) != "mmap_read_unlock" and _key(p) != _key(q):
    _out("region", _path(p), p[0].line, p[0].column, _fn(p), g, opener)

@rregion_w depends on wcall || wdirect || callgraph exists@
identifier opener = {mmap_read_lock, mmap_read_lock_killable,
                     mmap_read_trylock, lock_mm_and_find_vma,
                     mmap_write_downgrade};
position q : script:python() { real_opener(q) };
expression E, F;
position p;
@@
 opener@q(...)
 ... when != mmap_read_unlock(...)
     when != mmap_write_lock(...)
     when != mmap_write_lock_killable(...)
     when != mmap_write_trylock(...)
     when != upgrade_mmap_lock_carefully(...)
     when any
(
 E->vm_flags@p |= F
|
 E->vm_flags@p &= F
|
 E->vm_flags@p = F
|
 WRITE_ONCE(E->vm_flags@p, F)
)

@script:python depends on !callgraph@
p << rregion_w.p;
opener << rregion_w.opener;
@@
note_region(p, None, opener)

@script:python depends on callgraph@
p << rregion_w.p;
opener << rregion_w.opener;
@@
_out("region", _path(p), p[0].line, p[0].column, _fn(p), "->vm_flags", opener)

// Under mmap_write_lock() (until the unlock or the downgrade): the writes
// there are made with the lock held, whoever called the function, so they
// and the calls made there do not make the function a writer, and a
// context does not reach through them. (On some path: a call after
// "if (write) mmap_write_lock(); else mmap_read_lock();" counts as both.)
// mmap_upgrade_trylock() and upgrade_mmap_lock_carefully() are
// lock_mm_and_find_vma()'s: they return with the write lock held.
@wregion depends on wcall || wdirect || callgraph exists@
identifier opener = {mmap_write_lock, mmap_write_lock_killable,
                     mmap_write_lock_nested, mmap_write_trylock,
                     mmap_upgrade_trylock, upgrade_mmap_lock_carefully};
position q : script:python() { real_opener(q) };
identifier g;
position p;
@@
 opener@q(...)
 ... when != mmap_write_unlock(...)
     when != mmap_write_downgrade(...)
     when != mmap_read_lock(...)
     when != mmap_read_lock_killable(...)
     when != mmap_read_trylock(...)
     when any
 g@p(...)

// (g is inherited so that every call is a match of its own, not only the
// first one after the lock)
@script:python depends on !callgraph@
p << wregion.p;
q << wregion.q;
g << wregion.g;
@@
if _key(p) != _key(q):
    note_protected(p)

@script:python depends on callgraph@
p << wregion.p;
q << wregion.q;
g << wregion.g;
@@
if _key(p) != _key(q):
    _out("locked", _path(p), p[0].line, p[0].column, _fn(p))

@wregion_w depends on wcall || wdirect || callgraph exists@
identifier opener = {mmap_write_lock, mmap_write_lock_killable,
                     mmap_write_lock_nested, mmap_write_trylock,
                     mmap_upgrade_trylock, upgrade_mmap_lock_carefully};
position q : script:python() { real_opener(q) };
expression E, F;
position p;
@@
 opener@q(...)
 ... when != mmap_write_unlock(...)
     when != mmap_write_downgrade(...)
     when != mmap_read_lock(...)
     when != mmap_read_lock_killable(...)
     when != mmap_read_trylock(...)
     when any
(
 E->vm_flags@p |= F
|
 E->vm_flags@p &= F
|
 E->vm_flags@p = F
|
 WRITE_ONCE(E->vm_flags@p, F)
)

@script:python depends on !callgraph@
p << wregion_w.p;
e << wregion_w.E;
@@
note_protected(p)

@script:python depends on callgraph@
p << wregion_w.p;
e << wregion_w.E;
@@
_out("locked", _path(p), p[0].line, p[0].column, _fn(p))

//----------------------------------------------------------------------------
// The messages.
//----------------------------------------------------------------------------

@rep depends on (wcall || wdirect) && (report || org)@
identifier g;
expression E, F;
position p : script:python() { flagged(p) };
@@
(
 g@p(...)
|
 E->vm_flags@p |= F
|
 E->vm_flags@p &= F
|
 E->vm_flags@p = F
|
 WRITE_ONCE(E->vm_flags@p, F)
)

@script:python depends on report || org@
p << rep.p;
@@
emit(p)

@depends on (wcall || wdirect) && context@
identifier g;
expression E, F;
position p : script:python() { flagged(p) };
@@
(
* g@p(...)
|
* E->vm_flags@p |= F
|
* E->vm_flags@p &= F
|
* E->vm_flags@p = F
|
* WRITE_ONCE(E->vm_flags@p, F)
)
