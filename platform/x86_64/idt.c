// The IDT (see idt.h).
#include "platform/x86_64/idt.h"
#include "core/exception.h"
#include "core/panic.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/gdt.h"

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;  // bits 0-2: IST slot
    uint8_t type; // P, DPL, type 0xe = 64-bit interrupt gate (IF cleared on entry)
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "a 64-bit IDT gate is 16 bytes");

#define GATE_PRESENT   0x80
#define GATE_DPL3      0x60
#define GATE_INTERRUPT 0x0e

extern const uint64_t isr_stub_table[IDT_VECTORS];
static struct idt_gate idt[IDT_VECTORS];

static void set_gate(unsigned vector, uint64_t handler, uint8_t ist, uint8_t dpl_bits)
{
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)handler,
        .selector = GDT_KERNEL_CODE,
        .ist = ist,
        .type = GATE_PRESENT | dpl_bits | GATE_INTERRUPT,
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < IDT_VECTORS; v++)
        set_gate(v, isr_stub_table[v], 0, 0);
    set_gate(EXC_BREAKPOINT, isr_stub_table[EXC_BREAKPOINT], 0, GATE_DPL3); // int3 from ring 3
    set_gate(EXC_DOUBLE_FAULT, isr_stub_table[EXC_DOUBLE_FAULT], IST_DOUBLE_FAULT, 0);
    set_gate(EXC_NMI, isr_stub_table[EXC_NMI], IST_NMI, 0);
    set_gate(EXC_MACHINE_CHECK, isr_stub_table[EXC_MACHINE_CHECK], IST_MACHINE_CHECK, 0);
    idt_load();
}

void idt_load(void)
{
    struct cpu_table_ptr ptr = {sizeof(idt) - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" ::"m"(ptr) : "memory");
}

void idt_set_present(unsigned vector, bool present)
{
    KASSERT(vector < IDT_VECTORS);
    if (present)
        idt[vector].type |= GATE_PRESENT;
    else
        idt[vector].type &= (uint8_t)~GATE_PRESENT;
}

unsigned idt_ist(unsigned vector)
{
    KASSERT(vector < IDT_VECTORS);
    return idt[vector].ist & 7;
}
