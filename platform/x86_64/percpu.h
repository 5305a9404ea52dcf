// Per-CPU data: one struct percpu for each CPU, reached through the GS segment. IA32_GS_BASE holds
// the struct's address and its first field holds that address again, so percpu() is one
// `mov %gs:0`. The boot CPU's is installed by gdt_init; kernel/smp installs each other CPU's
// before it runs any other C. The kernel never runs user code, so there is no swapgs: GS's base
// is the running CPU's struct, always.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/lapic.h"
#include "core/lockorder.h"
#include "platform/x86_64/gdt.h"

#define PERCPU_MAX 8 // CPUs the kernel runs on; the MADT's others are reported and left alone

struct percpu {
    struct percpu *self;   // gs:0, so percpu() is one load
    unsigned index;        // 0 for the boot CPU, then in the MADT's order of the CPUs started
    uint32_t apic_id;      // from the MADT (the boot CPU's: CPUID, then its ID register)
    uint32_t acpi_uid;     // the MADT's processor UID (what its NMI entries name)
    void *thread;          // the scheduler's current thread (NULL until there are threads)
    struct gdt_cpu tables; // this CPU's GDT and TSS (tables.tss)
    uintptr_t stack_top;   // the kernel stack it started on (the boot CPU's: boot.S's)
    uintptr_t ist_bottom[IST_COUNT], ist_top[IST_COUNT];
    volatile bool online;          // set by the CPU itself once it is up
    uint32_t lapic_id;             // its APIC's ID register as the CPU read it itself
    struct lapic_io lapic;         // its local APIC's registers (apic_cpu_io on that CPU)
    uint64_t start_cycles;         // TSC cycles from INIT until it reported in
    volatile uint64_t ipis;        // fixed IPIs it has handled
    struct lockorder locks;        // kernel/lockcheck: the classed spinlocks this CPU holds
    volatile uint64_t local_ticks; // its own local APIC timer's ticks (kernel/irq, the others)
    volatile bool tlb_pending;     // kernel/tlb: a shootdown asks this CPU to flush
    uint64_t tlb_flushes;          // shootdowns this CPU served
    void (*volatile call)(void *); // smp_call's function and argument, then NULL when done
    void *call_arg;
};

// The running CPU's struct. Valid once gdt_init (boot CPU) or the start-up (others) installed it.
static inline struct percpu *percpu(void)
{
    struct percpu *p;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(p));
    return p;
}

// The struct of CPU `index` (KASSERT index < PERCPU_MAX); index 0 is the boot CPU.
struct percpu *percpu_of(unsigned index);

// Sets `index`, `self` and IA32_GS_BASE (MSR 0xc0000101) on the running CPU to p.
void percpu_install(struct percpu *p, unsigned index);

// The running CPU's index, or 0 when no struct is installed yet (GS base 0; reads the MSR: for
// reports, not hot paths).
unsigned percpu_index_safe(void);
