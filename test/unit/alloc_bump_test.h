// Shared by the bump allocator's tests (test_alloc_bump_*.c): the heap under test and make(),
// which builds it over a region of the arena; next_off, where `next` is; assert_whole (the heap
// has reset and all of it is allocatable at once); and the three-block fixture.
// Header-only; every function is static (and may be unused in one program).
#pragma once

#include "core/alloc/alloc.h"
#include "core/alloc/bump.h"
#include "platform/host/mock_hw.h"
#include "test/unit/alloc_test.h"

#include <stddef.h>

static struct bump_heap heap;

// A heap over size bytes at offset past a 4096-aligned address.
AT struct allocator *make(size_t offset, size_t size)
{
    mock_hw_reset();
    assert_int_equal(bump_init(&heap, at_region(offset, size), size), 0);
    at_check(&heap.base);
    return &heap.base;
}

AT size_t next_off(void)
{
    return heap.next - at_base();
}

// Reset: nothing live, `next` at the start, the whole region allocatable at once.
AT void assert_whole(struct allocator *a)
{
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 0);
    assert_int_equal(st.allocations, 0);
    assert_int_equal(heap.next, heap.start);
    assert_int_equal(st.free, st.region_size);
    assert_int_equal(st.largest_free, st.region_size);
    if (st.region_size > 0) {
        void *p = at_alloc_ok(a, st.region_size, 1);
        at_free_ok(a, p, st.region_size, 1);
    }
}

// Three 64-byte blocks at 0, 64, 128; next at 192.
static void *blk[3];

AT struct allocator *three_blocks(void)
{
    struct allocator *a = make(0, 1024);
    at_alloc_blocks(a, blk, 3, 64);
    return a;
}
