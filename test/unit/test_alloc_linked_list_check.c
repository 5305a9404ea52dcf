// Tests for core/alloc/linked_list.c's check(): each broken invariant of the free list and the
// counters found and named, the message truncated to its buffer; and the panics on NULL arguments
// and a region that wraps the address space.
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_linked_list_test.h"

#include <string.h>

// ---- check() -----------------------------------------------------------------------------------

static void check_finds_a_block_too_small_for_a_node(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    heap.head->size = 8;
    at_expect_check_fails(a, "bad size");
}

static void check_finds_unmerged_neighbours(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    heap.head->size = 32;
    struct ll_node *n = (struct ll_node *)((uintptr_t)heap.head + 32);
    *n = (struct ll_node){.size = 32, .next = heap.head->next};
    heap.head->next = n;
    at_expect_check_fails(a, "unmerged");
}

static void check_finds_unsorted_or_overlapping_blocks(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    heap.head->size = 256; // reaches over C and D into the tail block
    at_expect_check_fails(a, "overlaps");
}

// A cycle must step back to a lower address, so it is reported as a block out of order.
static void check_finds_a_cycle(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 64, 1);
    heap.head->next->next = heap.head;
    at_expect_check_fails(a, "precedes");
    heap.head->next->next = heap.head->next;
    at_expect_check_fails(a, "precedes");
}

static void check_finds_a_block_outside_the_region(void **state)
{
    struct allocator *a = four_blocks();
    static _Alignas(16) struct ll_node elsewhere = {.size = 64};
    heap.head->next = &elsewhere;
    at_expect_check_fails(a, "outside");
}

static void check_finds_counters_that_disagree(void **state)
{
    struct allocator *a = four_blocks();
    heap.in_use += 16;
    at_expect_check_fails(a, "counters say");
    heap.in_use -= 8;
    at_expect_check_fails(a, "does not fit");
    heap.in_use -= 8;
    heap.allocations = 0;
    at_expect_check_fails(a, "disagree");
    heap.allocations = 4;
    heap.peak_used = 1;
    at_expect_check_fails(a, "peak_used");
    heap.peak_used = 256;
    heap.lo += 8;
    at_expect_check_fails(a, "bad span");
}

static void check_truncates_its_message_to_cap(void **state)
{
    struct allocator *a = four_blocks();
    heap.head->size = 8;
    at_expect_check_truncates(a);
    heap.head->size = 768;
    assert_int_equal(alloc_check(a, NULL, 0), 0);
}

static void null_arguments_and_a_wrapping_region_panic(void **state)
{
    struct ll_heap h;
    expect_assert_failure(ll_init(NULL, at_region(0, 64), 64));
    expect_assert_failure(ll_init(&h, NULL, 64));
    expect_assert_failure(ll_init(&h, (void *)(UINTPTR_MAX - 100), 200));
    assert_non_null(strstr(mock_panic_message(), "ll_init"));
    struct allocator *a = make(0, 64);
    at_null_allocator_panics(a);
    expect_assert_failure(ll_fits(NULL, 1, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(check_finds_a_block_too_small_for_a_node),
        AT_TEST(check_finds_unmerged_neighbours),
        AT_TEST(check_finds_unsorted_or_overlapping_blocks),
        AT_TEST(check_finds_a_cycle),
        AT_TEST(check_finds_a_block_outside_the_region),
        AT_TEST(check_finds_counters_that_disagree),
        AT_TEST(check_truncates_its_message_to_cap),
        AT_TEST(null_arguments_and_a_wrapping_region_panic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
