// Waits the x86_64 scenarios share: conditions for tasks_run_until (the example task has printed,
// so the shell's prompt is up and nothing else writes between echoes; the shell has run more
// lines than *(uint64_t *)ctx), and halting through timer ticks.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/pit.h"
#include "kernel/irq.h"
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "platform/x86_64/cpu.h"

static inline bool wait_example_done(void *ctx)
{
    (void)ctx;
    return tasks_example_done();
}

static inline bool wait_shell_line_ran(void *ctx)
{
    return shell_lines() > *(const uint64_t *)ctx;
}

// Halts until `ticks` timer ticks have passed (each hlt returns at the next interrupt) and
// returns the timer interrupts counted meanwhile: at least `ticks` when every wake-up was a tick.
static inline uint64_t wait_ticks_halting(uint64_t ticks)
{
    uint64_t start = pit_ticks(), irqs = irq_count(IRQ_TIMER);
    while (pit_ticks() < start + ticks)
        cpu_halt();
    return irq_count(IRQ_TIMER) - irqs;
}

// From the next tick on, the TSC cycles of two back-to-back intervals of `ticks` ticks each,
// halting between them: ticks that arrive evenly make the two about equal.
static inline void wait_two_tick_intervals(uint64_t ticks, uint64_t *first, uint64_t *second)
{
    uint64_t t0 = pit_ticks();
    while (pit_ticks() == t0)
        cpu_halt();
    uint64_t c0 = cpu_rdtsc();
    while (pit_ticks() < t0 + 1 + ticks)
        cpu_halt();
    uint64_t c1 = cpu_rdtsc();
    while (pit_ticks() < t0 + 1 + 2 * ticks)
        cpu_halt();
    *first = c1 - c0;
    *second = cpu_rdtsc() - c1;
}
