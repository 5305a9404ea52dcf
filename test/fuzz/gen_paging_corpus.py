#!/usr/bin/env python3
"""Writes the seed corpus of test/fuzz/fuzz_paging.c into test/fuzz/corpus/paging/.

The input format is the one the comment at the top of fuzz_paging.c describes: a header byte, then
operations, addresses given as indices into its lists of table indices. Run it from anywhere after
changing a seed; the outputs are committed.
"""
from corpus import write_seeds


TOP = [0, 1, 255, 256, 511, 2, 128, 384]  # PML4 indices fuzz_paging.c offers
MID = [0, 1, 2, 511, 510, 3, 256, 100]    # PDPT, PD and PT indices
K4, M2, G1, BAD = 0, 1, 2, 3
W, U, PWT, AD, G, NX, OS = 1, 2, 4, 8, 16, 32, 64
BAD_FLAGS = 0xC0


def virt(top=0, pdpt=0, pd=0, pt=0, mode=0, skew=0):
    return bytes([TOP.index(top) | MID.index(pdpt) << 3 | mode << 6,
                  MID.index(pd) | MID.index(pt) << 3 | skew << 6])


def map_(v, size=K4, phys=1, flags=W):
    return bytes([0]) + v + bytes([size, phys, flags])


def unmap_page(k):
    return bytes([2, k])


def unmap(v):
    return bytes([3]) + v


def protect(v, flags):
    return bytes([4]) + v + bytes([flags])


def map_range(v, phys, length, flags, sizes):
    return bytes([5]) + v + bytes([phys, length, flags, sizes])


def translate(v, off=0):
    return bytes([6]) + v + bytes([off])


def source(b):
    return bytes([7, b])


def walk(stop=255):
    return bytes([8, stop])


def protect_page(k, flags):
    return bytes([9, k, flags])


def check_all():
    return bytes([10])


KERNEL = virt(511, 510, 0, 0)
DIRECT = virt(256, 0, 0, 0)
BASIC = (map_(virt(0, 0, 1, 0)) + map_(virt(0, 0, 1, 1), K4, 2, W | U) + map_(KERNEL, M2, 3, W | G)
         + map_(DIRECT, G1, 0, W | NX) + translate(virt(0, 0, 1, 1), 7) + translate(KERNEL, 200)
         + check_all() + walk() + walk(1) + unmap_page(0) + unmap(virt(0, 0, 1, 1)) + walk())

SEEDS = {
    "basic.bin": bytes([0]) + BASIC,
    "errors.bin": bytes([0]) + map_(virt(1, 1, 1, 0), M2) + map_(virt(1, 1, 1, 1), K4)  # E_HUGE
                  + map_(virt(1, 2, 0, 0), K4) + map_(virt(1, 2, 0, 0), M2)              # E_EXIST
                  + map_(virt(1, 2, 0, 0), K4) + map_(virt(0, 0, 0, 0, 2))               # canonical
                  + map_(virt(0, 0, 0, 0, 3, 1), M2) + map_(virt(0, 0, 0, 1), BAD | 4)   # align, size
                  + map_(virt(0, 0, 0, 2), K4, 0x80) + map_(virt(0, 0, 0, 3), K4, 0xC5)  # phys
                  + map_(virt(0, 0, 0, 100), K4, 1, BAD_FLAGS | 1) + unmap(virt(1, 1, 1, 1))
                  + unmap(virt(0, 0, 0, 0, 3)) + unmap(virt(128, 0, 0, 0)) + protect(virt(1, 1, 1, 1), W)
                  + protect(virt(1, 1, 1, 0), BAD_FLAGS) + check_all(),
    "user_widening.bin": bytes([0]) + map_(virt(2, 0, 0, 0), K4, 1, W) + map_(virt(2, 0, 0, 1), K4, 2,
                                                                            W | U)
                         + translate(virt(2, 0, 0, 0)) + protect(virt(2, 0, 0, 0), U | NX | OS)
                         + check_all() + map_(virt(2, 0, 2, 0), M2, 3, U) + protect_page(0, 0)
                         + walk(),
    "out_of_frames.bin": bytes([0]) + source(1 | 1 << 2) + map_(virt(128, 1, 1, 1))
                         + map_(virt(128, 1, 1, 2)) + source(2) + map_(virt(384, 3, 3, 3))
                         + source(0) + map_(virt(384, 3, 3, 3)) + source(1)
                         + map_(virt(128, 2, 0, 0)) + check_all(),
    "map_range.bin": bytes([0]) + map_range(virt(1, 0, 0, 0), 0, 0x42, W, 7)
                     + map_range(virt(1, 0, 0, 0), 0, 0x01, W, 1)                    # E_EXIST, undone
                     + map_range(virt(2, 0, 0, 3), 0x40, 0x0F, W | U, 3)
                     + map_range(virt(0, 1, 0, 0), 0, 0x00, W, 0)                    # sizes 0
                     + map_range(virt(0, 1, 0, 0), 0, 0x10, W, 0x12)                 # crosses the hole
                     + map_range(virt(0, 1, 0, 0), 0, 0x10, W, 0x23)                 # reaches 2^52
                     + map_range(virt(0, 1, 0, 0), 0, 0x10, W, 0x33)
                     + map_range(virt(2, 0, 0, 0), 0, 0x0F, W, 1)                    # E_EXIST at 3
                     + source(1 | 3 << 2) + map_range(virt(128, 0, 0, 510), 0, 0x0F, W, 1)  # undone
                     + source(0) + walk() + check_all(),
    "init_no_frame.bin": bytes([1]) + BASIC,
    "init_unreachable.bin": bytes([2]) + BASIC,
    "destroy_mapped.bin": bytes([4]) + BASIC + map_(virt(511, 511, 511, 511)) + map_(virt(255, 2, 2, 2)),
}

if __name__ == "__main__":
    write_seeds("paging", SEEDS)
