// The GDT, the TSS and the IST stacks (see gdt.h).
#include "platform/x86_64/gdt.h"
#include "core/panic.h"
#include "platform/x86_64/cpu.h"

#include <stddef.h>

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

// Descriptor bits: P present, DPL, S (code/data), type; flags G (4K granularity), L (64-bit code),
// D/B (32-bit default size).
#define SEG_PRESENT (1ull << 47)
#define SEG_DPL3    (3ull << 45)
#define SEG_S       (1ull << 44)
#define SEG_CODE    (0xaull << 40) // execute/read
#define SEG_DATA    (0x2ull << 40) // read/write
#define SEG_LONG    (1ull << 53)
#define SEG_DB      (1ull << 54)
#define SEG_GRAN    (1ull << 55)
#define SEG_LIMIT   0x000f00000000ffffull // limit 0xfffff (ignored in long mode but conventional)
#define TSS_TYPE    (0x9ull << 40)        // available 64-bit TSS

static uint64_t gdt[7];
static struct tss tss;

// Each IST stack sits above its own guard page; page-aligned so the guard can be unmapped.
static uint8_t ist_area[IST_COUNT][IST_GUARD_SIZE + IST_STACK_SIZE]
    __attribute__((aligned(4096), section(".bss.stacks")));

void gdt_ist_bounds(unsigned ist, uintptr_t *bottom, uintptr_t *top)
{
    KASSERT(ist >= 1 && ist <= IST_COUNT);
    *bottom = (uintptr_t)&ist_area[ist - 1][IST_GUARD_SIZE];
    *top = *bottom + IST_STACK_SIZE;
}

uintptr_t gdt_ist_guard(unsigned ist)
{
    KASSERT(ist >= 1 && ist <= IST_COUNT);
    return (uintptr_t)&ist_area[ist - 1][0];
}

static void set_tss_descriptor(unsigned index, const struct tss *t)
{
    uint64_t base = (uint64_t)t;
    uint64_t limit = sizeof(*t) - 1;
    gdt[index] = SEG_PRESENT | TSS_TYPE | (limit & 0xffff) | ((base & 0xffffff) << 16) |
                 (((base >> 24) & 0xff) << 56);
    gdt[index + 1] = base >> 32;
}

void gdt_init(void)
{
    gdt[0] = 0;
    gdt[GDT_KERNEL_CODE >> 3] = SEG_PRESENT | SEG_S | SEG_CODE | SEG_LONG | SEG_GRAN | SEG_LIMIT;
    gdt[GDT_KERNEL_DATA >> 3] = SEG_PRESENT | SEG_S | SEG_DATA | SEG_DB | SEG_GRAN | SEG_LIMIT;
    gdt[GDT_USER_DATA >> 3] =
        SEG_PRESENT | SEG_DPL3 | SEG_S | SEG_DATA | SEG_DB | SEG_GRAN | SEG_LIMIT;
    gdt[GDT_USER_CODE >> 3] =
        SEG_PRESENT | SEG_DPL3 | SEG_S | SEG_CODE | SEG_LONG | SEG_GRAN | SEG_LIMIT;
    for (unsigned i = 1; i <= IST_COUNT; i++) {
        uintptr_t bottom, top;
        gdt_ist_bounds(i, &bottom, &top);
        tss.ist[i - 1] = top; // stacks grow down from their top
    }
    tss.iomap_base = sizeof(tss); // no I/O permission bitmap
    set_tss_descriptor(GDT_TSS >> 3, &tss);

    struct cpu_table_ptr ptr = {sizeof(gdt) - 1, (uint64_t)gdt};
    __asm__ volatile(
        "lgdt %0\n\t"
        // CS can only be reloaded by a far transfer: return to 1f with the new CS.
        "pushq %[code]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %[data], %%ax\n\t"
        "movw %%ax, %%ss\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "xorl %%eax, %%eax\n\t"
        "movw %%ax, %%fs\n\t"
        "movw %%ax, %%gs\n\t"
        "ltr %w[tss]"
        :
        : "m"(ptr), [code] "i"(GDT_KERNEL_CODE), [data] "i"(GDT_KERNEL_DATA), [tss] "r"(GDT_TSS)
        : "rax", "memory");
}
