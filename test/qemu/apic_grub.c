/*
 * Interrupts through the I/O APIC on the pc machine, booted by GRUB (multiboot2), the tick at
 * 1000 Hz: apic_cases.h's checks.
 *
 * qemu-scenario
 * boot: iso
 * cmdline: timer_hz=1000
 * timeout: 30
 * expect-serial: ^irq: I/O APIC; LAPIC timer [0-9]+\.[0-9]{3} MHz /16, [0-9]+ per 1000\.152 Hz tick; pins: IRQ0->2 \(masked\) IRQ1->1 IRQ4->4$
 * expect-serial: ^apic timer: [0-9]+ ticks in
 */
#include "test/qemu/apic_cases.h"
