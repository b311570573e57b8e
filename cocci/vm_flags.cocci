// SPDX-License-Identifier: GPL-2.0-only
/// Write vma->vm_flags only through the vm_flags modifiers.
///
/// With per-VMA locks (upstream 6.3; pervma on 6.1) every write of
/// vma->vm_flags goes through a modifier so that the VMA write lock can be
/// taken or asserted. The modifier is chosen from the context of the write
/// (E is any expression of type struct vm_area_struct *, found by type):
///
///  E->vm_flags |= F;                      -> vm_flags_set(E, F);
///  E->vm_flags &= ~F;                     -> vm_flags_clear(E, F);
///  E->vm_flags &= VM_LOCKED_CLEAR_MASK;   -> vm_flags_clear(E, VM_LOCKED_MASK);
///  E->vm_flags &= M;                      -> vm_flags_clear(E, ~(M));
///  E->vm_flags |= A; E->vm_flags &= ~B;   -> vm_flags_mod(E, A, B);
///  E->vm_flags &= ~B; E->vm_flags |= A;   -> vm_flags_mod(E, A, B);
///        (only if A and B are provably disjoint VM_* flags, else set/clear)
///  E->vm_flags |= A; E->vm_flags |= B;    -> vm_flags_set(E, A | B);
///  E->vm_flags &= ~A; E->vm_flags &= ~B;  -> vm_flags_clear(E, A | B);
///        (adjacent statements only; E without calls; A, B not reading
///         vm_flags; the | merge only when no ?:, &&, || needs parentheses)
///  E->vm_flags = (E->vm_flags | A) & ~B;  -> vm_flags_mod(E, A, B);
///  E->vm_flags = (E->vm_flags & ~B) | A;  -> vm_flags_mod(E, A, B);
///        (if disjoint, else vm_flags_clear(E, B); vm_flags_set(E, A);)
///  E->vm_flags = E->vm_flags | A;         -> vm_flags_set(E, A);
///  E->vm_flags = E->vm_flags & ~B;        -> vm_flags_clear(E, B);
///  X = E->vm_flags |= F;                  -> vm_flags_set(E, F); X = E->vm_flags;
///  WRITE_ONCE(E->vm_flags, F);            -> vm_flags_reset_once(E, F);
///  E->vm_flags = F;  E fresh from vm_area_alloc()/vm_area_dup()/vma_init(),
///                    not yet inserted     -> vm_flags_init(E, F);
///  E->vm_flags = F;  any other VMA, also
///                    in ->mmap handlers   -> vm_flags_reset(E, F);
///  S.vm_flags = F;   S a struct vm_area_struct object (gate/pseudo VMA,
///                    never in a VMA tree) -> vm_flags_init(&S, F);
///  S.vm_flags |= F; / &= ~F;              -> __vm_flags_mod(&S, F, 0); / (&S, 0, F);
///  a write in a #define body whose base is a macro parameter that this file
///  passes a struct vm_area_struct * to    -> the same modifiers.
///
/// Other writes (^=, +=, a write used as a value) are reported, not changed.
/// Reads, code already using the modifiers, and vm_flags members of other
/// structs (vm_region, vma_merge_struct, local variables) are left alone.
/// Besides typed expressions, VMAs are recognised under --no-includes as the
/// ->vma member of the kernel structs that have one (vm_fault, mm_walk, ...)
/// and as the result of the kernel functions returning one (find_vma(), ...).
/// See docs/cocci.md of pervma.
///
// Confidence: High
// Copyright: (C) 2026 The pervma authors.
// Comments: rerunning on converted code changes nothing.
// Options: --no-includes --include-headers

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

# The architecture-independent single-bit flags of <linux/mm.h> (6.1..6.12).
# Only these (and names #defined in the same file as |-combinations of them)
# prove two flag sets disjoint; anything else is "maybe overlapping".
SINGLE_BIT = frozenset("""
VM_NONE VM_READ VM_WRITE VM_EXEC VM_SHARED VM_MAYREAD VM_MAYWRITE VM_MAYEXEC
VM_MAYSHARE VM_GROWSDOWN VM_UFFD_MISSING VM_PFNMAP VM_UFFD_WP VM_LOCKED VM_IO
VM_SEQ_READ VM_RAND_READ VM_DONTCOPY VM_DONTEXPAND VM_LOCKONFAULT VM_ACCOUNT
VM_NORESERVE VM_HUGETLB VM_SYNC VM_WIPEONFORK VM_DONTDUMP VM_SOFTDIRTY
VM_MIXEDMAP VM_HUGEPAGE VM_NOHUGEPAGE VM_MERGEABLE
""".split())

_files = {}
BACKSLASH = chr(92)

def _lines(path):
    if path not in _files:
        try:
            with open(path, errors="replace") as f:
                _files[path] = f.read().split("\n")
        except OSError:
            _files[path] = []
    return _files[path]

# The file being processed. After a transformation spatch reparses only the
# changed function, from a temporary file that lacks the file's #defines.
_orig = [None]

def note_file(p):
    if "cocci_small_output" not in p[0].file:
        _orig[0] = p[0].file

def _defines(path):
    if "cocci_small_output" in path and _orig[0]:
        path = _orig[0]
    key = ("defines", path)
    if key not in _files:
        text = "\n".join(_lines(path))
        # (no C comment tokens in here: the SmPL lexer would see them)
        text = re.sub(r"[/][*].*?[*][/]", " ", text, flags=re.S)
        text = re.sub(r"[/][/][^\n]*", "", text)
        text = re.sub(r"\\\n", " ", text)
        d = {}
        for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\b(?!\()(.*)$",
                             text, re.M):
            d[m.group(1)] = m.group(2).strip()
        _files[key] = d
    return _files[key]

def _flags(expr, path, depth=0):
    """Set of single-bit flag names EXPR is made of, or None if unknown."""
    out = set()
    for t in re.findall(r"[A-Za-z_]\w*|\w+|\S", expr):
        if t in "()|":
            continue
        if re.match(r"^0[xX]?0*[uUlL]*$", t):
            continue
        if t in SINGLE_BIT:
            out.add(t)
            continue
        defs = _defines(path)
        if t in defs and depth < 8:
            sub = _flags(defs[t], path, depth + 1)
            if sub is None:
                return None
            out |= sub
            continue
        return None
    return out

def disjoint(a, b, p):
    """A and B are |-combinations of distinct single-bit VM_* flags."""
    fa = _flags(str(a), p[0].file)
    fb = _flags(str(b), p[0].file)
    return fa is not None and fb is not None and not (fa & fb)

def wrapped(x):
    """X as printed by spatch is one parenthesised expression: (A | B)."""
    s = str(x).strip()
    if not (s.startswith("(") and s.endswith(")")):
        return False
    depth = 0
    for i, c in enumerate(s):
        depth += c == "("
        depth -= c == ")"
        if depth == 0 and i < len(s) - 1:
            return False
    return True

def mergeable(e, a, b):
    """E->vm_flags writes with A and B may be merged into one call: E has
    no calls (evaluated once instead of twice), A and B do not read vm_flags
    and are not the (X) binding of a \( (X) \| X \) pattern."""
    return ("(" not in str(e) and "vm_flags" not in str(a) + str(b) and
            not wrapped(a) and not wrapped(b))

_claimed = set()

def claim(*ps):
    """Claim the statements at positions PS for one merge; False if one of
    them is already part of another (pairs overlap in runs of three)."""
    keys = [(p[0].file, p[0].line, p[0].column) for p in ps]
    if any(k in _claimed for k in keys):
        return False
    _claimed.update(keys)
    return True

def or_safe(x):
    """X can be an operand of | without parentheses: no ?:, &&, ||,
    assignment or comma outside parentheses."""
    depth = 0
    s = str(x)
    for i, c in enumerate(s):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            two = s[i:i + 2]
            if c in "?," or two in ("&&", "||"):
                return False
            if c == "=" and s[i - 1:i] not in "=!<>" and s[i + 1:i + 2] != "=":
                return False
    return True

def enclosing_macro(p):
    """(name, [params]) of the #define whose body holds position P, or None."""
    lines = _lines(p[0].file)
    i = int(p[0].line) - 1
    if i < 0 or i >= len(lines):
        return None
    while i > 0 and lines[i - 1].rstrip().endswith(BACKSLASH):
        i -= 1
    m = re.match(r"\s*#\s*define\s+([A-Za-z_]\w*)(\(([^)]*)\))?", lines[i])
    if not m:
        return None
    params = [x.strip() for x in m.group(3).split(",")] if m.group(2) else []
    return m.group(1), params

def nargs(es):
    """Number of arguments in an expression list as printed by spatch."""
    s = str(es).strip()
    if not s:
        return 0
    depth, n = 0, 1
    for c in s:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            n += 1
    return n

# (file, macro, argument index) of macro calls passed a VMA in that file.
_vma_args = set()

def note_vma_arg(p, m, es):
    _vma_args.add((p[0].file, str(m), nargs(es)))

def vma_macro_write(p, e):
    """The write at P is in a #define body, its base E is a macro
    parameter, and the macro is called with a VMA for it in this file."""
    mac = enclosing_macro(p)
    if mac is None:
        return False
    name, params = mac
    base = re.sub(r"[\s()]", "", str(e))
    return base in params and (p[0].file, name, params.index(base)) in _vma_args

def modifier_at(p):
    """The modifier for the write whose vm_flags token is at P (by the
    operator after it, or WRITE_ONCE before it)."""
    lines = _lines(p[0].file)
    line = lines[int(p[0].line) - 1] if int(p[0].line) <= len(lines) else ""
    rest = line[int(p[0].column_end):].lstrip()
    if re.search(r"WRITE_ONCE\s*\(\s*[^,]*$", line[:int(p[0].column)]):
        return "vm_flags_reset_once"
    if rest.startswith("|="):
        return "vm_flags_set"
    if rest.startswith("&="):
        return "vm_flags_clear"
    return "vm_flags_reset"

def keep_lines(p):
    """The value at P spans lines and may be kept in place: it does not
    sit in an if/else/loop branch without braces (seen from the previous
    line: keeping it would make spatch add braces, badly laid out)."""
    if p[0].line == p[0].line_end:
        return False
    lines = _lines(p[0].file)
    i = int(p[0].line) - 2
    while i >= 0:
        prev = re.sub(r"[/][*].*?[*][/]|[/][/].*", "", lines[i]).strip()
        if prev:
            return not (prev.endswith(")") or re.search(r"\belse$", prev))
        i -= 1
    return True

def pretty(e):
    s = re.sub(r"\s+", " ", str(e)).strip()
    s = re.sub(r"\s*(->|\.|\(|\)|\[|\])\s*", r"\1", s)
    return re.sub(r"\s*,\s*", ", ", s)

# Positions of the vm_flags tokens of VMA expressions, filled by the
# identification rules (rx, vx*) just before the rules that use them; see
# is_vma(). A python position constraint is used instead of inheriting the
# position so that each rule runs once per file, not once per VMA
# expression, and so that it may follow a transformation. Entries are never
# removed: a position names its file version (spatch reparses changed code
# into a new temporary file), so an old entry cannot name a new token. No
# script rule without metavariables is used anywhere: one would make spatch
# parse and process every file, even those that never mention vm_flags.
_vma_pos = set()

# The modifiers themselves (in <linux/mm.h> until vm_flags is const, and in
# the compat headers drivers carry for older kernels, see docs/cocci.md)
# are where the direct writes must stay: a write in the body of a function
# with one of these names is never a VMA write to convert or report.
MODIFIERS = frozenset("""
vm_flags_init vm_flags_reset vm_flags_reset_once vm_flags_set vm_flags_clear
vm_flags_mod __vm_flags_mod
""".split())

def vma_add(p):
    if p[0].current_element in MODIFIERS:
        return
    _vma_pos.add((p[0].file, p[0].line, p[0].column))

def is_vma(p):
    return (p[0].file, p[0].line, p[0].column) in _vma_pos

_org = [False]
_seen = set()

def emit(p, msg):
    """One message per written vm_flags token (the first rule wins)."""
    key = (p[0].file, p[0].line, p[0].column)
    if key in _seen:
        return
    _seen.add(key)
    if _org[0]:
        coccilib.org.print_todo(p[0], msg.replace("[", "@(").replace("]", ")"))
    else:
        coccilib.report.print_report(p[0], msg)

//----------------------------------------------------------------------------
// Macros: a write in a #define body is untyped; it counts as a VMA write when
// the macro is called in the same file with a VMA for the written parameter.
//----------------------------------------------------------------------------

// Only files that mention vm_flags at all: spatch then skips the others
// without running mcall, which has no token of its own to look for.
@has_vm_flags@
expression E;
position p;
@@
(
 E->vm_flags@p
|
 E.vm_flags@p
)

@script:python@
p << has_vm_flags.p;
@@
note_file(p)

// (No script rule without metavariables: it would make spatch process every
// file. So org mode is noted here, before any message.)
@script:python depends on org@
e << has_vm_flags.E;
@@
_org[0] = True

@mcall depends on has_vm_flags@
identifier M;
expression list es;
struct vm_area_struct *V;
struct vm_fault *VF;
struct mm_walk *MW;
struct mmu_notifier_range *MR;
struct migrate_vma *MV;
struct page_vma_mapped_walk *PW;
struct linux_binprm *BP;
struct anon_vma_chain *AC;
struct hugetlb_vma_lock *HL;
identifier fn = {find_vma, find_vma_prev, find_vma_intersection, vma_lookup,
                 find_exact_vma, find_extend_vma, find_extend_vma_locked,
                 lock_mm_and_find_vma, expand_stack, vma_find, vma_next,
                 vma_prev, vm_area_alloc, vm_area_dup, copy_vma, vma_merge,
                 get_gate_vma, vma_interval_tree_iter_first,
                 vma_interval_tree_iter_next};
expression list fes;
position p;
@@
(
 M@p(es, V, ...)
|
 M@p(es, VF->vma, ...)
|
 M@p(es, MW->vma, ...)
|
 M@p(es, MR->vma, ...)
|
 M@p(es, MV->vma, ...)
|
 M@p(es, PW->vma, ...)
|
 M@p(es, BP->vma, ...)
|
 M@p(es, AC->vma, ...)
|
 M@p(es, HL->vma, ...)
|
 M@p(es, fn(fes), ...)
)

@script:python@
p << mcall.p;
m << mcall.M;
es << mcall.es;
@@
note_vma_arg(p, m, es)

@mb depends on !patch@
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

@script:python depends on !patch@
p << mb.p;
e << mb.E;
@@
if not vma_macro_write(p, e):
    cocci.include_match(False)

@script:python depends on report || org@
p << mb.p;
e << mb.E;
@@
mac = enclosing_macro(p)
emit(p, "WARNING: direct write of %s->vm_flags in macro %s: use %s()" %
     (pretty(e).strip("()"), mac[0] if mac else "?", modifier_at(p)))

@depends on context@
expression E, F;
position mb.p;
@@
(
* E->vm_flags@p |= F
|
* E->vm_flags@p &= F
|
* E->vm_flags@p = F
|
* WRITE_ONCE(E->vm_flags@p, F)
)

@mbp depends on patch@
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

@script:python depends on patch@
p << mbp.p;
e << mbp.E;
@@
if not vma_macro_write(p, e):
    cocci.include_match(False)

@depends on patch@
expression E, F;
position mbp.p;
@@
(
- (E)->vm_flags@p |= (F)
+ vm_flags_set(E, F)
|
- (E)->vm_flags@p |= F
+ vm_flags_set(E, F)
|
- E->vm_flags@p |= (F)
+ vm_flags_set(E, F)
|
- E->vm_flags@p |= F
+ vm_flags_set(E, F)
|
- (E)->vm_flags@p &= ~(F)
+ vm_flags_clear(E, F)
|
- (E)->vm_flags@p &= ~F
+ vm_flags_clear(E, F)
|
- E->vm_flags@p &= ~(F)
+ vm_flags_clear(E, F)
|
- E->vm_flags@p &= ~F
+ vm_flags_clear(E, F)
|
- (E)->vm_flags@p &= (F)
+ vm_flags_clear(E, ~(F))
|
- (E)->vm_flags@p &= F
+ vm_flags_clear(E, ~(F))
|
- E->vm_flags@p &= (F)
+ vm_flags_clear(E, ~(F))
|
- E->vm_flags@p &= F
+ vm_flags_clear(E, ~(F))
|
- (E)->vm_flags@p = (F)
+ vm_flags_reset(E, F)
|
- (E)->vm_flags@p = F
+ vm_flags_reset(E, F)
|
- E->vm_flags@p = (F)
+ vm_flags_reset(E, F)
|
- E->vm_flags@p = F
+ vm_flags_reset(E, F)
|
- WRITE_ONCE((E)->vm_flags@p, F)
+ vm_flags_reset_once(E, F)
|
- WRITE_ONCE(E->vm_flags@p, F)
+ vm_flags_reset_once(E, F)
)

//----------------------------------------------------------------------------
// Report, org and context modes: one message per direct write, naming the
// modifier the patch mode would use. The first matching rule wins.
//----------------------------------------------------------------------------

@rx depends on !patch@
struct vm_area_struct *V;
struct vm_fault *VF;
struct mm_walk *MW;
struct mmu_notifier_range *MR;
struct migrate_vma *MV;
struct page_vma_mapped_walk *PW;
struct linux_binprm *BP;
struct anon_vma_chain *AC;
struct hugetlb_vma_lock *HL;
identifier fn = {find_vma, find_vma_prev, find_vma_intersection, vma_lookup,
                 find_exact_vma, find_extend_vma, find_extend_vma_locked,
                 lock_mm_and_find_vma, expand_stack, vma_find, vma_next,
                 vma_prev, vm_area_alloc, vm_area_dup, copy_vma, vma_merge,
                 get_gate_vma, vma_interval_tree_iter_first,
                 vma_interval_tree_iter_next};
expression list es;
position p;
@@
(
 V->vm_flags@p
|
 VF->vma->vm_flags@p
|
 MW->vma->vm_flags@p
|
 MR->vma->vm_flags@p
|
 MV->vma->vm_flags@p
|
 PW->vma->vm_flags@p
|
 BP->vma->vm_flags@p
|
 AC->vma->vm_flags@p
|
 HL->vma->vm_flags@p
|
 fn(es)->vm_flags@p
)

@script:python depends on !patch@
p << rx.p;
@@
vma_add(p)

@r_fresh depends on !patch exists@
identifier I;
type T;
expression X, E2, E3;
identifier alloc = {vm_area_alloc, vm_area_dup};
identifier ins = {insert_vm_struct, vma_link, vma_mas_store, mas_store,
                  mas_store_gfp, mas_store_prealloc, vma_iter_store,
                  vma_iter_store_gfp};
position p;
@@
(
 I = alloc(...);
|
 E3 = I = alloc(...);
|
 T I = alloc(...);
|
 vma_init(I, ...);
)
... when != I = E2
    when != ins(..., I, ...)
I->vm_flags@p = X;

@script:python depends on report || org@
p << r_fresh.p;
i << r_fresh.I;
@@
emit(p, "WARNING: %s is not in the VMA tree yet: use vm_flags_init(%s, ...)" % (i, i))

@r_val depends on !patch disable fld_to_ptr@
struct vm_area_struct S;
expression F;
position p;
@@
 S.vm_flags@p = F

@script:python depends on report || org@
p << r_val.p;
s << r_val.S;
@@
emit(p, "WARNING: %s is never in a VMA tree: use vm_flags_init(&%s, ...)" % (pretty(s), pretty(s)))

@r_valmod depends on !patch disable fld_to_ptr@
struct vm_area_struct S;
expression F;
position p;
@@
(
 S.vm_flags@p |= F
|
 S.vm_flags@p &= ~F
)

@script:python depends on report || org@
p << r_valmod.p;
s << r_valmod.S;
@@
emit(p, "WARNING: %s is never in a VMA tree: use __vm_flags_mod(&%s, ...)" % (pretty(s), pretty(s)))

@r_sc depends on !patch@
expression E, A, B;
position p : script:python() { is_vma(p) };
position q, p2;
@@
 E->vm_flags@p@q |= \( (A) \| A \);
 E->vm_flags@p2 &= ~\( (B) \| B \);

@script:python depends on report || org@
p << r_sc.q;
p2 << r_sc.p2;
e << r_sc.E;
a << r_sc.A;
b << r_sc.B;
@@
if mergeable(e, a, b):
    msg = "WARNING: direct writes of %s->vm_flags: use vm_flags_mod(%s, %s, %s)" % (pretty(e), pretty(e), pretty(a), pretty(b))
    emit(p, msg)
    emit(p2, msg)

@r_cs depends on !patch@
expression E, A, B;
position p : script:python() { is_vma(p) };
position q, p2;
@@
 E->vm_flags@p@q &= ~\( (B) \| B \);
 E->vm_flags@p2 |= \( (A) \| A \);

@script:python depends on report || org@
p << r_cs.q;
p2 << r_cs.p2;
e << r_cs.E;
a << r_cs.A;
b << r_cs.B;
@@
if mergeable(e, a, b) and disjoint(a, b, p):
    msg = "WARNING: direct writes of %s->vm_flags: use vm_flags_mod(%s, %s, %s)" % (pretty(e), pretty(e), pretty(a), pretty(b))
    emit(p, msg)
    emit(p2, msg)

@r_ss depends on !patch@
expression E, A, B;
position p : script:python() { is_vma(p) };
position q, p2;
@@
(
 E->vm_flags@p@q |= \( (A) \| A \);
 E->vm_flags@p2 |= \( (B) \| B \);
|
 E->vm_flags@p@q &= ~\( (A) \| A \);
 E->vm_flags@p2 &= ~\( (B) \| B \);
)

@script:python depends on report || org@
p << r_ss.q;
p2 << r_ss.p2;
e << r_ss.E;
a << r_ss.A;
b << r_ss.B;
@@
if mergeable(e, a, b) and or_safe(a) and or_safe(b) and claim(p, p2):
    fn = "vm_flags_set" if modifier_at(p) == "vm_flags_set" else "vm_flags_clear"
    msg = "WARNING: direct writes of %s->vm_flags: use %s(%s, %s | %s)" % (pretty(e), fn, pretty(e), pretty(a), pretty(b))
    emit(p, msg)
    emit(p2, msg)

@r_nested depends on !patch@
expression E, F, X;
position p : script:python() { is_vma(p) };
position q;
@@
(
 X = E->vm_flags@p@q |= F;
|
 X = E->vm_flags@p@q &= ~F;
)

@script:python depends on report || org@
p << r_nested.q;
e << r_nested.E;
@@
emit(p, "WARNING: write of %s->vm_flags used as a value: use vm_flags_set()/vm_flags_clear(), then read it" % pretty(e))

@r_set depends on !patch@
expression E, F;
position p : script:python() { is_vma(p) };
position q;
@@
(
 E->vm_flags@p@q |= F;
|
 E->vm_flags@p@q = E->vm_flags | F;
|
 E->vm_flags@p@q = F | E->vm_flags;
)

@script:python depends on report || org@
p << r_set.q;
e << r_set.E;
@@
emit(p, "WARNING: direct write of %s->vm_flags: use vm_flags_set()" % pretty(e))

@r_clear depends on !patch@
expression E, F;
position p : script:python() { is_vma(p) };
position q;
@@
(
 E->vm_flags@p@q &= ~F;
|
 E->vm_flags@p@q &= VM_LOCKED_CLEAR_MASK;
|
 E->vm_flags@p@q &= F;
|
 E->vm_flags@p@q = E->vm_flags & ~F;
|
 E->vm_flags@p@q = ~F & E->vm_flags;
)

@script:python depends on report || org@
p << r_clear.q;
e << r_clear.E;
@@
emit(p, "WARNING: direct write of %s->vm_flags: use vm_flags_clear()" % pretty(e))

@r_amod depends on !patch@
expression E, A, B;
position p : script:python() { is_vma(p) };
position q;
@@
 E->vm_flags@p@q = (E->vm_flags | \( (A) \| A \)) & ~\( (B) \| B \);

@script:python depends on report || org@
p << r_amod.q;
e << r_amod.E;
a << r_amod.A;
b << r_amod.B;
@@
if not (wrapped(a) or wrapped(b)):
    emit(p, "WARNING: direct write of %s->vm_flags: use vm_flags_mod(%s, %s, %s)" % (pretty(e), pretty(e), pretty(a), pretty(b)))

@r_acs depends on !patch@
expression E, A, B;
position p : script:python() { is_vma(p) };
position q;
@@
 E->vm_flags@p@q = (E->vm_flags & ~\( (B) \| B \)) | \( (A) \| A \);

@script:python depends on report || org@
p << r_acs.q;
e << r_acs.E;
a << r_acs.A;
b << r_acs.B;
@@
if wrapped(a) or wrapped(b):
    pass
elif disjoint(a, b, p):
    emit(p, "WARNING: direct write of %s->vm_flags: use vm_flags_mod(%s, %s, %s)" % (pretty(e), pretty(e), pretty(a), pretty(b)))
else:
    emit(p, "WARNING: direct write of %s->vm_flags: use vm_flags_clear(%s, %s) then vm_flags_set(%s, %s)" % (pretty(e), pretty(e), pretty(b), pretty(e), pretty(a)))

@r_once depends on !patch@
expression E, F;
position p : script:python() { is_vma(p) };
position q;
@@
 WRITE_ONCE(E->vm_flags@p@q, F);

@script:python depends on report || org@
p << r_once.q;
e << r_once.E;
@@
emit(p, "WARNING: direct write of %s->vm_flags: use vm_flags_reset_once()" % pretty(e))

@r_reset depends on !patch@
expression E, F;
position p : script:python() { is_vma(p) };
position q;
@@
 E->vm_flags@p@q = F;

@script:python depends on report || org@
p << r_reset.q;
e << r_reset.E;
@@
emit(p, "WARNING: direct write of %s->vm_flags: use vm_flags_reset()" % pretty(e))

@r_other depends on !patch@
expression E, F;
position p : script:python() { is_vma(p) };
position q;
@@
(
 E->vm_flags@p@q |= F
|
 E->vm_flags@p@q &= F
|
 E->vm_flags@p@q = F
|
 WRITE_ONCE(E->vm_flags@p@q, F)
|
 E->vm_flags@p@q ^= F
|
 E->vm_flags@p@q += F
|
 E->vm_flags@p@q -= F
|
 E->vm_flags@p@q <<= F
|
 E->vm_flags@p@q >>= F
|
 E->vm_flags@p@q ++
|
 E->vm_flags@p@q --
|
 ++E->vm_flags@p@q
|
 --E->vm_flags@p@q
)

@script:python depends on report || org@
p << r_other.q;
e << r_other.E;
@@
emit(p, "WARNING: direct write of %s->vm_flags inside an expression or with an operator no modifier covers: convert by hand" % pretty(e))

@depends on context@
expression E, F;
position p : script:python() { is_vma(p) };
@@
(
* E->vm_flags@p |= F
|
* E->vm_flags@p &= F
|
* E->vm_flags@p = F
|
* E->vm_flags@p ^= F
|
* WRITE_ONCE(E->vm_flags@p, F)
)

// (fld_to_ptr would let S.vm_flags match p->vm_flags in these pure-context
// rules, and so mark the bodies of the modifiers themselves.)
@depends on context disable fld_to_ptr@
struct vm_area_struct S;
expression F;
@@
(
* S.vm_flags |= F
|
* S.vm_flags &= F
|
* S.vm_flags = F
)

//----------------------------------------------------------------------------
// Patch mode.
//----------------------------------------------------------------------------

// struct vm_area_struct objects (gate_vma, pseudo VMAs) are never in a tree.
@depends on patch@
struct vm_area_struct S;
expression F;
position pf : script:python() { keep_lines(pf) };
@@
(
- S.vm_flags = (
+ vm_flags_init(&S,
  F@pf
- )
+ )
  ;
|
- S.vm_flags =
+ vm_flags_init(&S,
  F@pf
+ )
  ;
|
- S.vm_flags = \( (F) \| F \);
+ vm_flags_init(&S, F);
|
- S.vm_flags |= \( (F) \| F \);
+ __vm_flags_mod(&S, F, 0);
|
- S.vm_flags &= ~\( (F) \| F \);
+ __vm_flags_mod(&S, 0, F);
)

// A VMA fresh from the allocator, before anything inserts it.
@fr depends on patch exists@
identifier I;
type T;
expression X, E2, E3;
identifier alloc = {vm_area_alloc, vm_area_dup};
identifier ins = {insert_vm_struct, vma_link, vma_mas_store, mas_store,
                  mas_store_gfp, mas_store_prealloc, vma_iter_store,
                  vma_iter_store_gfp};
position p;
@@
(
 I = alloc(...);
|
 E3 = I = alloc(...);
|
 T I = alloc(...);
|
 vma_init(I, ...);
)
... when != I = E2
    when != ins(..., I, ...)
I->vm_flags@p = X;

@depends on patch@
identifier fr.I;
expression X;
position fr.p;
position pf : script:python() { keep_lines(pf) };
@@
(
- I->vm_flags@p = (
+ vm_flags_init(I,
  X@pf
- )
+ )
  ;
|
- I->vm_flags@p =
+ vm_flags_init(I,
  X@pf
+ )
  ;
|
- I->vm_flags@p = \( (X) \| X \);
+ vm_flags_init(I, X);
)

// Set-then-clear statement pairs: exactly vm_flags_mod().
@vx1 depends on patch@
struct vm_area_struct *V;
struct vm_fault *VF;
struct mm_walk *MW;
struct mmu_notifier_range *MR;
struct migrate_vma *MV;
struct page_vma_mapped_walk *PW;
struct linux_binprm *BP;
struct anon_vma_chain *AC;
struct hugetlb_vma_lock *HL;
identifier fn = {find_vma, find_vma_prev, find_vma_intersection, vma_lookup,
                 find_exact_vma, find_extend_vma, find_extend_vma_locked,
                 lock_mm_and_find_vma, expand_stack, vma_find, vma_next,
                 vma_prev, vm_area_alloc, vm_area_dup, copy_vma, vma_merge,
                 get_gate_vma, vma_interval_tree_iter_first,
                 vma_interval_tree_iter_next};
expression list es;
position p;
@@
(
 V->vm_flags@p
|
 VF->vma->vm_flags@p
|
 MW->vma->vm_flags@p
|
 MR->vma->vm_flags@p
|
 MV->vma->vm_flags@p
|
 PW->vma->vm_flags@p
|
 BP->vma->vm_flags@p
|
 AC->vma->vm_flags@p
|
 HL->vma->vm_flags@p
|
 fn(es)->vm_flags@p
)

@script:python depends on patch@
p << vx1.p;
@@
vma_add(p)

@psc depends on patch@
expression E, A, B;
position p : script:python() { is_vma(p) };
position q;
@@
 E->vm_flags@p@q |= \( (A) \| A \);
 E->vm_flags &= ~\( (B) \| B \);

@script:python depends on patch@
e << psc.E;
a << psc.A;
b << psc.B;
@@
if not mergeable(e, a, b):
    cocci.include_match(False)

@depends on patch@
expression psc.E, psc.A, psc.B;
position psc.q;
@@
- E->vm_flags@q |= \( (A) \| A \);
- E->vm_flags &= ~\( (B) \| B \);
+ vm_flags_mod(E, A, B);

// Clear-then-set (two statements or one assignment): vm_flags_mod() sets
// after clearing, so merge only when the two flag sets are disjoint.
@vx2 depends on patch@
struct vm_area_struct *V;
struct vm_fault *VF;
struct mm_walk *MW;
struct mmu_notifier_range *MR;
struct migrate_vma *MV;
struct page_vma_mapped_walk *PW;
struct linux_binprm *BP;
struct anon_vma_chain *AC;
struct hugetlb_vma_lock *HL;
identifier fn = {find_vma, find_vma_prev, find_vma_intersection, vma_lookup,
                 find_exact_vma, find_extend_vma, find_extend_vma_locked,
                 lock_mm_and_find_vma, expand_stack, vma_find, vma_next,
                 vma_prev, vm_area_alloc, vm_area_dup, copy_vma, vma_merge,
                 get_gate_vma, vma_interval_tree_iter_first,
                 vma_interval_tree_iter_next};
expression list es;
position p;
@@
(
 V->vm_flags@p
|
 VF->vma->vm_flags@p
|
 MW->vma->vm_flags@p
|
 MR->vma->vm_flags@p
|
 MV->vma->vm_flags@p
|
 PW->vma->vm_flags@p
|
 BP->vma->vm_flags@p
|
 AC->vma->vm_flags@p
|
 HL->vma->vm_flags@p
|
 fn(es)->vm_flags@p
)

@script:python depends on patch@
p << vx2.p;
@@
vma_add(p)

@pcs depends on patch@
expression E, A, B;
position p : script:python() { is_vma(p) };
position q;
@@
(
 E->vm_flags@p@q &= ~\( (B) \| B \);
 E->vm_flags |= \( (A) \| A \);
|
 E->vm_flags@p@q = (E->vm_flags & ~\( (B) \| B \)) | \( (A) \| A \);
)

@script:python depends on patch@
p << pcs.q;
e << pcs.E;
a << pcs.A;
b << pcs.B;
@@
if not (mergeable(e, a, b) and disjoint(a, b, p)):
    cocci.include_match(False)

@depends on patch@
expression pcs.E, pcs.A, pcs.B;
position pcs.q;
@@
(
- E->vm_flags@q &= ~\( (B) \| B \);
- E->vm_flags |= \( (A) \| A \);
+ vm_flags_mod(E, A, B);
|
- E->vm_flags@q = (E->vm_flags & ~\( (B) \| B \)) | \( (A) \| A \);
+ vm_flags_mod(E, A, B);
)

// Two adjacent sets (or clears) of the same VMA: one call, as upstream
// wrote them (usbdev_mmap, ttm_bo_mmap_obj).
@vx3 depends on patch@
struct vm_area_struct *V;
struct vm_fault *VF;
struct mm_walk *MW;
struct mmu_notifier_range *MR;
struct migrate_vma *MV;
struct page_vma_mapped_walk *PW;
struct linux_binprm *BP;
struct anon_vma_chain *AC;
struct hugetlb_vma_lock *HL;
identifier fn = {find_vma, find_vma_prev, find_vma_intersection, vma_lookup,
                 find_exact_vma, find_extend_vma, find_extend_vma_locked,
                 lock_mm_and_find_vma, expand_stack, vma_find, vma_next,
                 vma_prev, vm_area_alloc, vm_area_dup, copy_vma, vma_merge,
                 get_gate_vma, vma_interval_tree_iter_first,
                 vma_interval_tree_iter_next};
expression list es;
position p;
@@
(
 V->vm_flags@p
|
 VF->vma->vm_flags@p
|
 MW->vma->vm_flags@p
|
 MR->vma->vm_flags@p
|
 MV->vma->vm_flags@p
|
 PW->vma->vm_flags@p
|
 BP->vma->vm_flags@p
|
 AC->vma->vm_flags@p
|
 HL->vma->vm_flags@p
|
 fn(es)->vm_flags@p
)

@script:python depends on patch@
p << vx3.p;
@@
vma_add(p)

@pss depends on patch@
expression E, A, B;
position p : script:python() { is_vma(p) };
position q, q2;
@@
(
 E->vm_flags@p@q |= \( (A) \| A \);
 E->vm_flags@q2 |= \( (B) \| B \);
|
 E->vm_flags@p@q &= ~\( (A) \| A \);
 E->vm_flags@q2 &= ~\( (B) \| B \);
)

@script:python depends on patch@
q << pss.q;
q2 << pss.q2;
e << pss.E;
a << pss.A;
b << pss.B;
@@
# of three or more in a row, merge the first two, the next two, ...
if not (mergeable(e, a, b) and or_safe(a) and or_safe(b)) or not claim(q, q2):
    cocci.include_match(False)

@depends on patch@
expression pss.E, pss.A, pss.B;
position pss.q;
@@
(
- E->vm_flags@q |= \( (A) \| A \);
- E->vm_flags |= \( (B) \| B \);
+ vm_flags_set(E, A | B);
|
- E->vm_flags@q &= ~\( (A) \| A \);
- E->vm_flags &= ~\( (B) \| B \);
+ vm_flags_clear(E, A | B);
)

// Everything else, one statement at a time.
@vx4 depends on patch@
struct vm_area_struct *V;
struct vm_fault *VF;
struct mm_walk *MW;
struct mmu_notifier_range *MR;
struct migrate_vma *MV;
struct page_vma_mapped_walk *PW;
struct linux_binprm *BP;
struct anon_vma_chain *AC;
struct hugetlb_vma_lock *HL;
identifier fn = {find_vma, find_vma_prev, find_vma_intersection, vma_lookup,
                 find_exact_vma, find_extend_vma, find_extend_vma_locked,
                 lock_mm_and_find_vma, expand_stack, vma_find, vma_next,
                 vma_prev, vm_area_alloc, vm_area_dup, copy_vma, vma_merge,
                 get_gate_vma, vma_interval_tree_iter_first,
                 vma_interval_tree_iter_next};
expression list es;
position p;
@@
(
 V->vm_flags@p
|
 VF->vma->vm_flags@p
|
 MW->vma->vm_flags@p
|
 MR->vma->vm_flags@p
|
 MV->vma->vm_flags@p
|
 PW->vma->vm_flags@p
|
 BP->vma->vm_flags@p
|
 AC->vma->vm_flags@p
|
 HL->vma->vm_flags@p
|
 fn(es)->vm_flags@p
)

@script:python depends on patch@
p << vx4.p;
@@
vma_add(p)

// Each value spanning lines is kept as it is (only what is around it is
// rewritten), so that its line breaks survive; a one-line statement is
// replaced whole (partial rewrites would put braces around the branch of
// an if).
@depends on patch@
expression E, F, X, A, B;
identifier I;
position p : script:python() { is_vma(p) };
position pf : script:python() { keep_lines(pf) };
@@
(
- WRITE_ONCE
+ vm_flags_reset_once
  (
- \( (E) \| E \)->vm_flags@p
+ E
  , X@pf);
|
- WRITE_ONCE(\( (E) \| E \)->vm_flags@p, (X));
+ vm_flags_reset_once(E, X);
|
- WRITE_ONCE(\( (E) \| E \)->vm_flags@p, X);
+ vm_flags_reset_once(E, X);
|
- X = E->vm_flags@p |= \( (F) \| F \);
+ vm_flags_set(E, F);
+ X = E->vm_flags;
|
- X = E->vm_flags@p &= ~\( (F) \| F \);
+ vm_flags_clear(E, F);
+ X = E->vm_flags;
|
- \( (E) \| E \)->vm_flags@p |= (
+ vm_flags_set(E,
  F@pf
- )
+ )
  ;
|
- \( (E) \| E \)->vm_flags@p |=
+ vm_flags_set(E,
  F@pf
+ )
  ;
|
- \( (E) \| E \)->vm_flags@p |= \( (F) \| F \);
+ vm_flags_set(E, F);
|
- \( (E) \| E \)->vm_flags@p &= ~(
+ vm_flags_clear(E,
  F@pf
- )
+ )
  ;
|
- \( (E) \| E \)->vm_flags@p &= ~
+ vm_flags_clear(E,
  F@pf
+ )
  ;
|
- \( (E) \| E \)->vm_flags@p &= ~\( (F) \| F \);
+ vm_flags_clear(E, F);
|
- \( (E) \| E \)->vm_flags@p &= VM_LOCKED_CLEAR_MASK;
+ vm_flags_clear(E, VM_LOCKED_MASK);
|
- \( (E) \| E \)->vm_flags@p &= \( (I) \| I \);
+ vm_flags_clear(E, ~I);
|
- \( (E) \| E \)->vm_flags@p &= \( (F) \| F \);
+ vm_flags_clear(E, ~(F));
|
- E->vm_flags@p = (E->vm_flags | \( (A) \| A \)) & ~\( (B) \| B \);
+ vm_flags_mod(E, A, B);
|
- E->vm_flags@p = (E->vm_flags & ~\( (B) \| B \)) | \( (A) \| A \);
+ vm_flags_clear(E, B);
+ vm_flags_set(E, A);
|
- E->vm_flags@p = E->vm_flags | \( (A) \| A \);
+ vm_flags_set(E, A);
|
- E->vm_flags@p = A | E->vm_flags;
+ vm_flags_set(E, A);
|
- E->vm_flags@p = E->vm_flags & ~\( (B) \| B \);
+ vm_flags_clear(E, B);
|
- E->vm_flags@p = ~\( (B) \| B \) & E->vm_flags;
+ vm_flags_clear(E, B);
|
- \( (E) \| E \)->vm_flags@p = (
+ vm_flags_reset(E,
  X@pf
- )
+ )
  ;
|
- \( (E) \| E \)->vm_flags@p =
+ vm_flags_reset(E,
  X@pf
+ )
  ;
|
- \( (E) \| E \)->vm_flags@p = \( (X) \| X \);
+ vm_flags_reset(E, X);
)
