// The CPU's local APIC, as far as a kernel whose interrupts come from the 8259 PICs needs it:
// reading the state the firmware left it in, and putting it in virtual wire mode, where the PICs'
// INTR output reaches the CPU through the APIC's LINT0 pin (ExtINT delivery: the CPU then asks the
// PIC for the vector, as without an APIC). A BIOS hands over the APIC that way; a UEFI firmware
// may leave anything (docs/uefi.md), and with LINT0 masked not one PIC interrupt arrives.
//
// The registers are reached through a caller-supplied pair of functions, so the same code serves
// the xAPIC (memory-mapped, 4 KiB at IA32_APIC_BASE) and the x2APIC (MSR 0x800 + offset / 16),
// and the host tests hand it a register file. Not thread safe: one CPU, interrupts off.
#pragma once

#include <stdbool.h>
#include <stdint.h>

// Register offsets in the xAPIC's page (Intel SDM vol. 3A, table 11-1).
#define LAPIC_VERSION     0x030 // bits 0-7 version, bits 16-23 the highest LVT entry's index
#define LAPIC_TPR         0x080 // task priority: interrupts at or below it are held back
#define LAPIC_SVR         0x0f0 // spurious vector (bits 0-7) and software enable (bit 8)
#define LAPIC_LVT_CMCI    0x2f0 // LVT entry 6: corrected machine-check interrupt
#define LAPIC_LVT_TIMER   0x320 // LVT entry 0
#define LAPIC_LVT_THERMAL 0x330 // LVT entry 5
#define LAPIC_LVT_PERF    0x340 // LVT entry 4: performance-counter overflow
#define LAPIC_LVT_LINT0   0x350 // LVT entry 1: the LINT0 pin, where the PICs' INTR arrives
#define LAPIC_LVT_LINT1   0x360 // LVT entry 2: the LINT1 pin, where NMI arrives
#define LAPIC_LVT_ERROR   0x370 // LVT entry 3

// LVT entry bits: vector in 0-7, delivery mode in 8-10, mask in 16.
#define LAPIC_LVT_MASKED    (1u << 16)
#define LAPIC_LVT_MODE_MASK (7u << 8)
#define LAPIC_MODE_FIXED    (0u << 8)
#define LAPIC_MODE_NMI      (4u << 8)
#define LAPIC_MODE_EXTINT   (7u << 8)
#define LAPIC_SVR_ENABLE    (1u << 8)

// How the caller reaches the registers: read(ctx, offset) and write(ctx, offset, value), offset
// one of the LAPIC_* above.
struct lapic_io {
    uint32_t (*read)(void *ctx, uint32_t offset);
    void (*write)(void *ctx, uint32_t offset, uint32_t value);
    void *ctx;
};

// The registers that decide whether the PICs' interrupts get through, as read.
struct lapic_state {
    uint32_t version, tpr, svr;
    uint32_t lvt_timer, lvt_lint0, lvt_lint1, lvt_error;
};

// Reads the registers of struct lapic_state (only those; no write).
void lapic_read_state(const struct lapic_io *io, struct lapic_state *out);

// Returns true when `s` is virtual wire mode as lapic_virtual_wire leaves it: software enabled,
// task priority 0, LINT0 unmasked ExtINT, LINT1 unmasked NMI, and the timer and error entries
// masked (the timer's vector is often 32, the first PIC vector: unmasked, it would be taken for
// IRQ 0 and never get the APIC's EOI it needs).
bool lapic_is_virtual_wire(const struct lapic_state *s);

// Puts the APIC in virtual wire mode (MultiProcessor Specification 1.4, section 3.6.2.2): task
// priority 0; software enabled with spurious interrupts on `spurious_vector` (which the caller
// handles by returning, without an EOI); every LVT entry the version register says exists masked
// (timer, error, performance counter, thermal, CMCI) but LINT0, ExtINT, and LINT1, NMI, both
// edge-triggered and active high. The enable comes first: while the APIC is software disabled
// its LVT masks cannot be cleared. A vector below 32 is a caller bug (KASSERT): those are the
// CPU's exceptions.
void lapic_virtual_wire(const struct lapic_io *io, uint8_t spurious_vector);
