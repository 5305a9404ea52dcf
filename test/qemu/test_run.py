"""Tests of the QEMU scenario runner (run.py) against a fake QEMU (fake_qemu.py, which says what
its "kernel images" — JSON scripts of serial output, screen contents and exits — can ask of it).
Run: python3 -m unittest discover -s test/qemu -p 'test_run.py'
"""
import contextlib
import io
import json
import subprocess
import sys
import tempfile
import time
import unittest
import unittest.mock
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import qmp  # noqa: E402
import run  # noqa: E402

FAKE_QEMU = (HERE / "fake_qemu.py").read_text()


def alive(pid):
    """True while process `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def survives(pid, seconds=3.0):
    """True if process `pid` is still alive `seconds` from now. SIGKILL is delivered
    asynchronously, so a process just killed may run on for a moment on a loaded machine."""
    deadline = time.monotonic() + seconds
    while alive(pid):
        if time.monotonic() >= deadline:
            return True
        time.sleep(0.01)
    return False


class RunnerTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = Path(self._tmp.name)
        self.build = self.tmp / "build"
        (self.build / "qemu").mkdir(parents=True)
        self.fake = self.tmp / "fake-qemu"
        self.fake.write_text(f"#!{sys.executable}\n{FAKE_QEMU}")
        self.fake.chmod(0o755)

    def tearDown(self):
        self._tmp.cleanup()

    def scenario(self, name, meta, steps=None, image=True, **screen):
        """Writes scenario `name` (metadata lines `meta`) and, unless image=False, its image: a
        script of `steps` plus the VGA `rows`/`cells` the fake's pmemsave returns."""
        lines = "".join(f" * {line}\n" for line in meta)
        path = self.tmp / f"{name}.c"
        path.write_text(f"/*\n * Test scenario {name}.\n *\n * qemu-scenario\n{lines} */\n")
        if image:
            ext = "iso" if {"boot: iso", "boot: uefi"} & set(meta) else "elf"
            script = dict(steps=steps or [], **screen)
            (self.build / "qemu" / f"{name}.{ext}").write_text(json.dumps(script))
        return path

    def run_suite(self, *paths, options=()):
        """Runs the runner in-process; returns (exit status, output, seconds)."""
        argv = ["--build", str(self.build), "--qemu", str(self.fake), *options]
        argv += [str(p) for p in paths]
        out = io.StringIO()
        start = time.monotonic()
        with contextlib.redirect_stdout(out):
            status = run.main(argv)
        return status, out.getvalue(), time.monotonic() - start

    def case_line(self, output, name):
        """The output line of case `name`: `  STATUS  NAME  TIME s  — REASON`."""
        for line in output.splitlines():
            if line[:2] == "  " and line[10:].startswith(name + " "):
                return line
        self.fail(f"no case {name} in:\n{output}")

    def assertCase(self, output, name, ok, reason=""):
        line = self.case_line(output, name)
        self.assertEqual(line.split()[0], "ok" if ok else "FAILED", line)
        self.assertIn(reason, line)

    def argv_of(self, name, ext="elf"):
        return json.loads((self.build / "qemu" / f"{name}.{ext}.argv").read_text())


class VerdictTest(RunnerTest):
    def test_all_pass_reports_each_case_and_the_run(self):
        path = self.scenario("good", [], [["out", "banner"], ["out", "Running 2 tests"],
                                          ["out", "alpha...\t[ok]"], ["out", "beta...\t[ok]"],
                                          ["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 0)
        self.assertCase(out, "good/alpha", True)
        self.assertCase(out, "good/beta", True)
        self.assertCase(out, "good", True)
        self.assertEqual(out.splitlines()[-1], "qemu: 3 passed, 0 failed")
        self.assertNotIn("serial", out)  # nothing failed: no serial dump

    def test_failed_test_shows_its_error_line_as_reason(self):
        path = self.scenario("bad", [], [["out", "Running 2 tests"], ["out", "alpha...\t[failed]"],
                                         ["out", "Error: 2 + 2 != 5"], ["out", "beta...\t[ok]"],
                                         ["exit", 35]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 1)
        self.assertCase(out, "bad/alpha", False, "— 2 + 2 != 5")
        self.assertCase(out, "bad/beta", True)
        self.assertCase(out, "bad", False, "exit status 35")
        self.assertIn("    Error: 2 + 2 != 5", out)  # the serial tail
        self.assertEqual(out.splitlines()[-1], "qemu: 1 passed, 2 failed")

    def test_failed_test_is_expected_in_an_expect_fail_scenario(self):
        path = self.scenario("xfail", ["expect: fail"],
                             [["out", "Running 1 tests"], ["out", "boom...\t[failed]"],
                              ["out", "Error: panic: on purpose"], ["exit", 35]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 0, out)
        self.assertCase(out, "xfail/boom", True, "expected failure: panic: on purpose")

    def test_exit_status_must_match_expectation(self):
        passing = self.scenario("p", [], [["exit", 35]])
        failing = self.scenario("f", ["expect: fail"], [["exit", 33]])
        status, out, _ = self.run_suite(passing, failing)
        self.assertEqual(status, 1)
        self.assertCase(out, "p", False,
                        "exit status 35 (the kernel reported a failure), expected 33")
        self.assertCase(out, "f", False, "exit status 33, expected 35")

    def test_exit_zero_is_a_triple_fault(self):
        status, out, _ = self.run_suite(self.scenario("tf", [], [["exit", 0]]))
        self.assertEqual(status, 1)
        self.assertCase(out, "tf", False, "triple fault or reset")

    def test_exit_one_is_a_qemu_error_with_its_stderr(self):
        path = self.scenario("qe", [], [["err", "qemu: could not load kernel"], ["exit", 1]])
        status, out, _ = self.run_suite(path)
        self.assertCase(out, "qe", False, "QEMU error: qemu: could not load kernel")

    def test_count_must_match_running_line(self):
        path = self.scenario("cnt", [], [["out", "Running 3 tests"], ["out", "a...\t[ok]"],
                                         ["out", "b...\t[ok]"], ["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 1)
        self.assertCase(out, "cnt", False, "Running 3 tests, but 2 reported")

    def test_expect_serial_hit_passes(self):
        path = self.scenario("hit", ["expect-serial: ^EXCEPTION: DIVIDE ERROR", "expect: fail"],
                             [["out", "EXCEPTION: DIVIDE ERROR at 0x1234"], ["exit", 35]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 0, out)
        self.assertCase(out, "hit", True)

    def test_expect_serial_miss_fails(self):
        path = self.scenario("miss", ["expect-serial: ^EXCEPTION: DIVIDE ERROR",
                                      "expect-serial: ^hello"],
                             [["out", "hello"], ["out", "EXCEPTION: PAGE FAULT"], ["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 1)
        self.assertCase(out, "miss", False, "no serial line matches /^EXCEPTION: DIVIDE ERROR/")
        self.assertNotIn("/^hello/", out)

    def test_missing_image_fails_without_booting(self):
        status, out, _ = self.run_suite(self.scenario("ghost", [], image=False))
        self.assertEqual(status, 1)
        self.assertCase(out, "ghost", False, "image missing: ")
        self.assertIn("ghost.elf", out)

    def test_bad_metadata_fails_the_scenario(self):
        status, out, _ = self.run_suite(self.scenario("meta", ["expect: maybe"], [["exit", 33]]))
        self.assertEqual(status, 1)
        self.assertCase(out, "meta", False, "bad metadata")

    def test_unknown_request_is_answered_fail_and_fails_the_run(self):
        path = self.scenario("req", [], [["ask", "@@dance"], ["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertCase(out, "req", False, "unknown serial request '@@dance'")
        self.assertIn("    answer: fail", out)

    def test_case_time_is_time_since_previous_event(self):
        # Time since the start of the boot would give `after` at least as much as `slow`.
        path = self.scenario("slow", [], [["out", "Running 2 tests"], ["sleep", 0.3],
                                          ["out", "slow...\t[ok]"], ["out", "after...\t[ok]"],
                                          ["exit", 33]])
        _, out, _ = self.run_suite(path)
        slow = float(self.case_line(out, "slow/slow").split()[2])
        after = float(self.case_line(out, "slow/after").split()[2])
        whole = float(self.case_line(out, "slow").split()[2])
        self.assertGreaterEqual(slow, 0.29)
        self.assertLess(after, slow)
        self.assertGreaterEqual(whole, slow)


class TimeoutTest(RunnerTest):
    def test_hang_fails_an_expect_pass_scenario_and_is_killed(self):
        path = self.scenario("hang", ["timeout: 1"], [["out", "hello"], ["hang"]])
        status, out, seconds = self.run_suite(path)
        self.assertEqual(status, 1)
        self.assertCase(out, "hang", False, "timed out after 1 s")
        self.assertLess(seconds, 30)  # the fake would sleep 600 s
        self.assertIn("    hello", out)
        fake = self.argv_of("hang")["pid"]
        child = int((self.build / "qemu" / "hang.elf.child").read_text())
        self.assertFalse(survives(fake), "the fake QEMU survived")
        self.assertFalse(survives(child), "its process group survived")

    def test_exit_is_seen_while_a_left_over_child_holds_the_pipes(self):
        path = self.scenario("orphan", ["timeout: 60"], [["orphan"], ["exit", 33]])
        status, out, seconds = self.run_suite(path)
        self.assertEqual(status, 0, out)
        self.assertLess(seconds, 30)  # not the timeout, nor the child's 600 s
        child = int((self.build / "qemu" / "orphan.elf.child").read_text())
        self.assertFalse(survives(child), "the left-over child survived")

    def test_hang_passes_an_expect_timeout_scenario(self):
        path = self.scenario("hangs", ["timeout: 1", "expect: timeout"], [["hang"]])
        status, out, seconds = self.run_suite(path)
        self.assertEqual(status, 0, out)
        self.assertCase(out, "hangs", True)
        self.assertLess(seconds, 30)  # the fake would sleep 600 s

    def test_exit_fails_an_expect_timeout_scenario(self):
        path = self.scenario("nohang", ["timeout: 1", "expect: timeout"], [["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertCase(out, "nohang", False, "expected a hang until the 1 s timeout")


class ScreenTest(RunnerTest):
    SCREEN = dict(rows={"24": "hello"}, cells=[[0, 0, ord("X"), 0x1E]])

    def test_row_and_cell_checks_pass_and_the_kernel_gets_ok(self):
        path = self.scenario("scr", ["screen last: row 24 = \"hello\"",
                                     "screen last: cell 0 0 = 'X' 0x1e",
                                     "screen blank: row 3 = \"\"",
                                     "screen blank: cell 3 5 = ' ' 0x07"],
                             [["screen", "last"], ["screen", "blank"], ["exit", 33]], **self.SCREEN)
        status, out, _ = self.run_suite(path, options=["-v"])
        self.assertEqual(status, 0, out)
        self.assertCase(out, "scr/last (screen)", True)
        self.assertCase(out, "scr/blank (screen)", True)
        self.assertEqual(out.count("    answer: ok"), 2)

    def test_row_check_failure_says_expected_and_got(self):
        path = self.scenario("row", ["screen last: row 24 = \"hellO\""],
                             [["screen", "last"], ["exit", 33]], **self.SCREEN)
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 1)
        self.assertCase(out, "row/last (screen)", False, 'row 24: expected "hellO", got "hello"')
        self.assertIn("    answer: fail", out)
        self.assertIn("    24|hello", out)  # the screen as read, under the serial tail

    def test_cell_check_failure_says_expected_and_got(self):
        path = self.scenario("cell", ["screen c: cell 0 0 = 'X' 0x07",
                                      "screen c: cell 0 1 = 0xfe 0x07"],
                             [["screen", "c"], ["exit", 33]], **self.SCREEN)
        status, out, _ = self.run_suite(path)
        self.assertCase(out, "cell/c (screen)", False,
                        "cell 0 0: expected 'X' 0x07, got 'X' 0x1e; cell 0 1: expected '■' 0x07, "
                        "got ' ' 0x07")

    def test_label_without_checks_fails(self):
        path = self.scenario("nochk", [], [["screen", "what"], ["exit", 33]])
        status, out, _ = self.run_suite(path, options=["-v"])
        self.assertCase(out, "nochk/what (screen)", False, "no screen checks for label")
        self.assertIn("    answer: fail", out)

    def test_label_never_requested_fails(self):
        path = self.scenario("unseen", ["screen later: row 0 = \"x\""], [["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 1)
        self.assertCase(out, "unseen/later (screen)", False, "never requested")

    def test_qmp_error_fails_the_check_and_answers_fail(self):
        path = self.scenario("qerr", ["screen s: row 0 = \"\""], [["screen", "s"], ["exit", 33]],
                             qmp_error=True)
        status, out, _ = self.run_suite(path, options=["-v"])
        self.assertCase(out, "qerr/s (screen)", False, "could not read the VGA cells")
        self.assertIn("    answer: fail", out)


class TypeTest(RunnerTest):
    def test_type_request_sends_key_pairs_then_answers_ok(self):
        path = self.scenario("typ", [], [["type", "Hi\\n"], ["exit", 33]])
        status, out, _ = self.run_suite(path, options=["-v"])
        self.assertEqual(status, 0, out)
        self.assertIn("    answer: ok", out)
        log = (self.build / "qemu" / "typ.elf.keys").read_text()
        sent = [json.loads(line) for line in log.splitlines()]
        self.assertEqual(sent, [qmp.key_events("H"), qmp.key_events("i"), qmp.key_events("\n")])

    def test_type_keeps_at_most_type_ahead_scancodes_waiting(self):
        path = self.scenario("slow", [], [["type", "Hello World"], ["exit", 33]], keys_slow=True)
        status, out, _ = self.run_suite(path, options=["-v"])
        self.assertEqual(status, 0, out)
        self.assertIn("    answer: ok", out)
        waiting = (self.build / "qemu" / "slow.elf.waiting").read_text().split()
        self.assertEqual(len(waiting), len("Hello World"))
        self.assertEqual(max(int(n) for n in waiting), qmp.TYPE_AHEAD)

    def test_type_fails_when_the_guest_takes_no_scancode(self):
        path = self.scenario("stuck", ["timeout: 1"], [["type", "Hi"], ["exit", 33]],
                             keys_stuck=True)
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 1, out)
        self.assertCase(out, "stuck", False, "@@type 'Hi' failed: the guest took 0 of 6 scancodes")

    def test_key_events_hold_shift_around_shifted_keys(self):
        keys = [(e["data"]["key"]["data"], e["data"]["down"]) for e in qmp.key_events("A")]
        self.assertEqual(keys, [("shift", True), ("a", True), ("a", False), ("shift", False)])
        self.assertEqual(qmp.key_for("_"), ("minus", True))
        self.assertEqual(qmp.key_for(" "), ("spc", False))
        self.assertEqual(qmp.key_for("\b"), ("backspace", False))
        self.assertRaises(ValueError, qmp.key_for, "é")

    def test_escapes_decode_like_c(self):
        self.assertEqual(qmp.decode_escapes(r"a\nb\bc\\d\"e"), "a\nb\bc\\d\"e")
        self.assertRaises(ValueError, qmp.decode_escapes, r"a\q")
        self.assertRaises(ValueError, qmp.decode_escapes, "a\\")


class SerialTest(RunnerTest):
    def test_serial_request_answers_then_writes_the_text(self):
        path = self.scenario("ser", [], [["serial", "ls\\r\\x03\\e[A\\\\", 8], ["exit", 33]])
        status, out, _ = self.run_suite(path, options=["-v"])
        self.assertEqual(status, 0, out)
        self.assertIn("    answer: ok", out)
        self.assertEqual((self.build / "qemu" / "ser.elf.serial").read_bytes(),
                         b"ls\r\x03\x1b[A\\")

    def test_serial_text_may_hold_any_byte(self):
        path = self.scenario("bytes", [], [["serial", "\\x00\\x7f\\xff\\xFe", 4], ["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 0, out)
        self.assertEqual((self.build / "qemu" / "bytes.elf.serial").read_bytes(),
                         b"\x00\x7f\xff\xfe")

    def test_bad_escape_answers_fail_and_fails_the_scenario(self):
        path = self.scenario("bad", [], [["ask", "@@serial a\\q"], ["exit", 33]])
        status, out, _ = self.run_suite(path, options=["-v"])
        self.assertEqual(status, 1, out)
        self.assertIn("    answer: fail", out)
        self.assertCase(out, "bad", False, "@@serial 'a\\\\q'")

    def test_escapes_include_cr_and_hex_bytes(self):
        self.assertEqual(qmp.decode_escapes(r"a\rb\x41\x7e"), "a\rbA~")
        self.assertRaises(ValueError, qmp.decode_escapes, r"\x4")
        self.assertRaises(ValueError, qmp.decode_escapes, r"\xg0")


class ExitStatusTest(RunnerTest):
    def test_expected_status_passes_even_without_every_test_reported(self):
        path = self.scenario("off", ["expect: status 0"],
                             [["out", "Running 2 tests"], ["out", "first...\t[ok]"],
                              ["out", "poweroff: ACPI S5"], ["exit", 0]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 0, out)
        self.assertCase(out, "off", True)

    def test_another_status_fails(self):
        path = self.scenario("on", ["expect: status 65"], [["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 1, out)
        self.assertCase(out, "on", False, "exit status 33, expected 65")

    def test_a_failed_test_still_fails_a_status_scenario(self):
        path = self.scenario("half", ["expect: status 0"],
                             [["out", "Running 1 tests"], ["out", "t...\t[failed]"],
                              ["out", "Error: no"], ["exit", 0]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 1, out)
        self.assertCase(out, "half/t", False, "no")
        self.assertCase(out, "half", True)

    def test_status_parses_and_a_bad_one_is_bad_metadata(self):
        self.assertEqual(run.parse_scenario(self.scenario("s", ["expect: status 65"])).status, 65)
        self.assertIn("bad metadata",
                      run.parse_scenario(self.scenario("b", ["expect: status x"])).error)


class MetadataAndCommandTest(RunnerTest):
    def test_defaults(self):
        s = run.parse_scenario(self.scenario("d", []))
        self.assertEqual((s.boot, s.timeout, s.args, s.cmdline, s.expect, s.error),
                         ("pvh", 10.0, [], "", "pass", ""))

    def test_every_key_parses(self):
        s = run.parse_scenario(self.scenario("all", [
            "boot: iso", "timeout: 2.5", "args: -m 64M", "args: -smp '2'", "cmdline: alloc=bump",
            "expect: fail", "expect-serial: ^EXCEPTION: DIVIDE ERROR", "expect-trace: ^grow 0",
            'screen last_row: row 24 = "hello: \\"you\\""', "screen colors: cell 24 0 = 'X' 0x1e",
            "screen colors: cell 1 79 = 0xfe 0x07"]))
        self.assertEqual(s.error, "")
        self.assertEqual((s.boot, s.timeout, s.args, s.cmdline, s.expect),
                         ("iso", 2.5, ["-m", "64M", "-smp", "2"], "alloc=bump", "fail"))
        self.assertEqual([r.pattern for r in s.expect_serial], ["^EXCEPTION: DIVIDE ERROR"])
        self.assertEqual([r.pattern for r in s.expect_trace], ["^grow 0"])
        self.assertEqual(s.screens, {"last_row": [run.RowCheck(24, 'hello: "you"')],
                                     "colors": [run.CellCheck(24, 0, ord("X"), 0x1E),
                                                run.CellCheck(1, 79, 0xFE, 0x07)]})

    def test_cmdline_length_fills_before_the_last_word(self):
        for length in (3000, 4097, 34, 33):
            with self.subTest(length):
                s = run.parse_scenario(self.scenario("long", [
                    f"cmdline-length: {length}", "cmdline: alloc=bump timer_hz=50"]))
                self.assertEqual(s.error, "")
                self.assertEqual(len(s.cmdline), length)
                words = s.cmdline.split(" ")
                self.assertEqual((words[0], words[-1]), ("alloc=bump", "timer_hz=50"))
                self.assertTrue(all(w.startswith("pad") for w in words[1:-1]), words)

    def test_cmdline_length_without_room_is_bad_metadata(self):
        for meta in (["cmdline: alloc=bump", "cmdline-length: 10"], ["cmdline-length: 0"]):
            with self.subTest(meta):
                self.assertIn("bad metadata", run.parse_scenario(self.scenario("x", meta)).error)

    def test_malformed_screen_checks_are_rejected(self):
        for bad in ['row 25 = "x"', 'row 0 = x', "cell 0 80 = 'x' 0x07", "cell 0 0 = 'xy' 0x07",
                    "cell 0 0 = 'x'", "column 3"]:
            with self.subTest(bad):
                self.assertRaises(run.ScenarioError, run.parse_screen_check, bad)

    def test_file_without_marker_is_not_a_scenario(self):
        path = self.tmp / "helper.c"
        path.write_text("/* Shared test helpers. */\nint x;\n")
        self.assertIsNone(run.parse_scenario(path))

    def test_pvh_boot_passes_kernel_append_and_args(self):
        path = self.scenario("pvh", ["cmdline: alloc=bump test=x", "args: -m 64M", "args: -smp 2"],
                             [["exit", 33]])
        self.run_suite(path)
        argv = self.argv_of("pvh")["argv"]
        self.assertEqual(argv[argv.index("-kernel") + 1], str(self.build / "qemu" / "pvh.elf"))
        self.assertEqual(argv[argv.index("-append") + 1], "alloc=bump test=x")
        self.assertEqual(argv[-4:], ["-m", "64M", "-smp", "2"])
        for arg in ("-no-reboot", "isa-debug-exit,iobase=0xf4,iosize=0x04", "stdio", "tcg"):
            self.assertIn(arg, argv)

    def test_iso_boot_passes_cdrom_and_no_cmdline(self):
        path = self.scenario("grub", ["boot: iso", "cmdline: alloc=bump"], [["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 0, out)
        argv = self.argv_of("grub", "iso")["argv"]
        self.assertEqual(argv[argv.index("-cdrom") + 1], str(self.build / "qemu" / "grub.iso"))
        self.assertNotIn("-append", argv)

    def test_list_and_filter(self):
        a = self.scenario("vga_colors", ["timeout: 3"])
        b = self.scenario("heap", [])
        status, out, _ = self.run_suite(a, b, options=["--list", "-k", "vga"])
        self.assertEqual(status, 0)
        self.assertIn("vga_colors", out)
        self.assertNotIn("heap", out)


class UefiTest(RunnerTest):
    """boot: uefi boots the scenario's ISO under OVMF; here the firmware files are stand-ins."""

    def setUp(self):
        super().setUp()
        code, template = self.tmp / "OVMF_CODE.fd", self.tmp / "OVMF_VARS.fd"
        code.write_text("code")
        template.write_text("template")
        patch = unittest.mock.patch.multiple(run.qemu_flags, OVMF_CODE=str(code),
                                             OVMF_VARS=str(template))
        patch.start()
        self.addCleanup(patch.stop)
        self.code, self.template = code, template

    def test_uefi_boot_passes_the_iso_and_the_firmware_with_a_fresh_variable_store(self):
        path = self.scenario("fw", ["boot: uefi", "cmdline: alloc=bump"],
                             [["pflash"], ["exit", 33]])
        status, out, _ = self.run_suite(path, options=["--repeat", "2", "-j", "2"])
        self.assertEqual(status, 0, out)
        argv = self.argv_of("fw", "iso")["argv"]
        self.assertEqual(argv[argv.index("-cdrom") + 1], str(self.build / "qemu" / "fw.iso"))
        self.assertNotIn("-append", argv)
        self.assertIn(f"if=pflash,format=raw,unit=0,readonly=on,file={self.code}", argv)
        # Each boot found the template in a store of its own, and the template stays as it was.
        seen = (self.build / "qemu" / "fw.iso.vars").read_text().splitlines()
        self.assertEqual(len(seen), 2)
        self.assertEqual([line.split(" ", 1)[1] for line in seen], ["template", "template"])
        self.assertNotEqual(seen[0].split()[0], seen[1].split()[0])
        self.assertEqual(self.template.read_text(), "template")

    def test_uefi_timeout_defaults_longer_unless_given(self):
        self.assertEqual(run.parse_scenario(self.scenario("a", ["boot: uefi"])).timeout, 40.0)
        s = run.parse_scenario(self.scenario("b", ["boot: uefi", "timeout: 12"]))
        self.assertEqual(s.timeout, 12.0)
        self.assertEqual(run.parse_scenario(self.scenario("c", ["boot: iso"])).timeout, 10.0)

    def test_bios_video_is_for_grub_isos_only(self):
        for boot in ("iso", "uefi"):
            s = run.parse_scenario(self.scenario("v", [f"boot: {boot}", "bios-video: framebuffer"]))
            self.assertEqual((s.error, s.bios_video), ("", "framebuffer"))
        self.assertEqual(run.parse_scenario(self.scenario("t", ["boot: iso"])).bios_video, "text")
        for meta in (["bios-video: framebuffer"], ["boot: iso", "bios-video: vga"],
                     ["boot: uefi", "arch: cortex-m4"], ["boot: efi"]):
            with self.subTest(meta):
                self.assertIn("bad metadata", run.parse_scenario(self.scenario("x", meta)).error)

    def test_make_fragment_builds_an_iso_with_its_bios_video(self):
        import scenario
        paths = [self.scenario("u", ["boot: uefi", "cmdline: a=1"]),
                 self.scenario("fb", ["boot: iso", "bios-video: framebuffer"]),
                 self.scenario("p", [])]
        lines = scenario.make_fragment(paths).splitlines()
        self.assertIn("QEMU_ISO_SCENARIOS := u fb", lines)
        self.assertIn("QEMU_CMDLINE_u := a=1", lines)
        self.assertIn("QEMU_BIOS_VIDEO_u := text", lines)
        self.assertIn("QEMU_BIOS_VIDEO_fb := framebuffer", lines)

    def test_uefi_boots_start_before_the_rest(self):
        steps = [["mark", "start"], ["exit", 33]]
        paths = [self.scenario("a", [], steps), self.scenario("z", ["boot: uefi"], steps)]
        status, out, _ = self.run_suite(*paths, options=["-j", "1"])
        self.assertEqual(status, 0, out)
        start = {name: float((self.build / "qemu" / f"{name}.{ext}.marks").read_text().split()[1])
                 for name, ext in (("a", "elf"), ("z", "iso"))}
        self.assertLess(start["z"], start["a"])

    def test_a_carriage_return_starting_a_line_is_dropped(self):
        # GRUB on UEFI ends its lines with "\n\r", so the kernel's first line starts with "\r".
        path = self.scenario("cr", ["boot: uefi", "expect-serial: ^Hello World!$"],
                             [["out", "\rHello World!"], ["out", "\rRunning 1 tests"],
                              ["out", "t...\t[ok]"], ["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 0, out)
        self.assertCase(out, "cr/t", True)

    def test_a_missing_firmware_fails_the_boot_with_the_reason(self):
        self.template.unlink()
        path = self.scenario("nofw", ["boot: uefi"], [["exit", 33]])
        status, out, _ = self.run_suite(path)
        self.assertEqual(status, 1)
        self.assertCase(out, "nofw", False, "cannot start QEMU")
        self.assertIn("OVMF_VARS.fd", self.case_line(out, "nofw"))


class CortexMTest(RunnerTest):
    def machine_image(self, machine, name, steps):
        """Writes the fake image of scenario `name` for a Cortex-M machine."""
        path = self.build / machine / "qemu" / f"{name}.elf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(dict(steps=steps)))
        return path

    def test_a_scenario_boots_once_per_machine_on_its_board(self):
        path = self.scenario("fw", ["arch: cortex-m4 cortex-m7", "cmdline: alloc=bump a,b"],
                             image=False)
        steps = [["out", "Running 1 tests"], ["out", "t...\t[ok]"], ["exit", 33]]
        images = {m: self.machine_image(m, "fw", steps) for m in ("cortex-m4", "cortex-m7")}
        status, out, _ = self.run_suite(path, options=["--qemu-arm", str(self.fake)])
        self.assertEqual(status, 0, out)
        for machine, board in (("cortex-m4", "mps2-an386"), ("cortex-m7", "mps2-an500")):
            self.assertCase(out, f"fw@{machine}/t", True)
            self.assertCase(out, f"fw@{machine}", True)
            argv = json.loads(images[machine].with_suffix(".elf.argv").read_text())["argv"]
            self.assertEqual(argv[argv.index("-kernel") + 1], str(images[machine]))
            self.assertEqual(argv[argv.index("-M") + 1], board)
            self.assertEqual(argv[argv.index("-semihosting-config") + 1],
                             "enable=on,target=native,arg=firmware,arg=alloc=bump,arg=a,,b")
            for absent in ("-append", "-m", "-qmp", "isa-debug-exit,iobase=0xf4,iosize=0x04"):
                self.assertNotIn(absent, argv)
        self.assertIn("qemu suite: 2 boots (cortex-m4 1, cortex-m7 1)", out)

    def test_exit_status_is_judged_as_on_x86(self):
        path = self.scenario("crash", ["arch: cortex-m7", "expect: fail"], image=False)
        self.machine_image("cortex-m7", "crash", [["out", "EXCEPTION: BUS FAULT"], ["exit", 35]])
        status, out, _ = self.run_suite(path, options=["--qemu-arm", str(self.fake)])
        self.assertEqual(status, 0, out)
        self.machine_image("cortex-m7", "crash", [["exit", 33]])
        status, out, _ = self.run_suite(path, options=["--qemu-arm", str(self.fake)])
        self.assertCase(out, "crash@cortex-m7", False, "exit status 33, expected 35")

    def test_arch_picks_the_boots_of_a_machine(self):
        both = self.scenario("both", ["arch: x86_64 cortex-m4"])
        self.machine_image("cortex-m4", "both", [["exit", 33]])
        status, out, _ = self.run_suite(both, options=["--list", "--arch", "cortex-m4"])
        self.assertEqual(status, 0)
        self.assertIn("both@cortex-m4", out)
        self.assertNotIn("both ", out)
        status, out, _ = self.run_suite(both, options=["--list"])
        self.assertIn("both@cortex-m4", out)
        self.assertIn("both ", out)

    def test_bad_arch_and_iso_on_cortex_m_are_bad_metadata(self):
        for meta in (["arch: arm64"], ["arch:"], ["arch: cortex-m4", "boot: iso"]):
            with self.subTest(meta):
                s = run.parse_scenario(self.scenario("bad", meta, image=False))
                self.assertIn("bad metadata", s.error)

    def test_make_fragment_lists_each_machines_scenarios(self):
        import scenario
        paths = [self.scenario("x", []), self.scenario("m", ["arch: cortex-m4 cortex-m7"]),
                 self.scenario("both", ["arch: x86_64 cortex-m7"])]
        lines = scenario.make_fragment(paths).splitlines()
        self.assertIn("QEMU_SCENARIOS := x both", lines)
        self.assertIn("QEMU_SCENARIOS_cortex-m4 := m", lines)
        self.assertIn("QEMU_SCENARIOS_cortex-m7 := m both", lines)


class ReportTest(RunnerTest):
    def test_junit_is_well_formed_with_counts_reasons_and_serial(self):
        good = self.scenario("good", [], [["out", "Running 1 tests"], ["out", "a...\t[ok]"],
                                          ["exit", 33]])
        bad = self.scenario("bad", [], [["out", "\x1b[31mcolour\x1b[0m"], ["out", "b...\t[failed]"],
                                        ["out", "Error: nope"], ["exit", 35]])
        junit = self.tmp / "junit.xml"
        self.run_suite(good, bad, options=["--junit", str(junit)])
        suites = {s.get("name"): s for s in ET.parse(junit).getroot()}
        self.assertEqual((suites["good"].get("tests"), suites["good"].get("failures")), ("2", "0"))
        self.assertEqual((suites["bad"].get("tests"), suites["bad"].get("failures")), ("2", "2"))
        case = suites["bad"].find("testcase[@name='bad/b']")
        self.assertEqual(case.find("failure").get("message"), "nope")
        self.assertIsNotNone(case.get("time"))
        self.assertIn("Error: nope", suites["bad"].find("system-out").text)

    def test_parallel_runs_overlap(self):
        steps = [["mark", "start"], ["sleep", 1.0], ["mark", "end"], ["exit", 33]]
        paths = [self.scenario(f"p{i}", [], steps) for i in range(3)]
        status, _, _ = self.run_suite(*paths, options=["-j", "3"])
        self.assertEqual(status, 0)
        marks = [dict(line.split() for line in
                      (self.build / "qemu" / f"p{i}.elf.marks").read_text().splitlines())
                 for i in range(3)]
        last_start = max(float(m["start"]) for m in marks)
        first_end = min(float(m["end"]) for m in marks)
        self.assertLess(last_start, first_end, "the three boots never ran at the same time")

    def test_repeat_prints_boot_times(self):
        path = self.scenario("twice", [], [["exit", 33]])
        status, out, _ = self.run_suite(path, options=["--repeat", "2"])
        self.assertEqual(status, 0)
        number = r" +\d+\.\d+ s +"
        self.assertRegex(out, rf"twice +median{number}min{number}max{number}\(2 boots\)")
        self.assertEqual(out.splitlines()[-1], "qemu: 2 passed, 0 failed")

    def test_a_missing_coverage_stream_fails_the_scenario_but_not_a_hang(self):
        silent = self.scenario("silent", [], [["exit", 33]])
        hangs = self.scenario("hangs", ["expect: timeout", "timeout: 0.5"], [["sleep", 600]])
        status, out, _ = self.run_suite(silent, hangs,
                                        options=["--coverage-dir", str(self.tmp / "cov")])
        self.assertEqual(status, 1)
        self.assertIn("coverage stream:", self.case_line(out, "silent"))
        self.assertTrue(self.case_line(out, "hangs").startswith("  ok"), out)

    def test_expect_trace_checks_the_heap_trace_of_the_boot(self):
        trace = "heaptrace 1\ngrow 0 0 0x1000 4096\nalloc 8 8 0x1000 0\nfree 8 8 0x1000 0\n"
        meta = ["cmdline: heap_trace=1", r"expect-trace: \Aheaptrace 1\n",
                r"expect-trace: ^alloc 8 8 (0x\w+) 0\nfree 8 8 \1 0$"]
        hit = self.scenario("hit", meta, [["trace", trace], ["exit", 33]])
        miss = self.scenario("miss", meta, [["trace", trace.replace("free", "fre")],
                                            ["exit", 33]])
        status, out, _ = self.run_suite(hit, miss)
        self.assertEqual(status, 1)
        self.assertCase(out, "hit", True)
        self.assertCase(out, "miss", False, r"the heap trace does not match /^alloc 8 8 (0x\w+)")
        argv = self.argv_of("hit")["argv"]
        self.assertIn("isa-debugcon,iobase=0xea,chardev=htrace", argv)

    def test_heap_trace_dir_records_every_boot_and_wants_the_header(self):
        good = self.scenario("good", ["cmdline: alloc=bump", "timeout: 0.5"],
                             [["sleep", 0.7], ["trace", "heaptrace 1\n"], ["exit", 33]])
        headless = self.scenario("headless", [], [["trace", "alloc 8 8 0x0 0\n"], ["exit", 33]])
        grub = self.scenario("grub", ["boot: iso"], [["exit", 33]])
        plain = self.scenario("plain", [], [["exit", 33]])
        traces = self.tmp / "traces"
        status, out, _ = self.run_suite(good, headless, grub, options=[
            "--heap-trace-dir", str(traces), "--heap-trace-max", "40", "--timeout-factor", "3"])
        self.assertEqual(status, 1)
        self.assertCase(out, "good", True)
        self.assertEqual((traces / "good.trace").read_text(), "heaptrace 1\n")
        argv = self.argv_of("good")["argv"]
        self.assertEqual(argv[argv.index("-append") + 1],
                         "alloc=bump heap_trace=1 heap_trace_max=40")
        self.assertCase(out, "headless", False, "does not start with 'heaptrace 1'")
        self.assertCase(out, "grub", False, "cannot record a heap trace: an iso scenario")
        self.run_suite(plain)  # without the option: no trace device, no heap_trace word
        argv = self.argv_of("plain")["argv"]
        self.assertNotIn("-append", argv)
        self.assertFalse(any("htrace" in a for a in argv))

    def test_words_the_scenario_sets_itself_are_kept(self):
        s = run.Scenario("x", Path("x.c"), cmdline="heap_trace_max=5 heap_trace=1")
        run.ask_for_heap_trace(s, 40)
        self.assertEqual(s.cmdline, "heap_trace_max=5 heap_trace=1")
        s = run.Scenario("y", Path("y.c"))
        run.ask_for_heap_trace(s, None)
        self.assertEqual(s.cmdline, "heap_trace=1")

    def test_command_line_final_line_and_exit_status(self):
        good = self.scenario("good", [], [["exit", 33]])
        bad = self.scenario("bad", [], [["exit", 0]])
        cmd = [sys.executable, str(HERE / "run.py"), "--build", str(self.build),
               "--qemu", str(self.fake)]
        done = subprocess.run(cmd + [str(good)], capture_output=True, text=True, timeout=30)
        self.assertEqual((done.returncode, done.stdout.splitlines()[-1]),
                         (0, "qemu: 1 passed, 0 failed"))
        done = subprocess.run(cmd + [str(good), str(bad)], capture_output=True, text=True,
                              timeout=30)
        self.assertEqual((done.returncode, done.stdout.splitlines()[-1]),
                         (1, "qemu: 1 passed, 1 failed"))


# The coverage stream's tests run with the runner's: same suite, same result line.
from test_kcov import KcovPipelineTest  # noqa: E402,F401


if __name__ == "__main__":
    # `make test` counts these with the other suites: end with the common result line.
    outcome = unittest.main(exit=False).result
    bad = len(outcome.failures) + len(outcome.errors) + len(outcome.unexpectedSuccesses)
    print(f"runner: {outcome.testsRun - bad - len(outcome.skipped)} passed, {bad} failed")
    sys.exit(1 if bad else 0)
