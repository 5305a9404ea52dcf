// The firmware's cooperative tasks, as the kernel's (kernel/tasks.h) on this machine: one
// executor (core/task) over a static task table and a ready queue of EXEC_QUEUE_DEFAULT ids,
// idling with `wfi`; one timer queue for sleep() on SysTick's ticks (core/systick), advanced by
// the SysTick handler; and two built-in tasks, the example task printing "async number: 42" and
// a heartbeat that blinks LED 0 and prints a line every HEARTBEAT_PERIOD ticks.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/task/task.h"
#include "core/task/timer.h"

#define TASKS_MAX        32  // task table slots
#define TIMERS_MAX       64  // sleepers at once
#define TASKS_TIMER_HZ   100 // the default SysTick rate (`timer_hz=N` changes it)
#define HEARTBEAT_PERIOD 100 // ticks between heartbeats (1 s at 100 Hz)

// Sets up the executor and the timer queue (static tables: no heap needed), then starts SysTick
// at hz; returns core/systick's E_INVAL for a rate it cannot make (0 among them: the tasks are
// then set up, the timer is not). Spawns nothing.
int tasks_init(uint32_t hz);

// Spawns a task on the executor (core/task's exec_spawn answers).
int tasks_spawn(struct task *t);

// Runs the executor until done(ctx) says so (checked after every round of polls and every wake
// from idle) or max_ticks SysTick ticks have passed; returns whether done() was reached.
bool tasks_run_until(bool (*done)(void *ctx), void *ctx, uint64_t max_ticks);

// Runs the executor forever.
_Noreturn void tasks_run(void);

// The timer queue sleepers register in, and the tick count its deadlines are in.
struct timer_queue *tasks_timers(void);
uint64_t tasks_ticks(void);

// The built-in tasks, to spawn: the example task (the series' `async_number` example, awaited and
// printed) and the heartbeat (sleeps HEARTBEAT_PERIOD ticks, blinks, prints, sleeps again).
struct task *tasks_example(void);
struct task *tasks_heartbeat(void);

// Times the idle hook slept in `wfi`, and heartbeats, since boot.
uint64_t tasks_idle_sleeps(void);
uint64_t tasks_heartbeats(void);
// Whether the example task has run to completion.
bool tasks_example_done(void);

// The SysTick exception handler (the vector table's entry 15): counts the tick and wakes the
// sleepers whose deadline has come.
void cm_systick_handler(void);
