#!/usr/bin/env python3
"""Tests of scripts/mutate.py (`make check-mutate`, part of `make check`): the mutant generator on
snippets, and whole runs over a tiny library (two objects) and two test programs built in a
temporary directory with the system compiler."""
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutate  # noqa: E402

LIB = """\
// A tiny library for the mutation tool's tests.
#include <stddef.h>

int add(int a, int b)
{
    return a + b;
}

int is_small(int x)
{
    return x < 10;
}

int nonzero(unsigned u)
{
    return u != 0;
}

unsigned halvings(unsigned n)
{
    unsigned steps = 0;
    while (n > 1) {
        n = n / 2;
        steps++;
    }
    return steps;
}
"""
OTHER = "int other(void);\nint other(void)\n{\n    return 7;\n}\n"
TEST_LIB = """\
int add(int, int);
int is_small(int);
int nonzero(unsigned);
unsigned halvings(unsigned);
int main(void)
{
    int bad = add(2, 3) != 5;
    bad |= is_small(3) != 1 || is_small(20) != 0; // never 10: `<` against `<=` goes unseen
    bad |= nonzero(0) != 0 || nonzero(7) != 1;
    bad |= halvings(8) != 3;
    return bad;
}
"""
TEST_OTHER = "int other(void);\nint main(void)\n{\n    return other() != 7;\n}\n"
CFLAGS = "-std=c11 -O1 -g -Wall -Wextra -Werror -fPIC"


def keys(text, path="lib.c"):
    ms = mutate.generate(text)
    mutate.name_mutants(path, text, ms)
    return [m.key for m in ms]


class Generator(unittest.TestCase):
    def test_operators(self):
        k = keys("int f(int a, int b)\n{\n    if (a < b)\n        a = a + 1;\n    return a;\n}\n")
        self.assertIn("lib.c :: ror#0 < -> <= :: if (a < b)", k)
        self.assertIn("lib.c :: neg#0 if :: if (a < b)", k)
        self.assertIn("lib.c :: aor#0 + -> - :: a = a + 1;", k)
        self.assertIn("lib.c :: crp#0 1 -> 2 :: a = a + 1;", k)
        self.assertIn("lib.c :: crp#0 1 -> 0 :: a = a + 1;", k)
        self.assertIn("lib.c :: del#0 :: a = a + 1;", k)
        self.assertIn("lib.c :: del#0 :: return a;", k)

    def test_skips_comments_strings_includes_declarations_and_panic_messages(self):
        text = ('#include <stdint.h>\n// a < b + 1\nstatic char buf[64];\n'
                'void f(uint8_t *p, int n)\n{\n    struct s *q = 0;\n    const char *m = "a < b";\n'
                '    panic("bad %d", n + 1);\n    *p = 2;\n}\n')
        k = keys(text)
        self.assertEqual(sorted(k), sorted([
            "lib.c :: crp#0 0 -> 1 :: struct s *q = 0;",
            "lib.c :: del#0 :: panic(\"bad %d\", n + 1);",
            "lib.c :: del#0 :: *p = 2;",
            "lib.c :: crp#0 2 -> 3 :: *p = 2;",
            "lib.c :: crp#0 2 -> 1 :: *p = 2;",
        ]))

    def test_unary_and_cast_operators_are_left_alone(self):
        k = keys("long f(int *p)\n{\n    return (long)-1 * *p;\n}\n")
        self.assertEqual([x for x in k if "aor" in x], [
            "lib.c :: aor#0 * -> + :: return (long)-1 * *p;",
            "lib.c :: aor#0 * -> - :: return (long)-1 * *p;",
            "lib.c :: aor#0 * -> / :: return (long)-1 * *p;",
        ])

    def test_define_bodies_are_mutated_and_hex_keeps_its_form(self):
        k = keys("#define MASK (0x0f - 1)\n")
        self.assertIn("lib.c :: crp#0 0x0f -> 0x10 :: #define MASK (0x0f - 1)", k)
        self.assertIn("lib.c :: aor#0 - -> + :: #define MASK (0x0f - 1)", k)
        self.assertNotIn("neg", " ".join(k))

    def test_identical_lines_are_told_apart(self):
        k = keys("void f(int *a)\n{\n    a[0] = 1;\n    a[0] = 1;\n}\n")
        self.assertIn("lib.c :: del#0 @1 :: a[0] = 1;", k)
        self.assertIn("lib.c :: del#0 @2 :: a[0] = 1;", k)

    def test_every_mutant_has_a_name_of_its_own(self):
        k = keys("int f(int *a, int n)\n{\n    switch (n) {\n    case 1: a[0] = 1; return 2;\n"
                 "    default: return 0;\n    }\n}\n")
        self.assertIn("lib.c :: del#0 :: case 1: a[0] = 1; return 2;", k)
        self.assertIn("lib.c :: del#1 :: case 1: a[0] = 1; return 2;", k)
        self.assertEqual(len(k), len(set(k)))

    def test_deleting_keeps_line_numbers(self):
        text = "void f(int *a)\n{\n    g(a,\n      1);\n    a[0] = 1;\n}\n"
        ms = mutate.generate(text)
        dels = [m for m in ms if m.op == "del"]
        self.assertEqual(len(dels), 2)
        self.assertEqual(dels[0].apply(text).count("\n"), text.count("\n"))


class WholeRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.d = cls.tmp.name
        for name, text in [("lib.c", LIB), ("other.c", OTHER), ("test_lib.c", TEST_LIB),
                           ("test_other.c", TEST_OTHER)]:
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(text)
        cc = os.environ.get("CC", "cc")
        os.makedirs(os.path.join(d, "obj", "bin"))
        for src in ("lib", "other"):
            subprocess.run([cc] + CFLAGS.split() + ["-c", f"{src}.c", "-o", f"obj/{src}.o"],
                           cwd=d, check=True)
        subprocess.run([cc, "-shared", "-Wl,-soname,libtiny.so", "-o", "obj/libtiny.so",
                        "obj/lib.o", "obj/other.o"], cwd=d, check=True)
        for t in ("test_lib", "test_other"):
            subprocess.run([cc, "-o", f"obj/bin/{t}", f"{t}.c", "obj/libtiny.so",
                            "-Wl,-rpath,$ORIGIN/.."], cwd=d, check=True)
        cls.cc = cc

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_tool(self, *extra):
        d = self.d
        cmd = [sys.executable, os.path.join(os.path.dirname(__file__), "mutate.py"),
               "--root", d, "--build", os.path.join(d, "mut"), "--cc", self.cc,
               f"--cflags={CFLAGS}", "--tce-drop=-g", "--lib-name", "libtiny.so",
               "--objdir", os.path.join(d, "obj"), "--lib-objs", os.path.join(d, "obj/lib.o"),
               os.path.join(d, "obj/other.o"), "--programs", os.path.join(d, "obj/bin/test_lib"),
               os.path.join(d, "obj/bin/test_other"), "--timeout", "0.5", "--files", "lib.c"]
        proc = subprocess.run(cmd + list(extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        return proc.returncode, proc.stdout.decode()

    def results(self):
        with open(os.path.join(self.d, "mut", "results.jsonl"), encoding="utf-8") as f:
            return [json.loads(ln) for ln in f]

    def status(self, uid):
        found = [r for r in self.results() if r["key"].endswith(":" + uid)]
        self.assertEqual(len(found), 1, uid)
        return found[0]

    def test_run(self):
        # One test method: the runs build on each other (results, then the resumed run).
        with open(os.path.join(self.d, "lib.c"), encoding="utf-8") as f:
            before = f.read()
        rc, out = self.run_tool("--min-score", "100")
        self.assertEqual(rc, 1, out)  # a survivor: below 100%
        self.assertIn("FAILED: score", out)
        with open(os.path.join(self.d, "lib.c"), encoding="utf-8") as f:
            self.assertEqual(f.read(), before)  # the source was never touched

        # The test sees add() return 5: `+` -> `-` fails it.
        killed = self.status("L6:aor#0 + -> -")
        self.assertEqual(killed["status"], "killed")
        self.assertEqual(killed["by"], "test_lib: 1")
        # Nothing tries is_small(10).
        self.assertEqual(self.status("L11:ror#0 < -> <=")["status"], "survived")
        # For an unsigned u, u > 0 is u != 0: the compiler emits the same code.
        self.assertEqual(self.status("L16:ror#0 != -> >")["status"], "equivalent")
        # Without the halving the loop never ends: the timeout kills it.
        self.assertEqual(self.status("L23:del#0")["status"], "killed")
        self.assertEqual(self.status("L23:del#0")["by"], "test_lib: timeout")
        self.assertIn("survived: lib.c :: ror#0 < -> <= :: return x < 10; :: ", out)
        self.assertIn("-    return x < 10;\n+    return x <= 10;\n", out)

        # A rerun decides nothing again; an argued mutant is no longer a survivor.
        n = len(self.results())
        eq = os.path.join(self.d, "equivalent.txt")
        with open(eq, "w", encoding="utf-8") as f:
            f.write("# argued\nlib.c :: ror#0 < -> <= :: return x < 10; :: the test's choice\n"
                    "lib.c :: ror#0 < -> > :: return x + 10; :: a stale entry\n")
        rc, out = self.run_tool("--equivalent", eq)
        self.assertEqual(rc, 0, out)
        self.assertEqual(len(self.results()), n)
        self.assertNotIn("survived: lib.c :: ror#0 < -> <= ", out)
        self.assertIn("survived: lib.c :: crp#0 10 -> 11 :: return x < 10; :: ", out)
        self.assertIn("matches no mutant (stale): lib.c :: ror#0 < -> > :: return x + 10;", out)
        self.assertRegex(out, r"lib\.c +\d+ +\d+ +\d+\+1 ")

        # Rechecked, an argued mutant that a test kills fails the run.
        with open(eq, "a", encoding="utf-8") as f:
            f.write("lib.c :: aor#0 + -> - :: return a + b; :: wrongly argued\n")
        rc, out = self.run_tool("--equivalent", eq)
        self.assertEqual(rc, 0, out)  # not run: counted as argued
        self.assertRegex(out, r"lib\.c +\d+ +\d+ +\d+\+2 ")
        rc, out = self.run_tool("--equivalent", eq, "--recheck-argued")
        self.assertEqual(rc, 1, out)
        self.assertIn("argued equivalent, but a test kills it (test_lib: 1): lib.c :: aor#0 + -> - "
                      ":: return a + b;", out)

    def test_reach(self):
        obj = lambda n: os.path.join(self.d, "obj", n)  # noqa: E731
        reach = mutate.reachers([obj("lib.o"), obj("other.o")],
                                [obj("bin/test_lib"), obj("bin/test_other")])
        self.assertEqual(reach[obj("lib.o")], [obj("bin/test_lib")])
        self.assertEqual(reach[obj("other.o")], [obj("bin/test_other")])


if __name__ == "__main__":
    out = io.StringIO()  # unittest's report, shown only when something failed
    result = unittest.main(exit=False, testRunner=unittest.TextTestRunner(stream=out)).result
    n, bad = result.testsRun, len(result.failures) + len(result.errors)
    if bad:
        sys.stdout.write(out.getvalue())
    print(f"check-mutate: {n - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)
