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

#include "core/acpi.h" // lapic_setup_ap reads the MADT's NMI wiring
#include "core/err.h"

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
    // x2APIC only: writes the 64-bit interrupt command register (MSR 0x830). NULL on an xAPIC,
    // whose ICR is the two 32-bit registers LAPIC_ICR_HIGH and LAPIC_ICR_LOW.
    void (*write_icr)(void *ctx, uint64_t value);
};

// ---- Timer and EOI -------------------------------------------------------------------------------
// What a kernel whose interrupts come through the I/O APIC needs of its local APIC (the CPU's id,
// the I/O APIC's destination, is lapic_read_id's, below): the end of interrupt, and the timer
// (Intel SDM vol. 3A, 11.5.4): a counter that counts down from its initial count at the bus clock divided by the divide
// configuration, raising the LVT timer entry's vector at 0, once or (periodic) every time it
// reloads. The timer's rate is not architectural: lapic_timer_hz and lapic_timer_count are the
// arithmetic of measuring it against a reference clock (host-tested; the kernel reads the clocks).

#define LAPIC_EOI            0x0b0 // write 0: the highest-priority in-service interrupt ends
#define LAPIC_TIMER_INITIAL  0x380 // initial count: writing it (re)starts the count; 0 stops it
#define LAPIC_TIMER_CURRENT  0x390 // current count (read-only)
#define LAPIC_TIMER_DIVIDE   0x3e0 // divide configuration: bits 0, 1 and 3
#define LAPIC_TIMER_PERIODIC (1u << 17) // LVT timer bits 17-18: 00 one-shot, 01 periodic

// Ends the interrupt in service: writes 0 to the EOI register. Not for the spurious vector, which
// sets no in-service bit (Intel SDM 11.9).
void lapic_eoi(const struct lapic_io *io);

// Sets the timer's divide configuration to `divisor` (1, 2, 4, ..., 128; SDM figure 11-10).
// Returns 0, or E_INVAL for any other divisor (nothing is written).
int lapic_timer_divide(const struct lapic_io *io, uint32_t divisor);

// Starts the timer: writes the LVT timer entry (`vector`, one-shot or, with LAPIC_TIMER_PERIODIC
// in `flags`, periodic; with LAPIC_LVT_MASKED it counts without interrupting), then the initial
// count, which starts the count-down. Returns 0, or E_INVAL (nothing written) when vector is below
// 32, initial is 0 (that stops the timer) or flags holds another bit.
int lapic_timer_start(const struct lapic_io *io, uint8_t vector, uint32_t flags, uint32_t initial);

// Stops the timer: the initial count to 0 (the count stops), then the LVT timer entry masked.
void lapic_timer_stop(const struct lapic_io *io);

// The current count.
uint32_t lapic_timer_current(const struct lapic_io *io);

// The timer's rate in Hz from `counts` it counted down while a reference clock of `ref_hz` advanced
// by `ref_elapsed`: counts * ref_hz / ref_elapsed, rounded down, computed without overflow.
// Returns 0 with *hz set; E_INVAL when counts, ref_elapsed or ref_hz is 0 (nothing was measured),
// E_RANGE when the rate does not fit in 64 bits or ref_elapsed * ref_hz does not (the split
// division's remainder product; over 2^64 / ref_hz reference ticks, 150 days of PIT clocks).
int lapic_timer_hz(uint64_t counts, uint64_t ref_elapsed, uint64_t ref_hz, uint64_t *hz);

// The initial count that makes a timer of `timer_hz` interrupt at `rate_mhz` millihertz:
// timer_hz * 1000 / rate_mhz rounded to the nearest (halves up). Returns 0 with *count set; E_INVAL
// when timer_hz or rate_mhz is 0; E_RANGE when the count would be 0 (the rate is faster than the
// timer) or above 0xffffffff (slower than the 32-bit counter can wait).
int lapic_timer_count(uint64_t timer_hz, uint32_t rate_mhz, uint32_t *count);
// ---- end of timer and EOI -----------------------------------------------------------------------

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

// ---- inter-processor interrupts ----
//
// The interrupt command register (Intel SDM vol. 3A, 11.6.1): an xAPIC takes the destination in
// ICR high (0x310, bits 24-31) and sends when ICR low (0x300) is written, then shows the send
// pending in ICR low's delivery-status bit until the target's APIC accepted it. An x2APIC has one
// 64-bit ICR (MSR 0x830: destination in bits 32-63) and no delivery status. Every IPI here is
// physical destination mode, no shorthand, edge-triggered with the level bit set (the SDM: 1 for
// every delivery mode but INIT de-assert, which this kernel never sends). Callers serialise: one
// CPU's ICR is one register, so two senders on one CPU must not interleave (interrupts off).
#define LAPIC_ID       0x020 // xAPIC: the APIC id in bits 24-31 (x2APIC: the whole 32 bits)
#define LAPIC_ICR_LOW  0x300 // vector 0-7, delivery mode 8-10, status 12, level 14, trigger 15
#define LAPIC_ICR_HIGH 0x310 // xAPIC: destination APIC id in bits 24-31

#define LAPIC_ICR_FIXED   (0u << 8)
#define LAPIC_ICR_INIT    (5u << 8)
#define LAPIC_ICR_STARTUP (6u << 8)
#define LAPIC_ICR_PENDING (1u << 12) // delivery status: 1 while the send is pending (xAPIC)
#define LAPIC_ICR_ASSERT  (1u << 14) // level: assert

#define LAPIC_ICR_POLLS   100000u   // delivery-status reads before a send is declared stuck
#define LAPIC_XAPIC_MAXID 0xffu     // the highest destination an xAPIC's ICR can name
#define LAPIC_SIPI_LIMIT  0x100000u // a start-up page lies below 1 MiB (its number is 8 bits)

// Sends the IPI whose ICR low word is `low` to APIC id `dest`. xAPIC (io->write_icr NULL): writes
// ICR high with the destination, then ICR low, then reads ICR low until its delivery status is
// idle, at most LAPIC_ICR_POLLS times. x2APIC: one write_icr(dest << 32 | low). Returns 0, E_RANGE
// for a dest above LAPIC_XAPIC_MAXID on an xAPIC (nothing written), or E_IO when the delivery
// status never cleared (the IPI may or may not have gone).
int lapic_send_ipi(const struct lapic_io *io, uint32_t dest, uint32_t low);

// INIT (assert) to `dest`: the target resets into wait-for-SIPI (low word 0x4500). As
// lapic_send_ipi.
int lapic_send_init(const struct lapic_io *io, uint32_t dest);

// Start-up IPI to `dest`: the target, waiting for SIPI, starts in real mode at CS:IP =
// (page >> 4):0, i.e. at physical `page` (low word 0x4600 | page >> 12). page must be 4 KiB
// aligned and below LAPIC_SIPI_LIMIT (KASSERT). As lapic_send_ipi.
int lapic_send_startup(const struct lapic_io *io, uint32_t dest, uint64_t page);

// A fixed interrupt on `vector` to `dest` (low word 0x4000 | vector). A vector below 32 is a
// caller bug (KASSERT): those are the CPU's exceptions. As lapic_send_ipi.
int lapic_send_fixed(const struct lapic_io *io, uint32_t dest, uint8_t vector);

// This CPU's APIC id: the ID register's bits 24-31 on an xAPIC, all 32 bits on an x2APIC.
uint32_t lapic_read_id(const struct lapic_io *io);

// Sets up an application processor's APIC, which comes out of INIT with every LVT entry masked:
// task priority 0; software enabled with spurious interrupts on spurious_vector (KASSERT >= 32);
// timer, error and the performance, thermal and CMCI entries the version register lists masked;
// LINT0 and LINT1 masked unless the MADT wires them to NMI for this processor (a local APIC or
// x2APIC NMI entry naming `uid` or every processor): then NMI, active low when the entry says so
// (NMI is always edge-triggered, whatever the entry's trigger). madt may be NULL: both masked.
// Its PIC input (ExtINT on LINT0) stays the boot CPU's alone.
void lapic_setup_ap(const struct lapic_io *io, uint8_t spurious_vector,
                    const struct acpi_madt *madt, uint32_t uid);
