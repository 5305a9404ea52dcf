#!/usr/bin/env python3
"""Writes the seed corpora of the allocator fuzz targets into test/fuzz/corpus/alloc_<design>/.

The input format is the one test/fuzz/fuzz_alloc.h decodes: a 5-byte header (region size, offset,
end order), then operations. The seeds are the same scenarios for every design, except that each
design's own bad free (op 12) reads its own number of bytes, and that tlsf also gets seeds of its
own operation (op 15, tlsf_add_area). Run it from anywhere after changing a seed; the outputs are
committed.
"""
from corpus import write_seeds

DESIGN_BAD_FREE_BYTES = {"bump": 2, "linked_list": 3, "fixed_block": 2, "tlsf": 3}


def header(shift, frac=0, offset=0, order=0):
    return bytes([shift, frac, offset & 0xFF, offset >> 8, order])


# Sizes, as fa_size decodes them.
def small(n):  # 1..96
    return [n - 1]


def near_class(c, d=0):  # (8 << c) + d, d in -1..6
    return [0x60 + c + 9 * (d + 1)]


def raw(n):  # 1..16384
    return [0xA0 | (n - 1) >> 8, (n - 1) & 0xFF]


def largest(minus=0):  # largest_free - minus; minus -1 asks one byte too many
    return [0xE0 | (minus + 1)]


def alloc(size, align_log=0):
    return [0] + size + [align_log]


def free(k):
    return [6, k]


def free_again(k):
    return [10, k]


def bad(sel, k=0):
    return [11, sel, k]


def grow(n):
    return [13, n >> 8, n & 0xFF]


def seeds(nbad):
    def design_bad(sel, k=0):
        return [12] + [sel, k, k ^ 0x5A][:nbad]

    basic = (alloc(small(16)) + alloc(small(40), 3) + alloc(near_class(3)) + alloc(raw(300), 4)
             + free(1) + free_again(0) + alloc(small(8)) + free(0) + free_again(0) + free(0))
    bad_calls = (alloc(small(24), 4) + alloc(near_class(5, 1)) + alloc(raw(1000), 6)
                 + sum((bad(s, 1) for s in range(12)), []) + free(1) + free_again(0)
                 + sum((design_bad(s, 1) for s in range(3)), []) + free(0)
                 + sum((bad(s, 2) for s in (9, 10, 11)), []))
    fill = sum((alloc(small(1 + 13 * i % 64), i % 5) for i in range(40)), [])
    fill += sum((free(2 * i) for i in range(20)), []) + alloc(largest()) + alloc(largest(-1))
    classes = sum((alloc(near_class(c, d)) for c in range(9) for d in (-1, 0, 1)), [])
    classes += sum((free(7 * i % 27) for i in range(14)), []) + free_again(3) + design_bad(0, 2)
    classes += sum((alloc(near_class(c), c) for c in range(9)), [])
    growth = (alloc(largest(0)) + grow(64) + alloc(small(48), 4) + grow(4000) + alloc(raw(3000), 12)
              + free(0) + grow(0) + alloc(largest(0)) + free_again(0) + bad(11, 3))
    aligned = sum((alloc(small(1 + i), i % 13) for i in range(13)), []) + free(5) + free(1)
    aligned += alloc(raw(5000), 12) + free_again(1) + design_bad(1, 4)
    return {
        "basic.bin": header(3) + bytes(basic),
        "bad_calls.bin": header(5, 17, 8) + bytes(bad_calls),
        "fill_small_heap.bin": header(0, 0, 5, 1) + bytes(fill),
        "classes.bin": header(5, 0, 16, 7) + bytes(classes),
        "grow_from_256.bin": header(0, 0, 3) + bytes(growth),
        "alignments_odd_offset.bin": header(7, 255, 4093, 3) + bytes(aligned),
    }


# tlsf's own operation (fuzz_alloc_tlsf.c): an area of (b1 << 4 | b2 >> 4) % 4097 bytes at offset
# b2 % 16 of its slot, or a bad add_area (4 NULL, 5 wrapping, 6 overlapping area b1 % areas).
def add_area(size, offset=0):
    return [15, 0, size >> 4 & 0xFF, (size & 15) << 4 | offset]


def bad_add_area(sel, b1=0, b2=0):
    return [15, sel, b1, b2]


def tlsf_seeds():
    def bad_free(sel, k=0):
        return [12, sel, k, k ^ 0x5A]

    areas = (alloc(small(40)) + add_area(1000, 3) + add_area(4080, 8) + alloc(raw(3000))
             + alloc(raw(900)) + free(0) + bad_free(4, 1) + bad_free(4, 200) + add_area(0, 9)
             + add_area(20, 1) + add_area(64) + add_area(4000, 15) + add_area(100, 4)
             + add_area(200) + bad_add_area(4) + bad_add_area(5, 7, 9) + bad_add_area(6, 1, 50)
             + bad_add_area(6, 0, 3) + sum((alloc(raw(1000 + 97 * i), i % 8) for i in range(12)), [])
             + sum((bad_free(s, 3) for s in range(5)), []) + free(3) + free_again(0) + grow(500))
    full = (sum((add_area(4080, i) for i in range(7)), []) + bad_add_area(6, 2, 7) + add_area(64)
            + alloc(largest()) + alloc(largest(-1)) + sum((alloc(small(24), 5) for _ in range(8)), [])
            + free(1) + free(2) + bad_free(3, 9))
    # Bytes too few for a block wait behind a live last block; grow(0) must not take them in.
    pending = (alloc(largest()) + grow(16) + free(0) + grow(0) + alloc(largest()) + grow(8)
               + grow(8) + alloc(small(24)) + free(0) + free(0) + grow(0))
    return {
        "areas.bin": header(2, 40, 24) + bytes(areas),
        "eight_areas.bin": header(0, 0, 9, 5) + bytes(full),
        "grow_pending.bin": header(0, 0, 0) + bytes(pending),
    }


if __name__ == "__main__":
    for design, nbad in DESIGN_BAD_FREE_BYTES.items():
        design_seeds = seeds(nbad)
        if design == "tlsf":
            design_seeds.update(tlsf_seeds())
        assert all(len(data) < 1024 for data in design_seeds.values())
        write_seeds("alloc_" + design, design_seeds)
