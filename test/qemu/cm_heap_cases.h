// The heap cases of every allocator design (heap_cases.h) on the Cortex-M firmware's heap, plus
// what this machine adds: 32-bit pointers, and blocks that keep their 8-byte alignment (AAPCS's
// for uint64_t and double) inside the SRAM region. Included by the cm_heap_<design>.c scenarios,
// which boot with `alloc=<design>` and define HEAP_DESIGN and HEAP_LONG_LIVED_FITS as
// heap_cases.h asks.
#pragma once

#include "platform/cortex_m/heap.h"
#include "test/qemu/heap_cases.h"

KTEST(pointers_have_32_bits)
{
    KT_ASSERT_EQ(sizeof(void *), 4);
    KT_ASSERT_EQ(sizeof(size_t), 4);
    KT_ASSERT_EQ(sizeof(uintptr_t), 4);
}

// Sizes 1 to 64, each 8-byte aligned: every block is aligned, inside the region, and holds a
// 64-bit value (an LDRD/STRD, which faults on a misaligned address only with UNALIGN_TRP, so the
// alignment is checked by address too).
KTEST(blocks_are_8_byte_aligned_inside_the_region)
{
    void *blocks[64];
    for (size_t size = 1; size <= 64; size++) {
        uint64_t *p = heap_alloc(size < 8 ? 8 : size, 8);
        KT_ASSERT(p != NULL);
        KT_ASSERT_EQ((uintptr_t)p % 8, 0);
        KT_ASSERT((uintptr_t)p >= heap_start());
        KT_ASSERT((uintptr_t)p + size <= heap_start() + heap_limit());
        *p = 0x0123456789abcdefull + size;
        blocks[size - 1] = p;
    }
    for (size_t size = 1; size <= 64; size++) {
        KT_ASSERT_EQ(*(uint64_t *)blocks[size - 1], 0x0123456789abcdefull + size);
        KT_ASSERT_EQ(heap_free(blocks[size - 1], size < 8 ? 8 : size, 8), 0);
    }
    char msg[128];
    KT_ASSERT_EQ(heap_check(msg, sizeof(msg)), 0);
}
