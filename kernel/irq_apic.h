// Hardware interrupts through the I/O APIC (kernel/irq.c chooses this path when the MADT lists an
// I/O APIC): the 8259 pair masked, the local APIC's LINT0 masked, the ISA IRQs the kernel uses
// routed to the pins the MADT's overrides give, EOIs to the local APIC, and the local APIC timer,
// calibrated against the PIT, as the kernel's tick. docs/interrupts.md has the whole picture.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/lapic.h"

#define IRQ_APIC_ISA_IRQS     16
#define IRQ_APIC_TIMER_DIVIDE 16    // the local APIC timer's divide configuration
#define IRQ_APIC_CAL_CLOCKS   59659 // PIT clocks the local APIC timer is measured over (50 ms)

// Where one ISA IRQ goes.
struct irq_apic_route {
    bool routed;
    uint8_t chip;    // the I/O APIC's index in the MADT's list
    uint8_t pin;     // its redirection entry
    uint32_t gsi;    // the global system interrupt (the chip's GSI base + pin)
    bool active_low; // from the MADT's override, else ISA's active high, edge
    bool level;
};

struct irq_apic_info {
    bool active;          // interrupts come through the I/O APIC
    uint64_t timer_hz;    // the local APIC timer's measured rate at IRQ_APIC_TIMER_DIVIDE
    uint64_t tsc_khz;     // the TSC's rate, measured over the same interval
    uint32_t divide;      // IRQ_APIC_TIMER_DIVIDE
    uint32_t count;       // the periodic timer's initial count
    uint32_t dest;        // the boot CPU's APIC id: every routed IRQ's destination
    uint32_t pit_divisor; // the PIT's, at the tick's rate
    bool pit_tick;        // the PIT on IRQ 0's pin is the tick (irq=pit, or no usable timer)
    struct irq_apic_route irqs[IRQ_APIC_ISA_IRQS];
};

// What irq_apic_init needs from its caller.
struct irq_apic_config {
    const uint8_t *irqs; // the ISA IRQs to route at once (n of them)
    unsigned n;
    uint8_t vector_base;     // ISA IRQ k raises vector_base + k; the local APIC timer vector_base
    uint8_t spurious_vector; // the local APIC's, should LINT0 go back to virtual wire mode
    bool pit_tick;           // keep the PIT as the tick, through IRQ 0's pin
};

// Takes interrupts over from the 8259 pair when the machine allows it: the local APIC enabled
// (irq_init put it in virtual wire mode first), the MADT listing an I/O APIC reachable in the
// direct map, the boot CPU's APIC id below 256. Then masks every I/O APIC pin, the 8259 pair (which
// the caller has remapped to 32-47, so a spurious interrupt would be harmless) and LINT0, and
// routes the ISA IRQs in config->irqs (masked; vector vector_base + IRQ, fixed delivery to the
// boot CPU, polarity and trigger from acpi_isa_irq). Unless config->pit_tick, measures the local
// APIC timer against the PIT (polled, over IRQ_APIC_CAL_CLOCKS, interrupts off; the PIT is
// reprogrammed meanwhile and then given back the divisor it had) and starts it periodic on
// vector_base at the PIT's rate (pit_frequency_mhz), so ticks arrive where IRQ 0's did and IRQ 0
// stays masked. With pit_tick, or when the timer cannot be used (a warning says why), IRQ 0's pin
// is unmasked instead and the PIT stays the tick. The caller's vector_base handler counts ticks
// with pit_tick either way. Returns NULL on success. Otherwise nothing is left changed but the
// I/O APIC pins (all masked): the 8259s' masks are as pic_init left them, LINT0 is back in
// virtual wire mode; and it returns why, for a warning. Call with interrupts off, after pit_init;
// they stay off.
const char *irq_apic_init(const struct irq_apic_config *config);

// The local APIC to send EOIs to while interrupts come through the I/O APIC, else NULL (the 8259
// path).
const struct lapic_io *irq_apic_lapic(void);

// Unmasks (routing it first if irq_apic_init did not) or masks one ISA IRQ's pin. Returns 0,
// E_NOENT when no I/O APIC has the IRQ's GSI, E_INVAL for irq >= 16. Only on the I/O APIC path.
int irq_apic_unmask(unsigned irq);
int irq_apic_mask(unsigned irq);

// The redirection entry of `irq`'s pin as the chip holds it now. Returns 0, E_NOENT when the IRQ
// is not routed.
int irq_apic_entry(unsigned irq, uint64_t *entry);

// What irq_apic_init did.
const struct irq_apic_info *irq_apic_info(void);
