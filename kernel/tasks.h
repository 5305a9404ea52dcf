// The cooperative tasks, on both machines (the firmware builds kernel/tasks.c too): one executor
// (core/task) over a static task table and a ready queue of EXEC_QUEUE_DEFAULT ids, halting when
// idle; one timer queue for sleep(), on the machine's timer ticks, advanced by tasks_tick (from
// the timer's interrupt); and two built-in tasks: an example task printing "async number: 42" and
// a heartbeat, which shows itself every tasks_heartbeat_period ticks (x86_64: a blink in the
// screen's top-right corner; Cortex-M: LED 0 and a "heartbeat N" line).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/task/task.h"
#include "core/task/timer.h"

#define TASKS_MAX  32 // task table slots
#define TIMERS_MAX 64 // sleepers at once

// Sets up the executor and the timer queue (static tables: no heap needed). Spawns nothing.
void tasks_init(void);

// Spawns a task on the executor (core/task's exec_spawn answers); tasks_spawn_named also gives it
// a name for tasks_list (a string that outlives the task), tasks_spawn names it "task".
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

// The timer queue sleepers register in, and its tick hook, for the timer's interrupt: wakes the
// sleepers whose deadline has come (at or before `now`). Needs tasks_init.
struct timer_queue *tasks_timers(void);
void tasks_tick(uint64_t now);

// The built-in tasks, to spawn: the example task (the series' `async_number` example, awaited and
// printed) and the heartbeat (sleeps tasks_heartbeat_period ticks, beats, sleeps again; never
// ends).
struct task *tasks_example(void);
struct task *tasks_heartbeat(void);

// Times the idle hook halted the CPU, and heartbeats, since boot. Executor context.
uint64_t tasks_idle_halts(void);
uint64_t tasks_heartbeats(void);
// Whether the example task has run to completion.
bool tasks_example_done(void);

// ---- each machine's part: kernel/tasks_x86.c, platform/cortex_m/tasks.c -----------------------

// The timer's ticks since it started, the clock of the timer queue's deadlines (x86_64: the
// PIT's, 100 Hz; Cortex-M: SysTick's, 100 Hz unless `timer_hz=` says otherwise).
uint64_t tasks_ticks(void);

// Ticks between heartbeats.
extern const uint32_t tasks_heartbeat_period;

// Called with interrupts off: halts until an interrupt and turns interrupts on, in one step that
// cannot miss one arriving in between (x86_64: `sti; hlt`; Cortex-M: `wfi`, then `cpsie i`).
void tasks_machine_halt(void);

// Shows heartbeat number n (executor context).
void tasks_machine_beat(uint64_t n);
