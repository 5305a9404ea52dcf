// Tests for core/alloc/fixed_block.c's answers to bad calls: size 0, bad alignments, overflowing
// sizes, free(NULL), frees with bad arguments, outside the region, misaligned for the class or
// running past the region, large frees outside the fallback's blocks or of a class batch with no
// large block live, double frees of class and large blocks (found by the link tag, with no false
// alarm on user data) and sizes above what is in use.
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_fixed_block_test.h"

#include <stdint.h>

// ---- bad calls ---------------------------------------------------------------------------------

static void size_zero_returns_null(void **state)
{
    struct allocator *a = make(0, 4096);
    at_size_zero_returns_null(a);
    assert_whole(a);
}

static void bad_alignment_returns_null(void **state)
{
    struct allocator *a = make(0, 4096);
    at_bad_alignment_returns_null(a);
    assert_whole(a);
}

static void overflowing_size_returns_null(void **state)
{
    struct allocator *a = make(0, 4096);
    at_overflowing_size_returns_null(a);
    assert_whole(a);
}

static void free_of_null_is_a_noop(void **state)
{
    struct allocator *a = make(0, 4096);
    at_free_of_null_is_a_noop(a);
    assert_whole(a);
}

static void free_with_bad_alignment_or_size_zero_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 32, 16);
    at_free_with_bad_alignment_or_size_zero_is_einval(a, p, 32, 16);
    assert_int_equal(heap.counts[2], 7); // the rest of the refill's 8, nothing pushed
    at_free_ok(a, p, 32, 16);
}

static void free_outside_the_region_is_erange(void **state)
{
    struct allocator *a = make(64, 4096);
    void *p = at_alloc_ok(a, 32, 16);
    at_free_outside_the_region_is_erange(a);
    assert_int_equal(alloc_free(a, (void *)(at_base() + 4096 - 16), 3000, 16), E_RANGE);
    at_check(a);
    at_free_ok(a, p, 32, 16);
}

static void free_of_a_pointer_misaligned_for_its_class_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    unsigned char *p = at_alloc_ok(a, 64, 1);
    assert_int_equal(alloc_free(a, p + 32, 64, 1), E_INVAL); // a 64-byte block is 64-aligned
    assert_int_equal(alloc_free(a, p + 8, 16, 8), E_INVAL);
    assert_int_equal(heap.counts[3], 3); // the rest of the refill's 4, nothing pushed
    at_free_ok(a, p, 64, 1);
}

static void free_of_a_class_block_past_the_region_end_is_einval(void **state)
{
    struct allocator *a = make(0, 4096 + 1024);
    void *p = at_alloc_ok(a, 8, 1);
    // 2048-aligned and inside the region, but a 2048-byte block there would run past its end.
    assert_int_equal(alloc_free(a, (void *)(at_base() + 4096), 1024, 2048), E_INVAL);
    at_free_ok(a, p, 8, 1);
}

// The fallback's first block header sits 8 bytes into a 4096-aligned region, its first pointer 16:
// no class block lies below that.
static void free_of_a_class_block_before_the_fallbacks_first_block_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 8, 1);
    assert_ptr_equal(p, (void *)(at_base() + 16));
    assert_int_equal(alloc_free(a, (void *)(at_base() + 8), 8, 8), E_INVAL);
    assert_int_equal(alloc_free(a, (void *)at_base(), 8, 8), E_INVAL);
    assert_int_equal(heap.counts[0], 30); // the rest of the refill, nothing pushed
    at_free_ok(a, p, 8, 1);
}

static void double_free_of_a_class_block_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    void *q = at_alloc_ok(a, 64, 1);
    void *r = at_alloc_ok(a, 64, 1);
    at_free_ok(a, p, 64, 1);
    assert_int_equal(alloc_free(a, p, 64, 1), E_INVAL); // at the head of the list
    at_free_ok(a, q, 64, 1);
    assert_int_equal(alloc_free(a, p, 64, 1), E_INVAL); // deeper in the list
    assert_int_equal(alloc_free(a, p, 33, 64), E_INVAL);
    assert_int_equal(heap.counts[3], 3); // p, q and the batch's fourth
    assert_int_equal(at_stats(a).allocations, 1);
    at_free_ok(a, r, 64, 1);
    assert_int_equal(alloc_free(a, r, 64, 1), E_INVAL); // nothing live at all
    assert_nothing_lost(a);
}

static void double_free_of_a_large_block_is_einval(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, 3000, 1);
    void *q = at_alloc_ok(a, 64, 1);
    at_free_ok(a, p, 3000, 1);
    assert_int_equal(alloc_free(a, p, 3000, 1), E_INVAL); // no large block is live
    void *r = at_alloc_ok(a, 4000, 1);
    assert_int_equal(alloc_free(a, p, 3000, 1), E_INVAL); // the fallback sees it is free
    at_free_ok(a, r, 4000, 1);
    assert_int_equal(heap.large_allocs, 0);
    assert_int_equal(at_stats(a).allocations, 1);
    at_free_ok(a, q, 64, 1);
    assert_nothing_lost(a);
}

// User data that looks like a free-list link only costs a walk: the free still succeeds.
static void user_data_that_looks_like_a_link_is_no_false_double_free(void **state)
{
    struct allocator *a = make(0, 4096);
    uintptr_t *p = at_alloc_ok(a, 64, 1);
    uintptr_t *q = at_alloc_ok(a, 64, 1);
    uintptr_t *r = at_alloc_ok(a, 64, 1);
    *p = FSB_TAG; // what an end-of-list link looks like
    at_free_ok(a, p, 64, 1);
    *q = (uintptr_t)p ^ FSB_TAG; // what a link to p looks like
    at_free_ok(a, q, 64, 1);
    *r = FSB_TAG;
    assert_int_equal(alloc_free(a, r, 64, 1), 0);
    assert_int_equal(heap.counts[3], 4);
    assert_nothing_lost(a);
}

// A pointer inside the region but before the fallback's first block: no live large block.
static void large_free_outside_the_fallbacks_blocks_is_einval(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, 3000, 1);
    assert_int_equal(alloc_free(a, (void *)at_base(), 3000, 1), E_INVAL);
    at_free_ok(a, p, 3000, 1);
    assert_nothing_lost(a);
}

// Two 2048-byte class blocks of one refill freed as one 4096-byte block while no large block is
// live: E_INVAL, before the fallback (which would take its block back) is asked.
static void a_batch_freed_as_a_large_block_with_none_live_is_einval(void **state)
{
    struct allocator *a = make(0, 32768);
    void *b[3];
    at_alloc_blocks(a, b, 3, 2048); // a refill of one block, then one of two: b[1] and b[2]
    assert_int_equal(heap.refills, 2);
    assert_ptr_equal((unsigned char *)b[1] + 2048, b[2]);
    assert_int_equal(alloc_free(a, b[1], 4096, 1), E_INVAL);
    for (int i = 0; i < 3; i++)
        at_free_ok(a, b[i], 2048, 1);
    assert_nothing_lost(a);
}

static void free_with_a_size_above_used_is_einval(void **state)
{
    struct allocator *a = make(0, 16384);
    void *p = at_alloc_ok(a, 16, 1);
    assert_int_equal(alloc_free(a, p, 32, 1), E_INVAL);   // a class block
    assert_int_equal(alloc_free(a, p, 4096, 1), E_INVAL); // a large one
    at_free_ok(a, p, 16, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(size_zero_returns_null),
        AT_TEST(bad_alignment_returns_null),
        AT_TEST(overflowing_size_returns_null),
        AT_TEST(free_of_null_is_a_noop),
        AT_TEST(free_with_bad_alignment_or_size_zero_is_einval),
        AT_TEST(free_outside_the_region_is_erange),
        AT_TEST(free_of_a_pointer_misaligned_for_its_class_is_einval),
        AT_TEST(free_of_a_class_block_past_the_region_end_is_einval),
        AT_TEST(free_of_a_class_block_before_the_fallbacks_first_block_is_einval),
        AT_TEST(double_free_of_a_class_block_is_einval),
        AT_TEST(double_free_of_a_large_block_is_einval),
        AT_TEST(user_data_that_looks_like_a_link_is_no_false_double_free),
        AT_TEST(large_free_outside_the_fallbacks_blocks_is_einval),
        AT_TEST(a_batch_freed_as_a_large_block_with_none_live_is_einval),
        AT_TEST(free_with_a_size_above_used_is_einval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
