// Tests for core/alloc/linked_list.c under whole workloads, each leaving the heap one free block
// again (test/unit/alloc_workloads.h).
#include "test/unit/alloc_linked_list_test.h"
#include "test/unit/alloc_workloads.h"

static struct at_design design = {make, assert_whole, 20240612u};

int main(void)
{
    const struct CMUnitTest tests[] = {AT_WORKLOAD_TESTS(&design)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
