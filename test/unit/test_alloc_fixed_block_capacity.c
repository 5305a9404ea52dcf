// Tests for how much core/alloc/fixed_block.c serves: growth (of empty, full and fragmented heaps,
// and past the end of the address space), running out, tiny heaps, large alignments, and the
// statistics, largest_free above all: the largest request that succeeds.
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_fixed_block_test.h"

// ---- growth, running out, tiny heaps -----------------------------------------------------------

static void grow_an_empty_heap(void **state)
{
    struct allocator *a = make(0, 0);
    at_grow_an_empty_heap(a);
    assert_whole(a);
    void *p = at_alloc_ok(a, 1, 1);
    at_free_ok(a, p, 1, 1);
}

static void grow_a_full_heap(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 4096, 1);
    assert_null(alloc_alloc(a, 8, 1));
    at_grow(a, 4096);
    void *q = at_alloc_ok(a, 2048, 2048);
    assert_int_equal((uintptr_t)q - at_base(), 4096);
    at_free_ok(a, p, 4096, 1);
    at_free_ok(a, q, 2048, 2048);
    assert_nothing_lost(a);
}

static void grow_a_fragmented_heap(void **state)
{
    struct allocator *a = make(0, 8192);
    void *b[4];
    at_alloc_blocks(a, b, 4, 2048);
    at_free_ok(a, b[1], 2048, 1);
    at_free_ok(a, b[3], 2048, 1);
    at_grow(a, 8192);
    assert_int_equal(heap.fallback.head->size, 8192);
    void *big = at_alloc_ok(a, 8192, 1);
    assert_int_equal((uintptr_t)big - at_base(), 8192);
    at_free_ok(a, big, 8192, 1);
    assert_ptr_equal(at_alloc_ok(a, 2048, 1), b[3]); // the class list still comes first
}

static void grow_past_the_end_of_the_address_space_is_erange(void **state)
{
    struct allocator *a = make(0, 1024);
    at_grow_past_the_end_of_the_address_space_is_erange(a);
    assert_int_equal(at_stats(a).region_size, 1024);
    assert_whole(a);
}

static void out_of_memory_returns_null_and_the_heap_stays_usable(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p[64];
    at_fill(a, p, 64, 64);
    at_free_ok(a, p[5], 64, 1);
    assert_null(alloc_alloc(a, 32, 1)); // another class: no fallback room for a refill
    assert_ptr_equal(at_alloc_ok(a, 33, 1), p[5]);
    for (int i = 0; i < 64; i++)
        at_free_ok(a, p[i], i == 5 ? 33 : 64, 1);
    assert_nothing_lost(a);
}

static void region_smaller_than_a_node_serves_nothing(void **state)
{
    struct allocator *a = make(0, LL_GRAIN - 1);
    assert_null(alloc_alloc(a, 1, 1));
    assert_int_equal(at_stats(a).largest_free, 0);
    at_check(a);
}

static void region_of_exactly_a_node_serves_two_8_byte_blocks(void **state)
{
    struct allocator *a = make(0, LL_GRAIN);
    assert_null(alloc_alloc(a, 17, 1));
    void *p = at_alloc_ok(a, 8, 1);
    void *q = at_alloc_ok(a, 8, 8);
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, q, 8, 8);
    at_free_ok(a, p, 8, 1);
    assert_null(alloc_alloc(a, 16, 1)); // the node now belongs to the 8-byte class
    assert_int_equal(at_stats(a).largest_free, 8);
}

static void large_alignments_are_served_where_the_region_allows(void **state)
{
    struct allocator *a = make(16, 128 * 1024);
    at_large_alignments_are_served(a);
    assert_nothing_lost(a);
}

// ---- stats -------------------------------------------------------------------------------------

static void stats_count_class_lists_as_free(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 100, 1);
    void *q = at_alloc_ok(a, 3000, 1);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 3100);
    assert_int_equal(st.peak_used, 3100);
    assert_int_equal(st.allocations, 2);
    assert_int_equal(st.free, 4096 - 128 - 3008);
    at_free_ok(a, p, 100, 1);
    st = at_stats(a);
    assert_int_equal(st.used, 3000);
    assert_int_equal(st.peak_used, 3100);
    assert_int_equal(st.free, 4096 - 3008);
    at_free_ok(a, q, 3000, 1);
    assert_nothing_lost(a);
}

// largest_free is the largest request that succeeds, which need not be the largest free span: a
// class request needs a block aligned to its class.
static void largest_free_is_the_largest_request_that_succeeds(void **state)
{
    struct allocator *a = make(16, 1024); // the fallback's one block is [16, 1040) mod 4096
    assert_int_equal(at_stats(a).free, 1024);
    assert_int_equal(at_stats(a).largest_free, 512); // no 1024-aligned 1024 bytes in it
    assert_null(alloc_alloc(a, 513, 1));
    assert_null(alloc_alloc(a, 1024, 1));
    at_alloc_ok(a, 512, 1);
}

static void largest_free_is_not_monotonic_above_the_classes(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, 6160, 1);
    void *q = at_alloc_ok(a, 4064, 1); // [6160, 10224): no 2048-aligned 2048 bytes in it
    void *r = at_alloc_ok(a, 6160, 1);
    at_free_ok(a, q, 4064, 1);
    assert_int_equal(at_stats(a).largest_free, 4064);
    assert_null(alloc_alloc(a, 2048, 1));
    at_largest_free_is_exact(a); // 4064 succeeds, 4065 does not
    void *t = at_alloc_ok(a, 2049, 1);
    at_free_ok(a, t, 2049, 1);
    at_free_ok(a, p, 6160, 1);
    at_free_ok(a, r, 6160, 1);
    assert_whole(a);
}

static void largest_free_counts_a_class_list_block(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 2048, 1);
    void *q = at_alloc_ok(a, 2048, 1);
    at_free_ok(a, p, 2048, 1);
    assert_int_equal(fallback_stats().free, 0);
    assert_int_equal(at_stats(a).largest_free, 2048);
    assert_null(alloc_alloc(a, 2049, 1));
    (void)q;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(grow_an_empty_heap),
        AT_TEST(grow_a_full_heap),
        AT_TEST(grow_a_fragmented_heap),
        AT_TEST(grow_past_the_end_of_the_address_space_is_erange),
        AT_TEST(out_of_memory_returns_null_and_the_heap_stays_usable),
        AT_TEST(region_smaller_than_a_node_serves_nothing),
        AT_TEST(region_of_exactly_a_node_serves_two_8_byte_blocks),
        AT_TEST(large_alignments_are_served_where_the_region_allows),
        AT_TEST(stats_count_class_lists_as_free),
        AT_TEST(largest_free_is_the_largest_request_that_succeeds),
        AT_TEST(largest_free_is_not_monotonic_above_the_classes),
        AT_TEST(largest_free_counts_a_class_list_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
