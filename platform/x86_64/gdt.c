// The GDTs, the TSSs and the boot CPU's IST stacks (see gdt.h).
#include "platform/x86_64/gdt.h"
#include "core/panic.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/percpu.h"

#include <stddef.h>

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

extern char boot_stack_top[];

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

static void set_tss_descriptor(uint64_t *gdt, unsigned index, const struct tss *t)
{
    uint64_t base = (uint64_t)t;
    uint64_t limit = sizeof(*t) - 1;
    gdt[index] = SEG_PRESENT | TSS_TYPE | (limit & 0xffff) | ((base & 0xffffff) << 16) |
                 (((base >> 24) & 0xff) << 56);
    gdt[index + 1] = base >> 32;
}

void gdt_build(struct gdt_cpu *g, const uintptr_t ist_top[IST_COUNT])
{
    uint64_t *gdt = g->gdt;
    gdt[0] = 0;
    gdt[GDT_KERNEL_CODE >> 3] = SEG_PRESENT | SEG_S | SEG_CODE | SEG_LONG | SEG_GRAN | SEG_LIMIT;
    gdt[GDT_KERNEL_DATA >> 3] = SEG_PRESENT | SEG_S | SEG_DATA | SEG_DB | SEG_GRAN | SEG_LIMIT;
    gdt[GDT_USER_DATA >> 3] =
        SEG_PRESENT | SEG_DPL3 | SEG_S | SEG_DATA | SEG_DB | SEG_GRAN | SEG_LIMIT;
    gdt[GDT_USER_CODE >> 3] =
        SEG_PRESENT | SEG_DPL3 | SEG_S | SEG_CODE | SEG_LONG | SEG_GRAN | SEG_LIMIT;
    g->tss = (struct tss){.iomap_base = sizeof(struct tss)}; // no I/O permission bitmap
    for (unsigned i = 0; i < IST_COUNT; i++)
        g->tss.ist[i] = ist_top[i]; // stacks grow down from their top
    set_tss_descriptor(gdt, GDT_TSS >> 3, &g->tss);
}

void gdt_load(struct gdt_cpu *g)
{
    struct cpu_table_ptr ptr = {sizeof(g->gdt) - 1, (uint64_t)g->gdt};
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

void gdt_init(void)
{
    struct percpu *boot = percpu_of(0);
    for (unsigned i = 1; i <= IST_COUNT; i++)
        gdt_ist_bounds(i, &boot->ist_bottom[i - 1], &boot->ist_top[i - 1]);
    gdt_build(&boot->tables, boot->ist_top);
    gdt_load(&boot->tables);
    uint32_t r[4];
    cpu_cpuid(1, 0, r);
    boot->apic_id = r[1] >> 24; // CPUID.01H:EBX[31:24], the initial APIC id
    boot->stack_top = (uintptr_t)boot_stack_top;
    boot->online = true;
    percpu_install(boot, 0); // after gdt_load: loading GS's selector may clear its base
}
