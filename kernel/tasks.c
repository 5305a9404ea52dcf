// The executor, timers and built-in tasks, on both machines (see tasks.h): the firmware builds
// this file too, and each machine adds its part (tasks_ticks and the tasks_machine_* hooks).
#include "kernel/tasks.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"
#include "kernel/console_common.h"

static struct executor executor;
static struct exec_slot slots[TASKS_MAX];
static const char *names[TASKS_MAX]; // of the task in the same slot
static uint32_t queue[EXEC_QUEUE_DEFAULT];
static struct timer_queue timers;
static struct timer_entry timer_entries[TIMERS_MAX];
static uint64_t idle_halts, heartbeats; // executor context only
static bool example_done;

struct timer_queue *tasks_timers(void)
{
    return &timers;
}

void tasks_tick(uint64_t now)
{
    (void)timer_tick(&timers, now); // a full ready queue leaves sleepers for the next tick
}

uint64_t tasks_idle_halts(void)
{
    return idle_halts;
}

uint64_t tasks_heartbeats(void)
{
    return heartbeats;
}

bool tasks_example_done(void)
{
    return example_done;
}

// core/task's idle contract: interrupts off, check again, then halt and turn them on in one step
// (tasks_machine_halt), so a wake from an interrupt that arrives after the check ends the halt
// instead of being missed.
static void idle(struct executor *ex, void *ctx)
{
    (void)ctx;
    unsigned long flags = hw_irq_save();
    if (exec_has_ready(ex)) {
        hw_irq_restore(flags);
        return;
    }
    idle_halts++;
    tasks_machine_halt();
}

// ---- the example task: the post's `async fn async_number() -> u32 { 42 }`, awaited ------------

static enum poll_result example_poll(struct task *t, const struct waker *w)
{
    (void)t;
    (void)w;
    kprintf("async number: %d\n", 42);
    example_done = true;
    return POLL_READY;
}

static struct task example_task = {.poll = example_poll};

struct task *tasks_example(void)
{
    return &example_task;
}

// ---- the heartbeat: sleeps tasks_heartbeat_period ticks, beats, sleeps again -------------------

static struct timer_sleep heartbeat_sleep;
static bool heartbeat_sleeping;

static enum poll_result heartbeat_poll(struct task *t, const struct waker *w)
{
    (void)t;
    for (;;) {
        if (!heartbeat_sleeping) {
            timer_sleep_init(&heartbeat_sleep, &timers, tasks_ticks(), tasks_heartbeat_period);
            heartbeat_sleeping = true;
        }
        int r = timer_sleep_poll(&heartbeat_sleep, tasks_ticks(), w);
        if (r == E_BUSY)
            (void)waker_wake(w); // the timer queue is full: nothing will wake us, so poll again
        if (r != POLL_READY)
            return POLL_PENDING;
        heartbeat_sleeping = false;
        heartbeats++;
        tasks_machine_beat(heartbeats);
    }
}

static struct task heartbeat_task = {.poll = heartbeat_poll};

struct task *tasks_heartbeat(void)
{
    return &heartbeat_task;
}

// ---- running -----------------------------------------------------------------------------------

void tasks_init(void)
{
    KASSERT(exec_init(&executor, slots, TASKS_MAX, queue, EXEC_QUEUE_DEFAULT) == 0);
    exec_set_idle(&executor, idle, NULL);
    KASSERT(timer_queue_init(&timers, timer_entries, TIMERS_MAX) == 0);
}

int tasks_spawn_named(struct task *t, const char *name)
{
    int err = exec_spawn(&executor, t);
    if (err == 0)
        names[t->id % TASKS_MAX] = name; // core/task keeps a task in slot id % capacity
    return err;
}

int tasks_spawn(struct task *t)
{
    return tasks_spawn_named(t, "task");
}

size_t tasks_list(struct tasks_entry *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < TASKS_MAX; i++) {
        uint64_t state = __atomic_load_n(&slots[i].state, __ATOMIC_ACQUIRE); // id << 1 | queued
        if (state == 0)
            continue;
        if (n < cap)
            out[n] = (struct tasks_entry){(uint32_t)(state >> 1), state & 1, names[i]};
        n++;
    }
    return n;
}

bool tasks_run_until(bool (*done)(void *ctx), void *ctx, uint64_t max_ticks)
{
    uint64_t deadline = tasks_ticks() + max_ticks;
    for (;;) {
        bool ran = exec_run_ready(&executor);
        if (done != NULL && done(ctx))
            return true;
        if (tasks_ticks() >= deadline) // also while some task keeps itself ready
            return false;
        if (!ran)
            idle(&executor, NULL);
    }
}

_Noreturn void tasks_run(void)
{
    for (;;)
        tasks_run_until(NULL, NULL, UINT64_MAX / 2);
}
