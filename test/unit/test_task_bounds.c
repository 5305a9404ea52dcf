// Capacity boundaries of core/task's caller-supplied arrays: an executor's ready queue just above
// RING_MAX_CAPACITY, and a timer queue of exactly one entry (full after one sleeper, with room
// again once it fired or was cancelled).
#include "core/ring.h"
#include "core/task/task.h"
#include "core/task/timer.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void ready_queue_above_the_ring_maximum_is_invalid(void **state)
{
    static const uint32_t caps[] = {RING_MAX_CAPACITY + 1, UINT32_MAX};
    struct executor ex;
    struct exec_slot slots[2];
    uint32_t queue[1];
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        assert_int_equal(exec_init(&ex, slots, 2, queue, caps[i]), E_INVAL);
    assert_int_equal(exec_init(&ex, slots, 1, queue, 1), 0); // the smallest of both
}

static void timer_queue_of_one_entry_holds_exactly_one_sleeper(void **state)
{
    struct timer_queue q;
    struct timer_entry one[1];
    struct waker noop = {NULL, 0};
    struct timer_sleep a, b;
    mock_hw_reset();
    assert_int_equal(timer_queue_init(&q, one, 1), 0);
    timer_sleep_init(&a, &q, 0, 5);
    timer_sleep_init(&b, &q, 0, 3);
    assert_int_equal(timer_sleep_poll(&a, 0, &noop), POLL_PENDING);
    assert_int_equal(timer_sleep_poll(&b, 0, &noop), E_BUSY); // one over
    assert_int_equal(timer_count(&q), 1);
    timer_sleep_cancel(&a); // room again
    assert_int_equal(timer_count(&q), 0);
    assert_int_equal(timer_sleep_poll(&b, 1, &noop), POLL_PENDING);
    assert_int_equal(timer_sleep_poll(&a, 1, &noop), E_BUSY);
    assert_int_equal(timer_tick(&q, 3), 1); // b fires: room again
    assert_int_equal(timer_count(&q), 0);
    assert_int_equal(timer_sleep_poll(&a, 3, &noop), POLL_PENDING);
    assert_int_equal(timer_tick(&q, 5), 1);
    assert_int_equal(timer_sleep_poll(&a, 5, &noop), POLL_READY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ready_queue_above_the_ring_maximum_is_invalid),
        cmocka_unit_test(timer_queue_of_one_entry_holds_exactly_one_sleeper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
