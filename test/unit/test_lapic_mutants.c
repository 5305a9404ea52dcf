// Tests for core/lapic.c that kill mutants of the virtual-wire half the other tests let live: the
// NULL arguments its header calls caller bugs, and a task priority of 1 not taken for 0.
#include "core/lapic.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static uint32_t zero_read(void *ctx, uint32_t offset)
{
    (void)ctx, (void)offset;
    return 0;
}

static void read_state_refuses_null(void **state)
{
    (void)state;
    const struct lapic_io io = {zero_read, NULL, NULL, NULL};
    struct lapic_state s;
    expect_assert_failure(lapic_read_state(NULL, &s));
    expect_assert_failure(lapic_read_state(&io, NULL));
    expect_assert_failure(lapic_is_virtual_wire(NULL));
    expect_assert_failure(lapic_virtual_wire(NULL, 0xff));
}

static void task_priority_1_is_not_virtual_wire(void **state)
{
    (void)state;
    struct lapic_state s = {.svr = LAPIC_SVR_ENABLE | 0xff,
                            .tpr = 1,
                            .lvt_timer = LAPIC_LVT_MASKED,
                            .lvt_lint0 = LAPIC_MODE_EXTINT,
                            .lvt_lint1 = LAPIC_MODE_NMI,
                            .lvt_error = LAPIC_LVT_MASKED};
    assert_false(lapic_is_virtual_wire(&s));
    s.tpr = 0x100; // bits above the priority byte are reserved
    assert_true(lapic_is_virtual_wire(&s));
}

int main(void)
{
    mock_hw_reset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(read_state_refuses_null),
        cmocka_unit_test(task_priority_1_is_not_virtual_wire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
