#!/usr/bin/env python3
"""Writes the seed corpus of test/fuzz/fuzz_shell.c into test/fuzz/corpus/shell/.

A seed is what a serial terminal sends: typed text, Enter (CR, LF or CR LF), editing keys as
control bytes and ANSI escape sequences. Run it from anywhere after changing a seed; the outputs
are committed.
"""
from corpus import write_seeds

UP, DOWN, RIGHT, LEFT = b"\x1b[A", b"\x1b[B", b"\x1b[C", b"\x1b[D"
HOME, END, DELETE = b"\x1b[H", b"\x1b[F", b"\x1b[3~"

SEEDS = {
    "commands.bin": b"help\rpt 0x1000\r\nheap bench 100\nheap check\rticks\r",
    "editing.bin": b"hepa" + LEFT + LEFT + b"\x7f" + b"e" + END + b"p\r"
    + b"pt 123" + HOME + DELETE + b"p" + b"\x15" + b"help\r",
    "history.bin": b"pt 1\rpt 2\r" + UP + UP + DOWN + b"0\r" + UP + b"\x03",
    "completion.bin": b"he\t\tp\rti\tx\t\r",
    "bad_lines.bin": b"nope\rpt\rpt 1 2\rx 1 2 3 4 5 6 7 8\r   \r"
    + b"pt 0x\rpt 99999999999999999999\rpt -1\r",
    "long_line.bin": b"x " + b"0123456789" * 8 + b"\r",
    "escapes.bin": b"\x1b[1;5C\x1b[99~\x1bOA\x1b[?25h\x1bx\x1b[1\rhelp\r",
}

if __name__ == "__main__":
    write_seeds("shell", SEEDS)
