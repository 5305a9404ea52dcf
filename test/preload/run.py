#!/usr/bin/env python3
"""Real programs under glibc's malloc and under every preload library (`make preload-run`).

    run.py --build DIR --designs 'bump linked_list fixed_block' [--runs 3]
           [--programs python,sort,gcc,xz] [--timeout 60] [--limit-mib 1024]

The programs: a Python dict/list/JSON churn (test/preload/churn.py, with PYTHONMALLOC=malloc so
that Python's small objects reach malloc too), `sort` of 4 MiB of generated lines (LC_ALL=C),
`gcc -O2 -g -c core/paging.c`, and `xz -T2` compressing those lines in 1 MiB blocks (so both
threads work) and decompressing the result. Each runs --runs times under each malloc, round by
round; every run's output (stdout and output files) must be the same as glibc's, and every
process's check() at exit clean (PRELOAD_ALLOC_REPORT).

Prints the median wall time of each program under each malloc with its ratio to glibc's, and the
most any of a run's processes had committed. A design that runs out of memory under the commit
limit (PRELOAD_ALLOC_LIMIT_MIB=--limit-mib; bump reuses nothing while a block is live) or passes
the timeout (linked_list walks its whole free list) is shown as such: that is the design, not a
failure. A different output, a failed check, a refused pointer or a crash is a failure: exit 1.
"""
import argparse
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procs import ROOT, Step, run_steps, write_lines  # noqa: E402

PROGRAMS = ["python", "sort", "gcc", "xz"]


def program_steps(name, args, work):
    """(steps, extra environment) of one program, or None when its tool is missing."""
    lines = write_lines(os.path.join(work, "lines.txt"), 4 << 20, 1)
    if name == "python":
        return [Step([sys.executable, os.path.join(ROOT, "test/preload/churn.py"),
                      "--rounds", str(args.churn_rounds)])], {"PYTHONMALLOC": "malloc"}
    if name == "sort":
        return [Step(["sort", lines])], {"LC_ALL": "C"}
    if name == "gcc":
        obj = os.path.join(work, "paging.o")
        return [Step([args.cc, "-O2", "-g", "-std=c11", "-ffreestanding", "-I.", "-c",
                      "core/paging.c", "-o", obj], files=[obj])], {}
    if name == "xz":
        if shutil.which("xz") is None:
            return None
        packed = os.path.join(work, "lines.xz")
        return [Step(["xz", "-T2", "--block-size=1MiB", "-6", "-c", lines], stdout=packed),
                Step(["xz", "-d", "-T2", "-c", packed])], {}
    raise ValueError(name)


def outcome(run, want):
    """'ok', or why a design's run is not: ('oom' | 'timeout' | 'FAIL', detail)."""
    if run.failed_checks():
        return "FAIL", f"check {run.failed_checks()[0]}"
    if run.timed_out:
        return "timeout", ""
    bad = run.rc != 0 or run.out != want or not any(r["when"] == "exit" for r in run.reports)
    if bad and run.nomem():
        return "oom", f"{run.nomem()} allocations refused at {run.committed_mib():.0f} MiB"
    if run.rc != 0:
        return "FAIL", f"exit {run.rc}: {run.err.strip()[-300:]}"
    if run.out != want:
        return "FAIL", "output differs from glibc's"
    if not any(r["when"] == "exit" for r in run.reports):
        return "FAIL", "no check report at exit (library not loaded?)"
    if run.rejected():
        return "FAIL", f"{run.rejected()} refused pointers: {run.err.strip()[-300:]}"
    return "ok", ""


def measure(name, args, work, libs):
    """{config: (status, [seconds], detail, committed MiB)} for one program; config "glibc"
    first, then the designs."""
    spec = program_steps(name, args, work)
    if spec is None:
        return None
    steps, env = spec
    env = dict(env, PRELOAD_ALLOC_LIMIT_MIB=str(args.limit_mib))
    res = {c: ["ok", [], "", 0.0] for c in ["glibc"] + list(libs)}
    want = None
    for _ in range(args.runs):
        for config, r in res.items():
            if r[0] != "ok":
                continue  # out of memory, too slow or failed: once is enough
            run = run_steps(steps, libs.get(config), work, f"{name}-{config}", env, args.timeout)
            if config == "glibc":
                if run.rc != 0 or run.timed_out or (want is not None and run.out != want):
                    r[0], r[2] = "FAIL", f"glibc run: exit {run.rc}, {run.err.strip()[-300:]}"
                want = run.out if want is None else want
                status, detail = ("ok", "") if r[0] == "ok" else (r[0], r[2])
            else:
                status, detail = outcome(run, want)
                r[3] = max(r[3], run.committed_mib())
            r[0], r[2] = status, detail
            if status == "ok":
                r[1].append(run.seconds)
        if res["glibc"][0] != "ok":
            break
    return res


def cell(r, base, timeout):
    status, secs, _, _ = r
    if status == "oom":
        return "out of memory"
    if status == "timeout":
        return f"timeout >{timeout:.0f} s"
    if status != "ok":
        return "FAILED"
    t = statistics.median(secs)
    return f"{t:.2f} s" if base is None else f"{t:.2f} s {t / base:5.2f}x"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--designs", required=True, help="space-separated design names")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--programs", default=",".join(PROGRAMS))
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds a step may take")
    ap.add_argument("--limit-mib", type=int, default=1024, help="PRELOAD_ALLOC_LIMIT_MIB")
    ap.add_argument("--churn-rounds", type=int, default=1000)
    ap.add_argument("--cc", default="gcc")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    work = os.path.join(build, "preload", "work")
    os.makedirs(work, exist_ok=True)
    libs = {d: os.path.join(build, "preload", f"lib{d}.so") for d in args.designs.split()}

    print(f"preload-run: wall time, median of {args.runs} runs (ratio to glibc); commit limit "
          f"{args.limit_mib} MiB, timeout {args.timeout:.0f} s a step")
    configs = ["glibc"] + list(libs)
    print(f"{'program':<8} " + " ".join(f"{c:>17}" for c in configs))
    notes, failed, memory = [], 0, []
    for name in args.programs.split(","):
        res = measure(name, args, work, libs)
        if res is None:
            print(f"{name:<8} skipped: not installed")
            continue
        base = statistics.median(res["glibc"][1]) if res["glibc"][0] == "ok" else None
        print(f"{name:<8} " + " ".join(
            f"{cell(res[c], None if c == 'glibc' else base, args.timeout):>17}" for c in configs),
            flush=True)
        memory.append((name, [f"{res[c][3]:8.1f}" if res[c][3] else f"{'-':>8}" for c in libs]))
        for c in configs:
            status, _, detail, _ = res[c]
            if status != "ok":
                notes.append(f"  {name}/{c}: {status}{': ' + detail if detail else ''}")
                failed += status == "FAIL"
    print("\nMiB committed, the most of any process of a run (- for none that finished)")
    print(f"{'program':<8} " + " ".join(f"{d:>17}" for d in libs))
    for name, mibs in memory:
        print(f"{name:<8} " + " ".join(f"{m:>17}" for m in mibs))
    if notes:
        print("\nnot timed:\n" + "\n".join(notes))
    print(f"preload-run: {'FAILED, ' + str(failed) + ' failures' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
