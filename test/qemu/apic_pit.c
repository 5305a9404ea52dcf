/*
 * `irq=pit`: the I/O APIC path with the PIT, not the local APIC timer, as the tick, on q35. IRQ 0
 * arrives at GSI 2 by the MADT's interrupt source override (pin 0 is the 8259's INTR on QEMU's
 * I/O APIC), unmasked there, with EOIs to the local APIC; the local APIC timer stays masked; the
 * ticks arrive at the PIT's rate measured against the TSC.
 *
 * qemu-scenario
 * args: -machine q35
 * cmdline: irq=pit
 * expect-serial: ^irq: I/O APIC; PIT tick 99\.998 Hz \(divisor 11932\); pins: IRQ0->2 IRQ1->1 IRQ4->4$
 */
#include "core/ioapic.h"
#include "core/lapic.h"
#include "core/pic.h"
#include "core/pit.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/waits.h"

KTEST(the_pit_ticks_through_gsi_2)
{
    const struct irq_apic_info *a = irq_apic_info();
    KT_ASSERT(a->active);
    KT_ASSERT(a->pit_tick);
    KT_ASSERT_EQ(a->irqs[IRQ_TIMER].gsi, 2);
    uint64_t entry;
    KT_ASSERT_EQ(irq_apic_entry(IRQ_TIMER, &entry), 0);
    KT_ASSERT_EQ(entry, (uint64_t)a->dest << IOAPIC_DEST_SHIFT | IRQ_VECTOR_BASE);
    KT_ASSERT_EQ(pic_get_mask(), 0xffff);
    const struct lapic_io *io = irq_apic_lapic();
    KT_ASSERT(io != NULL);
    KT_ASSERT_EQ(io->read(io->ctx, LAPIC_LVT_TIMER) & LAPIC_LVT_MASKED, LAPIC_LVT_MASKED);
}

// 20 ticks are 20 IRQ 0 interrupts, evenly spaced against the TSC (two intervals of 20 ticks
// within a factor of two of each other, as the timer scenario checks the 8259 path).
KTEST(ticks_arrive_at_the_pits_rate)
{
    KT_ASSERT(wait_ticks_halting(20) >= 20);
    uint64_t first, second;
    wait_two_tick_intervals(20, &first, &second);
    KT_ASSERT(first < 2 * second && second < 2 * first);
}
