#!/usr/bin/env python3
"""Writes the seed corpus of test/fuzz/fuzz_fbcon.c into test/fuzz/corpus/fbcon/.

A seed is six bytes of framebuffer (layout, columns - 1, rows - 1, right margin, bottom margin,
padding) and then operations, each an opcode (mod 7: 0 write, 1 putc, 2 set_color, 3 put_at,
4 cursor_left, 5 erase_to_eol, 6 clear) and an argument byte, a write followed by its bytes.
Run it from anywhere after changing a seed; the outputs are committed.
"""
from corpus import write_seeds


def write(text):
    data = text.encode("latin-1")
    assert len(data) < 16
    return [0, len(data)] + list(data)


def screen(layout, cols, rows, margin=3, bottom=5, pad=6):
    return [layout, cols - 1, rows - 1, margin, bottom, pad]


EDIT = (write("Hello, world") + write("\n\tx\ty\b\r") + [2, 0x1e] + write("colour\x01\xff")
        + [3, 0, 1, 0xdb] + [4, 3] + [5, 0] + write("0123456789ab") + [1, ord("\n")] + [6, 0])
SEEDS = {f"layout{i}.bin": screen(i, 10, 3) + EDIT for i in range(8)}
SEEDS["one_cell.bin"] = screen(0, 1, 1, 0, 0, 0) + write("ab\tc\n") + [4, 1, 5, 0]
SEEDS["scrolls.bin"] = screen(5, 12, 6, 7, 15, 15) + sum((write("line\n") for _ in range(8)), [])

if __name__ == "__main__":
    write_seeds("fbcon", SEEDS)
