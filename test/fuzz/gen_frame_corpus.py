#!/usr/bin/env python3
"""Writes the seed corpus of test/fuzz/fuzz_frame.c into test/fuzz/corpus/frame/.

The input format is the one the comment at the top of fuzz_frame.c describes: a 4-byte header,
the memory map entries, the reserved ranges, then operations. Run it from anywhere after changing
a seed; the outputs are committed.
"""
import struct

from corpus import write_seeds

USABLE, RESERVED, ACPI, UNKNOWN, OVERFLOW = 1, 0, 4, 0x20, 0xFC
NO_LIMIT = 0


def arena(base_half_mib, quarters):  # at base_half_mib * 512 KiB, quarters * 256 KiB long
    return base_half_mib | (quarters - 1) << 4


def world(entries, ranges=(), limit=NO_LIMIT, at=arena(0, 16), map_null=False, res_null=False):
    head = bytes([len(entries) | (0x10 if map_null else 0), len(ranges) | (8 if res_null else 0),
                  limit, at])
    body = b"".join(struct.pack("<HHBB", base, length, adj, kind)
                    for base, length, kind, adj in entries)
    body += b"".join(struct.pack("<HBB", base, length, adj) for base, length, adj in ranges)
    return head + body


def e(base, length, kind=USABLE, adj=0):  # in frames; adj: see fuzz_frame.c
    return (base, length, kind, adj)


def alloc(n=1):
    return b"\0" * n


def alloc_from(frame, b=0):
    return bytes([3]) + struct.pack("<H", frame) + bytes([b])


def free_live(k):
    return bytes([4, k])


def free_any(frame, b=0):
    return bytes([5]) + struct.pack("<H", frame) + bytes([b])


def free_again(k):
    return bytes([6, k])


def probe(frame, b=0):
    return bytes([7]) + struct.pack("<H", frame) + bytes([b])


QEMU = [e(0, 159), e(240, 16, RESERVED), e(256, 32256)]
QEMU_RANGES = [(256, 255, 0), (0x300, 1, 0)]  # the kernel image, the boot info block
EVERYTHING = (alloc(20) + alloc_from(0x4000) + alloc_from(0x4000, 0x81) + free_live(0)
              + free_live(3) + free_again(0) + free_again(1) + free_any(0x400, 0x81)
              + free_any(0x100) + free_any(0x1FF) + free_any(0) + free_any(0x5000, 1) + probe(0x200)
              + probe(0x210) + alloc(4))

SEEDS = {
    "qemu.bin": world(QEMU, QEMU_RANGES, at=arena(3, 4)) + EVERYTHING,
    "overflow_entry.bin": world([e(256, 100), e(3, 7, OVERFLOW)]),
    "reserved_end_below_base.bin": world([e(256, 100)], [(300, 1, 0xFF)]),
    "map_null.bin": world([e(256, 100)], map_null=True),
    "reserved_null.bin": world([e(256, 100)], [(300, 1, 0)], res_null=True),
    "nothing_above_1mib.bin": world([e(0, 256), e(256, 64, RESERVED)]),
    "bitmaps_unreachable.bin": world([e(256, 768)], at=arena(12, 4)),
    "limit_fits.bin": world([e(256, 1792)], limit=0x81) + alloc(3),
    "limit_too_low.bin": world([e(256, 1792)], limit=0x80),
    # A span of 128 Ki frames: the bitmaps take 8 frames at 1 MiB.
    "big_span.bin": world([e(256, 256), e(64000, 64000)], at=arena(2, 4)) + alloc(5)
                    + alloc_from(64000) + alloc_from(65535) + alloc_from(0xFFFF, 1)
                    + free_any(64000) + free_live(1) + alloc(2),
    # Unaligned, overlapping entries of several types and touching reserved ranges.
    "overlaps.bin": world([e(256, 40, USABLE, 0x13), e(280, 30, ACPI, 0x02), e(300, 50),
                           e(330, 3, UNKNOWN), e(290, 100, USABLE, 0x50), e(400, 0)],
                          [(350, 2, 0x11), (352, 0, 0)], at=arena(2, 2)) + alloc(40)
                    + free_any(300) + free_any(331) + free_any(351),
    # 100 frames: take them all, give back low ones, take again (the search wraps).
    "wrap.bin": world([e(256, 101)], at=arena(2, 1)) + alloc(101) + free_live(0) + free_live(1)
                + free_live(70) + alloc(4),
}

if __name__ == "__main__":
    write_seeds("frame", SEEDS)
