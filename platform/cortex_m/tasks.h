// The firmware's cooperative tasks: kernel/tasks.h's (the same executor, timer queue and built-in
// tasks) on SysTick's ticks (core/systick), advanced by the SysTick handler, idling in `wfi`,
// with a heartbeat that blinks LED 0 and prints a line every tasks_heartbeat_period ticks.
#pragma once

#include "kernel/tasks.h"

#define TASKS_TIMER_HZ 100 // the default SysTick rate (`timer_hz=N` changes it)

// The SysTick exception handler (the vector table's entry 15): counts the tick and wakes the
// sleepers whose deadline has come.
void cm_systick_handler(void);
