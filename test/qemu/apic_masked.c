/*
 * A firmware may hand over the local APIC with LINT0 masked (software-disabled, which masks every
 * LVT entry on real hardware, and with a raised task priority here): then not one PIC interrupt
 * reaches the CPU. The early test leaves it so before the kernel's irq_init, which must put it
 * back in virtual wire mode, say so once, and the PIT must tick. (OVMF and SeaBIOS both leave
 * virtual wire mode: see uefi_irq.) QEMU does not mask the LVT entries when the APIC is
 * software-disabled, so the test masks LINT0 itself. On the 8259 path (irq=pic): the I/O APIC path
 * masks LINT0 on purpose.
 *
 * qemu-scenario
 * cmdline: irq=pic
 * expect-serial: ^irq: local xAPIC was not in virtual wire mode \(SVR 0xff, TPR 0x20, LINT0 0x1[0-9a-f]{4},
 */
#include "core/hw.h"
#include "core/lapic.h"
#include "core/pit.h"
#include "kernel/irq.h"
#include "platform/x86_64/apic.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/waits.h"

#define MSR_APIC_BASE 0x1b

static volatile uint32_t *lapic_reg(uint32_t offset)
{
    uint64_t base = cpu_rdmsr(MSR_APIC_BASE) & 0xffffff000ull;
    return (volatile uint32_t *)hw_phys_to_virt(base + offset, 4);
}

KTEST_EARLY(leave_lint0_masked_and_the_apic_software_disabled)
{
    *lapic_reg(LAPIC_TPR) = 0x20;
    *lapic_reg(LAPIC_LVT_LINT0) |= LAPIC_LVT_MASKED;
    *lapic_reg(LAPIC_SVR) = 0xff; // bit 8 clear: software disabled
    KT_ASSERT((*lapic_reg(LAPIC_LVT_LINT0) & LAPIC_LVT_MASKED) != 0);
}

KTEST(irq_init_found_and_fixed_it)
{
    const struct apic_found *apic = irq_apic();
    KT_ASSERT_EQ(apic->mode, APIC_XAPIC);
    KT_ASSERT(apic->changed);
    KT_ASSERT_EQ(apic->before.svr & LAPIC_SVR_ENABLE, 0);
    KT_ASSERT_EQ(*lapic_reg(LAPIC_SVR), LAPIC_SVR_ENABLE | IRQ_APIC_SPURIOUS_VECTOR);
    KT_ASSERT_EQ(*lapic_reg(LAPIC_LVT_LINT0), LAPIC_MODE_EXTINT);
    KT_ASSERT_EQ(*lapic_reg(LAPIC_TPR) & 0xff, 0);
}

KTEST(pit_ticks_through_the_pic)
{
    KT_ASSERT(wait_ticks_halting(20) >= 20);
}
