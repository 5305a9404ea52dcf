// Tests for core/alloc/linked_list.c's answers to bad calls: size 0, bad alignments, overflowing
// sizes, free(NULL), frees with bad arguments, outside the region, misaligned, double or into a
// free block, and a too small size, which leaks and which check() then reports.
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_linked_list_test.h"

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
    FREE_LIST({32, 4096 - 32});
    at_free_ok(a, p, 32, 16);
}

static void free_outside_the_region_is_erange(void **state)
{
    struct allocator *a = make(64, 4096);
    void *p = at_alloc_ok(a, 32, 16);
    at_free_outside_the_region_is_erange(a);
    assert_int_equal(alloc_free(a, (void *)at_base(), SIZE_MAX, 1), E_RANGE);
    at_check(a);
    at_free_ok(a, p, 32, 16);
}

static void free_of_a_misaligned_pointer_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    unsigned char *p = at_alloc_ok(a, 64, 64);
    assert_int_equal(alloc_free(a, p + 8, 16, 8), E_INVAL);   // not a granule
    assert_int_equal(alloc_free(a, p + 16, 16, 32), E_INVAL); // not aligned to align
    at_check(a);
    at_free_ok(a, p, 64, 64);
}

static void double_free_is_einval_and_changes_nothing(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    void *q = at_alloc_ok(a, 64, 1);
    at_free_ok(a, p, 64, 1);
    assert_int_equal(alloc_free(a, p, 64, 1), E_INVAL);
    assert_int_equal(alloc_free(a, p, 16, 1), E_INVAL);
    FREE_LIST({0, 64}, {128, 4096 - 128});
    assert_int_equal(at_stats(a).allocations, 1);
    at_free_ok(a, q, 64, 1);
    assert_int_equal(alloc_free(a, q, 64, 1), E_INVAL); // nothing live at all
    assert_whole(a);
}

static void free_of_a_pointer_into_a_free_block_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    assert_int_equal(alloc_free(a, (unsigned char *)p + 1024, 16, 1), E_INVAL);
    FREE_LIST({64, 4096 - 64});
    at_free_ok(a, p, 64, 1);
}

static void free_with_a_size_reaching_into_a_free_block_is_einval(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[2], 64, 1);
    assert_int_equal(alloc_free(a, blk[1], 65, 1), E_INVAL);
    assert_int_equal(alloc_free(a, blk[3], 128, 1), E_INVAL);
    FREE_LIST({128, 64}, {256, 768});
    at_free_ok(a, blk[1], 64, 1);
}

static void free_with_a_size_above_used_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 16, 1);
    assert_int_equal(alloc_free(a, p, 32, 1), E_INVAL); // 32 > the 16 bytes in use
    at_free_ok(a, p, 16, 1);
}

static void free_with_a_too_small_size_leaks_and_check_reports_it(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 64, 1);
    void *q = at_alloc_ok(a, 64, 1);
    assert_int_equal(alloc_free(a, p, 16, 1), 0); // 48 bytes lost, as documented
    at_check(a);                                  // unseen while blocks are live
    assert_int_equal(alloc_free(a, q, 64, 1), 0);
    at_expect_check_fails(a, "disagree");
    assert_int_equal(at_stats(a).free, 4096 - 48);
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
        AT_TEST(free_of_a_misaligned_pointer_is_einval),
        AT_TEST(double_free_is_einval_and_changes_nothing),
        AT_TEST(free_of_a_pointer_into_a_free_block_is_einval),
        AT_TEST(free_with_a_size_reaching_into_a_free_block_is_einval),
        AT_TEST(free_with_a_size_above_used_is_einval),
        AT_TEST(free_with_a_too_small_size_leaks_and_check_reports_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
