#!/usr/bin/env python3
"""Runs the host unit-test programs (cmocka) in parallel and sums their results.

Prints one line per program with its counts and time, the full output of any program that failed
(or of every program with -v), with --seeds the seed lines of the others (test/unit/sweep.h), and
ends with `unit: N passed, N failed` (--name sets the word: unit32 for the 32-bit build). Exits 1 if anything failed, including a program that crashed
or printed no cmocka summary. --junit FILE also writes JUnit XML: a test suite per program, a case
per cmocka test.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

PASSED = re.compile(r"^\[  PASSED  \] (\d+) test", re.M)
FAILED = re.compile(r"^\[  FAILED  \] (\d+) test", re.M)
SEED_LINE = re.compile(r"^.*\(replay: UNIT_SEED=.*$", re.M)


def run(path):
    start = time.monotonic()
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="stdout")
    proc = subprocess.run([path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          timeout=600)
    elapsed = time.monotonic() - start
    out = proc.stdout.decode("utf-8", "replace")
    passed = sum(int(n) for n in PASSED.findall(out))
    failed = sum(int(n) for n in FAILED.findall(out))
    if proc.returncode != 0 and failed == 0:
        failed = 1  # crashed or aborted (a sanitizer report, say) before cmocka could count it
    if passed + failed == 0:
        failed = 1  # ran no test at all: that is a broken program, not a pass
    return path, passed, failed, elapsed, proc.returncode, out


CASE = re.compile(r"^\[ +(OK|FAILED|ERROR|SKIPPED) +\] (\S+)$", re.M)


def write_junit(results, path):
    """JUnit XML of run()'s results; a program that failed with no failed case named (a crash)
    gets a failed case of its own name."""
    root = ET.Element("testsuites")
    for prog, passed, failed, elapsed, rc, out in results:
        name = os.path.basename(prog)
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(passed + failed),
                              failures=str(failed), errors="0", time=f"{elapsed:.3f}")
        cases = {}
        for status, case in CASE.findall(out):
            cases.setdefault(case, status)  # a failed case is listed again in the summary
        if failed and not {"FAILED", "ERROR"} & set(cases.values()):
            cases[name] = "FAILED"
        for case, status in cases.items():
            node = ET.SubElement(suite, "testcase", name=case, classname=name)
            if status in ("FAILED", "ERROR"):
                ET.SubElement(node, "failure", message=f"{status.lower()}, program exit {rc}")
            elif status == "SKIPPED":
                ET.SubElement(node, "skipped")
        ET.SubElement(suite, "system-out").text = re.sub(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd]",
                                                         "\ufffd", out)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every program's output")
    ap.add_argument("--seeds", action="store_true", help="print the seed lines of every program")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    ap.add_argument("--name", default="unit", help="the suite's name in the closing lines")
    ap.add_argument("programs", nargs="+")
    args = ap.parse_args()

    total_pass = total_fail = 0
    start = time.monotonic()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for path, passed, failed, elapsed, rc, out in pool.map(run, args.programs):
            results.append((path, passed, failed, elapsed, rc, out))
            name = os.path.basename(path)
            if failed or args.verbose:
                sys.stdout.write(out)
            status = "ok" if not failed else f"FAILED (exit {rc})"
            print(f"  {name:<24} {passed:4d} passed {failed:3d} failed  {elapsed:6.2f} s  {status}")
            if args.seeds and not (failed or args.verbose):
                for line in SEED_LINE.findall(out):
                    print(f"      {line}")
            total_pass += passed
            total_fail += failed
    print(f"{args.name} suite: {len(args.programs)} programs in {time.monotonic() - start:.2f} s")
    print(f"{args.name}: {total_pass} passed, {total_fail} failed")
    if args.junit:
        write_junit(results, args.junit)
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main())
