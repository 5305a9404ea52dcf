// The bodies of the tests every allocator design runs (test_alloc_*.c): the heap tests of the
// series, growth, running out, large alignments and the bad calls core/alloc/alloc.h answers alike
// for every design. Each takes the design's heap, freshly made by the test; the test then asserts
// what its design promises about the heap afterwards (whole again, nothing lost, ...).
// Header-only; every function is static (and may be unused in one program).
#pragma once

#include "core/alloc/alloc.h"
#include "core/err.h"
#include "test/unit/alloc_test.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

// ---- the heap tests of the series --------------------------------------------------------------

// simple_allocation: two u64 boxes hold their values; both freed.
AT void at_simple_allocation(struct allocator *a)
{
    uint64_t *x = at_alloc_ok(a, sizeof(uint64_t), alignof(uint64_t));
    uint64_t *y = at_alloc_ok(a, sizeof(uint64_t), alignof(uint64_t));
    *x = 41;
    *y = 13;
    assert_int_equal(*x, 41);
    assert_int_equal(*y, 13);
    at_free_ok(a, x, sizeof(uint64_t), alignof(uint64_t));
    at_free_ok(a, y, sizeof(uint64_t), alignof(uint64_t));
}

// large_vec: a Vec<u64> pushed with 0..n-1, growing by doubling (alloc the new buffer, copy, free
// the old), then freed. Returns the sum of its elements.
AT uint64_t at_vec_sum(struct allocator *a, size_t n)
{
    uint64_t *v = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == cap) {
            size_t ncap = cap ? 2 * cap : 4;
            uint64_t *nv = at_alloc_ok(a, ncap * sizeof(*v), alignof(uint64_t));
            if (v != NULL) {
                memcpy(nv, v, cap * sizeof(*v));
                at_free_ok(a, v, cap * sizeof(*v), alignof(uint64_t));
            }
            v = nv;
            cap = ncap;
        }
        v[i] = i;
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    at_free_ok(a, v, cap * sizeof(*v), alignof(uint64_t));
    return sum;
}

// many_boxes: up to n size_t boxes, each written, read back and freed before the next; stops at
// the first alloc that fails. each (may be NULL) sees every box. Returns how many were served.
AT size_t at_boxes(struct allocator *a, size_t n, void (*each)(const size_t *box))
{
    for (size_t i = 0; i < n; i++) {
        size_t *x = alloc_alloc(a, sizeof(size_t), alignof(size_t));
        if (x == NULL)
            return i;
        *x = i;
        assert_int_equal(*x, i);
        if (each != NULL)
            each(x);
        assert_int_equal(alloc_free(a, x, sizeof(size_t), alignof(size_t)), 0);
    }
    return n;
}

// many_boxes_long_lived: at_boxes with one box allocated first and live throughout, which must
// keep its value; while_live (may be NULL) runs after the boxes, before that box is freed.
// Returns how many of the n boxes were served.
AT size_t at_boxes_long_lived(struct allocator *a, size_t n,
                              void (*while_live)(struct allocator *a))
{
    size_t *long_lived = at_alloc_ok(a, sizeof(size_t), alignof(size_t));
    *long_lived = 1;
    size_t served = at_boxes(a, n, NULL);
    if (while_live != NULL)
        while_live(a);
    assert_int_equal(*long_lived, 1);
    at_check(a);
    at_free_ok(a, long_lived, sizeof(size_t), alignof(size_t));
    return served;
}

// ---- growth, running out, alignment ------------------------------------------------------------

// An empty heap serves nothing; grown by 4096 bytes, its region is 4096 bytes.
AT void at_grow_an_empty_heap(struct allocator *a)
{
    assert_null(alloc_alloc(a, 1, 1));
    at_grow(a, 4096);
    assert_int_equal(at_stats(a).region_size, 4096);
}

// A grow that would wrap the address space is E_RANGE and changes nothing; grow(0) succeeds.
AT void at_grow_past_the_end_of_the_address_space_is_erange(struct allocator *a)
{
    struct alloc_stats before = at_stats(a);
    assert_int_equal(alloc_grow(a, SIZE_MAX), E_RANGE);
    struct alloc_stats after = at_stats(a);
    assert_memory_equal(&before, &after, sizeof(before));
    assert_int_equal(alloc_grow(a, 0), 0);
    at_check(a);
}

// Allocates n blocks of size bytes into b[0..n), which must fill the heap: then nothing fits, not
// even a byte, and stats say so.
AT void at_fill(struct allocator *a, void **b, size_t n, size_t size)
{
    at_alloc_blocks(a, b, n, size);
    assert_null(alloc_alloc(a, 1, 1));
    assert_null(alloc_alloc(a, size, 1));
    assert_null(alloc_alloc(a, at_stats(a).region_size, 1));
    assert_int_equal(at_stats(a).free, 0);
    assert_int_equal(at_stats(a).largest_free, 0);
    at_check(a);
}

// In a 128 KiB region 16 bytes past a page: alignments of 2 KiB to 32 KiB are served; one no
// address in the region has (2^40; 2^30 where size_t has 32 bits) and the top bit (2^63 on x86_64,
// where rounding up to it overflows) are not; all freed again.
AT void at_large_alignments_are_served(struct allocator *a)
{
    const size_t huge = (size_t)1 << (sizeof(size_t) >= 8 ? 40 : 30);
    uintptr_t base = at_base();
    assert_true(base % huge != 0 && huge - base % huge > 128 * 1024); // the premise: none in it
    void *p = at_alloc_ok(a, 1, 4096);
    void *q = at_alloc_ok(a, 100, 8192);
    void *r = at_alloc_ok(a, 5000, 32768);
    void *s = at_alloc_ok(a, 1, 2048);
    assert_null(alloc_alloc(a, 1, huge));
    assert_null(alloc_alloc(a, 1, AT_TOP_BIT));
    at_free_ok(a, q, 100, 8192);
    at_free_ok(a, p, 1, 4096);
    at_free_ok(a, r, 5000, 32768);
    at_free_ok(a, s, 1, 2048);
}

// ---- walk_free ---------------------------------------------------------------------------------

// Through the shadow model, which checks walk_free against the live blocks and stats after every
// step (test/unit/alloc_walk_test.h): 48 blocks of mixed sizes and alignments, every other one
// freed, then the rest. Once nothing is live the free spans add up to what they did on the fresh
// heap, but for what the design keeps by design: kept() bytes (asked once nothing is live; NULL
// for the designs that keep nothing) of overhead that no longer count as free. exact as for
// at_shadow_init; the heap must hold the 48 blocks at once (32 KiB is enough).
AT void at_walk_free_follows_the_live_blocks(struct allocator *a, bool exact, size_t (*kept)(void))
{
    struct at_shadow *s = at_shadow_init(a, exact);
    at_shadow_verify(s);
    size_t fresh = 0, spans = at_walk(a);
    for (size_t i = 0; i < spans; i++)
        fresh += at_walk_spans[i].size;
    for (size_t i = 0; i < 48; i++) {
        if (at_shadow_alloc(s, 1 + i * 53 % 600, (size_t)1 << (i % 7)) < 0)
            fail_msg("%s: block %zu did not fit", a->name, i);
    }
    for (size_t i = 0; i < 48; i += 2)
        at_shadow_free(s, i);
    for (size_t i = 1; i < 48; i += 2)
        at_shadow_free(s, i);
    size_t after = 0;
    spans = at_walk(a);
    for (size_t i = 0; i < spans; i++)
        after += at_walk_spans[i].size;
    assert_int_equal(after + (kept != NULL ? kept() : 0), fresh);
}

// ---- bad calls ---------------------------------------------------------------------------------

// The interface's wrappers (core/alloc/alloc.h) panic on a NULL allocator, and stats on a NULL
// `out`, whatever the design; a is a live heap of it.
AT void at_null_allocator_panics(struct allocator *a)
{
    struct alloc_stats st;
    expect_assert_failure(alloc_alloc(NULL, 1, 1));
    expect_assert_failure(alloc_free(NULL, NULL, 1, 1));
    expect_assert_failure(alloc_grow(NULL, 1));
    expect_assert_failure(alloc_stats(NULL, &st));
    expect_assert_failure(alloc_stats(a, NULL));
    expect_assert_failure(alloc_check(NULL, NULL, 0));
}

AT void at_size_zero_returns_null(struct allocator *a)
{
    assert_null(alloc_alloc(a, 0, 1));
    assert_null(alloc_alloc(a, 0, 16));
    assert_null(alloc_alloc(a, 0, 4096));
}

AT void at_bad_alignment_returns_null(struct allocator *a)
{
    static const size_t bad[] = {0, 3, 6, 24, 100, SIZE_MAX, AT_TOP_BIT + 1};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_null(alloc_alloc(a, 16, bad[i]));
}

// Sizes that overflow when rounded or aligned, or that are one byte more than is free, fail.
AT void at_overflowing_size_returns_null(struct allocator *a)
{
    assert_null(alloc_alloc(a, SIZE_MAX, 1));
    assert_null(alloc_alloc(a, SIZE_MAX - 1, 2));
    assert_null(alloc_alloc(a, SIZE_MAX - 8, 4096));
    assert_null(alloc_alloc(a, SIZE_MAX - 14, 16));
    assert_null(alloc_alloc(a, SIZE_MAX - 15, 1)); // rounds to SIZE_MAX - 15: merely too big
    assert_null(alloc_alloc(a, at_stats(a).free + 1, 1));
}

// free(NULL) is 0 whatever size and align say, and changes nothing.
AT void at_free_of_null_is_a_noop(struct allocator *a)
{
    struct alloc_stats before = at_stats(a);
    assert_int_equal(alloc_free(a, NULL, 16, 8), 0);
    assert_int_equal(alloc_free(a, NULL, 0, 0), 0);
    assert_int_equal(alloc_free(a, NULL, SIZE_MAX, 3), 0);
    struct alloc_stats after = at_stats(a);
    assert_memory_equal(&before, &after, sizeof(before));
}

// Freeing the live block p (size, align) with align 0, a non-power-of-two align or size 0 is
// E_INVAL.
AT void at_free_with_bad_alignment_or_size_zero_is_einval(struct allocator *a, void *p, size_t size,
                                                          size_t align)
{
    assert_int_equal(alloc_free(a, p, size, 0), E_INVAL);
    assert_int_equal(alloc_free(a, p, size, 3), E_INVAL);
    assert_int_equal(alloc_free(a, p, 0, align), E_INVAL);
}

// Frees of blocks before, past, away from or running past the end of the region at_region gave
// out are E_RANGE.
AT void at_free_outside_the_region_is_erange(struct allocator *a)
{
    unsigned char *r = (unsigned char *)at_base();
    size_t size = at_win_hi - at_win_lo;
    uint64_t local;
    assert_int_equal(alloc_free(a, r - 16, 16, 16), E_RANGE);
    assert_int_equal(alloc_free(a, r + size, 16, 16), E_RANGE);
    assert_int_equal(alloc_free(a, &local, sizeof(local), 8), E_RANGE);
    assert_int_equal(alloc_free(a, r + size - 16, 32, 16), E_RANGE);
}
