// Tests for core/alloc/bump.c's `next`: init, `next` moving up by size and alignment padding,
// unaligned and tiny regions, frees before the last reclaiming nothing, and the last free
// resetting `next` to the start.
#include "test/unit/alloc_bump_test.h"

#include <stdint.h>

// ---- moving next -------------------------------------------------------------------------------

static void init_makes_an_empty_heap(void **state)
{
    struct allocator *a = make(0, 4096);
    assert_string_equal(a->name, "bump");
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.free, 4096);
    assert_int_equal(st.largest_free, 4096);
    assert_int_equal(st.region_size, 4096);
    assert_int_equal(st.used + st.allocations + st.peak_used, 0);
    assert_int_equal(next_off(), 0);
}

static void next_moves_up_by_size_and_alignment_padding(void **state)
{
    struct allocator *a = make(0, 4096);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 3, 1) - at_base(), 0);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 8, 8) - at_base(), 8);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 1, 1) - at_base(), 16);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 1, 256) - at_base(), 256);
    assert_int_equal(next_off(), 257);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 13);
    assert_int_equal(st.free, 4096 - 257);
    assert_int_equal(st.allocations, 4);
}

static void unaligned_region_is_used_from_its_first_byte(void **state)
{
    struct allocator *a = make(3, 100);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 1, 1) - at_base(), 0);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 1, 16) - at_base(), 13);
    assert_int_equal(at_stats(a).free, 100 - 14);
}

static void tiny_heaps_serve_exactly_their_bytes(void **state)
{
    struct allocator *a = make(0, 0);
    assert_null(alloc_alloc(a, 1, 1));
    at_check(a);
    a = make(0, 1);
    void *p = at_alloc_ok(a, 1, 1);
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, p, 1, 1);
    a = make(0, 16);
    for (int i = 0; i < 16; i++)
        at_alloc_ok(a, 1, 1);
    assert_null(alloc_alloc(a, 1, 1));
}

// ---- freeing before the reset ------------------------------------------------------------------

static void free_between_live_neighbours_reclaims_nothing(void **state)
{
    struct allocator *a = three_blocks();
    at_free_ok(a, blk[1], 64, 1);
    assert_int_equal(next_off(), 192);
    assert_int_equal(at_stats(a).free, 1024 - 192);
    assert_int_equal(at_stats(a).used, 128);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 64, 1) - at_base(), 192);
}

static void free_of_the_first_block_reclaims_nothing(void **state)
{
    struct allocator *a = three_blocks();
    at_free_ok(a, blk[0], 64, 1);
    assert_int_equal(next_off(), 192);
    assert_int_equal(at_stats(a).allocations, 2);
}

static void free_of_the_most_recent_block_reclaims_nothing(void **state)
{
    struct allocator *a = three_blocks();
    at_free_ok(a, blk[2], 64, 1);
    assert_int_equal(next_off(), 192);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 64, 1) - at_base(), 192);
}

static void the_last_free_resets_next_to_the_start(void **state)
{
    struct allocator *a = three_blocks();
    at_free_ok(a, blk[2], 64, 1);
    at_free_ok(a, blk[0], 64, 1);
    assert_int_equal(next_off(), 192);
    at_free_ok(a, blk[1], 64, 1);
    assert_int_equal(next_off(), 0);
    assert_int_equal(at_stats(a).peak_used, 192);
    assert_whole(a);
    assert_ptr_equal(at_alloc_ok(a, 8, 8), blk[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(init_makes_an_empty_heap),
        AT_TEST(next_moves_up_by_size_and_alignment_padding),
        AT_TEST(unaligned_region_is_used_from_its_first_byte),
        AT_TEST(tiny_heaps_serve_exactly_their_bytes),
        AT_TEST(free_between_live_neighbours_reclaims_nothing),
        AT_TEST(free_of_the_first_block_reclaims_nothing),
        AT_TEST(free_of_the_most_recent_block_reclaims_nothing),
        AT_TEST(the_last_free_resets_next_to_the_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
