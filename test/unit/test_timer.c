// Tests for core/task/timer: sleep(ticks) as a future, the timer queue waking sleepers in
// deadline order (ties in registration order) through an executor, tick jumps, and the limits
// (full timer queue, full ready queue, overflowing deadline).
#include "core/task/task.h"
#include "core/task/timer.h"
#include "platform/host/mock_hw.h"
#include "test/unit/sweep.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#define SEED     20240611u
#define SLEEPERS 200

static struct executor ex;
static struct exec_slot slots[256];
static uint32_t queue[256];
static struct timer_queue tq;
static struct timer_entry entries[256];
static uint64_t now; // the fake tick counter

static void idle_means_lost_wake_up(struct executor *e, void *ctx)
{
    fail_msg("idle at tick %lu with %u live tasks: a wake-up was lost", (unsigned long)now,
             exec_live(e));
}

static int setup(void **state)
{
    mock_hw_reset();
    now = 0;
    assert_int_equal(exec_init(&ex, slots, 256, queue, 256), 0);
    exec_set_idle(&ex, idle_means_lost_wake_up, NULL);
    assert_int_equal(timer_queue_init(&tq, entries, 256), 0);
    return 0;
}

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

// A task that sleeps `ticks` from its first poll, then logs its index and the tick it woke at.
struct sleeper {
    struct task task;
    struct timer_sleep sleep;
    uint64_t ticks;
    bool started;
    uint32_t index;
};

static uint32_t woke[SLEEPERS];
static uint64_t woke_at[SLEEPERS];
static uint32_t nwoke;

static enum poll_result sleeper_poll(struct task *t, const struct waker *w)
{
    struct sleeper *s = t->state;
    if (!s->started) {
        timer_sleep_init(&s->sleep, &tq, now, s->ticks);
        s->started = true;
    }
    int rc = timer_sleep_poll(&s->sleep, now, w);
    assert_true(rc == POLL_READY || rc == POLL_PENDING);
    if (rc == POLL_PENDING)
        return POLL_PENDING;
    woke_at[nwoke] = now;
    woke[nwoke++] = s->index;
    return POLL_READY;
}

static struct sleeper sleepers[SLEEPERS];

static void spawn_sleepers(uint32_t n, uint32_t seed, uint64_t max_ticks)
{
    nwoke = 0;
    for (uint32_t i = 0; i < n; i++) {
        sleepers[i] = (struct sleeper){.task = {.poll = sleeper_poll, .state = &sleepers[i]},
                                       .ticks = xorshift(&seed) % (max_ticks + 1),
                                       .index = i};
        assert_int_equal(exec_spawn(&ex, &sleepers[i].task), 0);
    }
}

// Advances the clock by `step` a tick at a time through the executor until every task is done.
static void run_clock(uint64_t step)
{
    while (exec_run_ready(&ex))
        ;
    while (exec_live(&ex) > 0) {
        now += step;
        assert_true(timer_tick(&tq, now) >= 0);
        while (exec_run_ready(&ex))
            ;
    }
}

// By ticks, then index (all start at tick 0 and register in index order).
static int by_deadline(const void *a, const void *b)
{
    const struct sleeper *x = &sleepers[*(const uint32_t *)a];
    const struct sleeper *y = &sleepers[*(const uint32_t *)b];
    if (x->ticks != y->ticks)
        return x->ticks < y->ticks ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void assert_deadline_order(uint32_t n, uint64_t step, uint32_t seed)
{
    uint32_t expect[SLEEPERS];
    for (uint32_t i = 0; i < n; i++)
        expect[i] = i;
    qsort(expect, n, sizeof(expect[0]), by_deadline);
    assert_int_equal(nwoke, n);
    for (uint32_t i = 0; i < n; i++) {
        const struct sleeper *s = &sleepers[woke[i]];
        if (woke[i] != expect[i])
            fail_msg("seed %u: wake %u was sleeper %u (ticks %lu), expected %u (ticks %lu)", seed,
                     i, woke[i], (unsigned long)s->ticks, expect[i],
                     (unsigned long)sleepers[expect[i]].ticks);
        if (woke_at[i] < s->ticks || woke_at[i] >= s->ticks + step)
            fail_msg("seed %u: sleeper %u of %lu ticks woke at tick %lu", seed, woke[i],
                     (unsigned long)s->ticks, (unsigned long)woke_at[i]);
    }
}

static void zero_tick_sleep_is_ready_at_once(void **state)
{
    struct timer_sleep s;
    struct waker noop = {NULL, 0};
    timer_sleep_init(&s, &tq, 5, 0);
    assert_int_equal(timer_sleep_poll(&s, 5, &noop), POLL_READY);
    assert_int_equal(timer_count(&tq), 0);
}

static void sleep_is_pending_until_its_deadline(void **state)
{
    struct sleeper s = {.task = {.poll = sleeper_poll, .state = &s}, .ticks = 5};
    now = 10;
    nwoke = 0;
    assert_int_equal(exec_spawn(&ex, &s.task), 0);
    exec_run_ready(&ex);
    assert_int_equal(timer_count(&tq), 1);
    now = 14;
    assert_int_equal(timer_tick(&tq, now), 0);
    assert_false(exec_has_ready(&ex));
    now = 15;
    assert_int_equal(timer_tick(&tq, now), 1);
    assert_int_equal(timer_count(&tq), 0);
    exec_run_ready(&ex);
    assert_int_equal(nwoke, 1);
    assert_int_equal(woke_at[0], 15);
}

static void repeated_poll_registers_once(void **state)
{
    struct timer_sleep s;
    struct waker noop = {NULL, 0};
    timer_sleep_init(&s, &tq, 0, 10);
    assert_int_equal(timer_sleep_poll(&s, 0, &noop), POLL_PENDING);
    assert_int_equal(timer_sleep_poll(&s, 3, &noop), POLL_PENDING);
    assert_int_equal(timer_count(&tq), 1);
    assert_int_equal(timer_sleep_poll(&s, 10, &noop), POLL_READY);
}

static void many_sleepers_wake_in_deadline_order(void **state)
{
    uint32_t seed = (uint32_t)sweep_seed("many sleepers", SEED, UINT32_MAX);
    spawn_sleepers(SLEEPERS, seed, 63); // 200 deadlines in 0..63: many ties
    run_clock(1);
    assert_deadline_order(SLEEPERS, 1, seed);
}

static void tick_jumps_still_wake_in_order(void **state)
{
    uint32_t seed = (uint32_t)sweep_seed("tick jumps", SEED + 1, UINT32_MAX);
    spawn_sleepers(SLEEPERS, seed, 1000);
    run_clock(37); // several deadlines pass in one tick
    assert_deadline_order(SLEEPERS, 37, seed);
}

static void tick_before_any_deadline_wakes_nothing(void **state)
{
    struct timer_sleep s[3];
    struct waker noop = {NULL, 0};
    for (int i = 0; i < 3; i++) {
        timer_sleep_init(&s[i], &tq, 0, 10 + (uint64_t)i);
        assert_int_equal(timer_sleep_poll(&s[i], 0, &noop), POLL_PENDING);
    }
    assert_int_equal(timer_tick(&tq, 9), 0);
    assert_int_equal(timer_count(&tq), 3);
    uint64_t next = 0;
    assert_true(timer_next_deadline(&tq, &next));
    assert_int_equal(next, 10);
}

static void full_timer_queue_gives_ebusy_until_room(void **state)
{
    struct timer_entry two[2];
    assert_int_equal(timer_queue_init(&tq, two, 2), 0);
    struct timer_sleep s[3];
    struct waker noop = {NULL, 0};
    for (int i = 0; i < 3; i++)
        timer_sleep_init(&s[i], &tq, 0, 5 + (uint64_t)i);
    assert_int_equal(timer_sleep_poll(&s[0], 0, &noop), POLL_PENDING);
    assert_int_equal(timer_sleep_poll(&s[1], 0, &noop), POLL_PENDING);
    assert_int_equal(timer_sleep_poll(&s[2], 0, &noop), E_BUSY);
    assert_int_equal(timer_count(&tq), 2);
    assert_int_equal(timer_tick(&tq, 5), 1);
    assert_int_equal(timer_sleep_poll(&s[2], 5, &noop), POLL_PENDING); // retried, now registered
    assert_int_equal(timer_count(&tq), 2);
}

static void full_ready_queue_keeps_due_sleepers_for_next_tick(void **state)
{
    uint32_t one[1];
    assert_int_equal(exec_init(&ex, slots, 256, one, 1), 0);
    exec_set_idle(&ex, idle_means_lost_wake_up, NULL);
    struct sleeper s[3];
    nwoke = 0;
    for (uint32_t i = 0; i < 3; i++) {
        s[i] = (struct sleeper){.task = {.poll = sleeper_poll, .state = &s[i]},
                                .ticks = 3 - i, // registered in reverse deadline order
                                .index = i};
        assert_int_equal(exec_spawn(&ex, &s[i].task), 0);
        exec_run_ready(&ex);
    }
    now = 10;
    assert_int_equal(timer_tick(&tq, now), E_BUSY); // one woken, the ready queue is then full
    assert_int_equal(timer_count(&tq), 2);
    for (int round = 0; round < 3; round++) {
        exec_run_ready(&ex);
        timer_tick(&tq, now);
    }
    assert_int_equal(nwoke, 3);
    assert_int_equal(woke[0], 2);
    assert_int_equal(woke[1], 1);
    assert_int_equal(woke[2], 0);
}

static void cancelled_sleep_is_not_woken(void **state)
{
    struct timer_sleep s[3];
    struct waker noop = {NULL, 0};
    for (int i = 0; i < 3; i++) {
        timer_sleep_init(&s[i], &tq, 0, 10 + (uint64_t)i);
        assert_int_equal(timer_sleep_poll(&s[i], 0, &noop), POLL_PENDING);
    }
    timer_sleep_cancel(&s[0]);
    timer_sleep_cancel(&s[0]); // twice: harmless
    assert_int_equal(timer_count(&tq), 2);
    uint64_t next = 0;
    assert_true(timer_next_deadline(&tq, &next));
    assert_int_equal(next, 11);
    assert_int_equal(timer_tick(&tq, 100), 2);
    timer_sleep_cancel(&s[1]); // after it fired: harmless
    assert_int_equal(timer_count(&tq), 0);
    assert_false(timer_next_deadline(&tq, &next));
}

static void deadline_saturates_instead_of_wrapping(void **state)
{
    struct timer_sleep s;
    struct waker noop = {NULL, 0};
    timer_sleep_init(&s, &tq, UINT64_MAX - 1, 10);
    assert_int_equal(s.deadline, UINT64_MAX);
    assert_int_equal(timer_sleep_poll(&s, UINT64_MAX - 1, &noop), POLL_PENDING);
    assert_int_equal(timer_sleep_poll(&s, UINT64_MAX, &noop), POLL_READY);
}

static void zero_capacity_gives_einval_and_takes_no_sleeper(void **state)
{
    struct timer_entry none[1];
    assert_int_equal(timer_queue_init(&tq, none, 0), E_INVAL);
    struct timer_sleep s;
    struct waker noop = {NULL, 0};
    timer_sleep_init(&s, &tq, 0, 1);
    assert_int_equal(timer_sleep_poll(&s, 0, &noop), E_BUSY);
    expect_assert_failure(timer_queue_init(NULL, none, 1));
    expect_assert_failure(timer_tick(NULL, 0));
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(zero_tick_sleep_is_ready_at_once),
        T(sleep_is_pending_until_its_deadline),
        T(repeated_poll_registers_once),
        T(many_sleepers_wake_in_deadline_order),
        T(tick_jumps_still_wake_in_order),
        T(tick_before_any_deadline_wakes_nothing),
        T(full_timer_queue_gives_ebusy_until_room),
        T(full_ready_queue_keeps_due_sleepers_for_next_tick),
        T(cancelled_sleep_is_not_woken),
        T(deadline_saturates_instead_of_wrapping),
        T(zero_capacity_gives_einval_and_takes_no_sleeper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
