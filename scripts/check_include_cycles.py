#!/usr/bin/env python3
"""Fails when the modules of a directory include each other in a cycle.

    check_include_cycles.py DIR      e.g. kernel: checks the graph of DIR/*.c and DIR/*.h
    check_include_cycles.py --self-test

A module is a name: DIR/x.c and DIR/x.h are the one module `x`. Module x depends on module y when
DIR/x.c or DIR/x.h has `#include "DIR/y.h"` (DIR as written in the include, i.e. its last path
component; a module including its own header is no edge). A .c file counts: it is where the module
calls the other, and two modules whose .c files include each other's headers cannot be understood,
initialised or tested one without the other, even though no header loop stops the compiler.

Prints every cycle it finds, one per strongly connected group of modules, with the include lines
that make it, and exits 1; prints `check-cycles: ok` and exits 0 when there is none.
"""
import re
import subprocess
import sys
import tempfile
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def module_graph(directory):
    """Returns {module: {dependency: "file:line"}} for the .c and .h files of `directory`."""
    directory = Path(directory)
    prefix = directory.resolve().name + "/"
    graph = {}
    for path in sorted(directory.glob("*.[ch]")):
        edges = graph.setdefault(path.stem, {})
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m or not m[1].startswith(prefix) or not m[1].endswith(".h"):
                continue
            target = m[1][len(prefix):-2]
            if "/" not in target and target != path.stem:
                edges.setdefault(target, f"{directory / path.name}:{number}")
    for edges in list(graph.values()):
        for target in edges:
            graph.setdefault(target, {})  # a header with no file here is still a node
    return graph


def cycles(graph):
    """Returns one cycle (a list of modules, the first repeated at the end) for each strongly
    connected group of two or more modules (Tarjan's algorithm)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [cycle_in(graph, group) for group in groups]


def cycle_in(graph, group):
    """Returns a shortest cycle through the alphabetically first module of `group`."""
    start = min(group)
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop(0)
        for nxt in sorted(graph[path[-1]]):
            if nxt == start:
                return path + [start]
            if nxt in group and nxt not in seen:
                seen.add(nxt)
                paths.append(path + [nxt])
    raise AssertionError("a strongly connected group always has a cycle")


def check(directory):
    graph = module_graph(directory)
    found = cycles(graph)
    prefix = Path(directory).resolve().name
    for cycle in found:
        print(f"include cycle among {directory}/ modules: {' -> '.join(cycle)}")
        for a, b in zip(cycle, cycle[1:]):
            print(f'  {a} -> {b}: {graph[a][b]} includes "{prefix}/{b}.h"')
    if found:
        return 1
    print(f"check-cycles: ok ({directory}/: {len(graph)} modules, no include cycle)")
    return 0


def self_test():
    """Plants a cycle in a temporary tree and checks this script reports it; checks that an
    acyclic tree (with a module including its own header) passes."""
    def tree(root, files):
        (root / "kernel").mkdir()
        for name, includes in files.items():
            text = "".join(f'#include "kernel/{h}.h"\n' for h in includes)
            (root / "kernel" / name).write_text(text)
        return subprocess.run([sys.executable, __file__, "kernel"], cwd=root, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        # a.c -> b.h, b.c -> c.h, c.h -> a.h: a cycle only through .c files and one header.
        run = tree(Path(tmp), {"a.h": [], "a.c": ["a", "b"], "b.h": [], "b.c": ["b", "c"],
                               "c.h": ["a"], "d.c": ["a"]})
        if run.returncode != 1 or "a -> b -> c -> a" not in run.stdout:
            failures.append(f"planted cycle a -> b -> c -> a not reported:\n{run.stdout}")
    with tempfile.TemporaryDirectory() as tmp:
        run = tree(Path(tmp), {"a.h": [], "a.c": ["a", "b"], "b.h": ["c"], "b.c": ["b"],
                               "c.h": [], "c.c": ["c"]})
        if run.returncode != 0 or "check-cycles: ok" not in run.stdout:
            failures.append(f"acyclic tree rejected:\n{run.stdout}")
    for failure in failures:
        print(f"check_include_cycles.py self-test FAILED: {failure}")
    if not failures:
        print("check-cycles: self-test ok (a planted cycle is reported, an acyclic tree passes)")
    return 1 if failures else 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: check_include_cycles.py DIR | --self-test", file=sys.stderr)
        return 2
    return check(argv[0].rstrip("/"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
