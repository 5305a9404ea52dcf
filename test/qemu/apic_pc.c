/*
 * Interrupts through the I/O APIC on QEMU's default pc machine (i440FX, PIIX3), booted by PVH:
 * apic_cases.h's checks, at the default 100 Hz.
 *
 * qemu-scenario
 * timeout: 30
 * expect-serial: ^irq: I/O APIC; LAPIC timer [0-9]+\.[0-9]{3} MHz /16, [0-9]+ per 99\.998 Hz tick; pins: IRQ0->2 \(masked\) IRQ1->1 IRQ4->4$
 * expect-serial: ^apic timer: [0-9]+ ticks in
 */
#include "test/qemu/apic_cases.h"
