/*
 * The console lock keeps interrupts off while held: the timer handler printing on every tick at
 * 5 kHz while the main code prints continuously completes without a deadlock (2000 ticks, 2000
 * lines).
 *
 * qemu-scenario
 * cmdline: timer_hz=5000
 * timeout: 30
 */
#include "core/pit.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "test/qemu/ktest/ktest.h"

static volatile uint64_t timer_prints;

static void print_from_timer(uint64_t tick)
{
    kprintf("[tick %llu]", (unsigned long long)tick);
    timer_prints++;
}

KTEST(timer_and_main_print_together)
{
    KT_ASSERT_EQ(irq_add_tick_hook(print_from_timer), 0);
    uint64_t start = pit_ticks(); // after the hook is in: every tick from here on prints
    unsigned lines = 0;
    while (pit_ticks() < start + 2000 || lines < 2000)
        kprintf("main line %u\n", lines++);
    KT_ASSERT_EQ(irq_remove_tick_hook(print_from_timer), 0);
    kprintf("\nstorm: %u main lines, %llu timer prints\n", lines, (unsigned long long)timer_prints);
    KT_ASSERT(lines >= 2000);
    KT_ASSERT(timer_prints >= 2000);
}
