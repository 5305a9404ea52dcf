// The IDT: 256 interrupt gates to the isr.S stubs, the double fault, NMI and machine check on
// their IST stacks.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define IDT_VECTORS 256

// Fills every gate and loads the IDT. Requires gdt_init() first (the gates use its selectors and
// IST slots).
void idt_init(void);

// Loads the IDT idt_init filled on the running CPU: every CPU shares the one table (the IST slots
// its gates name are in each CPU's own TSS).
void idt_load(void);

// Marks gate `vector` present or not present. A CPU that needs a not-present gate raises a
// segment-not-present fault instead (while delivering an exception: a double fault), which the
// double-fault scenario uses. vector >= 256 panics.
void idt_set_present(unsigned vector, bool present);

// The IST slot gate `vector` uses (0: none).
unsigned idt_ist(unsigned vector);
