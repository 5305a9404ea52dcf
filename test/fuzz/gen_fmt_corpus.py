#!/usr/bin/env python3
"""Writes the seed corpus of test/fuzz/fuzz_fmt.c into test/fuzz/corpus/fmt/.

A seed is one byte choosing the argument pack (0 small, 1 text, 2 wide: see the packs in
fuzz_fmt.c) and the format. The formats follow each pack's argument types, so that most
conversions are kept as written. Run it from anywhere after changing a seed; the outputs are
committed.
"""
from corpus import write_seeds

SMALL, TEXT, WIDE = 0, 1, 2

SEEDS = {
    # One conversion per argument of the small pack, in its order.
    "small_pack.bin": (SMALL, "[%d|%+5i|%#x|%-3c|%.3s|%18p|%d|%ld|%lu|%lld|%llx|%zu|%td|%jd|"
                              "%jx|%.0d|%s|%.5s|%p|%.*d|%hhd|%ho|%hhu|%hhx]"),
    "text_pack.bin": (TEXT, "%s|%-20p|%5d|%+d|%.6s|%p|% d|%.2s|%c|%#p|%d|%-4s|%u|%.*s|%d|%d|%p|"
                            "%i|%s"),
    "wide_pack.bin": (WIDE, "%lld %llu %ld %zd %tx %jd %d %*d %ju %lx %lo %zx %ti %ji %lli %d "
                            "%o %llo %hd %hhd"),
    # Printed as written by fmt: floating point, %n, wide characters, L and q, "%5%" ...
    "unsupported.bin": (SMALL, "%5.2f %d %n %lc %ls %Lf %qd %5% %-% %lllx %hhhd %zs %hp %m 50%"),
    "fields.bin": (SMALL, "%065536d|%099999999999d|%.70000x|%*.*d|%-*d|%.*s|%.d|%.x"),
    "flags.bin": (SMALL, "%#o %#.0o %#x %#X %#.3o %+ d % d %0-5d %-05d %05.3d %#o %#c %05s"),
    "char_precision.bin": (TEXT, "%.3s %p %.3c|%.*c|%5c"),
    "length_mismatch.bin": (WIDE, "%d %d %c %s %p %hhx %hu %x %lx %llx"),
    "literal.bin": (TEXT, "plain text, no conversions"),
    "trailing_percent.bin": (WIDE, "%lld%"),
    "past_the_pack.bin": (WIDE, "%d" * 24),
}

if __name__ == "__main__":
    write_seeds("fmt", {name: bytes([pack]) + fmt.encode("latin-1")
                        for name, (pack, fmt) in SEEDS.items()})
