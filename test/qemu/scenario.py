"""Scenario metadata for the QEMU runner: the block comment at the top of test/qemu/<name>.c.

The format is documented in run.py's docstring (the runner's documentation for people who add
scenarios); this module turns a file into a Scenario with its screen checks.
"""
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

import qmp  # test/qemu/qmp.py: the escape decoding is shared with @@type

VGA_ROWS, VGA_COLS = 25, 80
# The machines a scenario can run on (`arch:`): the x86_64 kernel, and the Cortex-M firmware on
# the machines of platform/cortex_m (scripts/qemu_flags.py has their QEMU boards).
ARCHES = ("x86_64", "cortex-m4", "cortex-m7")
CORTEX_M = ARCHES[1:]
# How a scenario boots (`boot:`): QEMU's PVH loader, or the scenario's GRUB ISO on BIOS (iso) or
# under UEFI firmware (uefi: the same hybrid ISO, OVMF).
BOOTS = ("pvh", "iso", "uefi")
GRUB_BOOTS = BOOTS[1:]
BIOS_VIDEOS = ("text", "framebuffer")  # `bios-video:`, the ISO's screen on BIOS (grub.cfg)
UEFI_TIMEOUT = 40.0  # a uefi boot's default timeout: OVMF under TCG takes seconds to reach GRUB


# ---- scenario metadata ------------------------------------------------------------------------

class ScenarioError(Exception):
    """A scenario file whose metadata cannot be understood."""


@dataclass
class RowCheck:
    row: int
    text: str

    def failure(self, cells):
        """Returns why the check fails on these VGA cells, or None when it holds."""
        got = bytes(cells[(self.row * VGA_COLS + c) * 2] for c in range(VGA_COLS))
        got = got.decode("cp437").rstrip(" ")
        return None if got == self.text else f'row {self.row}: expected "{self.text}", got "{got}"'


@dataclass
class CellCheck:
    row: int
    col: int
    char: int
    attr: int

    def failure(self, cells):
        i = (self.row * VGA_COLS + self.col) * 2
        char, attr = cells[i], cells[i + 1]
        if (char, attr) == (self.char, self.attr):
            return None
        return (f"cell {self.row} {self.col}: expected {_show_char(self.char)} 0x{self.attr:02x}, "
                f"got {_show_char(char)} 0x{attr:02x}")


def _show_char(byte):
    char = bytes([byte]).decode("cp437")
    return repr(char) if char.isprintable() else f"0x{byte:02x}"


@dataclass
class Scenario:
    name: str
    path: Path
    boot: str = "pvh"
    timeout: float = 10.0
    args: list = field(default_factory=list)
    cmdline: str = ""
    cmdline_length: int = 0  # with cmdline-length: filler words make the command line this long
    expect: str = "pass"
    status: int = 0  # with `expect: status N`: the exit status QEMU must end with
    expect_serial: list = field(default_factory=list)
    expect_trace: list = field(default_factory=list)  # regexes for lines of the heap trace
    screens: dict = field(default_factory=dict)  # label -> [RowCheck | CellCheck]
    error: str = ""  # set when the metadata is bad: the scenario then fails without booting
    arch: list = field(default_factory=lambda: ["x86_64"])  # the machines it runs on
    machine: str = "x86_64"  # the one this boot is for (run.py makes a copy per machine)
    bios_video: str = "text"  # a GRUB ISO's screen on BIOS: text, or the header's framebuffer

    def image(self, build):
        if self.machine != "x86_64":
            return Path(build) / self.machine / "qemu" / f"{self.path.stem}.elf"
        return Path(build) / "qemu" / f"{self.name}.{'iso' if self.grub else 'elf'}"

    @property
    def grub(self):
        """Boots its GRUB ISO (on BIOS or UEFI) rather than the ELF image."""
        return self.boot in GRUB_BOOTS


ROW_CHECK = re.compile(r'row\s+(\d+)\s*=\s*"((?:[^"\\]|\\.)*)"$')
CELL_CHECK = re.compile(r"cell\s+(\d+)\s+(\d+)\s*=\s*('(?:[^'\\]|\\.)+'|0x[0-9a-fA-F]{1,2})"
                        r"\s+(0x[0-9a-fA-F]{1,2})$")


def parse_screen_check(text):
    """Returns the RowCheck or CellCheck written as `text`; raises ScenarioError if malformed."""
    text, check = text.strip(), None
    try:
        if m := ROW_CHECK.match(text):
            check = RowCheck(int(m[1]), qmp.decode_escapes(m[2]))
            fits = len(check.text) <= VGA_COLS
        elif m := CELL_CHECK.match(text):
            check = CellCheck(int(m[1]), int(m[2]), parse_char(m[3]), int(m[4], 16))
            fits = check.col < VGA_COLS
    except ValueError:
        check = None
    if check and fits and check.row < VGA_ROWS:
        return check
    raise ScenarioError(f"bad screen check {text!r}: want row R = \"text\" or cell R C = 'c' 0xAA")


def parse_char(text):
    """Returns the byte of a cell check's character: 'c' (code page 437, C escapes) or 0xNN.
    Raises ValueError when it is not one byte."""
    if text.startswith("0x"):
        return int(text, 16)
    try:
        encoded = qmp.decode_escapes(text[1:-1]).encode("cp437")
    except UnicodeError:
        encoded = b""
    if len(encoded) != 1:
        raise ValueError(f"{text} is not one code page 437 character")
    return encoded[0]


def metadata_lines(source):
    """Returns the `key: value` lines of the scenario block in a file's first comment, or None
    when the file has no `qemu-scenario` marker."""
    m = re.match(r"\s*/\*(.*?)\*/", source, re.S)
    lines = [re.sub(r"^\s*\*?", "", line).strip() for line in m[1].splitlines()] if m else []
    if "qemu-scenario" not in lines:
        return None
    return [line for line in lines[lines.index("qemu-scenario") + 1:] if line]


def parse_scenario(path):
    """Returns the Scenario described in the file at `path`, or None when it is not a scenario.
    Bad metadata does not raise: it is recorded in `error`, so the scenario fails visibly."""
    path = Path(path)
    scenario = Scenario(path.stem, path)
    try:
        lines = metadata_lines(path.read_text(encoding="utf-8", errors="replace"))
        if lines is None:
            return None
        for line in lines:
            apply_metadata_line(scenario, line)
        if scenario.grub and scenario.arch != ["x86_64"]:
            raise ScenarioError(f"boot: {scenario.boot} is for x86_64 alone (GRUB)")
        keys = {line.partition(":")[0].strip() for line in lines}
        if "bios-video" in keys and not scenario.grub:
            raise ScenarioError("bios-video is for a GRUB ISO (boot: iso or uefi)")
        if scenario.boot == "uefi" and "timeout" not in keys:
            scenario.timeout = UEFI_TIMEOUT
        if scenario.cmdline_length:
            scenario.cmdline = fill_cmdline(scenario.cmdline, scenario.cmdline_length)
    except (ScenarioError, ValueError) as e:
        scenario.error = f"bad metadata: {e}"
    return scenario


def apply_metadata_line(scenario, line):
    key, sep, value = line.partition(":")
    key, value = key.strip(), value.strip()
    if not sep:
        raise ScenarioError(f"expected 'key: value', got {line!r}")
    if key == "boot" and value in BOOTS:
        scenario.boot = value
    elif key == "bios-video" and value in BIOS_VIDEOS:
        scenario.bios_video = value
    elif key == "timeout" and float(value) > 0:
        scenario.timeout = float(value)
    elif key == "args":
        scenario.args += shlex.split(value)
    elif key == "cmdline":
        scenario.cmdline = value
    elif key == "cmdline-length" and int(value) > 0:
        scenario.cmdline_length = int(value)
    elif key == "expect" and value in ("pass", "fail", "timeout"):
        scenario.expect = value
    elif key == "expect" and re.fullmatch(r"status \d+", value):
        scenario.expect, scenario.status = "status", int(value.split()[1])
    elif key == "expect-serial":
        try:
            scenario.expect_serial.append(re.compile(value))
        except re.error as e:
            raise ScenarioError(f"bad expect-serial regex {value!r}: {e}") from None
    elif key == "expect-trace":
        try:
            scenario.expect_trace.append(re.compile(value, re.M))
        except re.error as e:
            raise ScenarioError(f"bad expect-trace regex {value!r}: {e}") from None
    elif key == "arch" and value.split() and set(value.split()) <= set(ARCHES):
        scenario.arch = list(dict.fromkeys(value.split()))
    elif key.startswith("screen ") and key[7:].strip():
        scenario.screens.setdefault(key[7:].strip(), []).append(parse_screen_check(value))
    else:
        raise ScenarioError(f"unknown key or bad value in {line!r}")



FILL_WORD = 16  # "pad00000=xxxxxx" and its space


def fill_cmdline(cmdline, length):
    """Returns `cmdline` grown to exactly `length` bytes by filler words (pad00000=xxxxxx, ...)
    inserted before its last word, so the last word is the one a long line's end is tested with.
    Raises ScenarioError when the line is already that long."""
    words = cmdline.split()
    need = length - len(" ".join(words)) - (1 if words else 0)  # the filler and its one space
    if need < 1:
        raise ScenarioError(f"cmdline-length {length} leaves no room for filler after {cmdline!r}")
    fill, i = [], 0
    while need > 2 * FILL_WORD:
        fill.append(f"pad{i:05d}=".ljust(FILL_WORD - 1, "x"))
        need -= FILL_WORD
        i += 1
    fill.append(f"pad{i:05d}=".ljust(need, "x")[:need])
    return " ".join(words[:-1] + fill + words[-1:])


# ---- the build's view -------------------------------------------------------------------------
#
#   test/qemu/scenario.py --make-fragment OUT FILE.c...
#
# writes the make fragment test/qemu/qemu.mk includes, so the build and the runner read the
# metadata through this one parser: which files are scenarios (those with the marker), which boot
# from a GRUB ISO (on BIOS or UEFI), the command line and BIOS video make bakes into each ISO's
# grub.cfg, and which machines each scenario is built for.

def make_quote(text):
    """Returns `text` as the right-hand side of a make `:=` assignment that yields it unchanged:
    `$` doubled, `#` (and the backslashes before it) escaped, a final backslash kept off the
    newline it would join."""
    text = re.sub(r"(\\*)#", lambda m: m[1] * 2 + "\\#", text.replace("$", "$$"))
    return text + "$()" if text.endswith("\\") else text


def make_fragment(paths):
    """Returns the text of the fragment for the scenario files `paths`. Bad metadata is left to
    the runner, which fails that scenario without booting it; the build still makes its image."""
    scenarios = [s for s in (parse_scenario(p) for p in paths) if s is not None]
    x86 = [s for s in scenarios if "x86_64" in s.arch]
    iso = [s for s in x86 if s.grub]
    lines = ["# Generated by test/qemu/scenario.py --make-fragment: do not edit.",
             f"QEMU_FRAGMENT_FILES := {' '.join(str(p) for p in paths)}",
             f"QEMU_SCENARIOS := {' '.join(s.name for s in x86)}",
             f"QEMU_ISO_SCENARIOS := {' '.join(s.name for s in iso)}"]
    lines += [f"QEMU_CMDLINE_{s.name} := {make_quote(s.cmdline)}" for s in iso]
    lines += [f"QEMU_BIOS_VIDEO_{s.name} := {s.bios_video}" for s in iso]
    lines += [f"QEMU_SCENARIOS_{m} := {' '.join(s.name for s in scenarios if m in s.arch)}"
              for m in CORTEX_M]
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) < 2 or argv[0] != "--make-fragment":
        print("usage: scenario.py --make-fragment OUT.mk FILE.c...", file=sys.stderr)
        return 2
    out = Path(argv[1])
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(make_fragment(argv[2:]), encoding="utf-8")
    tmp.replace(out)  # whole or not at all: make includes it
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
