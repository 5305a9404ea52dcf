/*
 * The timer, the keyboard and serial work after a UEFI boot. An early test, before the kernel
 * touches any interrupt hardware, prints what OVMF left: the local APIC's registers, the PICs'
 * masks and the IO APIC's routes. Then irq_init takes the I/O APIC path (OVMF's MADT lists the
 * I/O APIC): the 8259s and LINT0 masked, the local APIC timer ticks, and keys typed over QMP
 * reach the shell through the I/O APIC.
 *
 * qemu-scenario
 * boot: uefi
 * expect-serial: ^firmware left: local APIC base 0x[0-9a-f]+ \(\w+\), SVR 0x
 * expect-serial: ^firmware left: PIC masks 0x[0-9a-f]+, IRR 0x[0-9a-f]+, ISR 0x[0-9a-f]+$
 * expect-serial: ^firmware left: IO APIC of [0-9]+ pins, [0-9]+ unmasked$
 * expect-serial: ^irq: I/O APIC; LAPIC timer [0-9]+\.[0-9]{3} MHz /16, [0-9]+ per 99\.998 Hz tick; pins: IRQ0->2 \(masked\) IRQ1->1 IRQ4->4$
 * expect-serial: ^unknown command "typed"
 * screen typed: row 22 = "> typed on UEFI"
 * screen typed: row 24 = ">"
 */
#include "core/hw.h"
#include "core/ioapic.h"
#include "core/lapic.h"
#include "core/pic.h"
#include "core/pit.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"
#include "kernel/keyboard.h"
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "platform/x86_64/apic.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"
#include "test/qemu/waits.h"

#define MSR_APIC_BASE 0x1b
#define IOAPIC_BASE   0xfec00000u // QEMU's (the MADT would say; early tests run before ACPI is read)

static uint32_t xapic_read(void *ctx, uint32_t offset)
{
    return hw_mmio_read32((uintptr_t)ctx + offset);
}

static void xapic_write(void *ctx, uint32_t offset, uint32_t value)
{
    hw_mmio_write32((uintptr_t)ctx + offset, value);
}

static uint32_t ioapic_read(uintptr_t base, uint32_t reg)
{
    hw_mmio_write32(base, reg);         // IOREGSEL
    return hw_mmio_read32(base + 0x10); // IOWIN
}

KTEST_EARLY(print_what_the_firmware_left)
{
    uint64_t msr = cpu_rdmsr(MSR_APIC_BASE);
    uint64_t base = msr & 0xffffff000ull;
    void *page = hw_phys_to_virt(base, 0x400);
    KT_ASSERT(page != NULL);
    struct lapic_io io = {xapic_read, xapic_write, page, NULL};
    struct lapic_state s;
    lapic_read_state(&io, &s);
    kprintf("\nfirmware left: local APIC base %#llx (%s), SVR 0x%x, TPR 0x%x, LINT0 0x%x, "
            "LINT1 0x%x, timer 0x%x, error 0x%x: %s\n",
            (unsigned long long)base, (msr & (1u << 11)) ? "enabled" : "disabled", s.svr, s.tpr,
            s.lvt_lint0, s.lvt_lint1, s.lvt_timer, s.lvt_error,
            lapic_is_virtual_wire(&s) ? "virtual wire mode" : "not virtual wire mode");
    kprintf("firmware left: PIC masks 0x%x, IRR 0x%x, ISR 0x%x\n", pic_get_mask(), pic_read_irr(),
            pic_read_isr());
    uintptr_t ioapic = (uintptr_t)hw_phys_to_virt(IOAPIC_BASE, 0x20);
    KT_ASSERT(ioapic != 0);
    unsigned pins = ((ioapic_read(ioapic, IOAPIC_REG_VER) >> 16) & 0xffu) + 1, unmasked = 0;
    for (unsigned pin = 0; pin < pins; pin++) {
        uint32_t low = ioapic_read(ioapic, IOAPIC_REG_REDIR + 2 * pin);
        if ((low & IOAPIC_MASKED) == 0) {
            unmasked++;
            kprintf("firmware left: IO APIC pin %u -> 0x%x\n", pin, low);
        }
    }
    kprintf("firmware left: IO APIC of %u pins, %u unmasked\n", pins, unmasked);
}

KTEST(interrupts_come_through_the_io_apic)
{
    const struct apic_found *apic = irq_apic();
    KT_ASSERT_EQ(apic->mode, APIC_XAPIC);
    KT_ASSERT(irq_apic_info()->active);
    struct lapic_io io = {xapic_read, xapic_write, hw_phys_to_virt(apic->base, 0x400), NULL};
    KT_ASSERT_EQ(xapic_read(io.ctx, LAPIC_LVT_LINT0) & LAPIC_LVT_MASKED, LAPIC_LVT_MASKED);
    KT_ASSERT_EQ(pic_get_mask(), 0xffff);
    uint64_t entry;
    KT_ASSERT_EQ(irq_apic_entry(IRQ_KEYBOARD, &entry), 0);
    KT_ASSERT_EQ(entry & (IOAPIC_MASKED | 0xff), IRQ_VECTOR_BASE + IRQ_KEYBOARD);
}

// Each hlt returns at the next interrupt: 20 ticks are 20 timer interrupts (the bound catches a
// wake-up that was no tick, the scenario's timeout an interrupt that never comes).
KTEST(local_apic_timer_ticks)
{
    KT_ASSERT(wait_ticks_halting(20) >= 20);
}

// The keys reach the shell through IRQ 1's I/O APIC pin and the keyboard task, decoded as typed.
KTEST(typed_keys_arrive)
{
    KT_ASSERT(tasks_run_until(wait_example_done, NULL, 100));
    uint64_t lines = shell_lines(), keys = shell_keys(SHELL_KEYBOARD);
    KT_ASSERT(ktest_host_type("typed on UEFI\n"));
    KT_ASSERT(tasks_run_until(wait_shell_line_ran, &lines, 200));
    KT_ASSERT_EQ(shell_keys(SHELL_KEYBOARD) - keys, 14);
    KT_ASSERT_STR_EQ(shell_history(0), "typed on UEFI");
    KT_ASSERT_EQ(keyboard_dropped(), 0);
    // Echoed on the framebuffer by the shell, read back from its pixels by the runner.
    KT_ASSERT(ktest_host_check_screen("typed"));
}
