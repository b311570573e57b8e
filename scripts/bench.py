#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmark two kernels against each other in one run.

Usage: scripts/bench.py --arch ARCH --initrd CPIO --out PREFIX
                        [--runs N] [--seconds S] [--timeout T]
                        LABEL=IMAGE LABEL=IMAGE

Boots the two kernels alternately (A B, B A, A B, ... so that drift of the
host hits both alike), RUNS times each, with pervma.mode=bench: the guest
runs tests/bench/pft (--mode all --seconds S) and prints BENCH lines. A run
whose console shows a kernel report or a failed benchmark stops the
benchmark (scripts/check-log.py judges every console).

Writes PREFIX.json (every sample, medians, ratios), PREFIX.md (the table)
and PREFIX.png (per-metric ratios of every pair, second / first kernel),
and prints the table. Ratios are second / first, so 1.0 means "the same";
for throughput higher is better, for costs (ns, us) lower is better.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = re.compile(r"^# BENCH (\S+) ([0-9.]+) (\S+)$")


def boot(arch, image, initrd, log, seconds, timeout):
    env = dict(os.environ, TIMEOUT=str(timeout))
    cmd = [os.path.join(TOP, "scripts", "boot.sh"), arch, image, initrd, log,
           "pervma.mode=bench", "pervma.seconds=%d" % seconds]
    if subprocess.call(cmd, env=env) != 0:
        sys.exit("bench: boot of %s failed (console: %s)" % (image, log))
    if subprocess.call([os.path.join(TOP, "scripts", "check-log.py"), log]) != 0:
        sys.exit("bench: the guest run failed; see above (console: %s)" % log)
    values = {}
    units = {}
    with open(log, errors="replace") as f:
        for line in f:
            m = BENCH.match(line.rstrip("\n"))
            if m:
                values[m.group(1)] = float(m.group(2))
                units[m.group(1)] = m.group(3)
    if not values:
        sys.exit("bench: no BENCH lines in %s" % log)
    return values, units


def spread(xs):
    """min..max around the median, as +/- percent of the median."""
    med = statistics.median(xs)
    if med == 0:
        return 0.0, 0.0
    return 100.0 * (min(xs) - med) / med, 100.0 * (max(xs) - med) / med


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--out", required=True, help="output prefix (PREFIX.json/.md/.png)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("kernels", nargs=2, metavar="LABEL=IMAGE")
    a = ap.parse_args()
    if a.runs < 1 or a.seconds < 1:
        ap.error("--runs and --seconds must be at least 1")
    kernels = []
    for k in a.kernels:
        label, sep, image = k.partition("=")
        if not sep or not label or not os.path.isfile(image):
            ap.error("'%s' is not LABEL=IMAGE with an existing image" % k)
        kernels.append((label, image))
    if kernels[0][0] == kernels[1][0]:
        ap.error("the two kernels need different labels")
    if not os.path.isfile(a.initrd):
        ap.error("no initramfs at %s" % a.initrd)

    samples = {label: [] for label, _ in kernels}
    units = {}
    logdir = a.out + ".logs"
    os.makedirs(logdir, exist_ok=True)
    t0 = time.time()
    for i in range(a.runs):
        order = kernels if i % 2 == 0 else kernels[::-1]
        for label, image in order:
            log = os.path.join(logdir, "%s-%d.log" % (label, i + 1))
            vals, u = boot(a.arch, image, a.initrd, log, a.seconds, a.timeout)
            units.update(u)
            samples[label].append(vals)
            print("bench: run %d/%d %s: %s" % (i + 1, a.runs, label,
                  " ".join("%s=%g" % kv for kv in sorted(vals.items()))), flush=True)

    (la, _), (lb, _) = kernels
    metrics = sorted(set(samples[la][0]) & set(samples[lb][0]))
    rows = []
    for m in metrics:
        xa = [s[m] for s in samples[la] if m in s]
        xb = [s[m] for s in samples[lb] if m in s]
        # pairs in run order: the same i for both kernels
        pairs = [b / x for x, b in zip(xa, xb) if x > 0]
        rows.append({
            "metric": m, "unit": units.get(m, ""),
            la: {"median": statistics.median(xa), "samples": xa, "spread_pct": spread(xa)},
            lb: {"median": statistics.median(xb), "samples": xb, "spread_pct": spread(xb)},
            "ratio": statistics.median(xb) / statistics.median(xa) if statistics.median(xa) else None,
            "pair_ratios": pairs,
            "pair_ratio_min": min(pairs) if pairs else None,
            "pair_ratio_max": max(pairs) if pairs else None,
        })

    head = ("| metric | unit | %s median (spread %%) | %s median (spread %%) | ratio %s/%s | pair ratios min..max |"
            % (la, lb, lb, la))
    lines = [head, "|" + "---|" * 6]
    for r in rows:
        sa, sb = r[la]["spread_pct"], r[lb]["spread_pct"]
        lines.append("| %s | %s | %.1f (%+.1f..%+.1f) | %.1f (%+.1f..%+.1f) | %.3f | %.3f..%.3f |" % (
            r["metric"], r["unit"], r[la]["median"], sa[0], sa[1], r[lb]["median"], sb[0], sb[1],
            r["ratio"], r["pair_ratio_min"], r["pair_ratio_max"]))
    table = "\n".join(lines)
    meta = {"arch": a.arch, "runs": a.runs, "seconds": a.seconds,
            "kernels": {l: img for l, img in kernels}, "wall_seconds": round(time.time() - t0),
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "host_cpus": os.cpu_count(), "guest_cpus": 2}
    with open(a.out + ".json", "w") as f:
        json.dump({"meta": meta, "metrics": rows}, f, indent=1)
    with open(a.out + ".md", "w") as f:
        f.write("%s, %d runs per kernel, %d s per metric, alternating boots (%s)\n\n%s\n"
                % (a.arch, a.runs, a.seconds, meta["date"], table))
    plot(rows, la, lb, a.out + ".png", "%s: %s vs %s (%d runs each)" % (a.arch, lb, la, a.runs))
    print(table)
    print("bench: wrote %s.json %s.md %s.png (%d s)" % (a.out, a.out, a.out, meta["wall_seconds"]))


def plot(rows, la, lb, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(9, 4.5))
    names = [r["metric"] for r in rows]
    for i, r in enumerate(rows):
        ax.scatter([i] * len(r["pair_ratios"]), r["pair_ratios"], color="tab:blue", s=18, zorder=3)
        ax.hlines(r["ratio"], i - 0.3, i + 0.3, color="tab:red", zorder=4)
    ax.axhline(1.0, color="gray", lw=0.8, ls="--")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right")
    ax.set_ylabel("%s / %s (dots: pairs, bar: medians)" % (lb, la))
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    main()
