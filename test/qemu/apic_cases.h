// The I/O APIC path's checks, run by every scenario that boots on it (apic_pc, apic_q35,
// apic_grub, apic_grub_q35: pc and q35, PVH and GRUB): the 8259s and LINT0 masked, the I/O APIC's
// entries as routed (IRQ 0 on GSI 2 by the MADT's override, masked after calibration), the local
// APIC timer periodic on vector 32 at the asked rate measured against the TSC, a spurious vector
// counted, and keys from the keyboard and the serial line reaching the shell. Included once, by
// the scenario's .c file.
#pragma once

#include "core/hw.h"
#include "core/ioapic.h"
#include "core/lapic.h"
#include "core/pic.h"
#include "core/pit.h"
#include "core/tsc.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/waits.h"

#define APIC_RATE_TICKS 50 // ticks timed against the TSC
// The bounds, generous: TCG's timers follow the host's clock, and when the host is busy the
// virtual CPU falls behind and QEMU merges timer interrupts that find the last one still pending
// (a tick is lost, never gained: 30 % at 1000 Hz on a loaded machine). Fast by 5 % or slow by
// 60 % is a wrong count or divisor, not the host.
#define APIC_RATE_FAST_PPM 50000
#define APIC_RATE_SLOW_PPM 600000

static uint32_t lapic_read(uint32_t offset)
{
    const struct lapic_io *io = irq_apic_lapic();
    return io->read(io->ctx, offset);
}

KTEST(interrupts_come_through_the_io_apic)
{
    KT_ASSERT(irq_apic_info()->active);
    KT_ASSERT(irq_apic_lapic() != NULL);
    KT_ASSERT_EQ(pic_get_mask(), 0xffff); // both 8259s: every line masked
    KT_ASSERT_EQ(lapic_read(LAPIC_LVT_LINT0) & LAPIC_LVT_MASKED, LAPIC_LVT_MASKED);
    KT_ASSERT_EQ(lapic_read(LAPIC_SVR), LAPIC_SVR_ENABLE | IRQ_APIC_SPURIOUS_VECTOR);
}

// Each route as irq_apic_info says and as the chip reads back: vector 32 + IRQ, fixed, physical,
// active high, edge, to the boot CPU; IRQ 0 on GSI 2 (QEMU's override on pc and q35), masked now
// that the local APIC timer ticks; the keyboard and COM1 on their own GSIs, unmasked.
KTEST(io_apic_entries_read_back_as_routed)
{
    const struct irq_apic_info *a = irq_apic_info();
    const unsigned irqs[] = {IRQ_TIMER, IRQ_KEYBOARD, 4}, pins[] = {2, 1, 4};
    for (unsigned i = 0; i < 3; i++) {
        const struct irq_apic_route *r = &a->irqs[irqs[i]];
        KT_ASSERT(r->routed);
        KT_ASSERT_EQ(r->chip, 0);
        KT_ASSERT_EQ(r->pin, pins[i]);
        KT_ASSERT_EQ(r->gsi, pins[i]);
        uint64_t entry;
        KT_ASSERT_EQ(irq_apic_entry(irqs[i], &entry), 0);
        uint64_t want = (uint64_t)a->dest << IOAPIC_DEST_SHIFT | (IRQ_VECTOR_BASE + irqs[i]);
        if (irqs[i] == IRQ_TIMER)
            want |= IOAPIC_MASKED;
        KT_ASSERT_EQ(entry, want);
    }
    KT_ASSERT_EQ(a->dest, lapic_read(LAPIC_ID) >> 24);
    uint64_t entry;
    KT_ASSERT_EQ(irq_apic_entry(3, &entry), E_NOENT); // nothing asked for IRQ 3
}

KTEST(local_apic_timer_is_periodic_on_vector_32)
{
    const struct irq_apic_info *a = irq_apic_info();
    KT_ASSERT_EQ(lapic_read(LAPIC_LVT_TIMER), LAPIC_TIMER_PERIODIC | IRQ_VECTOR_BASE);
    KT_ASSERT_EQ(lapic_read(LAPIC_TIMER_INITIAL), a->count);
    KT_ASSERT_EQ(lapic_read(LAPIC_TIMER_DIVIDE), 0x3); // divide by 16
    KT_ASSERT_EQ(a->divide, IRQ_APIC_TIMER_DIVIDE);
    KT_ASSERT(lapic_read(LAPIC_TIMER_CURRENT) <= a->count);
}

// APIC_RATE_TICKS ticks timed by the TSC, whose rate the calibration measured against the PIT:
// the rate they give against the PIT's (the one asked for), the error printed, generous bounds.
KTEST(timer_ticks_at_the_asked_rate_against_the_tsc)
{
    uint64_t khz = irq_apic_info()->tsc_khz;
    KT_ASSERT(khz > 0);
    uint64_t t0 = pit_ticks();
    while (pit_ticks() == t0)
        cpu_halt();
    // Each end read at once, interrupts off (another thread may run between the edge and here).
    unsigned long flags = hw_irq_save();
    uint64_t k0 = pit_ticks(), c0 = cpu_rdtsc(), irqs = irq_count(IRQ_TIMER);
    hw_irq_restore(flags);
    while (pit_ticks() < k0 + APIC_RATE_TICKS)
        cpu_halt();
    flags = hw_irq_save();
    uint64_t k1 = pit_ticks(), c1 = cpu_rdtsc(), irqs1 = irq_count(IRQ_TIMER);
    hw_irq_restore(flags);
    KT_ASSERT_EQ(irqs1 - irqs, k1 - k0); // every tick is one vector-32 interrupt
    uint64_t ns = tsc_cycles_to_ns(c1 - c0, khz);
    uint64_t got_mhz = (k1 - k0) * 1000000000000ull / ns; // millihertz
    uint64_t want_mhz = pit_frequency_mhz();
    uint64_t diff = got_mhz > want_mhz ? got_mhz - want_mhz : want_mhz - got_mhz;
    uint64_t ppm = diff * 1000000 / want_mhz;
    kprintf(
        "\napic timer: %u ticks in %llu us: %llu.%03llu Hz for %llu.%03llu Hz asked, error %llu "
        "ppm (%s)\n",
        APIC_RATE_TICKS, (unsigned long long)(ns / 1000), (unsigned long long)(got_mhz / 1000),
        (unsigned long long)(got_mhz % 1000), (unsigned long long)(want_mhz / 1000),
        (unsigned long long)(want_mhz % 1000), (unsigned long long)ppm,
        got_mhz > want_mhz ? "fast" : "slow");
    KT_ASSERT(ppm <= (got_mhz > want_mhz ? APIC_RATE_FAST_PPM : APIC_RATE_SLOW_PPM));
}

// A spurious interrupt (raised here as a software interrupt on its vector) is counted and
// returns; no EOI, and the ticks go on.
KTEST(spurious_vector_is_counted_not_fatal)
{
    uint64_t before = irq_apic_spurious_count();
    __asm__ volatile("int $0xff");
    KT_ASSERT_EQ(irq_apic_spurious_count(), before + 1);
    uint64_t t0 = pit_ticks();
    while (pit_ticks() < t0 + 2)
        cpu_halt();
}

KTEST(keyboard_reaches_the_shell_through_the_io_apic)
{
    KT_ASSERT(tasks_run_until(wait_example_done, NULL, 200));
    uint64_t lines = shell_lines(), irqs = irq_count(IRQ_KEYBOARD);
    KT_ASSERT(ktest_host_type("typed via ioapic\n"));
    KT_ASSERT(tasks_run_until(wait_shell_line_ran, &lines, 300));
    KT_ASSERT_STR_EQ(shell_history(0), "typed via ioapic");
    KT_ASSERT(irq_count(IRQ_KEYBOARD) - irqs >= 17); // at least one scancode a key
}

KTEST(serial_reaches_the_shell_through_the_io_apic)
{
    uint64_t lines = shell_lines(), irqs = irq_count(4);
    KT_ASSERT(ktest_host_serial("sent via ioapic\r"));
    KT_ASSERT(tasks_run_until(wait_shell_line_ran, &lines, 300));
    KT_ASSERT_STR_EQ(shell_history(0), "sent via ioapic");
    KT_ASSERT(irq_count(4) - irqs >= 1);
}
