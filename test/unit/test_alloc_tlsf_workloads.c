// Tests for core/alloc/tlsf.c under whole workloads, each leaving the heap one free block again
// (test/unit/alloc_workloads.h), with check() after every operation and every alloc, free and
// grow within TLSF_MAX_STEPS (alloc_tlsf_test.h's make()); and a random run from a region too
// small for a block.
#include "test/unit/alloc_tlsf_test.h"
#include "test/unit/alloc_workloads.h"

static struct at_design design = {make, assert_whole, 20240615u};

// A heap starting out too small for a block, grown by the run.
static void random_run_from_an_empty_region(void **state)
{
    struct allocator *a = make(9, 0);
    at_random_run(at_shadow_init(a, true), design.seed + 2, 10000, 48 * 1024);
    assert_whole(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_WORKLOAD_TESTS(&design),
        AT_TEST(random_run_from_an_empty_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
