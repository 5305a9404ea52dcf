// Tests for core/task: spawning and polling, wakers (twice, finished, stale, full queue), ids,
// the table limit, the idle hook, the busy-poll executor, blog_os's "async number 42" example, a
// keyboard-like stream fuzzed for lost wake-ups, and a thread standing in for an interrupt
// handler waking tasks while the executor runs.
#define _GNU_SOURCE // pthreads and sched_yield under -std=c11
#include "core/hw.h"
#include "core/task/task.h"
#include "platform/host/mock_hw.h"

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define SEED 20240611u

static struct executor ex;
static struct exec_slot slots[16];
static uint32_t queue[EXEC_QUEUE_DEFAULT];

// The default idle hook: in these tests nothing outside the executor wakes a task unless the
// test installs its own hook, so idling means a wake-up was lost (and exec_run would spin).
static void idle_means_lost_wake_up(struct executor *e, void *ctx)
{
    fail_msg("idle with %u live tasks and none ready: a wake-up was lost", exec_live(e));
}

static int setup(void **state)
{
    mock_hw_reset();
    assert_int_equal(exec_init(&ex, slots, 16, queue, EXEC_QUEUE_DEFAULT), 0);
    exec_set_idle(&ex, idle_means_lost_wake_up, NULL);
    return 0;
}

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

// A task that finishes on its ready_after-th poll and remembers its waker.
struct counter {
    struct task task;
    int polls;
    int ready_after;
    bool wake_self; // wakes itself during every pending poll
    struct waker waker;
};

static enum poll_result counter_poll(struct task *t, const struct waker *w)
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

static void counter_init(struct counter *c, int ready_after)
{
    *c = (struct counter){.task = {.poll = counter_poll, .state = c}, .ready_after = ready_after};
}

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

static void ids_increase_from_1(void **state)
{
    struct counter c[5];
    for (uint32_t i = 0; i < 5; i++) {
        counter_init(&c[i], 1);
        assert_int_equal(exec_spawn(&ex, &c[i].task), 0);
        assert_int_equal(c[i].task.id, i + 1);
    }
    exec_run(&ex);
    struct counter d;
    counter_init(&d, 1);
    assert_int_equal(exec_spawn(&ex, &d.task), 0);
    assert_int_equal(d.task.id, 6);
}

static void ids_skip_those_whose_slot_is_busy(void **state)
{
    struct exec_slot four[4];
    assert_int_equal(exec_init(&ex, four, 4, queue, EXEC_QUEUE_DEFAULT), 0);
    struct counter c[4], d;
    for (int i = 0; i < 4; i++) {
        counter_init(&c[i], i == 1 ? 1 : 2); // id 2 finishes at once
        assert_int_equal(exec_spawn(&ex, &c[i].task), 0);
    }
    exec_run_ready(&ex);
    counter_init(&d, 1);
    assert_int_equal(exec_spawn(&ex, &d.task), 0);
    assert_int_equal(d.task.id, 6); // 5 would be slot 1, still busy; 6 is slot 2, free
}

static void ids_wrap_past_zero(void **state)
{
    ex.next_id = UINT32_MAX - 1;
    struct counter a, b;
    counter_init(&a, 1);
    counter_init(&b, 1);
    assert_int_equal(exec_spawn(&ex, &a.task), 0);
    assert_int_equal(exec_spawn(&ex, &b.task), 0);
    assert_int_equal(a.task.id, UINT32_MAX);
    assert_int_equal(b.task.id, 1);
    exec_run(&ex);
    assert_int_equal(a.polls + b.polls, 2);
}

static void full_ready_queue_gives_ebusy_and_stays_intact(void **state)
{
    uint32_t small[2];
    assert_int_equal(exec_init(&ex, slots, 16, small, 2), 0);
    struct counter c[3];
    for (int i = 0; i < 3; i++) {
        counter_init(&c[i], 3);
        assert_int_equal(exec_spawn(&ex, &c[i].task), 0);
        exec_run_ready(&ex);
    }
    assert_int_equal(waker_wake(&c[0].waker), 0);
    assert_int_equal(waker_wake(&c[1].waker), 0);
    assert_int_equal(waker_wake(&c[2].waker), E_BUSY);
    assert_int_equal(ring_count(&ex.ready), 2);
    exec_run_ready(&ex);
    assert_int_equal(c[0].polls, 2);
    assert_int_equal(c[1].polls, 2);
    assert_int_equal(c[2].polls, 1);
    assert_int_equal(waker_wake(&c[2].waker), 0); // still wakeable
    exec_run_ready(&ex);
    assert_int_equal(c[2].polls, 2);
}

static void spawn_into_full_queue_gives_ebusy_and_is_undone(void **state)
{
    uint32_t small[1];
    assert_int_equal(exec_init(&ex, slots, 16, small, 1), 0);
    struct counter a, b;
    counter_init(&a, 1);
    counter_init(&b, 1);
    assert_int_equal(exec_spawn(&ex, &a.task), 0);
    assert_int_equal(exec_spawn(&ex, &b.task), E_BUSY);
    assert_int_equal(b.task.id, 0);
    assert_int_equal(exec_live(&ex), 1);
    exec_run(&ex);
    assert_int_equal(b.polls, 0);
    assert_int_equal(exec_spawn(&ex, &b.task), 0);
    assert_int_equal(b.task.id, 2); // the failed spawn used no id
}

static void full_table_gives_enomem(void **state)
{
    struct exec_slot two[2];
    assert_int_equal(exec_init(&ex, two, 2, queue, EXEC_QUEUE_DEFAULT), 0);
    struct counter c[3];
    for (int i = 0; i < 3; i++)
        counter_init(&c[i], 1);
    assert_int_equal(exec_spawn(&ex, &c[0].task), 0);
    assert_int_equal(exec_spawn(&ex, &c[1].task), 0);
    assert_int_equal(exec_spawn(&ex, &c[2].task), E_NOMEM);
    assert_int_equal(c[2].task.id, 0);
    assert_int_equal(exec_live(&ex), 2);
    assert_int_equal(ring_count(&ex.ready), 2);
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

static void bad_init_gives_einval_and_null_panics(void **state)
{
    assert_int_equal(exec_init(&ex, slots, 0, queue, 1), E_INVAL);
    assert_int_equal(exec_init(&ex, slots, 1, queue, 0), E_INVAL);
    expect_assert_failure(exec_init(NULL, slots, 1, queue, 1));
    struct task no_poll = {0};
    assert_int_equal(exec_init(&ex, slots, 1, queue, 1), 0);
    expect_assert_failure(exec_spawn(&ex, &no_poll));
    expect_assert_failure(waker_wake(NULL));
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

// ---- the simple executor ------------------------------------------------------------------

static void simple_executor_polls_every_task_until_all_finish(void **state)
{
    struct counter a, b, c;
    counter_init(&a, 1);
    counter_init(&b, 3);
    counter_init(&c, 5);
    struct task *tasks[] = {&a.task, NULL, &b.task, &c.task};
    simple_exec_run(tasks, 4);
    assert_int_equal(a.polls, 1);
    assert_int_equal(b.polls, 3);
    assert_int_equal(c.polls, 5);
    for (int i = 0; i < 4; i++)
        assert_null(tasks[i]);
    assert_null(b.waker.ex); // the no-op waker
    simple_exec_run(NULL, 0);
}

// ---- blog_os's example: async fn async_number() -> u32 { 42 } awaited by example_task -------

struct async_number {
    bool yielded;
};

// Yields once (wakes itself, pending), then is ready with 42: the await path is exercised.
static enum poll_result async_number_poll(struct async_number *f, const struct waker *w,
                                          uint32_t *out)
{
    if (!f->yielded) {
        f->yielded = true;
        assert_int_equal(waker_wake(w), 0);
        return POLL_PENDING;
    }
    *out = 42;
    return POLL_READY;
}

struct example_task {
    enum { EX_START, EX_AWAIT_NUMBER } at;
    struct async_number number;
    char printed[64];
};

static enum poll_result example_task_poll(struct task *t, const struct waker *w)
{
    struct example_task *e = t->state;
    uint32_t number;
    switch (e->at) {
    case EX_START:
        e->number = (struct async_number){0};
        e->at = EX_AWAIT_NUMBER;
        // fall through
    case EX_AWAIT_NUMBER:
        if (async_number_poll(&e->number, w, &number) == POLL_PENDING)
            return POLL_PENDING;
        snprintf(e->printed, sizeof(e->printed), "async number: %u", number);
        return POLL_READY;
    }
    return POLL_READY;
}

static void example_task_prints_async_number_42(void **state)
{
    struct example_task e = {0};
    struct task t = {.poll = example_task_poll, .state = &e};
    assert_int_equal(exec_spawn(&ex, &t), 0);
    exec_run(&ex);
    assert_string_equal(e.printed, "async number: 42");
}

// ---- a keyboard-like stream: "IRQ" pushes scancodes and wakes, the task awaits them ---------

#define KBD_N      300 // scancodes per run
#define KBD_ROUNDS 200 // runs, each with its own seed

static struct {
    struct ring q;
    uint32_t slots[8];
    struct waker waker;
    bool has_waker;   // atomic
    uint32_t sent;    // scancodes pushed so far by the "IRQ"
    uint32_t got;     // scancodes the task received
    uint32_t rng;     // interleaving choices
    uint32_t seed;    // this run's seed, for failure messages
    uint64_t in_poll; // "interrupts" taken inside the consumer's poll
} kbd;

// The interrupt handler: queue up to a few scancodes (a full queue keeps them in the "device"),
// then wake the stored waker, if any, taking it (one registration, one wake).
static void kbd_irq(void)
{
    for (uint32_t n = 1 + xorshift(&kbd.rng) % 3; n > 0 && kbd.sent < KBD_N; n--) {
        if (!ring_push(&kbd.q, kbd.sent))
            break;
        kbd.sent++;
    }
    if (__atomic_exchange_n(&kbd.has_waker, false, __ATOMIC_ACQ_REL)) // AtomicWaker::wake takes it
        assert_int_equal(waker_wake(&kbd.waker), 0);
}

static void kbd_maybe_irq(void)
{
    if (xorshift(&kbd.rng) % 4 == 0) {
        kbd.in_poll++;
        kbd_irq();
    }
}

// blog_os's ScancodeStream::poll_next inside print_keypresses' loop: try the queue, register the
// waker, try again.
static enum poll_result kbd_task_poll(struct task *t, const struct waker *w)
{
    for (;;) {
        uint32_t code;
        kbd_maybe_irq();
        if (!ring_pop(&kbd.q, &code)) {
            kbd_maybe_irq();
            kbd.waker = *w;
            __atomic_store_n(&kbd.has_waker, true, __ATOMIC_RELEASE);
            kbd_maybe_irq();
            if (!ring_pop(&kbd.q, &code)) {
                kbd_maybe_irq(); // after the last look, before the executor sees PENDING
                return POLL_PENDING;
            }
            __atomic_store_n(&kbd.has_waker, false, __ATOMIC_RELEASE);
        }
        if (code != kbd.got)
            fail_msg("seed %u: scancode %u arrived, expected %u", kbd.seed, code, kbd.got);
        if (++kbd.got == KBD_N)
            return POLL_READY;
    }
}

// The halted CPU. Scancodes waiting while nothing is ready: a wake-up was lost (the task would
// sleep until the next key press). Otherwise the next "interrupt" comes, if any is left.
static void kbd_idle(struct executor *e, void *ctx)
{
    if (!ring_is_empty(&kbd.q) || kbd.sent == KBD_N)
        fail_msg("seed %u: lost wake-up: idle with %u of %u scancodes received", kbd.seed, kbd.got,
                 KBD_N);
    kbd_irq();
}

static void keyboard_stream_loses_no_wake_up(void **state)
{
    uint64_t in_poll = 0;
    for (uint32_t round = 0; round < KBD_ROUNDS; round++) {
        memset(&kbd, 0, sizeof(kbd));
        kbd.seed = kbd.rng = SEED + round;
        assert_int_equal(ring_init(&kbd.q, kbd.slots, 8), 0);
        assert_int_equal(exec_init(&ex, slots, 16, queue, EXEC_QUEUE_DEFAULT), 0);
        exec_set_idle(&ex, kbd_idle, NULL);
        struct task t = {.poll = kbd_task_poll};
        assert_int_equal(exec_spawn(&ex, &t), 0);
        exec_run(&ex);
        assert_int_equal(kbd.got, KBD_N);
        in_poll += kbd.in_poll;
    }
    printf("keyboard stream: %u runs (seeds %u..%u), %u scancodes each, %lu interrupts inside "
           "the poll\n",
           KBD_ROUNDS, SEED, SEED + KBD_ROUNDS - 1, KBD_N, (unsigned long)in_poll);
}

// ---- a thread as the interrupt handler, the main thread as the executor --------------------

#define MT_TASKS  4
#define MT_EVENTS 50000 // per task

static struct {
    struct counter tasks[MT_TASKS];
    struct waker wakers[MT_TASKS];
    uint32_t pending[MT_TASKS]; // atomic: events posted by the "IRQ", not yet seen by the task
    uint32_t seen[MT_TASKS];
    uint32_t rng; // the executor side's
    struct timespec start;
    unsigned long busy, idles;
} mt;

// The "IRQ handler": post an event to a random task, wake it (interrupts are off in a handler:
// waker_wake_from_irq). A full queue would be retried; with 4 tasks and room for 100 it is not.
static void *mt_irq_thread(void *arg)
{
    uint32_t rng = SEED, left[MT_TASKS];
    for (int k = 0; k < MT_TASKS; k++)
        left[k] = MT_EVENTS;
    for (uint32_t total = MT_TASKS * MT_EVENTS; total > 0;) {
        uint32_t k = xorshift(&rng) % MT_TASKS;
        if (left[k] == 0)
            continue;
        left[k]--;
        total--;
        __atomic_fetch_add(&mt.pending[k], 1, __ATOMIC_RELEASE);
        while (waker_wake_from_irq(&mt.wakers[k]) == E_BUSY) {
            mt.busy++;
            sched_yield();
        }
    }
    return NULL;
}

// Takes the task's posted events; now and then wakes a neighbour from executor context, through
// waker_wake as the rule says (interrupts off around the push).
static enum poll_result mt_poll(struct task *t, const struct waker *w)
{
    struct counter *c = t->state;
    uint32_t i = (uint32_t)(c - mt.tasks);
    mt.seen[i] += __atomic_exchange_n(&mt.pending[i], 0, __ATOMIC_ACQUIRE);
    if (xorshift(&mt.rng) % 8 == 0)
        assert_int_equal(waker_wake(&mt.wakers[(i + 1) % MT_TASKS]), 0);
    return mt.seen[i] == MT_EVENTS ? POLL_READY : POLL_PENDING;
}

static void mt_idle(struct executor *e, void *ctx)
{
    mt.idles++;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - mt.start.tv_sec > 10)
        fail_msg("lost wake-up: tasks saw %u %u %u %u of %u events", mt.seen[0], mt.seen[1],
                 mt.seen[2], mt.seen[3], MT_EVENTS);
    sched_yield();
}

static void irq_thread_wakes_tasks_while_executor_runs(void **state)
{
    memset(&mt, 0, sizeof(mt));
    mt.rng = SEED;
    for (int k = 0; k < MT_TASKS; k++) {
        counter_init(&mt.tasks[k], 0);
        mt.tasks[k].task.poll = mt_poll;
        assert_int_equal(exec_spawn(&ex, &mt.tasks[k].task), 0);
        mt.wakers[k] = (struct waker){&ex, mt.tasks[k].task.id};
    }
    exec_set_idle(&ex, mt_idle, NULL);
    clock_gettime(CLOCK_MONOTONIC, &mt.start);
    pthread_t irq;
    assert_int_equal(pthread_create(&irq, NULL, mt_irq_thread, NULL), 0);
    exec_run(&ex);
    assert_int_equal(pthread_join(irq, NULL), 0);
    for (int k = 0; k < MT_TASKS; k++)
        assert_int_equal(mt.seen[k], MT_EVENTS);
    assert_int_equal(mt.busy, 0);
    printf("irq thread: %u wakes across %u tasks; the executor idled %lu times\n",
           MT_TASKS * MT_EVENTS, MT_TASKS, mt.idles);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(spawned_task_runs_to_completion),
        T(pending_task_is_not_polled_until_woken),
        T(waking_twice_queues_once),
        T(waking_a_finished_task_does_nothing),
        T(stale_waker_after_slot_reuse_does_nothing),
        T(ids_increase_from_1),
        T(ids_skip_those_whose_slot_is_busy),
        T(ids_wrap_past_zero),
        T(full_ready_queue_gives_ebusy_and_stays_intact),
        T(spawn_into_full_queue_gives_ebusy_and_is_undone),
        T(full_table_gives_enomem),
        T(task_waking_itself_is_polled_once_per_round),
        T(noop_waker_does_nothing),
        T(bad_init_gives_einval_and_null_panics),
        T(idle_runs_only_when_nothing_is_ready),
        T(wake_between_check_and_halt_is_not_lost),
        T(simple_executor_polls_every_task_until_all_finish),
        T(example_task_prints_async_number_42),
        T(keyboard_stream_loses_no_wake_up),
        T(irq_thread_wakes_tasks_while_executor_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
