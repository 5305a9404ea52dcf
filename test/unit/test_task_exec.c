// Tests for core/task's executor: spawning and polling, wakers (twice, finished task, stale after
// slot reuse, no-op, a task waking itself), and the idle hook (run only when nothing is ready, a
// wake between the check and the halt not lost).
#include "test/unit/task_test.h"

#include "core/hw.h"

// ---- spawning, polling and wakers ----------------------------------------------------------

static void spawned_task_runs_to_completion(void **state)
{
    struct counter c;
    counter_init(&c, 1);
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    assert_int_equal(exec_live(&ex), 1);
    exec_run(&ex);
    assert_int_equal(c.polls, 1);
    assert_int_equal(exec_live(&ex), 0);
    assert_false(exec_has_ready(&ex));
}

static void pending_task_is_not_polled_until_woken(void **state)
{
    struct counter c;
    counter_init(&c, 2);
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    assert_true(exec_run_ready(&ex));
    assert_false(exec_run_ready(&ex));
    assert_false(exec_has_ready(&ex));
    assert_int_equal(c.polls, 1);
    assert_int_equal(waker_wake(&c.waker), 0);
    assert_true(exec_run_ready(&ex));
    assert_int_equal(c.polls, 2);
    assert_int_equal(exec_live(&ex), 0);
}

static void waking_twice_queues_once(void **state)
{
    struct counter c;
    counter_init(&c, 3);
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    exec_run_ready(&ex);
    assert_int_equal(waker_wake(&c.waker), 0);
    assert_int_equal(waker_wake(&c.waker), 0);
    assert_int_equal(ring_count(&ex.ready), 1);
    exec_run_ready(&ex);
    assert_int_equal(c.polls, 2);
    assert_false(exec_has_ready(&ex));
}

static void waking_a_finished_task_does_nothing(void **state)
{
    struct counter c;
    counter_init(&c, 1);
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    exec_run(&ex);
    assert_int_equal(waker_wake(&c.waker), 0);
    assert_false(exec_has_ready(&ex));
    assert_false(exec_run_ready(&ex));
    assert_int_equal(c.polls, 1);
}

static void stale_waker_after_slot_reuse_does_nothing(void **state)
{
    struct exec_slot one[1];
    assert_int_equal(exec_init(&ex, one, 1, queue, EXEC_QUEUE_DEFAULT), 0);
    struct counter a, b;
    counter_init(&a, 1);
    counter_init(&b, 2);
    assert_int_equal(exec_spawn(&ex, &a.task), 0);
    exec_run(&ex);
    assert_int_equal(exec_spawn(&ex, &b.task), 0); // the same slot, a new id
    exec_run_ready(&ex);
    assert_int_not_equal(a.task.id, b.task.id);
    assert_int_equal(waker_wake(&a.waker), 0);
    assert_false(exec_has_ready(&ex));
    assert_int_equal(b.polls, 1);
}

static void task_waking_itself_is_polled_once_per_round(void **state)
{
    struct counter c;
    counter_init(&c, 5);
    c.wake_self = true;
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    assert_true(exec_run_ready(&ex));
    assert_int_equal(c.polls, 1);
    assert_true(exec_has_ready(&ex)); // queued again by its own wake
    exec_run(&ex);
    assert_int_equal(c.polls, 5);
}

static void noop_waker_does_nothing(void **state)
{
    struct waker noop = {NULL, 0};
    assert_int_equal(waker_wake(&noop), 0);
    struct waker unknown = {&ex, 7};
    assert_int_equal(waker_wake(&unknown), 0);
    assert_false(exec_has_ready(&ex));
}

// ---- the idle hook ------------------------------------------------------------------------

struct idle_log {
    struct counter *task;
    int calls;
    int halts;    // idle found nothing ready after its re-check: it would `sti; hlt`
    int rechecks; // idle found something ready after its re-check: returns at once
};

// The kernel's idle, modelled: "an interrupt" wakes the task first (between the executor's check
// and idle's own), then interrupts off, re-check, and halt only when still nothing is ready.
static void idle_wake_then_recheck(struct executor *e, void *ctx)
{
    struct idle_log *log = ctx;
    log->calls++;
    assert_false(exec_has_ready(e)); // the executor idles only when nothing is ready
    assert_true(mock_irq_enabled()); // and never leaves interrupts off behind it
    assert_int_equal(waker_wake(&log->task->waker), 0);
    unsigned long flags = hw_irq_save();
    if (exec_has_ready(e))
        log->rechecks++;
    else
        log->halts++;
    hw_irq_restore(flags);
}

static void idle_runs_only_when_nothing_is_ready(void **state)
{
    struct counter c;
    counter_init(&c, 4);
    struct idle_log log = {.task = &c};
    exec_set_idle(&ex, idle_wake_then_recheck, &log);
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    exec_run(&ex);
    assert_int_equal(c.polls, 4);
    assert_int_equal(log.calls, 3);
}

static void wake_between_check_and_halt_is_not_lost(void **state)
{
    struct counter c;
    counter_init(&c, 3);
    struct idle_log log = {.task = &c};
    exec_set_idle(&ex, idle_wake_then_recheck, &log);
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    exec_run(&ex);
    assert_int_equal(log.rechecks, 2);
    assert_int_equal(log.halts, 0); // never asleep with a task ready
    assert_int_equal(exec_live(&ex), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(spawned_task_runs_to_completion),
        T(pending_task_is_not_polled_until_woken),
        T(waking_twice_queues_once),
        T(waking_a_finished_task_does_nothing),
        T(stale_waker_after_slot_reuse_does_nothing),
        T(task_waking_itself_is_polled_once_per_round),
        T(noop_waker_does_nothing),
        T(idle_runs_only_when_nothing_is_ready),
        T(wake_between_check_and_halt_is_not_lost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
