// Tests for how much core/alloc/linked_list.c serves: growth (of empty, full, fragmented and
// unaligned heaps, and past the end of the address space), running out, large alignments, the
// statistics and ll_fits.
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_linked_list_test.h"

// ---- growth ------------------------------------------------------------------------------------

static void grow_an_empty_heap_makes_one_block(void **state)
{
    struct allocator *a = make(0, 0);
    assert_null(heap.head);
    at_grow_an_empty_heap(a);
    FREE_LIST({0, 4096});
    assert_whole(a);
}

static void grow_a_full_heap_adds_a_block_behind_the_last(void **state)
{
    struct allocator *a = make(0, 1024);
    void *p = at_alloc_ok(a, 1024, 1);
    assert_null(heap.head);
    at_grow(a, 512);
    FREE_LIST({1024, 512});
    void *q = at_alloc_ok(a, 512, 1);
    assert_int_equal((uintptr_t)q - at_base(), 1024);
    at_free_ok(a, p, 1024, 1);
    at_free_ok(a, q, 512, 1);
    assert_whole(a);
}

static void grow_a_fragmented_heap_merges_with_the_last_free_block(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    at_grow(a, 1024);
    FREE_LIST({64, 64}, {256, 768 + 1024});
    at_free_ok(a, blk[0], 64, 1);
    at_free_ok(a, blk[2], 64, 1);
    at_free_ok(a, blk[3], 64, 1);
    assert_whole(a);
}

static void grow_by_odd_amounts_keeps_the_remainder(void **state)
{
    struct allocator *a = make(0, 1000); // usable 992
    FREE_LIST({0, 992});
    at_grow(a, 10); // raw end 1010: still 1008 usable
    FREE_LIST({0, 1008});
    at_grow(a, 6); // 1016
    FREE_LIST({0, 1008});
    at_grow(a, 8); // 1024
    FREE_LIST({0, 1024});
    assert_int_equal(at_stats(a).region_size, 1024);
}

static void grow_of_a_tiny_unaligned_heap_starts_at_the_granule(void **state)
{
    struct allocator *a = make(3, 5); // [3, 8): nothing usable, lo = 16
    assert_null(heap.head);
    at_grow(a, 8); // [3, 16): still nothing
    assert_null(heap.head);
    at_grow(a, 40); // [3, 56): [16, 48)
    FREE_LIST({13, 32});
    assert_whole(a);
}

static void grow_past_the_end_of_the_address_space_is_erange(void **state)
{
    struct allocator *a = make(0, 1024);
    at_grow_past_the_end_of_the_address_space_is_erange(a);
    FREE_LIST({0, 1024});
}

// ---- running out -------------------------------------------------------------------------------

static void out_of_memory_returns_null_and_the_heap_stays_usable(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p[64];
    at_fill(a, p, 64, 64);
    at_free_ok(a, p[11], 64, 1);
    assert_null(alloc_alloc(a, 65, 1));
    assert_null(alloc_alloc(a, 64, 128)); // p[11] is at 704: not 128-aligned
    assert_ptr_equal(at_alloc_ok(a, 64, 64), p[11]);
    for (int i = 0; i < 64; i++)
        at_free_ok(a, p[i], 64, 1);
    assert_whole(a);
}

static void large_alignments_are_served_where_the_region_allows(void **state)
{
    struct allocator *a = make(16, 128 * 1024);
    at_large_alignments_are_served(a);
    assert_whole(a);
}

static void stats_track_peak_and_largest_free(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 1000, 1);
    void *q = at_alloc_ok(a, 10, 1);
    assert_int_equal(at_stats(a).peak_used, 1010);
    at_free_ok(a, p, 1000, 1);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 10);
    assert_int_equal(st.peak_used, 1010);
    assert_int_equal(st.allocations, 1);
    assert_int_equal(st.free, 4096 - 16);
    assert_int_equal(st.largest_free, 4096 - 1008 - 16);
    at_largest_free_is_exact(a);
    at_free_ok(a, q, 10, 1);
    at_largest_free_is_exact(a);
}

static void fits_agrees_with_alloc(void **state)
{
    struct allocator *a = make(0, 4096);
    at_alloc_ok(a, 16, 1);
    assert_true(ll_fits(&heap, 4096 - 16, 1));
    assert_false(ll_fits(&heap, 4096 - 15, 1));
    assert_true(ll_fits(&heap, 2048, 2048));
    assert_false(ll_fits(&heap, 2049, 2048));
    assert_false(ll_fits(&heap, 0, 1));
    assert_false(ll_fits(&heap, 1, 3));
    assert_false(ll_fits(&heap, SIZE_MAX, 1));
    FREE_LIST({16, 4096 - 16}); // nothing changed
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(grow_an_empty_heap_makes_one_block),
        AT_TEST(grow_a_full_heap_adds_a_block_behind_the_last),
        AT_TEST(grow_a_fragmented_heap_merges_with_the_last_free_block),
        AT_TEST(grow_by_odd_amounts_keeps_the_remainder),
        AT_TEST(grow_of_a_tiny_unaligned_heap_starts_at_the_granule),
        AT_TEST(grow_past_the_end_of_the_address_space_is_erange),
        AT_TEST(out_of_memory_returns_null_and_the_heap_stays_usable),
        AT_TEST(large_alignments_are_served_where_the_region_allows),
        AT_TEST(stats_track_peak_and_largest_free),
        AT_TEST(fits_agrees_with_alloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
