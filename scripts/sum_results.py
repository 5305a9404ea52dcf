#!/usr/bin/env python3
"""Sums the closing `N passed, N failed` lines of several test logs into one line.

Usage: sum_results.py LOG...  Prints `total: N passed, N failed` and exits 1 when anything failed
or a log has no such line (its runner crashed or never ran).
"""
import re
import sys

LINE = re.compile(r"^(?:\w[\w-]*: )?(\d+) passed, (\d+) failed")


def last_result(path):
    result = None
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = LINE.match(line.strip())
                if m:
                    result = (int(m.group(1)), int(m.group(2)))
    except OSError:
        pass
    return result


def main(paths):
    passed = failed = 0
    for path in paths:
        result = last_result(path)
        if result is None:
            print(f"{path}: no result line (the runner did not finish)")
            failed += 1
            continue
        passed += result[0]
        failed += result[1]
    print(f"total: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
