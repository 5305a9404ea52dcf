// Tests for core/alloc/linked_list.c that `make mutate` asked for: growing up to the last address
// (and one byte past it), growing a region too small for any block by less than a grain, the
// largest free block when it is not the last, check() on one broken counter or block at a time
// (with its message's numbers), and regions at the very top of the address space.
#include "test/unit/alloc_linked_list_test.h"

#include <stdint.h>
#include <string.h>

// The raw end may reach UINTPTR_MAX, never pass it. (Only counters change: the whole heap is
// one free block ending at hi, so it just grows.)
static void grow_may_reach_the_last_address_and_no_further(void **state)
{
    make(0, 4096);
    struct ll_heap saved = heap;
    size_t whole = heap.head->size;
    assert_int_equal(alloc_grow(&heap.base, UINTPTR_MAX - heap.raw_end + 1), E_RANGE);
    assert_int_equal(heap.raw_end, saved.raw_end);
    assert_int_equal(alloc_grow(&heap.base, UINTPTR_MAX - heap.raw_end), 0);
    assert_int_equal(heap.raw_end, UINTPTR_MAX);
    heap = saved; // the span is fiction past the arena: back to the real one
    heap.head->size = whole;
    at_check(&heap.base);
}

// 8 bytes at 4 past a 16-byte boundary hold no grain: hi == lo, above raw_end. Growing by 2
// moves raw_end but not past the next grain: nothing to add.
static void growing_a_region_without_a_grain_by_less_than_one(void **state)
{
    struct allocator *a = make(4, 8);
    assert_null(heap.head);
    at_grow(a, 2);
    assert_null(heap.head);
    assert_int_equal(at_stats(a).free, 0);
    at_check(a);
}

// Free blocks of 2000 and 16 bytes, in that order: the largest is the first.
static void largest_free_is_the_largest_block_not_the_last(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p1 = at_alloc_ok(a, 16, 1);
    void *p2 = at_alloc_ok(a, 2000, 1);
    void *p3 = at_alloc_ok(a, 4096 - 16 - 2000 - 16, 1);
    at_free_ok(a, p2, 2000, 1);
    FREE_LIST({16, 2000}, {4080, 16});
    assert_int_equal(at_stats(a).largest_free, 2000);
    at_largest_free_is_exact(a);
    at_free_ok(a, p1, 16, 1);
    at_free_ok(a, p3, 4096 - 16 - 2000 - 16, 1);
}

static void check_finds_hi_past_the_raw_end(void **state)
{
    struct allocator *a = make(0, 4096);
    heap.hi += LL_GRAIN;
    at_expect_check_fails(a, "bad span");
}

static void check_finds_in_use_larger_than_the_span(void **state)
{
    struct allocator *a = make(0, 4096);
    heap.in_use = heap.hi - heap.lo + LL_GRAIN;
    at_expect_check_fails(a, "does not fit the span");
}

// Two allocations cannot fit in one grain.
static void check_finds_more_allocations_than_grains_in_use(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 16, 1);
    heap.allocations = 2;
    at_expect_check_fails(a, "disagree");
    heap.allocations = 1;
    at_free_ok(a, p, 16, 1);
}

static void check_finds_fewer_free_bytes_than_the_counters_say(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 32, 1);
    heap.in_use = 16;
    heap.used = 16;
    heap.peak_used = 32;
    at_expect_check_fails(a, "free blocks hold 4064 bytes, counters say 4080");
    heap.in_use = 32;
    heap.used = 32;
    at_free_ok(a, p, 32, 1);
}

static void check_finds_a_block_at_or_past_hi(void **state)
{
    struct allocator *a = make(0, 4096 - 64);
    void *p = at_alloc_ok(a, 16, 1); // the free block now starts at 16
    struct ll_node *n = heap.head;
    n->next = (struct ll_node *)heap.hi; // reads arena bytes past the region: no node there
    at_expect_check_fails(a, "free block 1 at");
    at_expect_check_fails(a, "outside the span");
    n->next = (struct ll_node *)(heap.hi + LL_GRAIN);
    at_expect_check_fails(a, "outside the span");
    n->next = NULL;
    at_free_ok(a, p, 16, 1);
}

static void check_finds_a_block_running_past_hi(void **state)
{
    struct allocator *a = make(0, 4096);
    heap.head->size += LL_GRAIN;
    at_expect_check_fails(a, "has bad size");
    heap.head->size -= LL_GRAIN;
}

// A region may end at the last address; its start must leave room for a grain's rounding.
static void regions_at_the_top_of_the_address_space(void **state)
{
    struct ll_heap h;
    assert_int_equal(ll_init(&h, (void *)(UINTPTR_MAX - 15), 15), 0); // no whole grain
    assert_int_equal(h.hi, h.lo);
    assert_null(h.head);
    expect_assert_failure(ll_init(&h, (void *)(UINTPTR_MAX - 15), 16)); // would end past it
    expect_assert_failure(ll_init(&h, (void *)(UINTPTR_MAX - 14), 0));  // lo would wrap
    expect_assert_failure(ll_init(&h, (void *)(UINTPTR_MAX - 7), 0));
    assert_non_null(strstr(mock_panic_message(), "ll_init"));
    assert_int_equal(ll_init(&h, (void *)(UINTPTR_MAX / 8 + 1), 0), 0); // high (2^61), and empty
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(grow_may_reach_the_last_address_and_no_further),
        AT_TEST(growing_a_region_without_a_grain_by_less_than_one),
        AT_TEST(largest_free_is_the_largest_block_not_the_last),
        AT_TEST(check_finds_hi_past_the_raw_end),
        AT_TEST(check_finds_in_use_larger_than_the_span),
        AT_TEST(check_finds_more_allocations_than_grains_in_use),
        AT_TEST(check_finds_fewer_free_bytes_than_the_counters_say),
        AT_TEST(check_finds_a_block_at_or_past_hi),
        AT_TEST(check_finds_a_block_running_past_hi),
        AT_TEST(regions_at_the_top_of_the_address_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
