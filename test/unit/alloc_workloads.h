// The workload tests of a design whose heap is one free block again once nothing is live
// (test_alloc_linked_list_workloads.c, test_alloc_tlsf_workloads.c): the heap tests of the Rust
// series, the size x alignment sweep freed in four orders, walk_free through the shadow model, and
// random runs against the shadow model (their seeds are printed). A program describes its design
// in a struct at_design (its fixture's make and assert_whole, its seed) and lists the tests with
// AT_WORKLOAD_TESTS(&design): each test gets the design as its cmocka state. Header-only; every
// function is static.
#pragma once

#include "test/unit/alloc_cases.h"

struct at_design {
    struct allocator *(*make)(size_t offset, size_t size); // a fresh heap at offset in the arena
    void (*assert_whole)(struct allocator *a);             // nothing live, one free block again
    uint64_t seed;                                         // of the random runs
};

#define AT_WL_HEAP_SIZE (100 * 1024)

static const struct at_design *at_wl; // the design of the test running (for the sweep's callback)

AT const struct at_design *at_wl_design(void **state)
{
    at_wl = *state;
    return at_wl;
}

// ---- the heap tests of the series --------------------------------------------------------------

AT void simple_allocation(void **state)
{
    const struct at_design *d = at_wl_design(state);
    struct allocator *a = d->make(0, AT_WL_HEAP_SIZE);
    at_simple_allocation(a);
    d->assert_whole(a);
}

AT void large_vec(void **state)
{
    const struct at_design *d = at_wl_design(state);
    struct allocator *a = d->make(0, AT_WL_HEAP_SIZE);
    assert_int_equal(at_vec_sum(a, 1000), 499500);
    d->assert_whole(a);
}

AT void many_boxes(void **state)
{
    const struct at_design *d = at_wl_design(state);
    struct allocator *a = d->make(0, AT_WL_HEAP_SIZE);
    assert_int_equal(at_boxes(a, AT_WL_HEAP_SIZE, NULL), AT_WL_HEAP_SIZE);
    d->assert_whole(a);
}

AT void many_boxes_long_lived(void **state)
{
    const struct at_design *d = at_wl_design(state);
    struct allocator *a = d->make(0, AT_WL_HEAP_SIZE);
    assert_int_equal(at_boxes_long_lived(a, AT_WL_HEAP_SIZE, NULL), AT_WL_HEAP_SIZE);
    d->assert_whole(a);
}

// ---- the sweep ---------------------------------------------------------------------------------

AT void at_wl_whole_again(struct at_shadow *s, enum at_order order, unsigned shift)
{
    at_wl->assert_whole(s->a);
}

AT void at_wl_sweep(void **state, enum at_order order)
{
    const struct at_design *d = at_wl_design(state);
    at_sweep(d->make(0, 512 * 1024), true, order, at_wl_whole_again);
}

AT void sweep_freed_forward_leaves_one_block(void **state)
{
    at_wl_sweep(state, AT_FORWARD);
}

AT void sweep_freed_backward_leaves_one_block(void **state)
{
    at_wl_sweep(state, AT_BACKWARD);
}

AT void sweep_freed_evens_then_odds_leaves_one_block(void **state)
{
    at_wl_sweep(state, AT_EVENS_THEN_ODDS);
}

AT void sweep_freed_outside_in_leaves_one_block(void **state)
{
    at_wl_sweep(state, AT_OUTSIDE_IN);
}

// ---- walk_free ---------------------------------------------------------------------------------

AT void walk_free_follows_the_live_blocks(void **state)
{
    const struct at_design *d = at_wl_design(state);
    struct allocator *a = d->make(0, 64 * 1024);
    at_walk_free_follows_the_live_blocks(a, true, NULL);
    d->assert_whole(a);
}

// ---- randomized --------------------------------------------------------------------------------

AT void random_run_matches_the_shadow_model(void **state)
{
    const struct at_design *d = at_wl_design(state);
    struct allocator *a = d->make(0, 64 * 1024);
    at_random_run(at_shadow_init(a, true), d->seed, 20000, 64 * 1024);
    d->assert_whole(a);
}

AT void random_run_in_an_unaligned_region(void **state)
{
    const struct at_design *d = at_wl_design(state);
    struct allocator *a = d->make(7, 30000);
    at_random_run(at_shadow_init(a, true), d->seed + 1, 10000, 20000);
    d->assert_whole(a);
}

#define AT_WL_TEST(name, design)                                                                   \
    cmocka_unit_test_prestate_setup_teardown(name, at_setup, at_teardown, (void *)(design))

// The tests above, as entries of a CMUnitTest array, for design (a struct at_design *).
#define AT_WORKLOAD_TESTS(design)                                                                  \
    AT_WL_TEST(simple_allocation, design), AT_WL_TEST(large_vec, design),                          \
        AT_WL_TEST(many_boxes, design), AT_WL_TEST(many_boxes_long_lived, design),                 \
        AT_WL_TEST(sweep_freed_forward_leaves_one_block, design),                                  \
        AT_WL_TEST(sweep_freed_backward_leaves_one_block, design),                                 \
        AT_WL_TEST(sweep_freed_evens_then_odds_leaves_one_block, design),                          \
        AT_WL_TEST(sweep_freed_outside_in_leaves_one_block, design),                               \
        AT_WL_TEST(walk_free_follows_the_live_blocks, design),                                     \
        AT_WL_TEST(random_run_matches_the_shadow_model, design),                                   \
        AT_WL_TEST(random_run_in_an_unaligned_region, design)
