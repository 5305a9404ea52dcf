// The task cases both machines run (kernel/tasks.h on each): the example task, sleepers waking in
// deadline order, halting when idle while the heartbeat beats, the heartbeat outliving a full
// timer queue; and the self-waking task whose poll round trip each scenario times with its own
// cycle counter (rounds_left, self_waking, rounds_done). Included by tasks.c (x86_64) and
// cm_tasks.c (Cortex-M), the tests running where the #include stands.
#pragma once

#include "kernel/tasks.h"
#include "test/qemu/ktest/ktest.h"

static bool example_done(void *ctx)
{
    (void)ctx;
    return tasks_example_done();
}

KTEST(example_task_prints_42)
{
    KT_ASSERT(tasks_run_until(example_done, NULL, 100));
}

// ---- timers ------------------------------------------------------------------------------------

#define SLEEPERS 12
static const uint64_t sleep_ticks[SLEEPERS] = {9, 3, 3, 12, 1, 7, 3, 0, 12, 5, 1, 9};

struct sleeper {
    struct task task;
    struct timer_sleep sleep;
    bool started;
    int index;
};
static struct sleeper sleepers[SLEEPERS];
static int woke[SLEEPERS], woken;

static enum poll_result sleeper_poll(struct task *t, const struct waker *w)
{
    struct sleeper *s = t->state;
    if (!s->started) {
        timer_sleep_init(&s->sleep, tasks_timers(), tasks_ticks(), sleep_ticks[s->index]);
        s->started = true;
    }
    if (timer_sleep_poll(&s->sleep, tasks_ticks(), w) != POLL_READY)
        return POLL_PENDING;
    woke[woken++] = s->index;
    return POLL_READY;
}

static bool all_woke(void *ctx)
{
    (void)ctx;
    return woken == SLEEPERS;
}

KTEST(sleepers_wake_in_deadline_order)
{
    for (int i = 0; i < SLEEPERS; i++) {
        sleepers[i] =
            (struct sleeper){.task = {.poll = sleeper_poll, .state = &sleepers[i]}, .index = i};
        KT_ASSERT_EQ(tasks_spawn(&sleepers[i].task), 0);
    }
    KT_ASSERT(tasks_run_until(all_woke, NULL, 100));
    // All registered within one tick: deadlines in order, equal deadlines in spawn order.
    for (int i = 1; i < SLEEPERS; i++) {
        uint64_t a = sleep_ticks[woke[i - 1]], b = sleep_ticks[woke[i]];
        KT_ASSERT(a < b || (a == b && woke[i - 1] < woke[i]));
    }
}

// ---- idle, heartbeat ---------------------------------------------------------------------------

KTEST(idle_halts_and_the_heartbeat_beats)
{
    uint64_t ticks = tasks_ticks(), halts = tasks_idle_halts(), beats = tasks_heartbeats();
    tasks_run_until(NULL, NULL, 2 * tasks_heartbeat_period + 5);
    uint64_t t = tasks_ticks() - ticks, h = tasks_idle_halts() - halts;
    KT_ASSERT(tasks_heartbeats() - beats >= 2);
    // Only the timer's interrupts wake the CPU: about one halt per tick. Spinning would be thousands.
    KT_ASSERT(h >= t / 2);
    KT_ASSERT(h <= 2 * t + 4);
}

// ---- a full timer queue ------------------------------------------------------------------------

// The filler takes every slot of the timer queue with sleeps far in the future. It wakes itself
// before each try, so when the heartbeat's sleep fires and frees a slot, the filler is already in
// the ready queue ahead of the heartbeat and takes that slot too.
static struct timer_sleep filler_sleeps[TIMERS_MAX];
static unsigned filler_held;
static bool filler_started, filler_released;

static enum poll_result filler_poll(struct task *t, const struct waker *w)
{
    (void)t;
    if (filler_released)
        return POLL_READY;
    if (!filler_started) {
        for (unsigned i = 0; i < TIMERS_MAX; i++)
            timer_sleep_init(&filler_sleeps[i], tasks_timers(), tasks_ticks(), 1000000);
        filler_started = true;
    }
    (void)waker_wake(w);
    while (filler_held < TIMERS_MAX &&
           timer_sleep_poll(&filler_sleeps[filler_held], tasks_ticks(), w) == POLL_PENDING)
        filler_held++;
    return POLL_PENDING;
}

static bool queue_full(void *ctx)
{
    (void)ctx;
    return filler_held == TIMERS_MAX;
}

static bool beat_since(void *ctx)
{
    return tasks_heartbeats() != *(uint64_t *)ctx;
}

static bool heartbeat_registered(void *ctx)
{
    (void)ctx;
    return timer_count(tasks_timers()) == 1;
}

// While the queue is full the heartbeat cannot register its next sleep: it keeps polling (waking
// itself) and still beats when its deadline passes, instead of stopping for good; once there is
// room it sleeps in the queue again.
KTEST(heartbeat_outlives_a_full_timer_queue)
{
    static struct task filler = {.poll = filler_poll};
    KT_ASSERT_EQ(tasks_spawn(&filler), 0);
    KT_ASSERT(tasks_run_until(queue_full, NULL, 4 * tasks_heartbeat_period));
    uint64_t beats = tasks_heartbeats();
    KT_ASSERT(tasks_run_until(beat_since, &beats, tasks_heartbeat_period + 10));
    KT_ASSERT_EQ(timer_count(tasks_timers()), TIMERS_MAX); // all the filler's: no room for it
    for (unsigned i = 0; i < TIMERS_MAX; i++)
        timer_sleep_cancel(&filler_sleeps[i]);
    filler_released = true; // the filler, still waking itself, ends at its next poll
    KT_ASSERT(tasks_run_until(heartbeat_registered, NULL, 10));
}

// ---- the poll round trip -----------------------------------------------------------------------

// A task that wakes itself until rounds_left runs out: each round is wake, dequeue, poll (the
// executor's whole round trip). A scenario sets rounds_left, spawns self_waking and times
// tasks_run_until(rounds_done, ...).
static uint32_t rounds_left;

static enum poll_result self_waking_poll(struct task *t, const struct waker *w)
{
    (void)t;
    if (--rounds_left == 0)
        return POLL_READY;
    waker_wake(w);
    return POLL_PENDING;
}

static struct task self_waking = {.poll = self_waking_poll};

static bool rounds_done(void *ctx)
{
    (void)ctx;
    return rounds_left == 0;
}
