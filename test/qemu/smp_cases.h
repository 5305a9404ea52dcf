// The SMP cases, for scenarios that boot SMP_CPUS CPUs and expect every one online: each CPU's
// per-CPU data as that CPU itself sees it (index, APIC id, GS base, its own GDT and TSS with
// distinct IST stacks over unmapped guard pages, the shared IDT, running on its own stack), an IPI
// round trip to every AP, a breakpoint on an AP reported with the CPU's number, and the
// trampoline's identity mapping gone. Functions that run on an AP only record what they see (a
// failing KT_ASSERT there would leave the test runner on the wrong CPU); the boot CPU checks.
#include "core/err.h"
#include "core/exception.h"
#include "core/hw.h"
#include "core/lapic.h"
#include "core/paging.h"
#include "kernel/console.h"
#include "kernel/smp.h"
#include "kernel/trap.h"
#include "kernel/vm.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/percpu.h"
#include "platform/x86_64/trampoline.h"
#include "test/qemu/ktest/ktest.h"

#define MSR_GS_BASE 0xc0000101u

// What a CPU sees of itself.
struct seen {
    unsigned index;
    uint32_t lapic_id;
    uint64_t gs_base, percpu_self, rsp, rflags;
    uint64_t gdt_base, idt_base;
    uint16_t tr;
    uint64_t tss_base; // from the TSS descriptor in the GDT it has loaded
};

static void look(void *arg)
{
    struct seen *s = arg;
    struct percpu *p = percpu();
    struct cpu_table_ptr gdt, idt;
    uint64_t rsp;
    __asm__ volatile("sgdt %0; sidt %1; str %2; movq %%rsp, %3"
                     : "=m"(gdt), "=m"(idt), "=r"(s->tr), "=r"(rsp));
    s->index = p->index;
    s->lapic_id = lapic_read_id(&p->lapic);
    s->gs_base = cpu_rdmsr(MSR_GS_BASE);
    s->percpu_self = (uint64_t)p->self;
    s->rsp = rsp;
    s->gdt_base = gdt.base;
    s->idt_base = idt.base;
    const uint64_t *d = (const uint64_t *)gdt.base + (s->tr >> 3);
    s->tss_base = ((d[0] >> 16) & 0xffffff) | ((d[0] >> 56) << 24) | (d[1] << 32);
}

KTEST(every_listed_cpu_is_online)
{
    KT_ASSERT_EQ(smp_cpus_listed(), SMP_CPUS);
    KT_ASSERT_EQ(smp_cpus_online(), SMP_CPUS);
    for (unsigned i = 0; i < SMP_CPUS; i++) {
        KT_ASSERT(percpu_of(i)->online);
        KT_ASSERT_EQ(percpu_of(i)->apic_id, i); // QEMU numbers its CPUs' APICs from 0
    }
}

KTEST(each_ap_sees_its_own_percpu_data)
{
    struct cpu_table_ptr boot_idt;
    __asm__ volatile("sidt %0" : "=m"(boot_idt));
    for (unsigned i = 1; i < SMP_CPUS; i++) {
        struct seen s = {0};
        struct percpu *p = percpu_of(i);
        KT_ASSERT_EQ(smp_call(i, look, &s), 0);
        KT_ASSERT_EQ(s.index, i);
        KT_ASSERT_EQ(s.lapic_id, p->apic_id);
        KT_ASSERT_EQ(s.gs_base, (uint64_t)p);
        KT_ASSERT_EQ(s.percpu_self, (uint64_t)p);
        KT_ASSERT_EQ(s.gdt_base, (uint64_t)p->tables.gdt);
        KT_ASSERT_EQ(s.tr, GDT_TSS);
        KT_ASSERT_EQ(s.tss_base, (uint64_t)&p->tables.tss);
        KT_ASSERT_EQ(s.idt_base, boot_idt.base); // the IDT is shared
        // The IPI ran on the stack the AP idles on: its own, in its slot.
        KT_ASSERT(s.rsp < p->stack_top && s.rsp >= p->stack_top - SMP_STACK_SIZE);
        KT_ASSERT_EQ(p->stack_top,
                     SMP_STACKS_BASE + i * SMP_STACK_SLOT + SMP_GUARD_SIZE + SMP_STACK_SIZE);
    }
}

KTEST(the_boot_cpu_sees_its_own_percpu_data)
{
    struct seen s = {0};
    look(&s);
    KT_ASSERT_EQ(s.index, 0);
    KT_ASSERT_EQ(s.gs_base, (uint64_t)percpu_of(0));
    KT_ASSERT_EQ(s.tss_base, (uint64_t)&percpu_of(0)->tables.tss);
    KT_ASSERT_EQ(s.lapic_id, percpu_of(0)->apic_id);
}

// Whether virt is mapped in the kernel's page tables.
static bool mapped(uint64_t virt)
{
    struct pt_translation t;
    return vm_translate(virt, &t) == 0;
}

KTEST(every_cpu_has_its_own_ist_stacks_over_guard_pages)
{
    for (unsigned i = 0; i < SMP_CPUS; i++) {
        const struct percpu *p = percpu_of(i);
        for (unsigned k = 0; k < IST_COUNT; k++) {
            uint64_t top = p->ist_top[k], bottom = p->ist_bottom[k];
            KT_ASSERT_EQ(p->tables.tss.ist[k], top);
            KT_ASSERT_EQ(top - bottom, IST_STACK_SIZE);
            KT_ASSERT(mapped(bottom) && mapped(top - 1));
            KT_ASSERT(!mapped(bottom - 1));    // the guard page
            for (unsigned j = 0; j < i; j++) { // no stack shared with an earlier CPU
                for (unsigned l = 0; l < IST_COUNT; l++)
                    KT_ASSERT(percpu_of(j)->ist_top[l] != top);
            }
        }
        if (i > 0) // the boot CPU's kernel stack is boot.S's, with its own guard
            KT_ASSERT(!mapped(p->stack_top - SMP_STACK_SIZE - 1));
    }
}

KTEST(ipi_round_trip_to_every_ap)
{
    for (unsigned i = 1; i < SMP_CPUS; i++) {
        uint64_t before = percpu_of(i)->ipis, cycles = 0;
        KT_ASSERT_EQ(smp_ping(i, &cycles), 0);
        KT_ASSERT(cycles > 0);
        KT_ASSERT_EQ(percpu_of(i)->ipis, before + 1);
        kprintf("ipi round trip to cpu %u: %llu TSC cycles\n", i, (unsigned long long)cycles);
    }
}

KTEST(ping_refuses_the_caller_and_offline_cpus)
{
    uint64_t cycles;
    KT_ASSERT_EQ(smp_ping(0, &cycles), E_INVAL);
    KT_ASSERT_EQ(smp_ping(SMP_CPUS, &cycles), E_INVAL);
    KT_ASSERT_EQ(smp_call(SMP_CPUS, look, NULL), E_INVAL);
}

static void breakpoint(void *arg)
{
    (void)arg;
    __asm__ volatile("int3");
}

KTEST(a_breakpoint_on_the_last_ap_is_reported_with_its_cpu)
{
    if (SMP_CPUS < 2)
        return;
    uint64_t count = trap_last()->count;
    KT_ASSERT_EQ(smp_call(SMP_CPUS - 1, breakpoint, NULL), 0);
    KT_ASSERT_EQ(trap_last()->count, count + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_BREAKPOINT);
    KT_ASSERT_EQ(trap_last()->cpu, SMP_CPUS - 1);
}

// Where each CPU took its NMI: the trap frame's address, by CPU index.
static volatile uintptr_t nmi_frame[PERCPU_MAX];

static void nmi_seen(struct trap_frame *frame)
{
    nmi_frame[percpu()->index] = (uintptr_t)frame;
}

KTEST(an_nmi_on_each_ap_runs_on_its_own_ist_stack)
{
    trap_set_handler(EXC_NMI, nmi_seen);
    for (unsigned i = 1; i < SMP_CPUS; i++) {
        const struct percpu *p = percpu_of(i);
        unsigned long flags = hw_irq_save(); // the ICR's two writes stay together
        int err = lapic_send_ipi(&percpu()->lapic, p->apic_id, LAPIC_MODE_NMI | LAPIC_ICR_ASSERT);
        hw_irq_restore(flags);
        KT_ASSERT_EQ(err, 0);
        for (unsigned long spin = 0; nmi_frame[i] == 0 && spin < 100000000ul; spin++)
            hw_relax();
        KT_ASSERT(nmi_frame[i] >= p->ist_bottom[IST_NMI - 1]);
        KT_ASSERT(nmi_frame[i] < p->ist_top[IST_NMI - 1]);
    }
    trap_set_handler(EXC_NMI, NULL);
}

KTEST(the_trampoline_page_is_unmapped_again)
{
    KT_ASSERT(!mapped(TRAMPOLINE_PHYS));
    KT_ASSERT(!mapped(0));
}
