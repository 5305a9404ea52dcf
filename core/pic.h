// The two cascaded 8259A programmable interrupt controllers of the PC (master at 0x20/0x21, slave at
// 0xA0/0xA1, the slave's output wired to the master's IRQ 2): remapping, masking, end of
// interrupt, the in-service and request registers, and spurious IRQ 7/15 detection.
//
// Not thread safe beyond one CPU: the kernel runs on one CPU, and the only functions an interrupt
// handler calls (pic_eoi, pic_is_spurious) write the command ports, which nothing else in the
// kernel leaves in an intermediate state. pic_mask and pic_unmask disable interrupts around their
// read-modify-write so a handler cannot interleave its own.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

#define PIC_IRQS          16 // IRQ 0-7 on the master, 8-15 on the slave
#define PIC_CASCADE_IRQ   2  // the master input the slave is wired to
#define PIC_MASTER_OFFSET 32 // the vectors the kernel uses: 32-39 and 40-47
#define PIC_SLAVE_OFFSET  40

// Initialises both chips (ICW1-ICW4): edge triggered, cascaded, 8086 mode, normal EOI; master
// IRQ n raises vector master_offset + n, slave IRQ 8 + n raises slave_offset + n. Each ICW write
// is followed by a write to port 0x80 (the POST diagnostic port, unused after boot) through
// hw_outb, which takes about 1 us on the ISA bus and gives the slow chips time between
// commands. Ends with every IRQ masked except IRQ 2, the cascade, so the caller unmasks exactly
// the devices it has handlers for and the slave's IRQs pass once unmasked. Resets the spurious
// counters. Returns:
//   0        success.
//   E_INVAL  an offset is not a multiple of 8, is below 32 (its vectors would be CPU
//            exceptions), or both are equal (as multiples of 8 they overlap only then); no port
//            is touched.
// Caller: CPU interrupts disabled (ICW1 clears the mask registers, so every line is live between
// ICW4 and the final masks).
int pic_init(uint8_t master_offset, uint8_t slave_offset);

// Masks (pic_mask) or unmasks (pic_unmask) one IRQ with a read-modify-write of the interrupt mask
// register (OCW1) of its chip; the other chip is not touched. Unmasking an IRQ 8-15 does not
// unmask IRQ 2: pic_init leaves the cascade open. Panics if irq >= PIC_IRQS.
void pic_mask(unsigned irq);
void pic_unmask(unsigned irq);

// Returns both mask registers (bit n set = IRQ n masked), master in the low byte.
uint16_t pic_get_mask(void);
// Writes both mask registers: the low byte to the master, the high byte to the slave.
void pic_set_mask(uint16_t mask);

// Sends a non-specific end of interrupt (OCW2 0x20) for a real IRQ: to the slave and then the
// master for IRQ 8-15 (the master's IRQ 2 was in service too), to the master only for IRQ 0-7.
// Must not be called for an IRQ that pic_is_spurious reported (see there). Panics if
// irq >= PIC_IRQS.
void pic_eoi(unsigned irq);

// Return the in-service (ISR, OCW3 0x0b) or request (IRR, OCW3 0x0a) registers of both chips,
// bit n = IRQ n; the master's IRQ 2 bit is set whenever the slave has one set.
uint16_t pic_read_isr(void);
uint16_t pic_read_irr(void);

// Tells a spurious interrupt from a real one; call it first in the handlers of IRQ 7 and 15. A
// chip raises a spurious interrupt on its lowest-priority line when a request goes away before
// the CPU acknowledges it; then the line's in-service bit is not set. Who sends which EOI:
//   IRQ 7,  ISR bit 7 clear: spurious, returns true; nobody sends any EOI (the master has nothing
//           in service, and a non-specific EOI would end some other, real interrupt).
//   IRQ 15, slave ISR bit 7 clear: spurious on the slave, returns true; this function sends the
//           EOI to the MASTER only (the master did see a real request on IRQ 2 and has it in
//           service); the caller sends none, and nothing goes to the slave.
//   IRQ 7 or 15 with its ISR bit set: real, returns false; the caller handles it and calls
//           pic_eoi as usual.
//   any other irq: returns false without touching a port (only 7 and 15 can be spurious).
// Reads only the ISR of the chip concerned. Counts each spurious interrupt (pic_spurious_count).
// Panics if irq >= PIC_IRQS.
bool pic_is_spurious(unsigned irq);

// Spurious interrupts pic_is_spurious has seen on `irq` since pic_init; 0 for any irq but 7 and
// 15. Safe to call while handlers run. Panics if irq >= PIC_IRQS.
uint64_t pic_spurious_count(unsigned irq);

// Masks all 16 IRQs on both chips, e.g. before switching to the APIC.
void pic_disable(void);
