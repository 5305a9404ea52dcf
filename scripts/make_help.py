#!/usr/bin/env python3
"""`make help`: the user-facing targets, from the one place each is described.

Each user-facing target has a line `## NAME  description` (two or more spaces after NAME) just
above its rule, in the Makefile or a fragment; a line `##   more` (three or more spaces) continues
the one before. NAME may also be a variable setting (`CC=clang`). `$(BUILD)` in a description is
shown as the --build value.

    make_help.py [--build DIR] MAKEFILE...                 prints the list
    make_help.py --readme README.md MAKEFILE...            checks the README's table of make
                                                           targets names exactly these targets

The README check reads the first column of the table under the `## Make targets` heading: every
backquoted `make NAME`, or bare `NAME` after the first, is a target (`make` alone is `all`).
"""
import argparse
import re
import sys
import textwrap

ENTRY = re.compile(r"^## (\S+(?: \S+)*?) {2,}(\S.*)$")
MORE = re.compile(r"^##   +(\S.*)$")


def entries(makefiles):
    """Returns [(name, description)] in the order the makefiles hold them."""
    found = []
    for path in makefiles:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if m := MORE.match(line):
                    if found:
                        found[-1] = (found[-1][0], f"{found[-1][1]} {m[1]}")
                elif m := ENTRY.match(line):
                    found.append((m[1], m[2]))
    return found


def is_target(name):
    return "=" not in name


def readme_targets(path):
    """Returns the targets named in the first column of the README's make-target table."""
    targets, in_section = set(), False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                in_section = line.strip() == "## Make targets"
            elif in_section and line.startswith("|") and not line.startswith("|--"):
                first = line.split("|")[1]
                for span in re.findall(r"`([^`]*)`", first):
                    words = span.split()
                    if words[:1] == ["make"]:
                        words = words[1:] or ["all"]
                    targets.update(w for w in words if is_target(w) and w != "…")
    targets.discard("target")  # the header row
    return targets


def check_readme(readme, found):
    helped = {name for name, _ in found if is_target(name)}
    listed = readme_targets(readme)
    problems = [f"`make {t}` is in make help but not in {readme}'s table of make targets"
                for t in sorted(helped - listed)]
    problems += [f"`make {t}` is in {readme}'s table of make targets but not in make help"
                 for t in sorted(listed - helped)]
    for p in problems:
        print(f"  {p}")
    if problems:
        print("  (a target's help is the `## NAME  description` line above its rule)")
        return 1
    print(f"check-help: ok ({len(helped)} targets, the same in make help and {readme})")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="the build directory, for $(BUILD)")
    ap.add_argument("--readme", help="check this README's table instead of printing")
    ap.add_argument("makefiles", nargs="+")
    args = ap.parse_args()
    found = entries(args.makefiles)
    if args.readme:
        return check_readme(args.readme, found)
    shown = [(f"make {name}" if is_target(name) else name, text) for name, text in found]
    width = max(len(name) for name, _ in shown) + 2
    for name, text in shown:
        print(textwrap.fill(text.replace("$(BUILD)", args.build), width=100,
                            initial_indent=f"{name:<{width}}", subsequent_indent=" " * width))
    return 0


if __name__ == "__main__":
    sys.exit(main())
