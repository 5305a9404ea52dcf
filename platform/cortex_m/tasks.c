// The firmware's executor, timers and built-in tasks (see tasks.h).
#include "platform/cortex_m/tasks.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"
#include "core/systick.h"
#include "platform/cortex_m/board.h"
#include "platform/cortex_m/console.h"

static struct executor executor;
static struct exec_slot slots[TASKS_MAX];
static uint32_t queue[EXEC_QUEUE_DEFAULT];
static struct timer_queue timers;
static struct timer_entry timer_entries[TIMERS_MAX];
static uint32_t idle_sleeps, heartbeats; // executor context only: 32 bits, read in one access
static bool example_done;

void cm_systick_handler(void)
{
    systick_tick();
    (void)timer_tick(&timers, systick_ticks()); // a full ready queue leaves sleepers for the next
}

struct timer_queue *tasks_timers(void)
{
    return &timers;
}

uint64_t tasks_ticks(void)
{
    return systick_ticks();
}

uint64_t tasks_idle_sleeps(void)
{
    return idle_sleeps;
}

uint64_t tasks_heartbeats(void)
{
    return heartbeats;
}

bool tasks_example_done(void)
{
    return example_done;
}

// core/task's idle contract, the Cortex-M way. With PRIMASK set, check again; if nothing is
// ready, `wfi`. An interrupt that arrives after the check is not taken (PRIMASK masks it) but
// stays pending, and WFI wakes on a pending interrupt whose priority would let it preempt were
// PRIMASK clear (ARMv7-M, "Wait For Interrupt"): so the sleep ends at once instead of missing
// the wake-up. Clearing PRIMASK then takes the interrupt, whose handler wakes the task. (x86 gets
// the same from the one-instruction shadow of `sti; hlt`.)
static void idle(struct executor *ex, void *ctx)
{
    (void)ctx;
    __asm__ volatile("cpsid i" ::: "memory");
    if (!exec_has_ready(ex)) {
        idle_sleeps++;
        __asm__ volatile("dsb\n\twfi" ::: "memory");
    }
    __asm__ volatile("cpsie i" ::: "memory");
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

// ---- the heartbeat: sleeps HEARTBEAT_PERIOD ticks, blinks and prints, sleeps again -------------

static struct timer_sleep heartbeat_sleep;
static bool heartbeat_sleeping;

static enum poll_result heartbeat_poll(struct task *t, const struct waker *w)
{
    (void)t;
    for (;;) {
        if (!heartbeat_sleeping) {
            timer_sleep_init(&heartbeat_sleep, &timers, systick_ticks(), HEARTBEAT_PERIOD);
            heartbeat_sleeping = true;
        }
        int r = timer_sleep_poll(&heartbeat_sleep, systick_ticks(), w);
        if (r == E_BUSY)
            (void)waker_wake(w); // the timer queue is full: nothing will wake us, so poll again
        if (r != POLL_READY)
            return POLL_PENDING;
        heartbeat_sleeping = false;
        heartbeats++;
        hw_mmio_write32(CM_FPGAIO_LED, heartbeats & 1u); // FPGAIO LED register: bit 0 is LED 0
        kprintf("heartbeat %lu\n", (unsigned long)heartbeats);
    }
}

static struct task heartbeat_task = {.poll = heartbeat_poll};

struct task *tasks_heartbeat(void)
{
    return &heartbeat_task;
}

// ---- running -----------------------------------------------------------------------------------

int tasks_init(uint32_t hz)
{
    KASSERT(exec_init(&executor, slots, TASKS_MAX, queue, EXEC_QUEUE_DEFAULT) == 0);
    exec_set_idle(&executor, idle, NULL);
    KASSERT(timer_queue_init(&timers, timer_entries, TIMERS_MAX) == 0);
    return systick_init(cm_board.sysclk_hz, hz);
}

int tasks_spawn(struct task *t)
{
    return exec_spawn(&executor, t);
}

bool tasks_run_until(bool (*done)(void *ctx), void *ctx, uint64_t max_ticks)
{
    uint64_t deadline = systick_ticks() + max_ticks;
    for (;;) {
        bool ran = exec_run_ready(&executor);
        if (done != NULL && done(ctx))
            return true;
        if (systick_ticks() >= deadline) // also while some task keeps itself ready
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
