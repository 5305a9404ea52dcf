// Shared by the linked-list allocator's tests (test_alloc_linked_list_*.c): the heap under test and
// make(), which builds it over a region of the arena; FREE_LIST, which asserts the free list block
// by block; assert_whole (the heap is one free block again); and the four-block fixture.
// Header-only; every function is static (and may be unused in one program).
#pragma once

#include "core/alloc/alloc.h"
#include "core/alloc/linked_list.h"
#include "platform/host/mock_hw.h"
#include "test/unit/alloc_test.h"

#include <stddef.h>
#include <stdint.h>

static struct ll_heap heap;

// A heap over size bytes at offset past a 4096-aligned address.
AT struct allocator *make(size_t offset, size_t size)
{
    mock_hw_reset();
    assert_int_equal(ll_init(&heap, at_region(offset, size), size), 0);
    at_check(&heap.base);
    return &heap.base;
}

struct span {
    size_t off, size; // a free block, as an offset from at_base()
};

AT void assert_free_list(const struct span *want, size_t n)
{
    size_t i = 0;
    for (const struct ll_node *b = heap.head; b != NULL; b = b->next, i++) {
        if (i == n)
            fail_msg("more than %zu free blocks", n);
        if ((uintptr_t)b - at_base() != want[i].off || b->size != want[i].size)
            fail_msg("free block %zu: +%zu size %zu, expected +%zu size %zu", i,
                     (size_t)((uintptr_t)b - at_base()), b->size, want[i].off, want[i].size);
    }
    assert_int_equal(i, n);
}

#define FREE_LIST(...)                                                                             \
    do {                                                                                           \
        const struct span want_[] = {__VA_ARGS__};                                                 \
        assert_free_list(want_, sizeof(want_) / sizeof(want_[0]));                                 \
    } while (0)

// One free block of the whole usable span, and all of it allocatable at once.
AT void assert_whole(struct allocator *a)
{
    size_t span = heap.hi - heap.lo;
    assert_non_null(heap.head);
    assert_null(heap.head->next);
    assert_int_equal((uintptr_t)heap.head, heap.lo);
    assert_int_equal(heap.head->size, span);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.free, span);
    assert_int_equal(st.largest_free, span);
    assert_int_equal(st.used, 0);
    assert_int_equal(st.allocations, 0);
    void *p = at_alloc_ok(a, span, 1);
    at_free_ok(a, p, span, 1);
}

// Four 64-byte blocks A B C D at 0, 64, 128, 192 and the free rest from 256.
static void *blk[4];

AT struct allocator *four_blocks(void)
{
    struct allocator *a = make(0, 1024);
    at_alloc_blocks(a, blk, 4, 64);
    FREE_LIST({256, 768});
    return a;
}
