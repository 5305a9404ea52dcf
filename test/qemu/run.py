#!/usr/bin/env python3
"""Boots every QEMU scenario kernel and reports one line per test case.

    test/qemu/run.py [--build DIR] [--qemu PATH] [--qemu-arm PATH] [--arch MACHINE]...
                     [-j N] [-k SUBSTR] [-v] [--junit FILE] [--list] [--repeat N]
                     [--timeout-factor F] [--heap-trace-dir DIR [--heap-trace-max N]]
                     [SCENARIO.c ...]

Each scenario is a kernel image built from test/qemu/<name>.c: <build>/qemu/<name>.elf, booted
with `-kernel` through the PVH entry, or <build>/qemu/<name>.iso, booted through GRUB with
`-cdrom`, on BIOS or under UEFI firmware (OVMF, a fresh copy of its variables per boot). A scenario for the Cortex-M machines (`arch:`) is a firmware image per machine,
<build>/<machine>/qemu/<name>.elf, booted in qemu-system-arm on the machine's board
(scripts/qemu_flags.py) with semihosting, and reported as <name>@<machine>. Images run in
parallel, each under its own timeout (QEMU and its process group are killed when it expires).

Scenario metadata
-----------------
The file's first block comment holds it: after a line ` * qemu-scenario`, every line up to the
end of the comment is ` * key: value` (blank ` *` lines are skipped). A .c file in test/qemu
without the marker is not a scenario (shared code) and is skipped.

    arch: x86_64 cortex-m4 cortex-m7
                              the machines it runs on, one boot each (default x86_64)
    boot: pvh | iso | uefi    how to boot (default pvh): iso is the GRUB ISO on BIOS, uefi the
                              same hybrid ISO under OVMF (x86_64 alone, both)
    bios-video: text | framebuffer
                              a GRUB ISO's screen on BIOS (default text: grub.cfg keeps VGA
                              text mode; framebuffer: the header's graphics mode; docs/uefi.md)
    timeout: SECONDS          kill QEMU after this long (default 10, 40 for uefi; fractions
                              allowed)
    args: -m 64M              extra QEMU arguments, shell-split; may repeat
    cmdline: alloc=bump       kernel command line: pvh passes it with -append; for iso/uefi, make
                              bakes it into grub.cfg and the runner passes nothing; Cortex-M
                              reads it through semihosting
    cmdline-length: N         grow the command line to exactly N bytes with filler words
                              (pad00000=xxxxxx ...) inserted before its last word
    expect: pass | fail | timeout
                              pass: exit status 33 (0x10 written to port 0xf4; on Cortex-M
                              the semihosting exit's status);
                              fail: exit status 35 (0x11), e.g. a scenario that must panic;
                              timeout: the kernel must hang until the timeout kills it
    expect: status N          QEMU must exit with status N, e.g. 0 for a kernel that switches
                              the machine off through ACPI (the other checks apply as for
                              pass, but a test that never reports is not counted missing)
    expect-serial: REGEX      must match (re.search) some serial line; may repeat
    expect-trace: REGEX       must match (re.search, re.M: ^ and $ at every line) the heap
                              trace (docs/heap-trace.md) the kernel writes to its debug console
                              at port 0xea, which the runner records when a scenario has these
                              lines; may repeat. \\A and \\Z match the trace's start and end,
                              and \\n lets a regex span consecutive records. The scenario's
                              cmdline must ask for the trace (heap_trace=1).
    screen LABEL: CHECK       checked when the kernel prints `@@screen LABEL`; may repeat
        row R = "text"        row R's characters, trailing spaces stripped, equal text
        cell R C = 'c' 0xAA   cell (R, C) holds character c (or 0xNN) with attribute 0xAA
                              (rows 0-24, columns 0-79; characters compared as code page 437)

Serial protocol (COM1, or UART0 on Cortex-M; lines end in "\\n", a "\\r" at either end is dropped
(GRUB on UEFI starts lines with one); other lines are free text)
---------------------------------------------------------------------------------------------
    Running N tests           N tests follow; with expect: pass, exactly N must be reported
    NAME...\\t[ok]             a test case SCENARIO/NAME passed
    NAME...\\t[failed]         it failed; an optional next line `Error: MESSAGE` is the reason.
                              With expect: fail a [failed] test is the expected outcome and
                              is shown as ok, marked "expected failure".
    @@screen LABEL            the kernel waits for one line on COM1. The runner reads the VGA
                              text cells (0xb8000, 80x25 x (char, attribute)) over QMP, or on a
                              framebuffer boot (uefi, bios-video: framebuffer) decodes them from
                              a screendump (pixels.py: the grid's bottom-left 80x25), checks
                              every `screen LABEL:` line (the case `SCENARIO/LABEL (screen)`)
                              and answers `ok` or `fail`.
    @@type TEXT               the runner types TEXT on the PS/2 keyboard over QMP (C escapes:
                              \\n Enter, \\b Backspace, \\t Tab, \\e Escape, \\\\), as fast as
                              the guest takes the scancodes (IRQ 1), and answers `ok` once it
                              has taken them all (`fail` if it could not type them).
    @@serial TEXT             the runner answers `ok` and, SERIAL_DELAY seconds later (the kernel
                              is back at its own work by then), writes TEXT to the guest's COM1
                              as a person at a serial terminal would type it (the escapes of
                              @@type, and \\r and \\xNN for any byte); `fail`, writing nothing,
                              for a bad escape.

With --heap-trace-dir every booted scenario gets heap_trace=1 (and heap_trace_max=N) on its command
line and its heap trace goes to DIR/<name>.trace (docs/heap-trace.md; `make heap-trace`); a trace
that does not start with its header line fails the scenario, and so does an iso scenario, whose
command line is baked into its grub.cfg.

Besides its tests each scenario is a case of its own, SCENARIO, which fails on the wrong exit
status (0 is a triple fault or reset, 1 a QEMU error), an unexpected timeout, a count that
differs from `Running N`, an expect-serial regex that matched nothing, an unknown `@@` request or
a `@@type` that failed, bad metadata, or a missing image. A `screen LABEL:` that the kernel never
requested fails its own case, SCENARIO/LABEL (screen). A failing scenario prints its last 40
serial lines.
"""
import argparse
import concurrent.futures
import dataclasses
import os
import re
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pixels  # noqa: E402  (test/qemu/pixels.py)
import qmp  # noqa: E402  (test/qemu/qmp.py)

REPO = Path(__file__).resolve().parent.parent.parent
EXIT_PASS, EXIT_FAIL = 33, 35
VGA_ADDR, VGA_ROWS, VGA_COLS = 0xB8000, 25, 80
TAIL_LINES = 40
POLL_SECONDS = 0.2  # how often a waiting boot checks for QEMU's exit and for STOP
SERIAL_DELAY = 0.02  # between a @@serial answer and its text
STOP = threading.Event()  # set on Ctrl-C: every boot kills its QEMU (which SIGINT cannot reach)


sys.path.insert(0, str(REPO / "scripts"))
import kcov  # noqa: E402  (scripts/kcov.py: coverage streams)
import qemu_flags  # noqa: E402  (scripts/qemu_flags.py: the machine every boot uses)


def base_command(qemu, tmpdir):
    """The machine (qemu_flags.BASE) plus what the runner needs: serial on stdout, the exit port
    the kernel writes its status to, and a QMP socket in `tmpdir` for the screen and keyboard."""
    return [qemu, *qemu_flags.BASE, "-display", "none", "-serial", "stdio",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-qmp", f"unix:{tmpdir}/qmp.sock,server=on,wait=off"]


def cortex_m_command(qemu, machine, cmdline):
    """A Cortex-M machine's board (qemu_flags.cortex_m: semihosting carries the command line and
    the exit status) with UART0 on stdout; no screen, no keyboard, so no QMP."""
    return [qemu, *qemu_flags.cortex_m(machine, cmdline), "-display", "none", "-serial", "stdio"]


# The scenario metadata (the comment block at the top of each test/qemu/*.c) is parsed by
# test/qemu/scenario.py; its names are used here unqualified.
from scenario import (ARCHES, CellCheck, RowCheck, Scenario, ScenarioError,  # noqa: E402,F401
                      parse_char, parse_scenario, parse_screen_check)


# ---- output -----------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    ok: bool
    seconds: float
    reason: str = ""


@dataclass
class Result:
    """What one boot of one scenario produced."""
    scenario: Scenario
    cases: list
    serial: list
    seconds: float
    notes: list = field(default_factory=list)  # extra lines for the failure report

    @property
    def failed(self):
        return any(not c.ok for c in self.cases)


class Reporter:
    """Prints case lines as they become known, from any worker thread, one whole line at a time."""

    def __init__(self, verbose):
        self.verbose = verbose
        self.lock = threading.Lock()

    def case(self, case):
        status = "ok" if case.ok else "FAILED"
        line = f"  {status:<7} {case.name:<40} {case.seconds:6.2f} s"
        if case.reason:
            line += f"  — {case.reason}"
        with self.lock:
            print(line, flush=True)

    def finished(self, result):
        """Prints the serial output of a failed scenario (its tail) or of any with -v."""
        lines = result.serial if self.verbose else result.serial[-TAIL_LINES:]
        if not (result.failed or self.verbose):
            return
        what = "serial output" if self.verbose or len(lines) == len(result.serial) else \
            f"last {len(lines)} serial lines"
        block = [f"    --- {what} of {result.scenario.name} ---"]
        block += [f"    {line}" for line in lines] or ["    (none)"]
        block += [f"    {note}" for note in result.notes]
        with self.lock:
            print("\n".join(block), flush=True)


# ---- one boot ---------------------------------------------------------------------------------

TEST_LINE = re.compile(r"^(?P<name>.+?)\.\.\.\s*\[(?P<status>ok|failed)\]\s*$")
RUNNING_LINE = re.compile(r"^Running (\d+) tests?\s*$")
ERROR_LINE = re.compile(r"^Error: (.*)$")


class Boot:
    """Boots one scenario once, following the serial protocol while QEMU runs."""

    def __init__(self, scenario, qemu, build, reporter, coverage_dir=None, trace_dir=None,
                 qemu_arm="qemu-system-arm"):
        self.s = scenario
        self.qemu, self.build, self.reporter = qemu, build, reporter
        self.qemu_arm = qemu_arm
        self.coverage_dir, self.trace_dir = coverage_dir, trace_dir
        self.cases, self.serial, self.notes, self.problems = [], [], [], []
        self.announced, self.reported = None, 0
        self.pending = None  # a [failed] test waiting for its Error: line
        self.screens_seen = set()
        self.proc = self.qmp_conn = None
        self.timed_out, self.returncode, self.stderr = False, None, b""

    def run(self):
        self.start = self.last_event = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="qemu-") as tmpdir:
            self.tmpdir = tmpdir
            if self.s.error:
                self.problems.append(self.s.error)
            elif self.trace_dir and self.s.grub:
                article = "an" if self.s.boot == "iso" else "a"
                self.problems.append(f"cannot record a heap trace: {article} {self.s.boot} "
                                     "scenario's command line is baked into its grub.cfg")
            elif not self.s.image(self.build).is_file():
                self.problems.append(f"image missing: {self.s.image(self.build)}")
            else:
                self.boot_qemu()
                self.judge_trace()  # while the boot's own trace file is still there
        end = time.monotonic()
        self.judge()
        if self.stderr:
            self.notes += ["[QEMU stderr]"] + self.stderr.decode("utf-8", "replace").splitlines()
        self.add_case(self.s.name, not self.problems, "; ".join(self.problems), end - self.start)
        return Result(self.s, self.cases, self.serial, end - self.start, self.notes)

    def command(self):
        image = str(self.s.image(self.build))
        if self.s.machine != "x86_64":
            cmd = cortex_m_command(self.qemu_arm, self.s.machine, self.s.cmdline)
            return cmd + ["-kernel", image] + self.s.args
        cmd = base_command(self.qemu, self.tmpdir)
        if self.s.boot == "uefi":
            cmd += qemu_flags.uefi(os.path.join(self.tmpdir, "ovmf_vars.fd")) + ["-cdrom", image]
        elif self.s.boot == "iso":
            cmd += ["-cdrom", image]
        else:
            cmd += ["-kernel", image] + (["-append", self.s.cmdline] if self.s.cmdline else [])
        if self.coverage_dir:
            cmd += qemu_flags.debugcon(self.stream_path())
        if self.trace_path():
            cmd += qemu_flags.heap_trace(self.trace_path())
        return cmd + self.s.args

    def trace_path(self):
        """Where the heap trace goes: <trace_dir>/<scenario>.trace when recording, a file of the
        boot's own for a scenario with expect-trace lines, else None (no trace device)."""
        if self.trace_dir:
            return Path(self.trace_dir) / f"{self.s.name}.trace"
        return Path(self.tmpdir) / "heap.trace" if self.s.expect_trace else None

    def judge_trace(self):
        """A recorded trace must start with the format's header line, and every expect-trace
        regex must match the trace."""
        path = self.trace_path()
        if path is None or self.proc is None:
            return
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            self.problems.append(f"heap trace: {e}")
            return
        if self.trace_dir and not text.startswith("heaptrace 1\n"):
            self.problems.append(f"heap trace: {path} does not start with 'heaptrace 1'")
        for regex in self.s.expect_trace:
            if not regex.search(text):
                self.problems.append(f"the heap trace does not match /{regex.pattern}/")

    def stream_path(self):
        return Path(self.coverage_dir) / f"{self.s.name}.kcov"

    def judge_coverage(self):
        """Decodes the image's coverage stream into <coverage_dir>/<scenario>/ (a scenario that
        must hang until killed has none); a missing, truncated or corrupt one fails the run."""
        if not self.coverage_dir or self.s.expect == "timeout" or self.proc is None:
            return
        out = Path(self.coverage_dir) / self.s.name
        try:
            kcov.decode(self.stream_path(), Path(self.build) / "kernel", out)
        except (kcov.StreamError, OSError) as e:
            self.problems.append(f"coverage stream: {e}")

    def boot_qemu(self):
        try:
            self.proc = subprocess.Popen(self.command(), stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         bufsize=0, start_new_session=True)
        except OSError as e:
            self.problems.append(f"cannot start QEMU: {e}")
            return
        self.deadline = self.start + self.s.timeout
        try:
            for line, when in self.serial_lines():
                self.handle_line(line, when)
            self.flush_pending()
            if not self.timed_out:
                self.returncode = self.proc.wait(timeout=max(self.deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            self.timed_out = True
        finally:
            self.kill()
            if self.qmp_conn:
                self.qmp_conn.close()

    def kill(self):
        """Kills QEMU's process group, QEMU itself and anything it left behind."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its pid stays the group id while in use
        except ProcessLookupError:
            pass
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            pipe.close()

    def serial_lines(self):
        """Yields (line, monotonic time it was read) from QEMU's stdout until QEMU closes it or
        the deadline passes (then sets timed_out). Collects stderr on the side."""
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ, "out")
        sel.register(self.proc.stderr, selectors.EVENT_READ, "err")
        buf = b""
        while sel.get_map():
            remaining = self.deadline - time.monotonic()
            if remaining <= 0 or STOP.is_set():
                self.timed_out = True
                break
            ready = sel.select(min(remaining, POLL_SECONDS))
            if not ready and self.proc.poll() is not None:
                break  # QEMU is gone though something else holds its pipes open
            for key, _ in ready:
                data = os.read(key.fd, 65536)
                if not data:
                    sel.unregister(key.fileobj)
                elif key.data == "err":
                    self.stderr += data
                else:
                    buf += data
                    when = time.monotonic()
                    while b"\n" in buf:
                        line, buf = buf.split(b"\n", 1)
                        yield line.decode("utf-8", "replace").strip("\r"), when
        sel.close()
        if buf:
            yield buf.decode("utf-8", "replace").strip("\r"), time.monotonic()

    def add_case(self, name, ok, reason="", seconds=None, when=None):
        """Records and prints case SCENARIO/name; with `seconds` given, the run case SCENARIO."""
        if seconds is None:
            when = time.monotonic() if when is None else when
            seconds, self.last_event = when - self.last_event, when
            name = f"{self.s.name}/{name}"
        case = Case(name, ok, seconds, reason)
        self.cases.append(case)
        self.reporter.case(case)

    def flush_pending(self, reason=""):
        if self.pending:
            name, when = self.pending
            self.pending = None
            if self.s.expect == "fail":
                self.add_case(name, True, f"expected failure: {reason or 'no Error line'}",
                              when=when)
            else:
                self.add_case(name, False, reason or "[failed] (no Error line)", when=when)

    def handle_line(self, line, when):
        self.serial.append(line)
        if self.pending:
            m = ERROR_LINE.match(line)
            self.flush_pending(m[1] if m else "")
            if m:
                return
        if m := TEST_LINE.match(line):
            self.reported += 1
            if m["status"] == "ok":
                self.add_case(m["name"], True, when=when)
            else:
                self.pending = (m["name"], when)
        elif m := RUNNING_LINE.match(line):
            self.announced = int(m[1])
            self.last_event = when
        elif line.startswith("@@screen "):
            self.handle_screen(line[len("@@screen "):].strip())
        elif line.startswith("@@type "):
            self.handle_type(line[len("@@type "):])
        elif line.startswith("@@serial "):
            self.handle_serial(line[len("@@serial "):])
        elif line.startswith("@@"):
            self.problems.append(f"unknown serial request {line!r}")
            self.answer("fail")

    def answer(self, word):
        """Writes one line to the guest's COM1 (QEMU's stdin)."""
        try:
            self.proc.stdin.write(word.encode() + b"\n")
        except OSError:
            pass  # QEMU is gone; its exit status tells the story

    def connect_qmp(self):
        if self.qmp_conn is None:
            timeout = max(min(5.0, self.deadline - time.monotonic()), 0.1)
            self.qmp_conn = qmp.QMP(os.path.join(self.tmpdir, "qmp.sock"), timeout)
        return self.qmp_conn

    def pixel_screen(self):
        """Whether the kernel draws on pixels: a UEFI boot, or GRUB on BIOS asked for graphics."""
        return self.s.boot == "uefi" or (self.s.boot == "iso" and self.s.bios_video == "framebuffer")

    def read_screen(self):
        """The screen as VGA text cells: read at 0xb8000 on text-mode boots; on framebuffer boots
        decoded from a screendump's pixels against the font (test/qemu/pixels.py)."""
        if self.pixel_screen():
            return pixels.vga_cells(self.connect_qmp().screendump(self.tmpdir), VGA_ROWS, VGA_COLS)
        return self.connect_qmp().read_memory(VGA_ADDR, VGA_ROWS * VGA_COLS * 2, self.tmpdir)

    def handle_screen(self, label):
        self.screens_seen.add(label)
        checks = self.s.screens.get(label)
        reasons = []
        if not checks:
            reasons.append("no screen checks for label")
        else:
            try:
                cells = self.read_screen()
            except (OSError, qmp.QMPError, pixels.PixelError) as e:
                reasons.append(f"could not read the screen: {e}")
            else:
                reasons = [r for r in (c.failure(cells) for c in checks) if r]
                if reasons:
                    self.notes += [f"[screen {label}, non-blank rows]"] + screen_rows(cells)
        self.add_case(f"{label} (screen)", not reasons, "; ".join(reasons))
        self.answer("fail" if reasons else "ok")

    def handle_type(self, text):
        try:
            timeout = max(self.deadline - time.monotonic(), 0.1)  # the scenario's time left
            self.connect_qmp().type_text(qmp.decode_escapes(text), timeout)
        except (OSError, ValueError, qmp.QMPError) as e:
            self.problems.append(f"@@type {text!r} failed: {e}")
            self.answer("fail")
        else:
            self.answer("ok")

    def handle_serial(self, text):
        try:
            data = qmp.decode_escapes(text).encode("latin-1")
        except ValueError as e:
            self.problems.append(f"@@serial {text!r}: {e}")
            self.answer("fail")
            return
        self.answer("ok")
        time.sleep(SERIAL_DELAY)
        try:
            self.proc.stdin.write(data)
        except OSError:
            pass  # QEMU is gone; its exit status tells the story

    def judge(self):
        """Adds to `problems` every reason the run itself fails."""
        s, rc = self.s, self.returncode
        for label in sorted(set(s.screens) - self.screens_seen):
            self.add_case(f"{label} (screen)", False, "never requested (no @@screen line)")
        if self.proc is None:
            return  # never booted: nothing else to judge
        if self.timed_out and STOP.is_set():
            self.problems.append("interrupted")
        elif self.timed_out:
            if s.expect != "timeout":
                self.problems.append(f"timed out after {s.timeout:g} s")
        elif s.expect == "status":
            if rc != s.status:
                self.problems.append(f"exit status {rc}, expected {s.status}")
        elif s.expect == "timeout":
            self.problems.append(f"expected a hang until the {s.timeout:g} s timeout, "
                                 f"but QEMU exited with status {rc}")
        elif rc == 0:
            self.problems.append("triple fault or reset (exit status 0)")
        elif rc == 1:
            err = self.stderr.decode("utf-8", "replace").strip()
            self.problems.append(f"QEMU error: {err or '(no stderr)'}")
        elif rc is not None and rc < 0:
            self.problems.append(f"QEMU killed by signal {-rc}")
        elif s.expect == "pass" and rc != EXIT_PASS:
            what = " (the kernel reported a failure)" if rc == EXIT_FAIL else ""
            self.problems.append(f"exit status {rc}{what}, expected {EXIT_PASS}")
        elif s.expect == "fail" and rc != EXIT_FAIL:
            self.problems.append(f"exit status {rc}, expected {EXIT_FAIL} (failure)")
        if s.expect == "pass" and self.announced is not None and self.announced != self.reported:
            self.problems.append(f"Running {self.announced} tests, but {self.reported} reported "
                                 f"(exit status {rc})")
        for regex in s.expect_serial:
            if not any(regex.search(line) for line in self.serial):
                self.problems.append(f"no serial line matches /{regex.pattern}/")
        self.judge_coverage()


def screen_rows(cells):
    rows = []
    for r in range(VGA_ROWS):
        text = bytes(cells[(r * VGA_COLS + c) * 2] for c in range(VGA_COLS))
        text = text.decode("cp437").rstrip(" ")
        if text:
            rows.append(f"{r:2d}|{text}")
    return rows


# ---- the suite --------------------------------------------------------------------------------

def ask_for_heap_trace(scenario, most):
    """Adds heap_trace=1 (and heap_trace_max=most, unless None) to the scenario's command line,
    each unless the scenario sets it already."""
    keys = {word.split("=")[0] for word in scenario.cmdline.split()}
    words = [scenario.cmdline] if scenario.cmdline else []
    words += ["heap_trace=1"] if "heap_trace" not in keys else []
    words += [f"heap_trace_max={most}"] if most and "heap_trace_max" not in keys else []
    scenario.cmdline = " ".join(words)


def per_machine(scenario):
    """The boots of one scenario: itself for x86_64, and for each Cortex-M machine its `arch:`
    names a copy, <name>@<machine>, that boots that machine."""
    return [scenario if m == "x86_64" else
            dataclasses.replace(scenario, name=f"{scenario.name}@{m}", machine=m)
            for m in scenario.arch]


def slow_first(scenarios):
    """The scenarios in the order to start them: the uefi boots (seconds of firmware each) first,
    so they run alongside the rest instead of after it; otherwise as given."""
    return sorted(scenarios, key=lambda s: s.boot != "uefi")


def find_scenarios(paths, name_filter):
    """Returns the scenarios to run: the given files (each must be a scenario) or every scenario
    in test/qemu, one per machine it runs on (per_machine), keeping those whose name contains
    `name_filter`."""
    scenarios = []
    if paths:
        for path in paths:
            s = parse_scenario(path) if Path(path).is_file() else None
            if s is None:
                s = Scenario(Path(path).stem, Path(path),
                             error=f"not a scenario file (no qemu-scenario block): {path}")
            scenarios.append(s)
    else:
        for path in sorted((REPO / "test" / "qemu").glob("*.c")):
            s = parse_scenario(path)
            if s is not None:
                scenarios.append(s)
    scenarios = [run for s in scenarios for run in per_machine(s)]
    return [s for s in scenarios if not name_filter or name_filter in s.name]


def write_junit(results, path):
    root = ET.Element("testsuites")
    for r in sorted(results, key=lambda r: r.scenario.name):
        failures = sum(1 for c in r.cases if not c.ok)
        suite = ET.SubElement(root, "testsuite", name=r.scenario.name, tests=str(len(r.cases)),
                              failures=str(failures), errors="0", time=f"{r.seconds:.3f}")
        for c in r.cases:
            case = ET.SubElement(suite, "testcase", name=c.name, classname=r.scenario.name,
                                 time=f"{c.seconds:.3f}")
            if not c.ok:
                ET.SubElement(case, "failure", message=xml_safe(c.reason)).text = xml_safe(c.reason)
        ET.SubElement(suite, "system-out").text = xml_safe("\n".join(r.serial + r.notes))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def xml_safe(text):
    """XML 1.0 cannot hold most control characters, which a kernel may well print."""
    return re.sub(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "\ufffd", text)


def print_timings(results):
    print("boot-to-exit times:")
    by_name = {}
    for r in results:
        by_name.setdefault(r.scenario.name, []).append(r.seconds)
    for name, times in by_name.items():
        print(f"  {name:<32} median {statistics.median(times):6.3f} s  min {min(times):6.3f} s"
              f"  max {max(times):6.3f} s  ({len(times)} boots)")


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=str(REPO / "build"), help="build directory (default: build)")
    ap.add_argument("--qemu", default="qemu-system-x86_64", help="QEMU binary")
    ap.add_argument("--qemu-arm", default="qemu-system-arm",
                    help="QEMU binary for the Cortex-M machines")
    ap.add_argument("--arch", action="append", choices=ARCHES, metavar="MACHINE",
                    help=f"only the boots of this machine ({', '.join(ARCHES)}); may repeat")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2,
                    help="scenarios booted at once (default: the CPU count)")
    ap.add_argument("-k", "--filter", default="", help="only scenarios whose name contains this")
    ap.add_argument("-v", "--verbose", action="store_true", help="print all serial output")
    ap.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    ap.add_argument("--list", action="store_true", help="list the scenarios and exit")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="boot each scenario N times and print boot-to-exit median/min/max "
                         "(use -j 1 for undisturbed timings)")
    ap.add_argument("--coverage-dir", metavar="DIR",
                    help="images built for coverage: each boot's stream goes to DIR/<name>.kcov "
                         "and is decoded into DIR/<name>/ (a bad stream fails the scenario)")
    ap.add_argument("--heap-trace-dir", metavar="DIR",
                    help="record each boot's heap trace: the kernel gets heap_trace=1 and its "
                         "trace goes to DIR/<name>.trace (docs/heap-trace.md)")
    ap.add_argument("--heap-trace-max", type=int, metavar="N",
                    help="with --heap-trace-dir: stop each trace after N records "
                         "(heap_trace_max=N)")
    ap.add_argument("--timeout-factor", type=float, default=1.0, metavar="F",
                    help="multiply every scenario's timeout by F (a traced kernel runs slower)")
    ap.add_argument("scenarios", nargs="*", help="scenario .c files (default: test/qemu/*.c)")
    args = ap.parse_args(argv)
    if args.jobs < 1 or args.repeat < 1 or args.timeout_factor <= 0 or \
            (args.heap_trace_max is not None and args.heap_trace_max < 1):
        ap.error("-j, --repeat, --timeout-factor and --heap-trace-max take a positive number")
    return args


def main(argv=None):
    args = parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    scenarios = find_scenarios(args.scenarios, args.filter)
    if args.arch:
        scenarios = [s for s in scenarios if s.machine in args.arch]
    if args.coverage_dir or args.heap_trace_dir:
        # Both are the x86_64 kernel's: its coverage stream and heap trace devices.
        scenarios = [s for s in scenarios if s.machine == "x86_64"]
    for s in scenarios:
        s.timeout *= args.timeout_factor
        if args.heap_trace_dir:
            ask_for_heap_trace(s, args.heap_trace_max)
    if args.list:
        for s in scenarios:
            print(f"{s.name:<32} {s.boot:<4} {s.timeout:5g} s  expect {s.expect:<8} {s.path}"
                  + (f"  ({s.error})" if s.error else ""))
        return 0
    if not scenarios:
        print("no QEMU scenarios found" + (f" matching {args.filter!r}" if args.filter else ""))
        print("qemu: 0 passed, 1 failed")
        return 1
    reporter = Reporter(args.verbose)
    start = time.monotonic()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for d in (args.coverage_dir, args.heap_trace_dir):
            if d:
                Path(d).mkdir(parents=True, exist_ok=True)
        jobs = [pool.submit(Boot(s, args.qemu, args.build, reporter, args.coverage_dir,
                                 args.heap_trace_dir, args.qemu_arm).run)
                for s in slow_first(scenarios) for _ in range(args.repeat)]
        try:
            for job in concurrent.futures.as_completed(jobs):
                results.append(job.result())
                reporter.finished(results[-1])
        except KeyboardInterrupt:
            STOP.set()
            pool.shutdown(cancel_futures=True)
            print("qemu: interrupted")
            return 130
    if args.repeat > 1:
        print_timings(results)
    if args.junit:
        write_junit(results, args.junit)
    passed = sum(1 for r in results for c in r.cases if c.ok)
    failed = sum(1 for r in results for c in r.cases if not c.ok)
    machines = ", ".join(f"{m} {sum(1 for r in results if r.scenario.machine == m)}"
                         for m in ARCHES if any(r.scenario.machine == m for r in results))
    print(f"qemu suite: {len(results)} boots ({machines}) in {time.monotonic() - start:.2f} s")
    print(f"qemu: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
