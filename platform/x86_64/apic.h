// The boot CPU's local APIC as the firmware left it, and the one thing the kernel does with it
// while its interrupts come from the 8259 PICs: virtual wire mode (core/lapic.h), so the PICs'
// INTR reaches the CPU whatever a UEFI firmware left behind (docs/uefi.md).
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/lapic.h"

enum apic_mode {
    APIC_ABSENT,   // CPUID.01H:EDX.APIC[bit 9] is 0: INTR goes straight to the CPU
    APIC_DISABLED, // IA32_APIC_BASE bit 11 clear: globally disabled, left so
    APIC_XAPIC,    // enabled, registers memory-mapped at `base`
    APIC_X2APIC,   // enabled in x2APIC mode (bit 10), registers in MSRs 0x800-0x8ff
};

struct apic_found {
    enum apic_mode mode;
    uint64_t base;             // physical address of the xAPIC's page (IA32_APIC_BASE)
    struct lapic_state before; // as the firmware left it (APIC_XAPIC and APIC_X2APIC only)
    bool changed;              // before was not virtual wire mode, so the kernel set it
};

// Finds the local APIC and, when it is enabled, records its registers in out->before and puts it
// in virtual wire mode with spurious interrupts on spurious_vector (the caller's handler must
// return without an EOI). An absent or globally disabled APIC is left alone (returns true); so
// is an xAPIC whose page is not in the direct map, and then it returns false. Call with interrupts off, after vm_init (the xAPIC's page is
// reached through the direct map: write-back in the page tables, but the firmware's MTRRs make
// the APIC's range uncacheable, and UC wins).
bool apic_route_pic(uint8_t spurious_vector, struct apic_found *out);

// The boot CPU's local APIC registers (xAPIC page or x2APIC MSRs) once apic_route_pic has found
// it enabled and set it up; NULL before, and when it was absent, disabled or out of reach.
const struct lapic_io *apic_io(void);

// The mode's name: "absent", "disabled", "xAPIC" or "x2APIC".
const char *apic_mode_name(enum apic_mode mode);

// The running CPU's local APIC registers, for the IPIs of kernel/smp (core/lapic.h): xAPIC through
// the direct map, or x2APIC's MSRs (io->write_icr set). Returns false when the CPU has no APIC
// (CPUID.01H:EDX bit 9), it is globally disabled, or its xAPIC page is outside the direct map.
// Call after vm_init.
bool apic_cpu_io(struct lapic_io *out);
