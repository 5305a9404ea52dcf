#!/usr/bin/env python3
"""The preload libraries' smoke test (`make preload-test`, part of `make test`).

    smoke.py --build DIR --designs 'bump linked_list fixed_block'

Runs test/preload/preload_test.c's program under glibc, then in each of its modes under every
library ($BUILD/preload/lib<design>.so), and a small `sort` under every library against glibc's
output. Every process's check() at exit must be clean (PRELOAD_ALLOC_REPORT) except where a case
breaks the heap on purpose. One line a case, then `preload: N passed, N failed`; exit 1 on a
failure. A second or so in all.
"""
import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procs import Step, run_steps, write_lines  # noqa: E402

# Designs whose free blocks hold nothing the check could find broken (the corrupt case).
KEEPS_NOTHING_IN_FREE_MEMORY = {"bump"}


def smoke_cases(args, work):
    """[(name, function returning a list of problems)]: empty list means the case passed."""
    test = os.path.join(args.build, "preload", "preload_test")
    small = write_lines(os.path.join(work, "small.txt"), 60_000, 2)
    cases = [("glibc/preload_test", lambda: expect_clean(run_steps([Step([test])], None, work,
                                                                     "glibc"), None))]
    for design in args.designs:
        lib = os.path.join(args.build, "preload", f"lib{design}.so")
        cases += [
            (f"{design}/all", lambda lib=lib: case_all(test, lib, work)),
            (f"{design}/bad", lambda lib=lib: case_bad(test, lib, work)),
            (f"{design}/limit", lambda lib=lib: case_limit(test, lib, work)),
            (f"{design}/corrupt", lambda lib=lib, d=design: case_corrupt(test, lib, work, d)),
            (f"{design}/sort", lambda lib=lib: case_sort(small, lib, work)),
        ]
    return cases


def expect_clean(run, lib, exits=1):
    """Problems with a run that should have exited 0 with every check clean and at least
    `exits` reports at exit (none expected without a library)."""
    problems = []
    if run.rc != 0 or run.timed_out:
        problems.append(f"exit {run.rc}{' (timed out)' if run.timed_out else ''}: {run.err[-600:]}")
    if lib is not None:
        n_exit = sum(r["when"] == "exit" for r in run.reports)
        if n_exit < exits:
            problems.append(f"{n_exit} exit reports, expected {exits} or more "
                            "(library not loaded?)")
        problems += [f"check {c}" for c in run.failed_checks()]
    return problems


def case_all(test, lib, work):
    run = run_steps([Step([test])], lib, work, "all")
    problems = expect_clean(run, lib, exits=9)  # the program and its 8 forked children
    if not any(r["when"] == "SIGUSR2" for r in run.reports):
        problems.append("no report of the check on SIGUSR2")
    if run.rejected():
        problems.append(f"{run.rejected()} refused pointers")
    return problems


def case_bad(test, lib, work):
    run = run_steps([Step([test, "bad"])], lib, work, "bad")
    problems = expect_clean(run, lib)
    for what in ("not a pointer into the heap", "no valid block header"):
        n = run.err.count(what)
        if n != 1:
            problems.append(f"stderr names '{what}' {n} times, expected once")
    got = [(r["outside"], r["header"], r["refused"]) for r in run.reports if r["when"] == "exit"]
    if got != [("2", "3", "0")]:
        problems.append(f"refused (outside, header, design) {got}, expected [('2', '3', '0')]")
    return problems


def case_limit(test, lib, work):
    run = run_steps([Step([test, "limit"])], lib, work, "limit", {"PRELOAD_ALLOC_LIMIT_MIB": "16"})
    problems = expect_clean(run, lib)
    if run.nomem() < 2:
        problems.append(f"{run.nomem()} allocations out of memory, expected 2 or more")
    if run.committed_mib() > 16:
        problems.append(f"{run.committed_mib():.1f} MiB committed, over the 16 MiB limit")
    return problems


def case_corrupt(test, lib, work, design):
    run = run_steps([Step([test, "corrupt"])], lib, work, "corrupt")
    sig = [r["check"] for r in run.reports if r["when"] == "SIGUSR2"]
    problems = [] if run.rc == 0 else [f"exit {run.rc}: {run.err[-600:]}"]
    if design in KEEPS_NOTHING_IN_FREE_MEMORY:
        if sig != ["ok"]:
            problems.append(f"SIGUSR2 checks {sig}, expected ['ok'] (nothing to see)")
    elif len(sig) != 1 or not sig[0].startswith("FAILED") or "check FAILED" not in run.err:
        problems.append(f"SIGUSR2 checks {sig} (stderr {run.err[-300:]!r}), expected one FAILED")
    return problems


def case_sort(small, lib, work):
    steps = [Step(["sort", small])]
    env = {"LC_ALL": "C"}
    want, got = run_steps(steps, None, work, "sort-glibc", env), run_steps(steps, lib, work,
                                                                           "sort", env)
    problems = expect_clean(got, lib)
    if want.rc != 0 or got.out != want.out:
        problems.append("output differs from glibc's")
    if got.rejected():
        problems.append(f"{got.rejected()} refused pointers")
    return problems


def smoke(args, work):
    start = time.monotonic()
    cases = smoke_cases(args, work)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda c: (c[0], timed(c[1])), cases))
    failed = 0
    for name, (problems, seconds) in results:
        print(f"  {name:<24} {'ok' if not problems else 'FAILED'}  {seconds:5.2f} s")
        for p in problems:
            print(f"      {p}")
        failed += bool(problems)
    print(f"preload smoke: {len(cases)} cases in {time.monotonic() - start:.2f} s")
    print(f"preload: {len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


def timed(fn):
    start = time.monotonic()
    return fn(), time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--designs", required=True, help="space-separated design names")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    args.designs = args.designs.split()
    work = os.path.join(args.build, "preload", "work")
    os.makedirs(work, exist_ok=True)
    return smoke(args, work)


if __name__ == "__main__":
    sys.exit(main())
