/*
 * The PIT ticks at the configured rate through IRQ 0, and the idle loop halts between
 * interrupts instead of spinning.
 *
 * qemu-scenario
 * cmdline: timer_hz=200
 */
#include "core/pit.h"
#include "kernel/irq.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/waits.h"

KTEST(timer_runs_at_the_command_line_rate)
{
    KT_ASSERT_EQ(pit_divisor(), (PIT_BASE_HZ + 100) / 200);
}

// Each hlt returns at the next interrupt; only the timer is busy here, so 50 ticks need about 50
// wake-ups. The bound fails if interrupts stopped (the loop would hang: the scenario times out)
// or if hlt returned without an interrupt.
KTEST(timer_ticks_while_halting)
{
    uint64_t start = pit_ticks();
    uint64_t irqs = irq_count(IRQ_TIMER);
    unsigned wakeups = 0;
    while (pit_ticks() < start + 50) {
        cpu_halt();
        wakeups++;
    }
    KT_ASSERT(wakeups >= 50);
    KT_ASSERT(wakeups <= 60);
    KT_ASSERT(irq_count(IRQ_TIMER) - irqs >= 50);
}

// The ticks are evenly spaced against the TSC: two back-to-back intervals of 20 ticks (0.1 s each
// at 200 Hz) take about as many TSC cycles; checked loosely (TCG's clocks are not exact), within a
// factor of two.
KTEST(ticks_are_evenly_spaced)
{
    uint64_t first, second;
    wait_two_tick_intervals(20, &first, &second);
    KT_ASSERT(first > 0 && second > 0);
    KT_ASSERT(first < 2 * second && second < 2 * first);
}
