#!/usr/bin/env python3
"""One coverage table from the host's and the kernel's gcovr JSON reports.

    coverage_table.py HOST.json KERNEL.json [--min DIR=PCT ...]

For every file: line coverage as the host unit tests reach it, as the QEMU scenarios reach it
inside the kernel, and merged (a line is code when the host build says so, or the kernel build for
files only the kernel has; it is covered when either run covers it); branch coverage the same way, where the merged figure of a line is that of the build
that took more of its branches (the two builds compile the line differently, -O0 against -O2, so
their branches cannot be matched one by one). Then the totals of core/, kernel/ and
platform/x86_64/ and of everything. `--min kernel/=90` fails (exit 1) when a directory's merged
line coverage is below the figure.
"""
import argparse
import json
import sys

DIRS = ["core/", "kernel/", "platform/x86_64/"]


def load(path):
    """{file: {line: (count, [branch counts])}} for the code lines of a gcovr JSON report."""
    files = {}
    with open(path) as f:
        for entry in json.load(f)["files"]:
            lines = files.setdefault(entry["file"], {})
            for ln in entry["lines"]:
                if ln.get("gcovr/noncode") or ln.get("gcovr/excluded"):
                    continue
                lines[ln["line_number"]] = (ln["count"], [b["count"] for b in ln["branches"]])
    return files


class Tally:
    def __init__(self):
        self.lines = self.lines_hit = self.branches = self.branches_hit = 0

    def add_file(self, lines):
        for count, branches in lines.values():
            self.add_line(count, sum(1 for b in branches if b > 0), len(branches))

    def add_line(self, count, branches_hit, branches):
        self.lines += 1
        self.lines_hit += count > 0
        self.branches += branches
        self.branches_hit += branches_hit

    def add(self, other):
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @staticmethod
    def pct(hit, total):
        return "-" if total == 0 else f"{100.0 * hit / total:.1f}%"

    def line_pct(self):
        return self.pct(self.lines_hit, self.lines)

    def branch_pct(self):
        return self.pct(self.branches_hit, self.branches)

    def line_value(self):
        return 100.0 * self.lines_hit / self.lines if self.lines else 100.0


def merged_tally(host, kernel):
    t = Tally()
    # Which lines are code: the host build's view where there is one (-O0 keeps every line's own
    # code; -O2 moves code between lines), else the kernel's.
    for n in sorted(host or kernel):
        h, k = host.get(n), kernel.get(n)
        count = (h[0] if h else 0) + (k[0] if k else 0)
        pairs = [(sum(1 for b in x[1] if b > 0), len(x[1])) for x in (h, k) if x and x[1]]
        hit, total = max(pairs, key=lambda p: (p[0], -p[1])) if pairs else (0, 0)
        t.add_line(count, hit, total)
    return t


def tally_of(lines):
    t = Tally()
    if lines is not None:
        t.add_file(lines)
    return t


def row(name, host, kernel, merged, has_host, has_kernel):
    def cell(t, present, kind):
        if not present:
            return "-"
        return t.line_pct() if kind == "l" else t.branch_pct()
    return (f"{name:<34} {cell(host, has_host, 'l'):>7} {cell(kernel, has_kernel, 'l'):>7} "
            f"{merged.line_pct():>7} {merged.lines_hit:>5}/{merged.lines:<5} "
            f"{cell(host, has_host, 'b'):>7} {cell(kernel, has_kernel, 'b'):>7} "
            f"{merged.branch_pct():>7}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("host")
    ap.add_argument("kernel")
    ap.add_argument("--min", action="append", default=[], metavar="DIR=PCT")
    args = ap.parse_args()
    host, kernel = load(args.host), load(args.kernel)
    header = (f"{'file':<34} {'host':>7} {'kernel':>7} {'merged':>7} {'lines':>11} "
              f"{'host':>7} {'kernel':>7} {'merged':>7}")
    print(f"{'':<34} {'--------------- lines ---------------':>36}  {'----- branches -----':>23}")
    print(header)
    totals = {d: [Tally(), Tally(), Tally()] for d in DIRS}
    for d in DIRS:
        names = sorted(n for n in set(host) | set(kernel) if n.startswith(d))
        for name in names:
            h, k = tally_of(host.get(name)), tally_of(kernel.get(name))
            m = merged_tally(host.get(name, {}), kernel.get(name, {}))
            print(row(name, h, k, m, name in host, name in kernel))
            for t, x in zip(totals[d], (h, k, m)):
                t.add(x)
    print("-" * len(header))
    everything = [Tally(), Tally(), Tally()]
    for d in DIRS:
        h, k, m = totals[d]
        print(row(f"{d} (total)", h, k, m, h.lines > 0, k.lines > 0))
        for t, x in zip(everything, totals[d]):
            t.add(x)
    print(row("all", *everything, True, True))
    failed = False
    for spec in args.min:
        d, _, pct = spec.partition("=")
        d = d if d.endswith("/") else d + "/"
        if d not in totals or not pct:
            ap.error(f"--min {spec}: want DIR=PCT with DIR one of {', '.join(DIRS)}")
        got = totals[d][2].line_value()
        if got < float(pct):
            print(f"coverage: {d} merged lines {got:.1f}% is below the minimum {pct}%")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
