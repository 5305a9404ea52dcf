// Tests for core/paging.c: pt_walk (every page in address order, the early stop, an unreachable
// table) and pt_destroy (every table freed, no mapped frame, a second call does nothing).
#include "test/unit/paging_test.h"

// ---- pt_walk and pt_destroy ---------------------------------------------------------------------

static void walk_visits_every_page_in_address_order(void **state)
{
    map_ok(KERNEL_BASE, 0x100000, K4, W);
    map_ok(DIRECT_BASE, 0, G1, W | PTE_NX);
    map_ok(0x400000, 0x200000, M2, U);
    map_ok(0x1000, 0x9000, K4, U | W);
    struct seen s = walk_all();
    assert_int_equal(s.n, 4);
    static const uint64_t virt[] = {0x1000, 0x400000, DIRECT_BASE, KERNEL_BASE};
    static const uint64_t phys[] = {0x9000, 0x200000, 0, 0x100000};
    static const uint64_t flags[] = {P | U | W, P | U | PTE_HUGE, P | W | PTE_NX | PTE_HUGE, P | W};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(s.virt[i], virt[i]);
        assert_int_equal(s.phys[i], phys[i]);
        assert_int_equal(s.flags[i], flags[i]);
    }
}

static int stop_at_second(void *ctx, uint64_t virt, const struct pt_translation *t)
{
    int *calls = ctx;
    return ++*calls == 2 ? 42 : 0;
}

static void walk_stops_at_the_first_non_zero_return(void **state)
{
    for (uint64_t v = 0; v < 5 * K4; v += K4)
        map_ok(v, v, K4, 0);
    int calls = 0;
    assert_int_equal(pt_walk(&pt, stop_at_second, &calls), 42);
    assert_int_equal(calls, 2);
}

static void walk_of_an_unreachable_table_gives_erange(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    pte_t *pdpte = entry(0x400000, 3);
    pte_t saved = *pdpte;
    *pdpte = OUTSIDE | P | W;
    struct seen s = {0};
    assert_int_equal(pt_walk(&pt, record, &s), E_RANGE);
    *pdpte = saved;
}

static void destroy_frees_every_table_but_no_mapped_frame(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x3fe000, 0x3fe000, G1, W, K4 | M2 | G1), 0);
    map_ok(KERNEL_BASE, 0x100000, K4, 0);
    map_ok(DIRECT_BASE, 0, G1, 0);
    size_t tables = src.live;
    size_t frees = src.frees;
    pt_destroy(&pt);
    assert_int_equal(pt.root, 0);
    assert_int_equal(src.live, 0);
    assert_int_equal(src.frees, frees + tables); // only tables came back
    pt_destroy(&pt);                             // a second time does nothing
    assert_int_equal(src.frees, frees + tables);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(walk_visits_every_page_in_address_order),
        T(walk_stops_at_the_first_non_zero_return),
        T(walk_of_an_unreachable_table_gives_erange),
        T(destroy_frees_every_table_but_no_mapped_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
