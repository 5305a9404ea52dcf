// Tests for core/alloc/linked_list.c under whole workloads, each leaving the heap one free block
// again: the heap tests of the Rust series, the size x alignment sweep freed in four orders, and
// random runs against the shadow model (their seeds are printed).
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_linked_list_test.h"

#define SEED      20240612u
#define HEAP_SIZE (100 * 1024)

// ---- the heap tests of the series --------------------------------------------------------------

static void simple_allocation(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    at_simple_allocation(a);
    assert_whole(a);
}

static void large_vec(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_vec_sum(a, 1000), 499500);
    assert_whole(a);
}

static void many_boxes(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes(a, HEAP_SIZE, NULL), HEAP_SIZE);
    assert_whole(a);
}

static void many_boxes_long_lived(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes_long_lived(a, HEAP_SIZE, NULL), HEAP_SIZE);
    assert_whole(a);
}

// ---- the sweep ---------------------------------------------------------------------------------

static void whole_again(struct at_shadow *s, enum at_order order, unsigned shift)
{
    assert_whole(s->a);
}

static void sweep_freed_forward_leaves_one_block(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_FORWARD, whole_again);
}

static void sweep_freed_backward_leaves_one_block(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_BACKWARD, whole_again);
}

static void sweep_freed_evens_then_odds_leaves_one_block(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_EVENS_THEN_ODDS, whole_again);
}

static void sweep_freed_outside_in_leaves_one_block(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_OUTSIDE_IN, whole_again);
}

// ---- walk_free ---------------------------------------------------------------------------------

static void walk_free_follows_the_live_blocks(void **state)
{
    struct allocator *a = make(0, 64 * 1024);
    at_walk_free_follows_the_live_blocks(a, true, NULL);
    assert_whole(a);
}

// ---- randomized --------------------------------------------------------------------------------

static void random_run_matches_the_shadow_model(void **state)
{
    struct allocator *a = make(0, 64 * 1024);
    at_random_run(at_shadow_init(a, true), SEED, 20000, 64 * 1024);
    assert_whole(a);
}

static void random_run_in_an_unaligned_region(void **state)
{
    struct allocator *a = make(7, 30000);
    at_random_run(at_shadow_init(a, true), SEED + 1, 10000, 20000);
    assert_whole(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(simple_allocation),
        AT_TEST(large_vec),
        AT_TEST(many_boxes),
        AT_TEST(many_boxes_long_lived),
        AT_TEST(sweep_freed_forward_leaves_one_block),
        AT_TEST(sweep_freed_backward_leaves_one_block),
        AT_TEST(sweep_freed_evens_then_odds_leaves_one_block),
        AT_TEST(sweep_freed_outside_in_leaves_one_block),
        AT_TEST(walk_free_follows_the_live_blocks),
        AT_TEST(random_run_matches_the_shadow_model),
        AT_TEST(random_run_in_an_unaligned_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
