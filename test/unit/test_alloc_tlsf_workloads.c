// Tests for core/alloc/tlsf.c under whole workloads, each leaving the heap one free block again:
// the heap tests of the Rust series, the size x alignment sweep freed in four orders, and random
// runs against the shadow model (their seeds are printed), check() after every operation and
// every alloc, free and grow within TLSF_MAX_STEPS (alloc_tlsf_test.h's make()).
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_tlsf_test.h"

#define SEED      20240615u
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

// A heap starting out too small for a block, grown by the run.
static void random_run_from_an_empty_region(void **state)
{
    struct allocator *a = make(9, 0);
    at_random_run(at_shadow_init(a, true), SEED + 2, 10000, 48 * 1024);
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
        AT_TEST(random_run_matches_the_shadow_model),
        AT_TEST(random_run_in_an_unaligned_region),
        AT_TEST(random_run_from_an_empty_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
