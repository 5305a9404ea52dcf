// The kernel's cooperative tasks: one executor (core/task) over a static task table and a ready
// queue of EXEC_QUEUE_DEFAULT ids, idling with `sti; hlt`; one timer queue for sleep(), advanced by
// tasks_tick (a timer tick hook); and two built-in tasks: an example task printing
// "async number: 42" and a heartbeat blinking in the screen's top-right corner.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/task/task.h"
#include "core/task/timer.h"

#define TASKS_MAX        32 // task table slots
#define TIMERS_MAX       64 // sleepers at once
#define HEARTBEAT_PERIOD 50 // ticks between heartbeat blinks (0.5 s at 100 Hz)

// Sets up the executor and the timer queue (static tables: no heap needed). Spawns nothing.
void tasks_init(void);

// Spawns a task on the kernel executor (core/task's exec_spawn answers); tasks_spawn_named also
// gives it a name for tasks_list (a string that outlives the task), tasks_spawn names it "task".
int tasks_spawn(struct task *t);
int tasks_spawn_named(struct task *t, const char *name);

// The live tasks, in table order: their id, whether they wait in the ready queue, their name.
// Fills out[0..cap) and returns how many there are (which may exceed cap). Executor context.
struct tasks_entry {
    uint32_t id;
    bool queued;
    const char *name;
};
size_t tasks_list(struct tasks_entry *out, size_t cap);

// Runs the executor until done(ctx) says so (checked after every round of polls and every wake
// from idle) or max_ticks timer ticks have passed; returns whether done() was reached. For tests.
bool tasks_run_until(bool (*done)(void *ctx), void *ctx, uint64_t max_ticks);

// Runs the executor forever.
_Noreturn void tasks_run(void);

// The timer queue sleepers register in, and its tick hook (for irq_add_tick_hook): wakes the
// sleepers whose deadline has come (at or before `now`). Needs tasks_init.
struct timer_queue *tasks_timers(void);
void tasks_tick(uint64_t now);

// The built-in tasks, to spawn: the example task (the series' `async_number` example, awaited and
// printed) and the heartbeat (sleeps HEARTBEAT_PERIOD ticks, blinks, sleeps again; never ends).
struct task *tasks_example(void);
struct task *tasks_heartbeat(void);

// Times the idle hook halted the CPU, and heartbeats shown, since boot.
uint64_t tasks_idle_halts(void);
uint64_t tasks_heartbeats(void);
// Whether the example task has run to completion.
bool tasks_example_done(void);
