// TLSF's constant time, shown: the most steps (core/alloc/alloc.h's debug counter) one alloc, free
// or grow takes stays within TLSF_MAX_STEPS in a fresh heap, among thousands of holes of every
// size class, and in a heap grown a thousand times (test/unit/alloc_steps.h builds the states). The
// linked list, in the same holes state, takes steps in proportion to the holes: the state is
// adversarial, and the assertion on TLSF could fail.
#include "core/alloc/linked_list.h"
#include "core/alloc/tlsf.h"
#include "platform/host/mock_hw.h"
#include "test/unit/alloc_steps.h"
#include "test/unit/sweep.h"

#include <stdlib.h>

#define SEED 0x5eedull

static struct tlsf_heap tlsf;
static struct ll_heap ll;

static void *region(size_t size)
{
    void *r = aligned_alloc(4096, size);
    assert_non_null(r);
    return r;
}

static void assert_within_bound(const struct steps_max *m)
{
    printf("tlsf: most steps per alloc %lu, free %lu, grow %lu (bound %u), %zu holes\n", m->alloc,
           m->free, m->grow, TLSF_MAX_STEPS, m->holes);
    assert_in_range(m->alloc, 1, TLSF_MAX_STEPS);
    assert_in_range(m->free, 1, TLSF_MAX_STEPS);
    assert_in_range(m->grow, 0, TLSF_MAX_STEPS);
}

static void tlsf_fresh_heap_is_within_the_bound(void **state)
{
    mock_hw_reset();
    void *r = region(1 << 20);
    tlsf_init(&tlsf, r, 1 << 20);
    struct steps_max m = {0};
    if (!steps_probe(&tlsf.base, &m, SIZE_MAX))
        fail_msg("%s", steps_why);
    assert_within_bound(&m);
    free(r);
}

static void tlsf_among_thousands_of_holes_is_within_the_bound(void **state)
{
    mock_hw_reset();
    void *r = region(16 << 20);
    tlsf_init(&tlsf, r, 16 << 20);
    struct steps_max m = {0};
    if (!steps_holes(&tlsf.base, &m))
        fail_msg("%s", steps_why);
    assert_true(m.holes >= 2000);
    assert_within_bound(&m);
    char msg[160];
    assert_int_equal(alloc_check(&tlsf.base, msg, sizeof(msg)), 0);
    free(r);
}

static void tlsf_grown_a_thousand_times_is_within_the_bound(void **state)
{
    mock_hw_reset();
    void *r = region(80 << 20);
    tlsf_init(&tlsf, r, 4096);
    struct steps_max m = {0};
    if (!steps_grown(&tlsf.base, &m, sweep_seed("grown", SEED, UINT64_MAX)))
        fail_msg("%s", steps_why);
    assert_true(m.holes >= 5000);
    assert_within_bound(&m);
    char msg[160];
    assert_int_equal(alloc_check(&tlsf.base, msg, sizeof(msg)), 0);
    free(r);
}

static void linked_list_steps_grow_with_the_holes(void **state)
{
    mock_hw_reset();
    void *r = region((16 << 20) + 4096);
    ll_init(&ll, r, 16 << 20);
    struct steps_max m = {0};
    if (!steps_holes(&ll.base, &m))
        fail_msg("%s", steps_why);
    printf("linked_list: most steps per alloc %lu, free %lu among %zu holes\n", m.alloc, m.free,
           m.holes);
    assert_true(m.alloc > m.holes);
    assert_true(m.free >= m.holes / 2);
    // grow walks to the last free block.
    unsigned long before = ll.base.steps;
    assert_int_equal(alloc_grow(&ll.base, 4096), 0);
    assert_true(ll.base.steps - before >= m.holes / 2);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tlsf_fresh_heap_is_within_the_bound),
        cmocka_unit_test(tlsf_among_thousands_of_holes_is_within_the_bound),
        cmocka_unit_test(tlsf_grown_a_thousand_times_is_within_the_bound),
        cmocka_unit_test(linked_list_steps_grow_with_the_holes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
