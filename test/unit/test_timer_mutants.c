// Tests for core/task/timer.c that `make mutate` asked for, on the queue alone (no executor: every
// sleeper has the no-op waker, which timer_tick counts as woken): cancelling a sleep that never
// registered, that already fired, or that sits first or in the middle of the heap; the next
// deadline of a queue of one; and the panics on NULL, each naming its function.
#include "core/task/task.h"
#include "core/task/timer.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static struct timer_queue q;
static struct timer_entry entries[16];
static const struct waker noop = {NULL, 0};

static int setup(void **state)
{
    mock_hw_reset();
    assert_int_equal(timer_queue_init(&q, entries, 16), 0);
    return 0;
}

// Starts a sleep at tick 0 that ends at `deadline` and registers it.
static void sleep_until(struct timer_sleep *s, uint64_t deadline)
{
    timer_sleep_init(s, &q, 0, deadline);
    assert_int_equal(timer_sleep_poll(s, 0, &noop), POLL_PENDING);
}

static uint64_t next_deadline(void)
{
    uint64_t d = 0;
    assert_true(timer_next_deadline(&q, &d));
    return d;
}

static void cancel_of_a_sleep_that_never_registered_leaves_the_others(void **state)
{
    struct timer_sleep a, b;
    sleep_until(&a, 5); // the queue's first registration
    timer_sleep_init(&b, &q, 0, 9);
    timer_sleep_cancel(&b);
    assert_int_equal(timer_count(&q), 1);
    assert_int_equal(next_deadline(), 5);
}

static void cancel_after_the_sleep_fired_changes_nothing(void **state)
{
    struct timer_sleep a, c;
    sleep_until(&a, 5);
    assert_int_equal(timer_tick(&q, 5), 1);
    assert_int_equal(timer_count(&q), 0);
    timer_sleep_cancel(&a); // registered, fired since
    assert_int_equal(timer_count(&q), 0);
    sleep_until(&c, 8);
    assert_int_equal(timer_count(&q), 1);
    assert_int_equal(next_deadline(), 8);
}

static void cancel_takes_out_its_own_entry_only(void **state)
{
    struct timer_sleep early_reg, late_reg;
    sleep_until(&early_reg, 10);
    sleep_until(&late_reg, 5); // first in the heap, registered second
    timer_sleep_cancel(&early_reg);
    assert_int_equal(timer_count(&q), 1);
    assert_int_equal(next_deadline(), 5);
    assert_int_equal(timer_tick(&q, 7), 1);

    sleep_until(&early_reg, 5);
    sleep_until(&late_reg, 10);
    timer_sleep_cancel(&late_reg);
    assert_int_equal(timer_count(&q), 1);
    assert_int_equal(next_deadline(), 5);
}

// Deadlines registered in this order make the heap
//   [1, 10, 2, 11, 12, 3, 4, 20, 21, 22, 23, 30, 31, 32, 5]
// (each at least its parent): taking 11 out of slot 3 moves the last entry, 5, there, below 10,
// so it must rise above it or a tick at 6 would stop at 10 and never reach it.
static void cancel_from_the_middle_keeps_the_deadline_order(void **state)
{
    static const uint64_t deadlines[] = {1, 10, 2, 11, 12, 3, 4, 20, 21, 22, 23, 30, 31, 32, 5};
    struct timer_sleep s[15];
    for (size_t i = 0; i < 15; i++)
        sleep_until(&s[i], deadlines[i]);
    timer_sleep_cancel(&s[3]);
    assert_int_equal(timer_count(&q), 14);
    assert_int_equal(timer_tick(&q, 6), 5); // 1, 2, 3, 4 and 5
    assert_int_equal(next_deadline(), 10);
    assert_int_equal(timer_tick(&q, 40), 9);
    assert_int_equal(timer_count(&q), 0);
}

static void a_queue_of_one_has_a_next_deadline(void **state)
{
    struct timer_sleep a;
    sleep_until(&a, 42);
    assert_int_equal(next_deadline(), 42);
}

static void null_arguments_panic_in_the_function_called(void **state)
{
    struct timer_queue other;
    struct timer_sleep s;
    uint64_t d;
    expect_assert_failure(timer_queue_init(&other, NULL, 4));
    assert_non_null(strstr(mock_panic_message(), "timer_queue_init"));
    expect_assert_failure(timer_sleep_init(NULL, &q, 0, 1));
    assert_non_null(strstr(mock_panic_message(), "timer_sleep_init"));
    expect_assert_failure(timer_sleep_init(&s, NULL, 0, 1));
    assert_non_null(strstr(mock_panic_message(), "timer_sleep_init"));
    timer_sleep_init(&s, &q, 0, 1);
    expect_assert_failure(timer_sleep_poll(NULL, 5, &noop));
    assert_non_null(strstr(mock_panic_message(), "timer_sleep_poll"));
    expect_assert_failure(timer_sleep_poll(&s, 5, NULL)); // due: the waker would not be used
    assert_non_null(strstr(mock_panic_message(), "timer_sleep_poll"));
    expect_assert_failure(timer_sleep_cancel(NULL));
    assert_non_null(strstr(mock_panic_message(), "timer_sleep_cancel"));
    expect_assert_failure(timer_count(NULL));
    assert_non_null(strstr(mock_panic_message(), "timer_count"));
    expect_assert_failure(timer_next_deadline(NULL, &d));
    assert_non_null(strstr(mock_panic_message(), "timer_next_deadline"));
    expect_assert_failure(timer_next_deadline(&q, NULL)); // empty: nothing would be written
    assert_non_null(strstr(mock_panic_message(), "timer_next_deadline"));
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(cancel_of_a_sleep_that_never_registered_leaves_the_others),
        T(cancel_after_the_sleep_fired_changes_nothing),
        T(cancel_takes_out_its_own_entry_only),
        T(cancel_from_the_middle_keeps_the_deadline_order),
        T(a_queue_of_one_has_a_next_deadline),
        T(null_arguments_panic_in_the_function_called),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
