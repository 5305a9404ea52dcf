#!/usr/bin/env python3
"""Kernel coverage streams to .gcda files, and the .gcda files of many runs added up.

    kcov.py decode STREAM --objdir DIR --out OUT [--name NAME]
        checks the stream a coverage image wrote to QEMU's debug console (the format is
        described in kernel/coverage/kcov_stream.h) and writes each unit's .gcda under OUT, at
        its path relative to DIR, the object directory the kernel was built in (every unit's
        name must lie under it). NAME (default: the stream's file name) names the run in errors.
    kcov.py merge OUT RUN_DIR...
        adds up the counters of the .gcda files in the RUN_DIRs (each one run's decoded output)
        into OUT with gcov-tool, the way gcov itself merges the runs of one program: the same
        object's counters are summed, whichever image the object was linked into.

A stream that is empty, stops early, has a bad checksum, a bad count or bytes after its end is
an error naming the run; nothing is written for it. Exit status 1 on any error.
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

FNV_OFFSET, FNV_PRIME = 2166136261, 16777619


class StreamError(Exception):
    """A coverage stream that cannot be trusted."""


def fnv(data, h=FNV_OFFSET):
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return h


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n, what):
        if self.pos + n > len(self.data):
            raise StreamError(f"stream ends at byte {len(self.data)} inside {what} "
                              f"(needs {n} bytes at {self.pos})")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def u32(self, what):
        return struct.unpack("<I", self.take(4, what))[0]


def parse(data):
    """Returns [(name, gcda bytes)] for a whole, valid stream; raises StreamError otherwise."""
    if not data:
        raise StreamError("empty stream (the image wrote no coverage data: did it reach its end?)")
    r, units = Reader(data), []
    while True:
        start = r.pos
        magic = r.take(4, "a record's magic")
        if magic == b"KEND":
            total = fnv(data[:start])
            count, want = r.u32("the end record's count"), r.u32("the end record's checksum")
            if count != len(units):
                raise StreamError(f"end record counts {count} units, the stream holds {len(units)}")
            if want != total:
                raise StreamError(f"stream checksum {total:#010x} != {want:#010x} in the end record")
            if r.pos != len(data):
                raise StreamError(f"{len(data) - r.pos} bytes after the end record")
            return units
        if magic != b"KCOV":
            raise StreamError(f"bad record magic {magic!r} at byte {start}")
        name = r.take(r.u32("a unit's name length"), "a unit's name")
        gcda = r.take(r.u32("a unit's data length"), f"the data of {name.decode(errors='replace')}")
        want = r.u32("a unit's checksum")
        if fnv(gcda, fnv(name)) != want:
            raise StreamError(f"checksum mismatch in the record of {name.decode(errors='replace')} "
                              f"at byte {start}")
        units.append((name.decode("utf-8", "replace"), gcda))


def decode(stream, objdir, out):
    """Writes the units of the stream file under out; returns their number."""
    units = parse(Path(stream).read_bytes())
    objdir = Path(objdir).resolve()
    files = []
    for name, gcda in units:
        try:
            rel = Path(name).resolve().relative_to(objdir)
        except ValueError:
            raise StreamError(f"unit {name} is not in the object directory {objdir}") from None
        files.append((rel, gcda))
    for rel, gcda in files:
        path = Path(out) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gcda)
    return len(files)


def merge(out, runs):
    """Adds up the runs' .gcda files into out (gcov-tool merge, one run at a time)."""
    out = Path(out)
    runs = [Path(r) for r in runs if any(Path(r).rglob("*.gcda"))]
    if out.exists():
        shutil.rmtree(out)
    if not runs:
        out.mkdir(parents=True)
        return
    shutil.copytree(runs[0], out)
    for run in runs[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            merged = Path(tmp) / "merged"
            subprocess.run(["gcov-tool", "merge", str(out), str(run), "-o", str(merged)],
                           check=True, stdout=subprocess.DEVNULL)
            # gcov-tool writes only .gcda files; keep any the merge left out (none expected).
            shutil.rmtree(out)
            shutil.copytree(merged, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decode")
    d.add_argument("stream")
    d.add_argument("--objdir", required=True)
    d.add_argument("--out", required=True)
    d.add_argument("--name")
    m = sub.add_parser("merge")
    m.add_argument("out")
    m.add_argument("runs", nargs="*")
    args = ap.parse_args()
    if args.cmd == "decode":
        name = args.name or Path(args.stream).stem
        try:
            n = decode(args.stream, args.objdir, args.out)
        except (StreamError, OSError) as e:
            print(f"kcov: {name}: {e}", file=sys.stderr)
            return 1
        print(f"kcov: {name}: {n} units, {os.path.getsize(args.stream)} bytes")
        return 0
    merge(args.out, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
