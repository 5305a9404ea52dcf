// Shared by the executor tests (test_task_*.c): the executor under test with its task table and
// ready queue, the setup that gives it an idle hook failing on a lost wake-up, and the counter task
// that finishes on its n-th poll and remembers its waker. Header-only; every function is static
// (and may be unused in one program).
#pragma once

#include "core/task/task.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define TT static __attribute__((unused))

static struct executor ex;
static struct exec_slot slots[16];
static uint32_t queue[EXEC_QUEUE_DEFAULT];

// The default idle hook: in these tests nothing outside the executor wakes a task unless the
// test installs its own hook, so idling means a wake-up was lost (and exec_run would spin).
TT void idle_means_lost_wake_up(struct executor *e, void *ctx)
{
    fail_msg("idle with %u live tasks and none ready: a wake-up was lost", exec_live(e));
}

TT int setup(void **state)
{
    mock_hw_reset();
    assert_int_equal(exec_init(&ex, slots, 16, queue, EXEC_QUEUE_DEFAULT), 0);
    exec_set_idle(&ex, idle_means_lost_wake_up, NULL);
    return 0;
}

#define T(name) cmocka_unit_test_setup(name, setup)

// A task that finishes on its ready_after-th poll and remembers its waker.
struct counter {
    struct task task;
    int polls;
    int ready_after;
    bool wake_self; // wakes itself during every pending poll
    struct waker waker;
};

TT enum poll_result counter_poll(struct task *t, const struct waker *w)
{
    struct counter *c = t->state;
    c->polls++;
    c->waker = *w;
    if (c->polls >= c->ready_after)
        return POLL_READY;
    if (c->wake_self)
        assert_int_equal(waker_wake(w), 0);
    return POLL_PENDING;
}

TT void counter_init(struct counter *c, int ready_after)
{
    *c = (struct counter){.task = {.poll = counter_poll, .state = c}, .ready_after = ready_after};
}
