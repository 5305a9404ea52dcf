#!/usr/bin/env python3
"""Writes the seed corpus of test/fuzz/fuzz_cmdline.c into test/fuzz/corpus/cmdline/.

A seed is a command line, optionally followed by NUL-separated extra keys for the target to look
up and to use as known keys. Run it from anywhere after changing a seed; the outputs are committed.
"""
from corpus import write_seeds


def line(text, *keys):
    return text.encode("latin-1") + b"".join(b"\0" + k.encode("latin-1") for k in keys)


SEEDS = {
    "kernel.bin": line("console=ttyS0 alloc=bump timer_hz=1000 heap_max=4096 quiet",
                       "timer_hz", "heap_max", "nope"),
    "last_wins.bin": line("alloc=linked_list alloc=bump alloc", "alloc"),
    # A key given twice with many words between: what cmdline_fit cuts at every limit.
    "long_line.bin": line("timer_hz=20 " + "abcdefg " * 60 + "timer_hz=50", "timer_hz"),
    "spaces.bin": line("  a=1   a=2 ", "a"),
    # UINT32_MAX, one more, leading zeros, an empty value, a bad digit, many digits.
    "numbers.bin": line("n=4294967295 m=4294967296 z=0000000000000000042 e= bad=12x3 "
                        "big=99999999999999999999 zero=0 lead=004294967295", "n", "m", "z", "e",
                        "bad", "big", "zero", "lead"),
    "long_value.bin": line("k=" + "abcdefghijklmnopqrstuvwxyz" * 12 + " j=1", "k", "j"),
    # Keys holding '=' are no word's key; "=x" has an empty key.
    "equals.bin": line("a=b=c =x x= == a=b", "a=b", "=", "a", "x"),
    "odd_bytes.bin": line("k\t=1 \xff=\x01 tab\tkey=2", "k\t", "\xff"),
    "many_words.bin": line("w " * 600 + "last=1", "last", "w"),
    "empty.bin": b"",
    "bare_keys.bin": line("quiet debug noapic quiet=1", "quiet", "debug"),
}

if __name__ == "__main__":
    write_seeds("cmdline", SEEDS)
