// Shared by the fixed-size-block allocator's tests (test_alloc_fixed_block_*.c): the heap under
// test and make(), which builds it over a region of the arena; the fallback's statistics; and
// assert_nothing_lost and assert_whole, what a test asserts of the heap once everything is freed.
// Header-only; every function is static (and may be unused in one program).
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

// Nothing live; every byte is either on a class list or free in the fallback.
AT void assert_nothing_lost(struct allocator *a)
{
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 0);
    assert_int_equal(st.allocations, 0);
    assert_int_equal(heap.small_bytes, 0);
    assert_int_equal(heap.large_allocs, 0);
    assert_int_equal(st.free, heap.fallback.hi - heap.fallback.lo);
    at_check(a);
}

// Nothing live and nothing in the classes: the fallback is one free block of everything.
AT void assert_whole(struct allocator *a)
{
    assert_nothing_lost(a);
    assert_int_equal(heap.refills, 0);
    assert_non_null(heap.fallback.head);
    assert_null(heap.fallback.head->next);
    assert_int_equal(heap.fallback.head->size, heap.fallback.hi - heap.fallback.lo);
}

// Three 64-byte blocks on the 64-byte class list, one 16-byte block live.
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
