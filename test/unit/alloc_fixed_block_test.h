// Shared by the fixed-size-block allocator's tests (test_alloc_fixed_block_*.c): the heap under
// test and make(), which builds it over a region of the arena; the fallback's statistics and the
// span of its blocks; and assert_nothing_lost and assert_whole, what a test asserts of the heap
// once everything is freed. Header-only; every function is static (and may be unused in one
// program).
#pragma once

#include "core/alloc/alloc.h"
#include "core/alloc/fixed_block.h"
#include "platform/host/mock_hw.h"
#include "test/unit/alloc_test.h"

#include <stddef.h>

static struct fsb_heap heap;

// A heap over size bytes at offset past a 4096-aligned address.
AT struct allocator *make(size_t offset, size_t size)
{
    mock_hw_reset();
    assert_int_equal(fsb_init(&heap, at_region(offset, size), size), 0);
    at_check(&heap.base);
    return &heap.base;
}

AT struct alloc_stats fallback_stats(void)
{
    return at_stats(&heap.fallback.base);
}

// The bytes the fallback's blocks cover (its one area, from the first header to the sentinel).
AT size_t fallback_span(void)
{
    return heap.fallback.areas[0].end - heap.fallback.areas[0].lo;
}

// The most a refill of `carved` bytes of blocks takes from the fallback beyond them: its 8-byte
// header, 8 bytes to the 16-byte grain, and a rest too small to split off (under 32 bytes).
#define REFILL_OVERHEAD (TLSF_HEADER + 8u + TLSF_GRAIN)

// Nothing live; every byte is on a class list, free in the fallback or in a refill's overhead.
AT void assert_nothing_lost(struct allocator *a)
{
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 0);
    assert_int_equal(st.allocations, 0);
    assert_int_equal(heap.small_bytes, 0);
    assert_int_equal(heap.large_allocs, 0);
    assert_int_equal(heap.fallback.allocations, heap.refills);
    assert_int_equal(st.free, fallback_stats().free + heap.refill_bytes);
    assert_int_equal(heap.fallback.in_use + heap.fallback.free_bytes, fallback_span());
    assert_in_range(heap.fallback.in_use, heap.refill_bytes,
                    heap.refill_bytes + heap.refills * REFILL_OVERHEAD);
    at_check(a);
}

// Nothing live and nothing in the classes: the fallback is one free block of everything.
AT void assert_whole(struct allocator *a)
{
    assert_nothing_lost(a);
    assert_int_equal(heap.refills, 0);
    assert_int_equal(heap.fallback.free_blocks, 1);
    assert_int_equal(heap.fallback.free_bytes, fallback_span());
    assert_int_equal(at_stats(a).free, fallback_span() - TLSF_HEADER);
}

// Three freed 64-byte blocks and the fourth of their refill's batch on the 64-byte class list
// (in that order: the last freed first), one 16-byte block live.
AT struct allocator *listed(void)
{
    struct allocator *a = make(0, 4096);
    void *b[3];
    at_alloc_blocks(a, b, 3, 64);
    at_alloc_ok(a, 16, 1);
    for (int i = 0; i < 3; i++)
        at_free_ok(a, b[i], 64, 1);
    return a;
}
