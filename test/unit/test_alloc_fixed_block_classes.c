// Tests for core/alloc/fixed_block.c's size classes: init, class selection, class blocks aligned
// to their size, refills, freed blocks going back to (and serving only) their class, requests
// above the classes going to the linked-list fallback, and frees next to neighbours in both.
#include "test/unit/alloc_fixed_block_test.h"

#include <stdint.h>

// ---- classes -----------------------------------------------------------------------------------

static void init_makes_empty_classes_over_a_whole_fallback(void **state)
{
    struct allocator *a = make(0, 4096);
    assert_string_equal(a->name, "fixed_block");
    for (int c = 0; c < FSB_CLASSES; c++) {
        assert_null(heap.lists[c]);
        assert_int_equal(heap.counts[c], 0);
    }
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.free, 4096);
    assert_int_equal(st.largest_free, 4096);
    assert_int_equal(st.region_size, 4096);
    assert_whole(a);
}

static void the_class_is_the_smallest_block_holding_size_and_align(void **state)
{
    assert_int_equal(fsb_class(1, 1), 0);
    assert_int_equal(fsb_class(8, 8), 0);
    assert_int_equal(fsb_class(9, 1), 1);
    assert_int_equal(fsb_class(1, 16), 1);
    assert_int_equal(fsb_class(100, 4), 4);
    assert_int_equal(fsb_class(100, 256), 5);
    assert_int_equal(fsb_class(1024, 1), 7);
    assert_int_equal(fsb_class(2048, 2048), 8);
    assert_int_equal(fsb_class(2049, 1), -1);
    assert_int_equal(fsb_class(1, 4096), -1);
    assert_int_equal(fsb_class(SIZE_MAX, 1), -1);
}

static void a_class_block_is_aligned_to_its_block_size(void **state)
{
    struct allocator *a = make(0, 16384);
    static const size_t sizes[] = {1, 8, 9, 17, 33, 65, 129, 257, 513, 1025, 2048};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t bs = FSB_MIN_BLOCK << fsb_class(sizes[i], 1);
        uintptr_t p = (uintptr_t)at_alloc_ok(a, sizes[i], 1);
        assert_int_equal(p % bs, 0);
    }
}

static void the_8_byte_class_is_refilled_with_two_blocks(void **state)
{
    struct allocator *a = make(0, 4096);
    uintptr_t p = (uintptr_t)at_alloc_ok(a, 8, 1);
    assert_int_equal(heap.refills, 1);
    assert_int_equal(heap.counts[0], 1);
    assert_int_equal(fallback_stats().used, LL_GRAIN);
    uintptr_t q = (uintptr_t)at_alloc_ok(a, 1, 1);
    assert_int_equal(heap.refills, 1);
    assert_int_equal(q, p + 8);
    at_alloc_ok(a, 4, 4);
    assert_int_equal(heap.refills, 2);
}

static void other_classes_are_refilled_with_one_block(void **state)
{
    struct allocator *a = make(0, 4096);
    at_alloc_ok(a, 64, 1);
    assert_int_equal(heap.refills, 1);
    assert_int_equal(heap.counts[3], 0);
    at_alloc_ok(a, 64, 1);
    assert_int_equal(heap.refills, 2);
    assert_int_equal(fallback_stats().used, 128);
}

static void a_freed_block_goes_back_to_its_class_list(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 50, 1);
    struct alloc_stats before = fallback_stats();
    at_free_ok(a, p, 50, 1);
    struct alloc_stats after = fallback_stats();
    assert_memory_equal(&before, &after, sizeof(before)); // not to the fallback
    assert_ptr_equal(heap.lists[3], p);
    assert_int_equal(heap.counts[3], 1);
    assert_int_equal(at_stats(a).free, 4096);
    assert_ptr_equal(at_alloc_ok(a, 64, 64), p); // reused by the same class
    assert_int_equal(heap.refills, 1);
}

static void a_freed_block_serves_only_its_own_class(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    at_free_ok(a, p, 64, 1);
    void *q = at_alloc_ok(a, 32, 1);
    assert_ptr_not_equal(q, p);
    assert_int_equal(heap.refills, 2);
    void *r = at_alloc_ok(a, 128, 1);
    assert_ptr_not_equal(r, p);
    assert_int_equal(heap.counts[3], 1);
}

static void requests_above_the_largest_class_go_to_the_fallback(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, FSB_MAX_BLOCK + 1, 1);
    void *q = at_alloc_ok(a, 1, 4096);
    assert_int_equal((uintptr_t)q % 4096, 0);
    assert_int_equal(heap.large_allocs, 2);
    assert_int_equal(heap.refills, 0);
    assert_int_equal(fallback_stats().allocations, 2);
    at_free_ok(a, p, FSB_MAX_BLOCK + 1, 1);
    at_free_ok(a, q, 1, 4096);
    assert_whole(a);
}

// ---- free next to neighbours -------------------------------------------------------------------

static void class_blocks_freed_around_neighbours_stack_on_their_list(void **state)
{
    struct allocator *a = make(0, 4096);
    void *b[3];
    at_alloc_blocks(a, b, 3, 64);
    at_free_ok(a, b[1], 64, 1); // between live neighbours
    at_free_ok(a, b[0], 64, 1); // before a free one
    at_free_ok(a, b[2], 64, 1); // behind a free one
    assert_int_equal(heap.counts[3], 3);
    for (int i = 2; i >= 0; i--) // most recently freed first
        assert_ptr_equal(at_alloc_ok(a, 64, 1), b[i == 2 ? 2 : i == 1 ? 0 : 1]);
    assert_int_equal(heap.refills, 3);
}

static void large_blocks_freed_around_neighbours_merge_in_the_fallback(void **state)
{
    struct allocator *a = make(0, 32768);
    void *b[4];
    at_alloc_blocks(a, b, 4, 4096);
    at_free_ok(a, b[1], 4096, 1); // between live neighbours
    at_free_ok(a, b[0], 4096, 1); // before a free block
    at_free_ok(a, b[2], 4096, 1); // behind one
    assert_int_equal(heap.fallback.head->size, 3 * 4096);
    at_free_ok(a, b[3], 4096, 1); // between free blocks
    assert_whole(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(init_makes_empty_classes_over_a_whole_fallback),
        AT_TEST(the_class_is_the_smallest_block_holding_size_and_align),
        AT_TEST(a_class_block_is_aligned_to_its_block_size),
        AT_TEST(the_8_byte_class_is_refilled_with_two_blocks),
        AT_TEST(other_classes_are_refilled_with_one_block),
        AT_TEST(a_freed_block_goes_back_to_its_class_list),
        AT_TEST(a_freed_block_serves_only_its_own_class),
        AT_TEST(requests_above_the_largest_class_go_to_the_fallback),
        AT_TEST(class_blocks_freed_around_neighbours_stack_on_their_list),
        AT_TEST(large_blocks_freed_around_neighbours_merge_in_the_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
