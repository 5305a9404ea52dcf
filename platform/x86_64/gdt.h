// The GDTs (code and data segments, user segments for later, a TSS) and the IST stacks the TSS
// points to, each with a guard page below it. Every CPU has its own GDT and TSS (a TSS descriptor
// is marked busy by the ltr that loads it, so two CPUs cannot share one); the boot CPU's live in
// its struct percpu with IST stacks in .bss, the other CPUs' IST stacks are mapped by kernel/smp.
#pragma once

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA   0x1b // index 3, RPL 3
#define GDT_USER_CODE   0x23 // index 4, RPL 3
#define GDT_TSS         0x28 // index 5, a 16-byte system descriptor
#define GDT_ENTRIES     7

// Interrupt stack table slots (1-7; 0 in an IDT gate means "no IST").
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3
#define IST_COUNT         3

#define IST_STACK_SIZE (20 * 1024) // as in the series' "Double Faults" post
#define IST_GUARD_SIZE 4096        // below each stack; unmapped once the kernel has its own tables

// 64-bit TSS (Intel SDM vol. 3, 8.7): stacks for privilege changes and the IST.
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "the 64-bit TSS is 104 bytes");

// One CPU's descriptor tables.
struct gdt_cpu {
    uint64_t gdt[GDT_ENTRIES];
    struct tss tss;
};

// Builds the boot CPU's tables (in percpu_boot(), with the .bss IST stacks), loads them, and
// installs the boot CPU's struct percpu in GS (platform/x86_64/percpu.h). Call once, early.
void gdt_init(void);

// Fills `g`: the segments, and a TSS whose IST slot i + 1 points at ist_top[i] (stacks grow down).
void gdt_build(struct gdt_cpu *g, const uintptr_t ist_top[IST_COUNT]);

// Loads `g` on the running CPU: lgdt, CS through a far return, SS/DS/ES with the kernel data
// selector, FS/GS null (GS's base is then set again by percpu_install), and the task register.
void gdt_load(struct gdt_cpu *g);

// The bounds [*bottom, *top) of the boot CPU's IST stack `ist` (1..IST_COUNT), excluding its guard
// page; and the guard page's address. An out-of-range ist panics.
void gdt_ist_bounds(unsigned ist, uintptr_t *bottom, uintptr_t *top);
uintptr_t gdt_ist_guard(unsigned ist);
