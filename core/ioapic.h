// The I/O APIC (Intel 82093AA I/O APIC datasheet, sections 3.0-3.2): the chip that takes the
// machine's interrupt lines (global system interrupts, GSIs; the ISA IRQs among them) and sends
// each as a message to a local APIC, with the vector, trigger and polarity its redirection entry
// gives. Its registers sit behind an index/data pair: the register's index is written to IOREGSEL
// (offset 0x00 of its page), then the register is read or written through IOWIN (offset 0x10).
//
// The pair is reached through a caller-supplied pair of functions (struct ioapic_io, the shape of
// core/lapic's), so the host tests hand it a model of the chip. Not thread safe: an access is two
// steps (select, then read or write), so the caller serialises every call on one chip (one CPU
// with interrupts off, or a lock).
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

// Offsets in the chip's page (datasheet 3.0, table 1).
#define IOAPIC_REGSEL 0x00 // the index of the register IOWIN reaches
#define IOAPIC_WIN    0x10 // the selected register's data

// Register indexes (datasheet 3.2, table 2).
#define IOAPIC_REG_ID    0x00 // bits 24-27: the chip's APIC id
#define IOAPIC_REG_VER   0x01 // bits 0-7 version, bits 16-23 the highest redirection entry's index
#define IOAPIC_REG_REDIR 0x10 // redirection entry n: low half at 0x10 + 2n, high half at 0x11 + 2n

// Redirection entry bits (datasheet 3.2.4), as the 64-bit entry; the low half holds bits 0-31.
#define IOAPIC_VECTOR_MASK   0xffu
#define IOAPIC_DELIVERY_MASK (7u << 8) // 0: fixed, the only mode ioapic_route sets
#define IOAPIC_DEST_LOGICAL  (1u << 11)
#define IOAPIC_ACTIVE_LOW    (1u << 13)
#define IOAPIC_LEVEL         (1u << 15)
#define IOAPIC_MASKED        (1u << 16)
#define IOAPIC_DEST_SHIFT    56 // bits 56-63: the destination (physical mode: a local APIC id)

#define IOAPIC_FIRST_VECTOR 32 // 0-31 are the CPU's exceptions
// The most entries an 8-bit IOREGSEL can reach (indexes 0x10-0xff); a version register claiming
// more is believed only this far.
#define IOAPIC_PINS_MAX 120

// How the caller reaches the chip: read(ctx, offset) and write(ctx, offset, value), offset
// IOAPIC_REGSEL or IOAPIC_WIN.
struct ioapic_io {
    uint32_t (*read)(void *ctx, uint32_t offset);
    void (*write)(void *ctx, uint32_t offset, uint32_t value);
    void *ctx;
};

// One chip, as ioapic_init read it.
struct ioapic {
    struct ioapic_io io;
    uint8_t id;      // from the ID register
    uint8_t version; // from the version register
    unsigned pins;   // redirection entries: the highest index plus one, at most IOAPIC_PINS_MAX
};

// Reads the chip's ID and version registers into *out (which keeps a copy of io); writes nothing
// else. io and out must not be NULL (KASSERT).
void ioapic_init(struct ioapic *out, const struct ioapic_io *io);

// Masks every pin: writes IOAPIC_MASKED as the low half of every entry, from pin 0 up (the high
// halves are left alone: a masked entry sends nothing whatever its destination).
void ioapic_mask_all(const struct ioapic *a);

// Routes `pin` to `vector`, fixed delivery, physical destination `dest` (a local APIC id), with
// the given polarity and trigger, and leaves it MASKED (ioapic_unmask opens it). The low half, with
// the mask bit set, is written first and the destination after it, so the entry is never live
// half-written. Returns:
//   0        success.
//   E_RANGE  pin is not below a->pins; nothing is written.
//   E_INVAL  vector is below IOAPIC_FIRST_VECTOR (a CPU exception's); nothing is written.
int ioapic_route(const struct ioapic *a, unsigned pin, uint8_t vector, uint8_t dest,
                 bool active_low, bool level);

// Masks or unmasks one pin by a read-modify-write of its entry's low half, the only half that holds
// the mask (the rest of the entry is kept). Returns 0, or E_RANGE when pin is not below a->pins
// (nothing is read or written).
int ioapic_mask(const struct ioapic *a, unsigned pin);
int ioapic_unmask(const struct ioapic *a, unsigned pin);

// Reads `pin`'s whole redirection entry into *entry (low half first). Returns 0, or E_RANGE when
// pin is not below a->pins (nothing is read, *entry is left alone).
int ioapic_read_entry(const struct ioapic *a, unsigned pin, uint64_t *entry);
