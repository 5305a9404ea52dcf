// Tests for core/alloc/bump.c under whole workloads: the heap tests of the Rust series (with
// many_boxes_long_lived exhausting the heap), the size x alignment sweep freed in four orders, each
// ending in a reset, and a random run against the shadow model (its seed printed).
#include "test/unit/alloc_bump_test.h"
#include "test/unit/alloc_cases.h"

#define SEED      20240613u
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

static void box_at_the_start(const size_t *box)
{
    assert_ptr_equal(box, (void *)at_base()); // each free is the last: a reset
}

static void many_boxes(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes(a, HEAP_SIZE, box_at_the_start), HEAP_SIZE);
    assert_whole(a);
}

static void nothing_fits(struct allocator *a)
{
    assert_null(alloc_alloc(a, 1, 1));
}

// The series' demonstration of the design's limit: with one block live the heap never resets,
// so HEAP_SIZE boxes do not fit; alloc returns NULL once next reaches the end.
static void many_boxes_long_lived_exhausts_the_heap(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes_long_lived(a, HEAP_SIZE, nothing_fits),
                     HEAP_SIZE / sizeof(size_t) - 1);
    assert_whole(a);
}

// ---- the sweep ---------------------------------------------------------------------------------

static void whole_again(struct at_shadow *s, enum at_order order, unsigned shift)
{
    assert_whole(s->a);
}

static void sweep_freed_forward_resets(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_FORWARD, whole_again);
}

static void sweep_freed_backward_resets(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_BACKWARD, whole_again);
}

static void sweep_freed_evens_then_odds_resets(void **state)
{
    at_sweep(make(0, 512 * 1024), true, AT_EVENS_THEN_ODDS, whole_again);
}

static void sweep_freed_outside_in_resets(void **state)
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(simple_allocation),
        AT_TEST(large_vec),
        AT_TEST(many_boxes),
        AT_TEST(many_boxes_long_lived_exhausts_the_heap),
        AT_TEST(sweep_freed_forward_resets),
        AT_TEST(sweep_freed_backward_resets),
        AT_TEST(sweep_freed_evens_then_odds_resets),
        AT_TEST(sweep_freed_outside_in_resets),
        AT_TEST(walk_free_follows_the_live_blocks),
        AT_TEST(random_run_matches_the_shadow_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
