// The kernel's GDT (code and data segments, user segments for later, a TSS) and the IST stacks
// the TSS points to, each with a guard page below it.
#pragma once

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA   0x1b // index 3, RPL 3
#define GDT_USER_CODE   0x23 // index 4, RPL 3
#define GDT_TSS         0x28 // index 5, a 16-byte system descriptor

// Interrupt stack table slots (1-7; 0 in an IDT gate means "no IST").
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3
#define IST_COUNT         3

#define IST_STACK_SIZE (20 * 1024) // as in the series' "Double Faults" post
#define IST_GUARD_SIZE 4096        // below each stack; unmapped once the kernel has its own tables

// Loads the GDT, reloads every segment register (CS through a far return, SS/DS/ES with the
// kernel data selector, FS/GS null) and loads the task register. Call once, early.
void gdt_init(void);

// The bounds [*bottom, *top) of IST stack `ist` (1..IST_COUNT), excluding its guard page; and the
// guard page's address. An out-of-range ist panics.
void gdt_ist_bounds(unsigned ist, uintptr_t *bottom, uintptr_t *top);
uintptr_t gdt_ist_guard(unsigned ist);
