// Reboot and power-off (see power.h).
#include "kernel/power.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/pit.h"
#include "kernel/console.h"
#include "kernel/stage.h"
#include "platform/x86_64/cpu.h"

// PCI configuration mechanism #1: the address (enable bit 31, bus 23-16, device 15-11, function
// 10-8, register 7-2) goes to 0xcf8, the 32-bit register is then read at 0xcfc.
#define PCI_ADDRESS 0xcf8
#define PCI_DATA    0xcfc
// The PIIX4's power-management function: PCI 00:01.3, vendor 8086 device 7113 (Intel 82371AB
// datasheet, section 3.2: PMBA at 0x40, bits 15-6 the I/O base; PMREGMISC at 0x80, bit 0 PMIOSE,
// the PM I/O space enabled).
#define PIIX4_PM_DEVICE 1
#define PIIX4_PM_FUNC   3
#define PIIX4_PM_ID     0x71138086u
#define PIIX4_PMBA      0x40
#define PIIX4_PMREGMISC 0x80
#define PIIX4_PMIOSE    0x01
#define PIIX4_PMBA_MASK 0xffc0u
#define PM1A_CNT        0x04      // PM1a control register, 16 bits, at PMBA + 4
#define PM1_SLP_EN      (1 << 13) // bit 13: enter the sleep state SLP_TYP (bits 12-10) names
#define PM1_SLP_TYP_S5  (0 << 10) // S5 (soft off) in QEMU's \_S5 package for the PIIX4
// The PS/2 controller: status register bit 1 set while the controller has not taken the last
// byte written; command 0xfe pulses output port bit 0, the CPU reset line.
#define PS2_STATUS        0x64
#define PS2_COMMAND       0x64
#define PS2_INPUT_FULL    0x02
#define PS2_PULSE_RESET   0xfe
#define PS2_WAIT_LIMIT    100000u
#define SETTLE_TICKS      10        // timer ticks a step gets to take effect
#define SETTLE_SPIN_LIMIT 50000000u // ... or this many pauses when the timer does not tick

static uint32_t pci_read(unsigned device, unsigned func, unsigned reg)
{
    hw_outl(PCI_ADDRESS, 0x80000000u | (uint32_t)device << 11 | (uint32_t)func << 8 | (reg & 0xfc));
    return hw_inl(PCI_DATA);
}

// Gives the last step time to act: a reset or power-off request takes QEMU a moment.
// GCOVR_EXCL_START: what runs after a write that ends the machine is never counted (the
// coverage data left in last_words), and every machine the test runner boots does end there.
static void settle(void)
{
    uint64_t start = pit_ticks();
    for (uint32_t spins = 0; spins < SETTLE_SPIN_LIMIT && pit_ticks() - start < SETTLE_TICKS;
         spins++)
        hw_relax();
}
// GCOVR_EXCL_STOP

// The machine is about to go away: STAGE_EXIT's last words (coverage data, in images that have
// them), with interrupts off as that stage promises. Called right before the write that ends the
// machine, so what led up to it is in the data; the stage's hooks run only the first time.
static void last_words(void)
{
    unsigned long flags = hw_irq_save();
    stage_reached(STAGE_EXIT);
    (void)console_flush_serial(); // what was printed leaves COM1 before the machine stops
    hw_irq_restore(flags);
}

_Noreturn void power_reboot(void)
{
    kprintf("reboot: pulsing the reset line through the PS/2 controller\n");
    for (uint32_t i = 0; i < PS2_WAIT_LIMIT && (hw_inb(PS2_STATUS) & PS2_INPUT_FULL); i++)
        hw_relax();
    last_words();
    hw_outb(PS2_COMMAND, PS2_PULSE_RESET); // command 0xfe: pulse the CPU reset line
    settle();                              // GCOVR_EXCL_START: after the end (see settle)
    kprintf("reboot: still running; triple-faulting\n");
    cpu_triple_fault();
} // GCOVR_EXCL_STOP

// The PIIX4 PM function's I/O base, or 0 when the machine has none (or its I/O space is off).
static uint16_t piix4_pm_base(void)
{
    if (pci_read(PIIX4_PM_DEVICE, PIIX4_PM_FUNC, 0) != PIIX4_PM_ID)
        return 0;
    if (!(pci_read(PIIX4_PM_DEVICE, PIIX4_PM_FUNC, PIIX4_PMREGMISC) & PIIX4_PMIOSE))
        return 0;
    return (uint16_t)(pci_read(PIIX4_PM_DEVICE, PIIX4_PM_FUNC, PIIX4_PMBA) & PIIX4_PMBA_MASK);
}

int power_off(void)
{
    uint16_t pm = piix4_pm_base();
    if (pm != 0) {
        kprintf("poweroff: ACPI S5 through the PIIX4 PM control register at port %#x\n",
                pm + PM1A_CNT);
        last_words();
        hw_outw((uint16_t)(pm + PM1A_CNT), PM1_SLP_EN | PM1_SLP_TYP_S5);
        settle(); // GCOVR_EXCL_START: after the end (see settle)
        kprintf("poweroff: still running after the ACPI request\n");
        // GCOVR_EXCL_STOP
    } else {
        kprintf("poweroff: no PIIX4 ACPI power management (PCI 00:01.3)\n");
    }
    kprintf("poweroff: trying QEMU's isa-debug-exit at port %#x\n", POWER_DEBUG_EXIT_PORT);
    last_words();
    hw_outl(POWER_DEBUG_EXIT_PORT, POWER_DEBUG_EXIT_VALUE);
    settle(); // GCOVR_EXCL_START: after the end (see settle)
    kprintf("poweroff: cannot power off this machine (no PIIX4 power management, no "
            "isa-debug-exit); it stays on\n");
    return E_IO;
} // GCOVR_EXCL_STOP
