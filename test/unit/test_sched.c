// Tests for core/sched's policies in exact orders: round robin, slice expiry on ticks, the sleep
// queue's wake order (ties first come, first woken), wait queues FIFO, exit and join before and
// after the exit, adopting the running code, and the idle CPU.
#include "test/unit/sched_test.h"

static void added_threads_run_round_robin_in_order(void **state)
{
    add_threads(3);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(pick(), 0);
        assert_int_equal(pick(), 1);
        assert_int_equal(pick(), 2);
    }
    assert_int_equal(th[2].state, SCHED_RUNNING);
    assert_int_equal(th[0].state, SCHED_READY);
    assert_int_equal(th[0].picks, 3);
}

static void a_thread_alone_keeps_the_cpu(void **state)
{
    add_threads(1);
    assert_int_equal(pick(), 0);
    assert_int_equal(pick(), 0);
    assert_int_equal(sched_ready_count(&s), 0);
    assert_ptr_equal(sched_current(&s, 0), &th[0]);
}

static void nothing_ready_is_idle(void **state)
{
    assert_int_equal(pick(), -1);
    assert_null(sched_current(&s, 0));
    assert_false(sched_tick(&s, 0, 1)); // idle and nothing ready: stay idle
    add_threads(1);
    assert_true(sched_tick(&s, 0, 2)); // idle with a ready thread: switch
    assert_int_equal(pick(), 0);
}

static void slice_expires_after_its_ticks_when_another_is_ready(void **state)
{
    add_threads(2);
    assert_int_equal(pick(), 0);
    assert_int_equal(th[0].slice_left, 3);
    assert_false(sched_tick(&s, 0, 1));
    assert_false(sched_tick(&s, 0, 2));
    assert_true(sched_tick(&s, 0, 3));
    assert_int_equal(th[0].ticks_run, 3);
    assert_int_equal(th[0].slice_left, 0);
    assert_int_equal(pick(), 1);
    assert_int_equal(th[1].slice_left, 3);
    assert_false(sched_tick(&s, 0, 4));
    assert_int_equal(th[1].ticks_run, 1);
    assert_int_equal(th[0].ticks_run, 3);
}

static void spent_slice_alone_runs_on_until_another_is_ready(void **state)
{
    add_threads(1);
    assert_int_equal(pick(), 0);
    for (uint64_t now = 1; now <= 5; now++)
        assert_false(sched_tick(&s, 0, now));
    assert_int_equal(th[0].slice_left, 0);
    assert_int_equal(th[0].ticks_run, 5);
    assert_int_equal(sched_add(&s, &th[1], "late"), 0);
    assert_true(sched_tick(&s, 0, 6));
    assert_int_equal(th[0].slice_left, 0);
}

static void ticks_at_the_same_time_charge_but_wake_nobody_twice(void **state)
{
    add_threads(2);
    assert_int_equal(pick(), 0);
    assert_int_equal(sched_sleep(&s, 0, 2), SCHED_SWITCH);
    assert_int_equal(pick(), 1);
    assert_false(sched_tick(&s, 0, 0));
    assert_false(sched_tick(&s, 0, 0)); // a second CPU's tick of the same time
    assert_int_equal(th[1].ticks_run, 2);
    assert_int_equal(sched_now(&s), 0);
    assert_true(sched_tick(&s, 0, 2)); // slice spent and th[0] woke
    assert_int_equal(th[0].state, SCHED_READY);
    assert_int_equal(sched_now(&s), 2);
}

static void sleepers_wake_by_deadline_ties_in_sleep_order(void **state)
{
    add_threads(5);
    static const uint64_t ticks[] = {5, 3, 5, 1, 3};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(pick(), i);
        assert_int_equal(sched_sleep(&s, 0, ticks[i]), SCHED_SWITCH);
        assert_int_equal(th[i].state, SCHED_SLEEPING);
        assert_int_equal(th[i].deadline, ticks[i]);
    }
    assert_int_equal(pick(), -1);
    sched_tick(&s, 0, 1);
    int order[5];
    assert_int_equal(ready_order(order, 5), 1);
    assert_int_equal(order[0], 3);
    sched_tick(&s, 0, 2);
    assert_int_equal(sched_ready_count(&s), 1);
    sched_tick(&s, 0, 5); // a jump over 3 and 5: both wake, in order
    assert_int_equal(ready_order(order, 5), 5);
    static const int want[] = {3, 1, 4, 0, 2};
    for (int i = 0; i < 5; i++)
        assert_int_equal(order[i], want[i]);
    assert_null(s.sleepers);
}

static void sleep_of_zero_ticks_changes_nothing(void **state)
{
    add_threads(2);
    assert_int_equal(pick(), 0);
    assert_int_equal(sched_sleep(&s, 0, 0), 0);
    assert_int_equal(th[0].state, SCHED_RUNNING);
    assert_null(s.sleepers);
}

static void sleep_deadline_saturates(void **state)
{
    add_threads(2);
    sched_tick(&s, 0, 10);
    assert_int_equal(pick(), 0);
    assert_int_equal(sched_sleep(&s, 0, UINT64_MAX - 10), SCHED_SWITCH);
    assert_int_equal(th[0].deadline, UINT64_MAX);
    assert_int_equal(pick(), 1);
    assert_int_equal(sched_sleep(&s, 0, UINT64_MAX - 9), SCHED_SWITCH);
    assert_int_equal(th[1].deadline, UINT64_MAX);
    assert_int_equal(sched_sleep(&s, 0, 0), 0); // idle cpu? no: th[1] is still current
    sched_tick(&s, 0, UINT64_MAX - 1);
    assert_int_equal(sched_ready_count(&s), 0);
    sched_tick(&s, 0, UINT64_MAX);
    int order[2];
    assert_int_equal(ready_order(order, 2), 2);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 1);
}

static void sleep_deadline_just_below_overflow_is_exact(void **state)
{
    add_threads(1);
    sched_tick(&s, 0, 10);
    assert_int_equal(pick(), 0);
    assert_int_equal(sched_sleep(&s, 0, UINT64_MAX - 11), SCHED_SWITCH);
    assert_int_equal(th[0].deadline, UINT64_MAX - 1);
}

static void wait_queue_wakes_first_come_first_woken(void **state)
{
    struct sched_waitq wq = {0};
    add_threads(4);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pick(), i);
        assert_int_equal(sched_wait(&s, 0, &wq), SCHED_SWITCH);
        assert_int_equal(th[i].state, SCHED_BLOCKED);
    }
    assert_int_equal(pick(), 3);
    assert_ptr_equal(sched_wake_one(&s, &wq), &th[0]);
    assert_int_equal(th[0].state, SCHED_READY);
    assert_int_equal(sched_wake_all(&s, &wq), 2);
    assert_null(sched_wake_one(&s, &wq));
    assert_int_equal(sched_wake_all(&s, &wq), 0);
    assert_null(wq.head);
    assert_null(wq.tail);
    int order[3];
    assert_int_equal(ready_order(order, 3), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(order[i], i);
    assert_int_equal(pick(), 0); // th[3] goes behind the woken ones
    int rest[3];
    assert_int_equal(ready_order(rest, 3), 3);
    assert_int_equal(rest[2], 3);
}

static void a_wait_queue_refills_after_emptying(void **state)
{
    struct sched_waitq wq = {0};
    add_threads(2);
    assert_int_equal(pick(), 0);
    sched_wait(&s, 0, &wq);
    assert_int_equal(pick(), 1);
    assert_ptr_equal(sched_wake_one(&s, &wq), &th[0]);
    sched_wait(&s, 0, &wq);
    assert_ptr_equal(wq.head, &th[1]);
    assert_ptr_equal(wq.tail, &th[1]);
    assert_int_equal(pick(), 0);
    sched_wait(&s, 0, &wq);
    assert_ptr_equal(wq.head, &th[1]);
    assert_ptr_equal(wq.tail, &th[0]);
}

static void join_after_exit_returns_the_code_at_once(void **state)
{
    add_threads(2);
    assert_int_equal(pick(), 0);
    sched_exit(&s, 0, -42);
    assert_int_equal(th[0].state, SCHED_EXITED);
    assert_int_equal(pick(), 1);
    assert_int_equal(th[0].state, SCHED_EXITED); // a zombie stays out of the run queue
    assert_int_equal(s.live, 2);
    int code = 0;
    assert_int_equal(sched_join(&s, 0, &th[0], &code), 0);
    assert_int_equal(code, -42);
    assert_int_equal(th[0].state, SCHED_DEAD);
    assert_int_equal(s.live, 1);
    assert_int_equal(sched_join(&s, 0, &th[0], &code), E_NOENT); // joined twice
}

static void join_before_exit_blocks_until_it(void **state)
{
    add_threads(3);
    assert_int_equal(pick(), 0);
    int code = 0;
    assert_int_equal(sched_join(&s, 0, &th[1], &code), SCHED_SWITCH);
    assert_int_equal(th[0].state, SCHED_BLOCKED);
    assert_int_equal(pick(), 1);
    assert_int_equal(pick(), 2); // th[0] is not in the run queue
    assert_int_equal(pick(), 1);
    sched_exit(&s, 0, 7);
    assert_int_equal(th[0].state, SCHED_READY);
    assert_int_equal(pick(), 2);
    assert_int_equal(pick(), 0);
    assert_int_equal(sched_join(&s, 0, &th[1], &code), 0);
    assert_int_equal(code, 7);
    assert_int_equal(th[1].state, SCHED_DEAD);
}

static void join_refuses_self_new_and_a_second_joiner(void **state)
{
    add_threads(3);
    int code = 99;
    assert_int_equal(pick(), 0);
    assert_int_equal(sched_join(&s, 0, &th[0], &code), E_INVAL);
    assert_int_equal(sched_join(&s, 0, &th[5], &code), E_INVAL); // never added
    assert_int_equal(th[0].state, SCHED_RUNNING);
    assert_int_equal(sched_join(&s, 0, &th[2], &code), SCHED_SWITCH);
    assert_int_equal(pick(), 1);
    assert_int_equal(sched_join(&s, 0, &th[2], &code), E_BUSY);
    assert_int_equal(th[1].state, SCHED_RUNNING);
    assert_ptr_equal(th[2].joiners.head, &th[0]);
    assert_ptr_equal(th[2].joiners.tail, &th[0]);
    assert_int_equal(code, 99);
}

static void exit_wakes_only_its_joiner(void **state)
{
    add_threads(4);
    int code;
    assert_int_equal(pick(), 0);
    assert_int_equal(sched_join(&s, 0, &th[3], &code), SCHED_SWITCH);
    assert_int_equal(pick(), 1);
    assert_int_equal(sched_join(&s, 0, &th[2], &code), SCHED_SWITCH);
    assert_int_equal(pick(), 2);
    assert_int_equal(pick(), 3);
    sched_exit(&s, 0, 1);
    assert_int_equal(th[0].state, SCHED_READY);
    assert_int_equal(th[1].state, SCHED_BLOCKED);
}

static void a_dead_thread_can_be_added_again(void **state)
{
    add_threads(2);
    int code;
    assert_int_equal(pick(), 0);
    sched_exit(&s, 0, 3);
    assert_int_equal(pick(), 1);
    assert_int_equal(sched_add(&s, &th[0], "again"), E_INVAL); // a zombie is still in use
    assert_int_equal(sched_join(&s, 0, &th[0], &code), 0);
    assert_int_equal(sched_add(&s, &th[0], "again"), 0);
    assert_int_equal(th[0].id, 3);
    assert_int_equal(th[0].state, SCHED_READY);
    assert_int_equal(th[0].exit_code, 0);
    assert_string_equal(th[0].name, "again");
    assert_int_equal(sched_add(&s, &th[0], "twice"), E_INVAL);
    assert_int_equal(sched_add(&s, &th[1], "running"), E_INVAL);
    assert_int_equal(s.live, 2);
}

static void adopt_makes_the_caller_the_running_thread(void **state)
{
    add_threads(1);
    assert_int_equal(sched_adopt(&s, 0, &th[5], "boot"), 0);
    assert_int_equal(th[5].id, 2);
    assert_int_equal(th[5].state, SCHED_RUNNING);
    assert_int_equal(th[5].slice_left, 3);
    assert_int_equal(th[5].picks, 1);
    assert_ptr_equal(sched_current(&s, 0), &th[5]);
    assert_int_equal(sched_adopt(&s, 0, &th[6], "second"), E_BUSY);
    assert_int_equal(th[6].state, SCHED_NEW);
    assert_int_equal(pick(), 0);
    assert_int_equal(pick(), 5);
    assert_int_equal(s.live, 2);
}

static void adopt_refuses_a_thread_in_use(void **state)
{
    assert_int_equal(sched_init(&s, 2, 3), 0);
    add_threads(1);
    assert_int_equal(sched_adopt(&s, 1, &th[0], "ready"), E_INVAL);
    assert_null(sched_current(&s, 1));
    assert_int_equal(s.next_id, 2);
    assert_int_equal(sched_adopt(&s, 1, &th[1], "cpu1"), 0);
    assert_ptr_equal(sched_current(&s, 1), &th[1]);
    assert_null(sched_current(&s, 0));
}

static void two_cpus_share_one_run_queue(void **state)
{
    assert_int_equal(sched_init(&s, 2, 1), 0);
    add_threads(3);
    assert_ptr_equal(sched_pick_next(&s, 0), &th[0]);
    assert_ptr_equal(sched_pick_next(&s, 1), &th[1]);
    assert_true(sched_tick(&s, 0, 1));
    assert_true(sched_tick(&s, 1, 1)); // same time on the other CPU
    assert_int_equal(th[1].ticks_run, 1);
    assert_ptr_equal(sched_pick_next(&s, 1), &th[2]);
    assert_ptr_equal(sched_pick_next(&s, 0), &th[1]);
    assert_int_equal(th[0].state, SCHED_READY);
}

static void state_names(void **state)
{
    static const char *const want[] = {"new",     "ready",  "running", "sleeping",
                                       "blocked", "exited", "dead"};
    for (int i = 0; i <= SCHED_DEAD; i++)
        assert_string_equal(sched_state_name((enum sched_state)i), want[i]);
    assert_string_equal(sched_state_name((enum sched_state)7), "?");
    assert_string_equal(sched_state_name((enum sched_state) - 1), "?");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup(name, sched_setup)
    const struct CMUnitTest tests[] = {
        T(added_threads_run_round_robin_in_order),
        T(a_thread_alone_keeps_the_cpu),
        T(nothing_ready_is_idle),
        T(slice_expires_after_its_ticks_when_another_is_ready),
        T(spent_slice_alone_runs_on_until_another_is_ready),
        T(ticks_at_the_same_time_charge_but_wake_nobody_twice),
        T(sleepers_wake_by_deadline_ties_in_sleep_order),
        T(sleep_of_zero_ticks_changes_nothing),
        T(sleep_deadline_saturates),
        T(sleep_deadline_just_below_overflow_is_exact),
        T(wait_queue_wakes_first_come_first_woken),
        T(a_wait_queue_refills_after_emptying),
        T(join_after_exit_returns_the_code_at_once),
        T(join_before_exit_blocks_until_it),
        T(join_refuses_self_new_and_a_second_joiner),
        T(exit_wakes_only_its_joiner),
        T(a_dead_thread_can_be_added_again),
        T(adopt_makes_the_caller_the_running_thread),
        T(adopt_refuses_a_thread_in_use),
        T(two_cpus_share_one_run_queue),
        T(state_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
