#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a pervma guest console log.

Usage: scripts/check-log.py [--name LABEL] LOG

Fails (exit 1) when:
  - the guest did not print its KTAP plan or did not reach its end marker
    (crash, hang, panic),
  - the number of results differs from the plan,
  - any test is "not ok",
  - the kernel printed a report: BUG, WARNING, Oops, panic, lockdep,
    KASAN, UBSAN, an RCU stall, a hung task, a sleeping-in-atomic splat.
Prints one summary line and, on failure, the console lines that explain it.
"""
import re
import sys

DONE = "# pervma-guest: done"

# Each kernel report with the line that identifies it. Matched anywhere in
# a line: kernel output and test output can be interleaved on the console.
REPORTS = [  # most specific first: a line counts once, as the first match
    ("KASAN", re.compile(r"BUG: KASAN: |KASAN: .*(out-of-bounds|use-after-free|double-free|invalid-free)")),
    ("lockdep", re.compile(r"possible circular locking dependency|possible recursive locking"
                           r"|inconsistent lock state|suspicious RCU usage|DEBUG_LOCKS_WARN_ON"
                           r"|lock held when returning to user space|possible irq lock inversion"
                           r"|bad unlock balance detected|held lock freed")),
    ("RCU stall", re.compile(r"rcu: INFO: rcu_\w+ (self-)?detected stall|detected stalls on CPUs/tasks")),
    ("hung task", re.compile(r"INFO: task .* blocked for more than")),
    ("atomic sleep", re.compile(r"sleeping function called from invalid context|scheduling while atomic")),
    ("soft lockup", re.compile(r"soft lockup - CPU#|hard LOCKUP")),
    ("UBSAN", re.compile(r"UBSAN: ")),
    ("panic", re.compile(r"Kernel panic - not syncing")),
    ("Oops", re.compile(r"\bOops[:\s]|general protection fault|Unable to handle kernel")),
    ("WARNING", re.compile(r"\bWARNING: (CPU: |possible |inconsistent |suspicious |bad unlock "
                           r"|lock held |held lock |nested lock )")),
    ("BUG", re.compile(r"\bBUG: |kernel BUG at ")),
]

RESULT = re.compile(r"^(not ok|ok) (\d+) (\S+)(?:\s+#\s*(SKIP|skip)\b.*)?$")
PLAN = re.compile(r"^1\.\.(\d+)$")


def judge(lines):
    """Return (counts, problems); a problem is (text, line index or None,
    how many lines before it explain it)."""
    plan = None
    results = {}
    reports = []
    done = False
    for i, raw in enumerate(lines):
        line = raw.rstrip("\n")
        for kind, rx in REPORTS:
            if rx.search(line):
                reports.append((kind, i))
                break
        if line == DONE:
            done = True
            continue
        m = PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = RESULT.match(line)
        if m:
            status = "skip" if m.group(4) else ("pass" if m.group(1) == "ok" else "fail")
            results[int(m.group(2))] = (m.group(3), status, i)

    problems = []
    if plan is None:
        problems.append(("the guest printed no KTAP plan (did it boot to init?)", None, 0))
    if not done:
        problems.append(("the guest never reached its end marker (crash, hang or panic)", None, 0))
    if plan is not None:
        missing = [n for n in range(1, plan + 1) if n not in results]
        if missing:
            problems.append(("%d of %d planned results missing (first: #%d)"
                             % (len(missing), plan, missing[0]), None, 0))
        extra = [n for n in results if n > plan]
        if extra:
            problems.append(("results beyond the plan of %d: %s" % (plan, extra), None, 0))
    for n, (name, status, i) in sorted(results.items()):
        if status == "fail":
            problems.append(("test %d %s failed" % (n, name), i, 12))
    seen = set()
    for kind, i in reports:
        if kind not in seen:
            problems.append(("kernel report: %s" % kind, i, 3))
            seen.add(kind)
    counts = {s: sum(1 for r in results.values() if r[1] == s) for s in ("pass", "fail", "skip")}
    counts["reports"] = len(reports)
    return counts, problems


def excerpt(lines, i, before=3, after=25):
    lo, hi = max(0, i - before), min(len(lines), i + after)
    return "".join("    | " + l if l.endswith("\n") else "    | " + l + "\n" for l in lines[lo:hi])


def main(argv):
    args = argv[1:]
    label = None
    if len(args) >= 2 and args[0] == "--name":
        label, args = args[1], args[2:]
    if len(args) != 1 or args[0].startswith("-"):
        sys.stderr.write("usage: scripts/check-log.py [--name LABEL] LOG\n")
        return 2
    try:
        with open(args[0], errors="replace") as f:
            lines = f.readlines()
    except OSError as e:
        sys.stderr.write("check-log: cannot read %s: %s\n" % (args[0], e.strerror))
        return 2
    counts, problems = judge(lines)
    label = label or args[0]
    print("%s: %d passed, %d failed, %d skipped; kernel reports: %d"
          % (label, counts["pass"], counts["fail"], counts["skip"], counts["reports"]))
    if not problems:
        return 0
    for what, i, before in problems:
        print("  FAIL: %s" % what)
        if i is not None:
            # a failed test explains itself above its result line
            sys.stdout.write(excerpt(lines, i, before, 1 if before > 3 else 25))
    if any(i is None for _, i, _ in problems):
        print("  last console lines:")
        sys.stdout.write(excerpt(lines, max(0, len(lines) - 15), 0, 15))
    print("  console log: %s" % args[0])
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
