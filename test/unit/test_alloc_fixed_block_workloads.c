// Tests for core/alloc/fixed_block.c under whole workloads, each losing nothing: the heap tests of
// the Rust series, the size x alignment sweep freed in four orders and served again from the
// classes, a sweep above the classes, and a random run against the shadow model (seed printed).
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_fixed_block_test.h"

#define SEED      20240614u
#define HEAP_SIZE (100 * 1024)

// ---- the heap tests of the series --------------------------------------------------------------

static void simple_allocation(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    at_simple_allocation(a);
    assert_nothing_lost(a);
}

static void large_vec(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_vec_sum(a, 1000), 499500);
    assert_nothing_lost(a);
}

static void many_boxes(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes(a, HEAP_SIZE, NULL), HEAP_SIZE);
    assert_int_equal(heap.refills, 1);
    assert_nothing_lost(a);
}

static void many_boxes_long_lived(void **state)
{
    struct allocator *a = make(0, HEAP_SIZE);
    assert_int_equal(at_boxes_long_lived(a, HEAP_SIZE, NULL), HEAP_SIZE);
    assert_nothing_lost(a);
}

// ---- the sweeps --------------------------------------------------------------------------------

// Every sweep request is a class request. After each batch nothing is lost, and the same batch
// again is served entirely from the class lists: no refill, the fallback untouched.
static void reused_from_the_classes(struct at_shadow *s, enum at_order order, unsigned shift)
{
    assert_nothing_lost(s->a);
    size_t refills = heap.refills;
    struct alloc_stats before = fallback_stats();
    at_sweep_batch(s, order, shift);
    assert_int_equal(heap.refills, refills);
    struct alloc_stats after = fallback_stats();
    assert_int_equal(after.free, before.free);
    assert_int_equal(after.allocations, before.allocations);
}

static void sweep_freed_forward_is_reused_from_the_classes(void **state)
{
    at_sweep(make(0, 512 * 1024), false, AT_FORWARD, reused_from_the_classes);
}

static void sweep_freed_backward_is_reused_from_the_classes(void **state)
{
    at_sweep(make(0, 512 * 1024), false, AT_BACKWARD, reused_from_the_classes);
}

static void sweep_freed_evens_then_odds_is_reused_from_the_classes(void **state)
{
    at_sweep(make(0, 512 * 1024), false, AT_EVENS_THEN_ODDS, reused_from_the_classes);
}

static void sweep_freed_outside_in_is_reused_from_the_classes(void **state)
{
    at_sweep(make(0, 512 * 1024), false, AT_OUTSIDE_IN, reused_from_the_classes);
}

// Sizes above the classes, freed in each order, merge back into one fallback block.
static void large_sweep_leaves_the_fallback_whole(void **state)
{
    struct allocator *a = make(0, 512 * 1024);
    struct at_shadow *s = at_shadow_init(a, false);
    for (enum at_order order = AT_FORWARD; order <= AT_OUTSIDE_IN; order++) {
        s->n = 0;
        for (size_t i = 0; i < 64; i++)
            at_shadow_alloc(s, FSB_MAX_BLOCK + 1 + i * 37, (size_t)1 << (i % 14));
        assert_int_equal(s->live, 64);
        for (size_t i = 0; i < s->n; i++)
            at_shadow_free(s, at_order_index(order, i, s->n));
        assert_whole(a);
    }
}

// ---- walk_free ---------------------------------------------------------------------------------

// What the refills keep once every class block is back on its list: the fallback's blocks that
// hold them beyond the blocks carved (its 8-byte headers, a rest it did not split off), and the
// header of every free block the refills' alignment gaps added to the fallback's one.
static size_t refill_overhead(void)
{
    size_t kept = heap.fallback.in_use - heap.refill_bytes + 8 * (heap.fallback.free_blocks - 1);
    assert_true(kept <= 48 * heap.refills);
    return kept;
}

static void walk_free_follows_the_live_blocks(void **state)
{
    struct allocator *a = make(0, 64 * 1024);
    at_walk_free_follows_the_live_blocks(a, false, refill_overhead);
    assert_nothing_lost(a);
}

// ---- randomized --------------------------------------------------------------------------------

static void random_run_matches_the_shadow_model(void **state)
{
    struct allocator *a = make(0, 128 * 1024);
    at_random_run(at_shadow_init(a, false), SEED, 20000, 64 * 1024);
    assert_nothing_lost(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(simple_allocation),
        AT_TEST(large_vec),
        AT_TEST(many_boxes),
        AT_TEST(many_boxes_long_lived),
        AT_TEST(sweep_freed_forward_is_reused_from_the_classes),
        AT_TEST(sweep_freed_backward_is_reused_from_the_classes),
        AT_TEST(sweep_freed_evens_then_odds_is_reused_from_the_classes),
        AT_TEST(sweep_freed_outside_in_is_reused_from_the_classes),
        AT_TEST(large_sweep_leaves_the_fallback_whole),
        AT_TEST(walk_free_follows_the_live_blocks),
        AT_TEST(random_run_matches_the_shadow_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
