// Tests for core/alloc/fixed_block.c's check(): broken class lists (misaligned, outside the
// fallback's blocks, a cycle, shorter than the count), a batch out of range, counters that disagree and the
// fallback's (TLSF's) broken invariants; and the panics on NULL arguments and a region that wraps
// the address space.
#include "test/unit/alloc_fixed_block_test.h"

#include <stdint.h>

// ---- check() -----------------------------------------------------------------------------------

static struct fsb_node *second(void)
{
    return (struct fsb_node *)(heap.lists[3]->link ^ FSB_TAG);
}

static void check_finds_a_misaligned_class_node(void **state)
{
    struct allocator *a = listed();
    heap.lists[3]->link = ((uintptr_t)second() + 16) ^ FSB_TAG;
    at_expect_check_fails(a, "misaligned");
}

static void check_finds_a_class_node_outside_the_fallbacks_blocks(void **state)
{
    struct allocator *a = listed();
    static _Alignas(64) struct fsb_node elsewhere = {.link = FSB_TAG};
    heap.lists[3]->link = (uintptr_t)&elsewhere ^ FSB_TAG;
    at_expect_check_fails(a, "outside the fallback's blocks");
}

static void check_finds_a_cycle_in_a_class_list(void **state)
{
    struct allocator *a = listed();
    second()->link = (uintptr_t)heap.lists[3] ^ FSB_TAG;
    at_expect_check_fails(a, "longer than its count");
}

static void check_finds_a_list_shorter_than_its_count(void **state)
{
    struct allocator *a = listed();
    second()->link = FSB_TAG;
    at_expect_check_fails(a, "holds 2 blocks, count says 4");
}

static void check_finds_counters_that_disagree(void **state)
{
    struct allocator *a = listed();
    heap.refill_bytes += 64;
    at_expect_check_fails(a, "refills");
    heap.refill_bytes -= 64;
    heap.large_allocs = 1;
    at_expect_check_fails(a, "large blocks");
    heap.large_allocs = 0;
    heap.allocations = 0;
    at_expect_check_fails(a, "disagree");
    heap.allocations = 1;
    heap.peak_used = 1;
    at_expect_check_fails(a, "peak_used");
    heap.peak_used = 208;
    at_check(a);
}

static void check_reports_the_fallbacks_broken_invariants(void **state)
{
    struct allocator *a = listed();
    size_t *sentinel = (size_t *)heap.fallback.areas[0].end;
    *sentinel ^= 16; // its size: 16 instead of 0
    at_expect_check_fails(a, "tlsf: ");
    *sentinel ^= 16;
    at_check(a);
    heap.fallback.free_bytes += 16;
    at_expect_check_fails(a, "tlsf: counters say");
}

static void check_finds_a_batch_out_of_range(void **state)
{
    struct allocator *a = listed();
    heap.batch[0] = 2; // fewer than the three of the smallest refill
    at_expect_check_fails(a, "class 8 batch of 2 blocks out of range");
    heap.batch[0] = 3;
    heap.batch[3] = FSB_BATCH_MAX / 64 + 1;
    char what[64];
    snprintf(what, sizeof(what), "class 64 batch of %u blocks out of range",
             FSB_BATCH_MAX / 64 + 1);
    at_expect_check_fails(a, what);
    heap.batch[3] = FSB_BATCH_MAX / 64;
    at_check(a);
}

static void null_arguments_and_a_wrapping_region_panic(void **state)
{
    struct fsb_heap h;
    expect_assert_failure(fsb_init(NULL, at_region(0, 64), 64));
    expect_assert_failure(fsb_init(&h, NULL, 64));
    expect_assert_failure(fsb_init(&h, (void *)(UINTPTR_MAX - 100), 200));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(check_finds_a_misaligned_class_node),
        AT_TEST(check_finds_a_class_node_outside_the_fallbacks_blocks),
        AT_TEST(check_finds_a_cycle_in_a_class_list),
        AT_TEST(check_finds_a_list_shorter_than_its_count),
        AT_TEST(check_finds_counters_that_disagree),
        AT_TEST(check_reports_the_fallbacks_broken_invariants),
        AT_TEST(check_finds_a_batch_out_of_range),
        AT_TEST(null_arguments_and_a_wrapping_region_panic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
