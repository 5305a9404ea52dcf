#!/usr/bin/env python3
"""What the preload runners share (test/preload/smoke.py, test/preload/run.py): running a program
(a few steps) with or without a preload library, its output, wall time and the check reports
every one of its processes wrote (PRELOAD_ALLOC_REPORT), and generated input lines.
"""
import os
import random
import re
import itertools
import subprocess
import time
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# One line a check (test/preload/report.c); the statistics are left out when the check failed.
REPORT = re.compile(
    r"^preload_alloc: (?P<design>\S+) pid (?P<pid>\d+) (?P<when>\S+): "
    r"check (?P<check>ok|FAILED: .*?); (?:(?P<live>\d+) live blocks, \d+ bytes live, "
    r"peak \d+ bytes, )?(?P<committed>\d+) bytes committed of \d+ reserved, \d+ allocations, "
    r"(?P<nomem>\d+) out of memory, rejected (?P<outside>\d+) outside (?P<header>\d+) header "
    r"(?P<refused>\d+) design$")


_serial = itertools.count()  # report files of runs in parallel threads never collide


@dataclass
class Run:
    rc: int = 0
    out: bytes = b""  # the steps' stdouts and output files, in order
    err: str = ""
    seconds: float = 0.0
    timed_out: bool = False
    reports: list = field(default_factory=list)  # REPORT matches, as dicts

    def rejected(self):
        return sum(int(r[k]) for r in self.reports for k in ("outside", "header", "refused"))

    def nomem(self):
        return sum(int(r["nomem"]) for r in self.reports)

    def failed_checks(self):
        return [r["check"] for r in self.reports if r["check"] != "ok"]

    def committed_mib(self):
        return max((int(r["committed"]) for r in self.reports), default=0) / (1 << 20)


@dataclass
class Step:
    argv: list
    stdin: str = None  # a file to read
    stdout: str = None  # a file to write (else captured)
    files: list = field(default_factory=list)  # output files that are part of the output


def run_steps(steps, lib, work, tag, env_extra=None, timeout=60.0):
    """Runs the steps one after another, LD_PRELOAD=lib when lib is not None, with every
    process's check result appended to a report file. Stops at the first failing step."""
    env = {k: v for k, v in os.environ.items()
           if k != "LD_PRELOAD" and not k.startswith("PRELOAD_ALLOC_")}
    env.update(env_extra or {})
    report = os.path.join(work, f"report-{tag}-{os.getpid()}-{next(_serial)}.txt")
    if os.path.exists(report):
        os.remove(report)
    if lib is not None:
        env["LD_PRELOAD"] = lib
        env["PRELOAD_ALLOC_REPORT"] = report
    run = Run()
    for step in steps:
        stdin = open(step.stdin, "rb") if step.stdin else subprocess.DEVNULL
        stdout = open(step.stdout, "wb") if step.stdout else subprocess.PIPE
        start = time.monotonic()
        proc = subprocess.Popen(step.argv, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                                env=env, cwd=ROOT, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)  # the whole group: gcc's cc1 and as too
            out, err = proc.communicate()
            run.timed_out = True
        run.seconds += time.monotonic() - start
        for f in (stdin, stdout):
            if f not in (subprocess.DEVNULL, subprocess.PIPE):
                f.close()
        run.rc, run.err = proc.returncode, run.err + err.decode("utf-8", "replace")
        run.out += out or b""
        for path in ([step.stdout] if step.stdout else []) + step.files:
            if os.path.exists(path):
                with open(path, "rb") as f:
                    run.out += f.read()
        if run.rc != 0 or run.timed_out:
            break
    if os.path.exists(report):
        with open(report, encoding="utf-8", errors="replace") as f:
            run.reports = [m.groupdict() for m in map(REPORT.match, f.read().splitlines()) if m]
        os.remove(report)
    return run


def write_lines(path, size, seed):
    """size bytes (about) of random lines of words, made once per seed and size."""
    if os.path.exists(path) and os.path.getsize(path) >= size:
        return path
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(2, 10)))
             for _ in range(5000)]
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 8))) + "\n"
        lines.append(line)
        total += len(line)
    with open(path + ".tmp", "w", encoding="ascii") as f:
        f.writelines(lines)
    os.replace(path + ".tmp", path)
    return path


