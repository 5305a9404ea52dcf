/*
 * Interrupts through the I/O APIC on a q35 machine (ICH9), booted by PVH, the tick at 250 Hz:
 * apic_cases.h's checks.
 *
 * qemu-scenario
 * args: -machine q35
 * cmdline: timer_hz=250
 * timeout: 30
 * expect-serial: ^irq: I/O APIC; LAPIC timer [0-9]+\.[0-9]{3} MHz /16, [0-9]+ per 249\.985 Hz tick; pins: IRQ0->2 \(masked\) IRQ1->1 IRQ4->4$
 * expect-serial: ^apic timer: [0-9]+ ticks in
 */
#include "test/qemu/apic_cases.h"
