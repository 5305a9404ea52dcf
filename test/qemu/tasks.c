/*
 * Cooperative tasks: the example task, keyboard input through the keyboard task to the shell
 * (every key arrives, in order, also when typed fast; overflow), sleepers waking in deadline
 * order, the heartbeat (also when the timer queue is full), halting when idle, and the cost of a
 * poll round trip.
 *
 * qemu-scenario
 * timeout: 30
 * expect-serial: async number: 42$
 * expect-serial: ^hello world$
 * expect-serial: ^WARNING: scancode queue full; dropping keyboard input$
 * expect-serial: task poll round trip: \d+ cycles
 * screen hello: row 22 = "> hello world"
 * screen hello: row 23 = "unknown command \"hello\" (help lists them)"
 * screen hello: row 24 = ">"
 */
#include "kernel/tasks.h"
#include "core/pit.h"
#include "core/string.h"
#include "core/vga.h"
#include "kernel/console.h"
#include "kernel/keyboard.h"
#include "kernel/shell.h"
#include "platform/x86_64/cpu.h"
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

// ---- keyboard ----------------------------------------------------------------------------------

// The keys reach the shell (the keyboard's consumer): a line is whole and in order when the shell
// has entered it into its history.
static bool lines_ran(void *ctx)
{
    return shell_lines() >= *(uint64_t *)ctx;
}

KTEST(typed_text_reaches_the_shell_exactly)
{
    uint64_t lines = shell_lines() + 1;
    KT_ASSERT(ktest_host_type("hello world\n"));
    KT_ASSERT(tasks_run_until(lines_ran, &lines, 200));
    KT_ASSERT_STR_EQ(shell_history(0), "hello world");
    KT_ASSERT(ktest_host_check_screen("hello"));
}

// 200 keys: four lines of 49 letters, each ended by Enter.
static char fast[201];

static bool typed_and_ran(void *ctx)
{
    static int answer = -1;
    if (answer < 0)
        answer = ktest_host_poll_answer();
    return answer >= 0 && lines_ran(ctx);
}

static bool fast_line_is(size_t k, size_t line)
{
    return strlen(shell_history(k)) == 49 && memcmp(shell_history(k), fast + line * 50, 49) == 0;
}

// 200 keys as fast as the runner types them, while the executor runs: every one arrives, in order.
KTEST(fast_typing_arrives_complete_and_in_order)
{
    for (int i = 0; i < 200; i++)
        fast[i] = i % 50 == 49 ? '\n' : (char)('a' + (i * 7) % 26);
    fast[200] = '\0';
    uint64_t dropped = keyboard_dropped(), keys = shell_keys(SHELL_KEYBOARD);
    uint64_t lines = shell_lines() + 4;
    ktest_host_type_async(fast);
    KT_ASSERT(tasks_run_until(typed_and_ran, &lines, 3000));
    KT_ASSERT_EQ(keyboard_dropped(), dropped);
    KT_ASSERT_EQ(shell_keys(SHELL_KEYBOARD) - keys, 200);
    for (size_t line = 0; line < 4; line++)
        KT_ASSERT(fast_line_is(3 - line, line));
}

// 200 keys (400 scancodes) while nothing reads the queue: it keeps the first 100 scancodes, the
// rest are dropped with one warning, and what was kept decodes to exactly the first 50 keys: the
// first line.
KTEST(overflow_drops_with_a_warning_and_keeps_the_rest_intact)
{
    uint64_t dropped = keyboard_dropped(), delivered = keyboard_delivered();
    uint64_t keys = shell_keys(SHELL_KEYBOARD), lines = shell_lines() + 1;
    KT_ASSERT(ktest_host_type(fast)); // blocks: the executor does not run meanwhile
    KT_ASSERT_EQ(keyboard_dropped() - dropped, 400 - KEYBOARD_QUEUE_SIZE);
    KT_ASSERT(tasks_run_until(lines_ran, &lines, 200));
    KT_ASSERT_EQ(keyboard_delivered() - delivered, KEYBOARD_QUEUE_SIZE);
    KT_ASSERT_EQ(shell_keys(SHELL_KEYBOARD) - keys, 50);
    KT_ASSERT(fast_line_is(0, 0));
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
        timer_sleep_init(&s->sleep, tasks_timers(), pit_ticks(), sleep_ticks[s->index]);
        s->started = true;
    }
    if (timer_sleep_poll(&s->sleep, pit_ticks(), w) != POLL_READY)
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

// ---- idle, heartbeat, cost ---------------------------------------------------------------------

KTEST(idle_halts_and_the_heartbeat_beats)
{
    uint64_t ticks = pit_ticks(), halts = tasks_idle_halts(), beats = tasks_heartbeats();
    tasks_run_until(NULL, NULL, 2 * HEARTBEAT_PERIOD + 5);
    uint64_t t = pit_ticks() - ticks, h = tasks_idle_halts() - halts;
    KT_ASSERT(tasks_heartbeats() - beats >= 2);
    // Only the timer interrupts: about one halt per tick. Spinning would be thousands.
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
            timer_sleep_init(&filler_sleeps[i], tasks_timers(), pit_ticks(), 1000000);
        filler_started = true;
    }
    (void)waker_wake(w);
    while (filler_held < TIMERS_MAX &&
           timer_sleep_poll(&filler_sleeps[filler_held], pit_ticks(), w) == POLL_PENDING)
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
    KT_ASSERT(tasks_run_until(queue_full, NULL, 4 * HEARTBEAT_PERIOD));
    uint64_t beats = tasks_heartbeats();
    KT_ASSERT(tasks_run_until(beat_since, &beats, HEARTBEAT_PERIOD + 10));
    KT_ASSERT_EQ(timer_count(tasks_timers()), TIMERS_MAX); // all the filler's: no room for it
    for (unsigned i = 0; i < TIMERS_MAX; i++)
        timer_sleep_cancel(&filler_sleeps[i]);
    filler_released = true; // the filler, still waking itself, ends at its next poll
    KT_ASSERT(tasks_run_until(heartbeat_registered, NULL, 10));
}

static uint64_t rounds_left;

static enum poll_result self_waking_poll(struct task *t, const struct waker *w)
{
    (void)t;
    if (--rounds_left == 0)
        return POLL_READY;
    waker_wake(w);
    return POLL_PENDING;
}

static bool rounds_done(void *ctx)
{
    (void)ctx;
    return rounds_left == 0;
}

// A task that wakes itself: each round is wake, dequeue, poll (the executor's whole round trip).
KTEST(task_poll_round_trip_cost)
{
    enum { ROUNDS = 10000 };
    static struct task self = {.poll = self_waking_poll};
    rounds_left = ROUNDS;
    KT_ASSERT_EQ(tasks_spawn(&self), 0);
    uint64_t start = cpu_rdtsc();
    KT_ASSERT(tasks_run_until(rounds_done, NULL, 1000));
    uint64_t cycles = cpu_rdtsc() - start;
    kprintf("task poll round trip: %llu cycles (%d rounds)\n",
            (unsigned long long)(cycles / ROUNDS), ROUNDS);
}
