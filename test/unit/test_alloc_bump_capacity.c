// Tests for how much core/alloc/bump.c serves: growth (of empty, full and holed heaps, and past the
// end of the address space), running out, large alignments, rounding past the end of the address
// space, and the statistics.
#include "test/unit/alloc_bump_test.h"
#include "test/unit/alloc_cases.h"

#include <stdint.h>

// ---- growth ------------------------------------------------------------------------------------

static void grow_an_empty_heap(void **state)
{
    struct allocator *a = make(0, 0);
    at_grow_an_empty_heap(a);
    assert_whole(a);
}

static void grow_a_full_heap_continues_at_next(void **state)
{
    struct allocator *a = make(0, 1024);
    void *p = at_alloc_ok(a, 1024, 1);
    assert_null(alloc_alloc(a, 1, 1));
    at_grow(a, 512);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 512, 1) - at_base(), 1024);
    at_free_ok(a, p, 1024, 1);
}

static void grow_a_heap_with_holes_continues_at_next(void **state)
{
    struct allocator *a = three_blocks();
    at_free_ok(a, blk[1], 64, 1);
    at_grow(a, 1000);
    assert_int_equal(at_stats(a).free, 2024 - 192);
    assert_int_equal((uintptr_t)at_alloc_ok(a, 2024 - 192, 1) - at_base(), 192);
}

static void grow_past_the_end_of_the_address_space_is_erange(void **state)
{
    struct allocator *a = make(0, 1024);
    at_grow_past_the_end_of_the_address_space_is_erange(a);
    assert_int_equal(at_stats(a).region_size, 1024);
    assert_whole(a);
}

// ---- running out, alignment, stats -------------------------------------------------------------

static void out_of_memory_returns_null_and_the_heap_stays_usable(void **state)
{
    struct allocator *a = make(0, 1000);
    void *p = at_alloc_ok(a, 990, 1);
    assert_null(alloc_alloc(a, 11, 1));
    assert_null(alloc_alloc(a, 1, 1024));
    assert_int_equal(next_off(), 990);
    void *q = at_alloc_ok(a, 10, 1);
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, p, 990, 1);
    at_free_ok(a, q, 10, 1);
    assert_whole(a);
}

static void large_alignments_are_served_where_the_region_allows(void **state)
{
    struct allocator *a = make(16, 128 * 1024);
    at_large_alignments_are_served(a);
    assert_whole(a);
}

// bump never touches its region, so a region at the top of the address space can be pretended.
static void rounding_past_the_end_of_the_address_space_returns_null(void **state)
{
    struct bump_heap top;
    assert_int_equal(bump_init(&top, (void *)(UINTPTR_MAX - 8191), 4096), 0);
    assert_null(alloc_alloc(&top.base, 1, 16384));
    assert_null(alloc_alloc(&top.base, 1, AT_TOP_BIT));
    assert_null(alloc_alloc(&top.base, SIZE_MAX, 1));
    assert_int_equal((uintptr_t)alloc_alloc(&top.base, 1, 8192), UINTPTR_MAX - 8191);
    assert_int_equal(alloc_grow(&top.base, 4095), 0); // the end is now UINTPTR_MAX
    assert_int_equal(alloc_grow(&top.base, 1), E_RANGE);
    assert_int_equal(at_stats(&top.base).free, 8190);
    at_check(&top.base);
}

static void stats_track_peak_and_largest_free(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 1000, 1);
    void *q = at_alloc_ok(a, 10, 1);
    at_free_ok(a, p, 1000, 1);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 10);
    assert_int_equal(st.peak_used, 1010);
    assert_int_equal(st.allocations, 1);
    assert_int_equal(st.free, 4096 - 1010);
    assert_int_equal(st.largest_free, 4096 - 1010);
    assert_null(alloc_alloc(a, st.largest_free + 1, 1));
    at_free_ok(a, q, 10, 1);
    at_largest_free_is_exact(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(grow_an_empty_heap),
        AT_TEST(grow_a_full_heap_continues_at_next),
        AT_TEST(grow_a_heap_with_holes_continues_at_next),
        AT_TEST(grow_past_the_end_of_the_address_space_is_erange),
        AT_TEST(out_of_memory_returns_null_and_the_heap_stays_usable),
        AT_TEST(large_alignments_are_served_where_the_region_allows),
        AT_TEST(rounding_past_the_end_of_the_address_space_returns_null),
        AT_TEST(stats_track_peak_and_largest_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
