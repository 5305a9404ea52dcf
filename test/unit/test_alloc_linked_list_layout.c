// Tests for core/alloc/linked_list.c's layout: the free block init makes, rounding the region
// inwards, tiny regions, sizes rounded to the granule, splitting, alignment padding left on the
// free list, first fit, and a freed block added to or merged with its free neighbours.
#include "test/unit/alloc_linked_list_test.h"

// ---- layout ------------------------------------------------------------------------------------

static void init_makes_one_free_block_of_the_region(void **state)
{
    struct allocator *a = make(0, 4096);
    assert_string_equal(a->name, "linked_list");
    FREE_LIST({0, 4096});
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.free, 4096);
    assert_int_equal(st.largest_free, 4096);
    assert_int_equal(st.region_size, 4096);
    assert_int_equal(st.used + st.allocations + st.peak_used, 0);
}

static void unaligned_region_is_rounded_inwards(void **state)
{
    struct allocator *a = make(3, 100); // [3, 103) -> [16, 96)
    FREE_LIST({13, 80});
    assert_int_equal(at_stats(a).free, 80);
    assert_int_equal(at_stats(a).region_size, 100);
    assert_int_equal(alloc_free(a, (void *)at_base(), 16, 1), E_RANGE); // the rounded-off bytes
}

static void region_smaller_than_a_node_holds_no_block(void **state)
{
    struct allocator *a = make(0, LL_GRAIN - 1);
    assert_null(heap.head);
    assert_null(alloc_alloc(a, 1, 1));
    assert_int_equal(at_stats(a).free, 0);
    assert_int_equal(at_stats(a).largest_free, 0);
    at_check(a);
    a = make(8, 20); // [8, 28) holds no whole granule
    assert_null(heap.head);
    assert_null(alloc_alloc(a, 1, 1));
    at_check(a);
}

static void region_of_exactly_a_node_serves_one_small_block(void **state)
{
    struct allocator *a = make(0, LL_GRAIN);
    assert_null(alloc_alloc(a, LL_GRAIN + 1, 1));
    void *p = at_alloc_ok(a, LL_GRAIN, 1);
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, p, LL_GRAIN, 1);
    p = at_alloc_ok(a, 1, 8);
    at_free_ok(a, p, 1, 8);
    assert_whole(a);
}

static void sizes_round_up_to_the_granule(void **state)
{
    struct allocator *a = make(0, 4096);
    uintptr_t p1 = (uintptr_t)at_alloc_ok(a, 1, 1);
    uintptr_t p2 = (uintptr_t)at_alloc_ok(a, 17, 2);
    uintptr_t p3 = (uintptr_t)at_alloc_ok(a, 16, 4);
    assert_int_equal(p2 - p1, 16);
    assert_int_equal(p3 - p2, 32);
    FREE_LIST({64, 4096 - 64});
    assert_int_equal(at_stats(a).used, 34);
}

static void the_rest_of_a_block_is_split_off_and_stays_free(void **state)
{
    struct allocator *a = make(0, 4096);
    at_alloc_ok(a, 100, 1); // 112 bytes
    FREE_LIST({112, 4096 - 112});
    assert_int_equal(at_stats(a).free, 4096 - 112);
}

static void alignment_padding_stays_on_the_free_list(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p1 = at_alloc_ok(a, 16, 1);
    void *p2 = at_alloc_ok(a, 16, 256);
    assert_int_equal((uintptr_t)p2 - at_base(), 256);
    FREE_LIST({16, 240}, {272, 4096 - 272});
    void *p3 = at_alloc_ok(a, 200, 1); // first fit: goes into the padding
    assert_int_equal((uintptr_t)p3 - at_base(), 16);
    FREE_LIST({224, 32}, {272, 4096 - 272});
    at_free_ok(a, p3, 200, 1);
    at_free_ok(a, p1, 16, 1);
    FREE_LIST({0, 256}, {272, 4096 - 272});
    at_free_ok(a, p2, 16, 256);
    assert_whole(a);
}

static void first_fit_takes_the_lowest_block_that_fits(void **state)
{
    struct allocator *a = make(0, 4096);
    void *pa = at_alloc_ok(a, 64, 1);
    at_alloc_ok(a, 16, 1);
    void *pc = at_alloc_ok(a, 128, 1);
    at_alloc_ok(a, 16, 1);
    at_free_ok(a, pc, 128, 1);
    at_free_ok(a, pa, 64, 1);
    FREE_LIST({0, 64}, {80, 128}, {224, 4096 - 224});
    assert_ptr_equal(at_alloc_ok(a, 100, 1), pc); // too big for the first hole
    assert_ptr_equal(at_alloc_ok(a, 48, 1), pa);  // the lowest that fits
    FREE_LIST({48, 16}, {192, 16}, {224, 4096 - 224});
}

// ---- free next to neighbours -------------------------------------------------------------------

static void free_between_live_neighbours_adds_a_block(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    FREE_LIST({64, 64}, {256, 768});
}

static void free_of_the_first_block_adds_a_block_at_the_head(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 64, 1);
    FREE_LIST({0, 64}, {256, 768});
}

static void free_behind_a_free_block_merges_with_it(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    at_free_ok(a, blk[2], 64, 1);
    FREE_LIST({64, 128}, {256, 768});
}

static void free_before_a_free_block_merges_with_it(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[2], 64, 1);
    at_free_ok(a, blk[1], 64, 1);
    FREE_LIST({64, 128}, {256, 768});
    at_free_ok(a, blk[3], 64, 1); // before the free tail, behind B+C
    FREE_LIST({64, 960});
}

static void free_between_two_free_blocks_merges_all_three(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 64, 1);
    at_free_ok(a, blk[2], 64, 1);
    FREE_LIST({0, 64}, {128, 64}, {256, 768});
    at_free_ok(a, blk[1], 64, 1);
    FREE_LIST({0, 192}, {256, 768});
    at_free_ok(a, blk[3], 64, 1);
    assert_whole(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(init_makes_one_free_block_of_the_region),
        AT_TEST(unaligned_region_is_rounded_inwards),
        AT_TEST(region_smaller_than_a_node_holds_no_block),
        AT_TEST(region_of_exactly_a_node_serves_one_small_block),
        AT_TEST(sizes_round_up_to_the_granule),
        AT_TEST(the_rest_of_a_block_is_split_off_and_stays_free),
        AT_TEST(alignment_padding_stays_on_the_free_list),
        AT_TEST(first_fit_takes_the_lowest_block_that_fits),
        AT_TEST(free_between_live_neighbours_adds_a_block),
        AT_TEST(free_of_the_first_block_adds_a_block_at_the_head),
        AT_TEST(free_behind_a_free_block_merges_with_it),
        AT_TEST(free_before_a_free_block_merges_with_it),
        AT_TEST(free_between_two_free_blocks_merges_all_three),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
