#!/usr/bin/env python3
"""Tests of the kernel coverage pipeline's host half and of the stream writer itself.

The writer (kernel/coverage/kcov_stream.c) is built into a small host program together with a
unit compiled the way the kernel's are (gcc --coverage -fprofile-info-section), so the bytes
checked here are the bytes the kernel sends. Two runs of the program take the two sides of one
`if`; their streams, decoded and merged by scripts/kcov.py, must give gcov both sides covered once
and the condition twice, as if one program had run twice. Broken streams must be refused with a
reason, writing nothing.

Run by `make test` and `make runner-test` with the runner's own tests (test_run.py).
"""
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import kcov  # noqa: E402

UNIT = """\
int branch(int x);
int branch(int x)
{
    if (x > 1)
        return 10;      /* line 5: taken by the run with an argument */
    return 20;          /* line 6: taken by the run without */
}
"""

MAIN = """\
#include <stdio.h>
#include "kernel/coverage/kcov_stream.h"

int branch(int x);
extern const struct gcov_info *const __gcov_info_start[], *const __gcov_info_end[];

static void to_file(const void *bytes, size_t len, void *ctx)
{
    fwrite(bytes, 1, len, ctx);
}

int main(int argc, char **argv)
{
    int r = branch(argc);
    FILE *f = fopen("stream.kcov", "wb");
    unsigned units = kcov_write(__gcov_info_start, __gcov_info_end, to_file, f);
    fclose(f);
    return units == 1 && (r == 10 || r == 20) ? 0 : 1;
}
"""

# The kernel's linker script collects .gcov_info the same way.
SCRIPT = """\
SECTIONS {
  .gcov_info : { PROVIDE(__gcov_info_start = .); KEEP(*(.gcov_info)) PROVIDE(__gcov_info_end = .); }
} INSERT AFTER .rodata;
"""


def have_gcc_tools():
    return all(shutil.which(t) for t in ("gcc", "gcov", "gcov-tool"))


@unittest.skipUnless(have_gcc_tools(), "needs gcc, gcov and gcov-tool")
class KcovPipelineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="kcov-test-"))
        (cls.tmp / "unit.c").write_text(UNIT)
        (cls.tmp / "main.c").write_text(MAIN)
        (cls.tmp / "gcov_info.ld").write_text(SCRIPT)
        gcc = ["gcc", "-std=c11", "-O0", f"-I{REPO}"]  # -O0: each return keeps its own line
        subprocess.run(gcc + ["--coverage", "-fprofile-info-section", "-c", "unit.c", "-o",
                              "unit.o"], cwd=cls.tmp, check=True)
        subprocess.run(gcc + ["-o", "prog", "main.c", "unit.o",
                              str(REPO / "kernel/coverage/kcov_stream.c"),
                              "-Wl,-T,gcov_info.ld", "-lgcov"], cwd=cls.tmp, check=True)
        cls.streams = []
        for i, args in enumerate([[], ["x"]]):
            subprocess.run([str(cls.tmp / "prog"), *args], cwd=cls.tmp, check=True)
            stream = cls.tmp / f"run{i}.kcov"
            (cls.tmp / "stream.kcov").rename(stream)
            cls.streams.append(stream)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def gcov_counts(self, gcda_dir):
        """{line: count} of unit.c as gcov reports it with the .gcda files of gcda_dir."""
        work = Path(tempfile.mkdtemp(dir=self.tmp))
        shutil.copy(self.tmp / "unit.gcno", work)
        shutil.copy(self.tmp / "unit.c", work)
        for gcda in Path(gcda_dir).rglob("*.gcda"):
            shutil.copy(gcda, work)
        subprocess.run(["gcov", "unit.c"], cwd=work, check=True, capture_output=True)
        counts = {}
        for line in (work / "unit.c.gcov").read_text().splitlines():
            count, number = (part.strip() for part in line.split(":")[:2])
            if count.isdigit() or count == "#####":  # ##### is code that never ran
                counts[int(number)] = int(count) if count.isdigit() else 0
        return counts

    def test_a_stream_holds_the_unit_and_decodes_to_its_gcda(self):
        units = kcov.parse(self.streams[0].read_bytes())
        self.assertEqual([Path(name).name for name, _ in units], ["unit.gcda"])
        self.assertEqual(units[0][1][:4], b"adcg")  # the .gcda magic, little-endian
        out = self.tmp / "decoded0"
        self.assertEqual(kcov.decode(self.streams[0], self.tmp, out), 1)
        counts = self.gcov_counts(out)
        self.assertEqual((counts.get(4), counts.get(5), counts.get(6)), (1, 0, 1), counts)

    def test_two_runs_covering_disjoint_lines_add_up(self):
        runs = []
        for i, stream in enumerate(self.streams):
            runs.append(self.tmp / f"run{i}")
            kcov.decode(stream, self.tmp, runs[-1])
        merged = self.tmp / "merged"
        kcov.merge(merged, runs)
        counts = self.gcov_counts(merged)
        self.assertEqual(counts.get(5), 1, counts)  # from the second run only
        self.assertEqual(counts.get(6), 1, counts)  # from the first run only
        self.assertEqual(counts.get(4), 2, counts)  # the condition, in both

    def test_units_outside_the_object_directory_are_refused(self):
        with self.assertRaisesRegex(kcov.StreamError, "not in the object directory"):
            kcov.decode(self.streams[0], self.tmp / "elsewhere", self.tmp / "never")
        self.assertFalse((self.tmp / "never").exists())

    def assert_refused(self, data, reason):
        bad = self.tmp / "bad.kcov"
        bad.write_bytes(data)
        with self.assertRaisesRegex(kcov.StreamError, reason):
            kcov.decode(bad, self.tmp, self.tmp / "bad-out")
        self.assertFalse((self.tmp / "bad-out").exists(), "a refused stream wrote files")

    def test_broken_streams_are_refused_with_a_reason(self):
        good = self.streams[0].read_bytes()
        self.assert_refused(b"", "empty stream")
        for cut in (3, 10, len(good) // 2, len(good) - 12, len(good) - 1):
            with self.subTest(cut=cut):
                self.assert_refused(good[:cut], "stream ends at byte")
        flipped = bytearray(good)
        flipped[len(good) // 2] ^= 0x01
        self.assert_refused(bytes(flipped), "checksum")
        self.assert_refused(good + b"\0", "bytes after the end record")
        self.assert_refused(b"XXXX" + good[4:], "bad record magic")
        end = good.rindex(b"KEND")
        count = struct.unpack("<I", good[end + 4:end + 8])[0]
        recount = good[:end + 4] + struct.pack("<I", count + 1) + good[end + 8:]
        self.assert_refused(recount, "end record counts 2 units")


if __name__ == "__main__":
    unittest.main()
