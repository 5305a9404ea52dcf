// Tests for core/task with interrupts waking tasks: a keyboard-like stream fuzzed for lost
// wake-ups (fixed seeds, printed; 200 runs in the fast tier, 2000 in the long one:
// test/unit/sweep.h), and a thread standing in for an interrupt handler waking tasks while the
// executor runs.
#define _GNU_SOURCE // pthreads and sched_yield under -std=c11
#include "test/unit/sweep.h"
#include "test/unit/task_test.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SEED 20240611u

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

// ---- a keyboard-like stream: "IRQ" pushes scancodes and wakes, the task awaits them ---------

#define KBD_N          300  // scancodes per run
#define KBD_ROUNDS_MAX 2000 // runs, each with its own seed: the long tier's count

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
    uint32_t seed = (uint32_t)sweep_seed("keyboard stream", SEED, UINT32_MAX - KBD_ROUNDS_MAX);
    uint32_t rounds = (uint32_t)sweep_size(KBD_ROUNDS_MAX / 10, KBD_ROUNDS_MAX);
    for (uint32_t round = 0; round < rounds; round++) {
        memset(&kbd, 0, sizeof(kbd));
        kbd.seed = kbd.rng = seed + round;
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
           rounds, seed, seed + rounds - 1, KBD_N, (unsigned long)in_poll);
}

// ---- a thread as the interrupt handler, the main thread as the executor --------------------

#define MT_TASKS  4
#define MT_EVENTS 50000 // per task

static struct {
    struct counter tasks[MT_TASKS];
    struct waker wakers[MT_TASKS];
    uint32_t pending[MT_TASKS]; // atomic: events posted by the "IRQ", not yet seen by the task
    uint32_t seen[MT_TASKS];
    uint32_t seed; // the "IRQ" thread's generator starts from it
    uint32_t rng;  // the executor side's
    struct timespec start;
    unsigned long busy, idles;
} mt;

// The "IRQ handler": post an event to a random task, wake it (interrupts are off in a handler:
// waker_wake_from_irq). A full queue would be retried; with 4 tasks and room for 100 it is not.
static void *mt_irq_thread(void *arg)
{
    uint32_t rng = mt.seed, left[MT_TASKS];
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
    mt.seed = mt.rng = (uint32_t)sweep_seed("irq thread", SEED, UINT32_MAX);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(keyboard_stream_loses_no_wake_up),
        T(irq_thread_wakes_tasks_while_executor_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
