/*
 * TLB shootdown on four CPUs. Each AP reads a page through a test window, so its TLB holds the
 * translation; the window is then pointed at another frame, or unmapped. Changed behind the APs'
 * backs (the page-table entry rewritten and flushed on this CPU only), they go on reading the old
 * frame, even with the page gone: a stale TLB entry is real. Changed through vm_unmap (and
 * vm_map), every AP reads the new frame at once, or faults on the unmapped page: vm_unmap's
 * shootdown reached each of them. The reads that may fault go through a probe whose page faults
 * the test's own handler records and skips. Last, every CPU maps and unmaps pages of its own at
 * once, so shootdowns meet: none waits for another forever.
 *
 * qemu-scenario
 * args: -machine q35 -smp 4
 * timeout: 30
 */
#include "core/exception.h"
#include "core/hw.h"
#include "core/paging.h"
#include "core/panic.h"
#include "kernel/console.h"
#include "kernel/smp.h"
#include "kernel/thread.h"
#include "kernel/tlb.h"
#include "kernel/trap.h"
#include "kernel/vm.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/layout.h"
#include "platform/x86_64/percpu.h"
#include "test/qemu/ktest/ktest.h"

#define WINDOW 0x0000deadbe000ull // unmapped in the kernel's address space
#define CPUS   4

static uint64_t frame_a, frame_b;
static volatile uint64_t seen[CPUS];

// probe_read(p) loads *p; a page fault at probe_insn resumes at probe_fixup, which returns
// PROBE_FAULTED, and records the fault for the CPU it hit.
#define PROBE_FAULTED 0xfa017ull
uint64_t probe_read(const volatile uint64_t *p);
extern const char probe_insn[], probe_fixup[];
__asm__(".text\n"
        ".globl probe_read, probe_insn, probe_fixup\n"
        "probe_read:\n"
        "probe_insn: movq (%rdi), %rax\n"
        "    ret\n"
        "probe_fixup: movq $0xfa017, %rax\n"
        "    ret\n");

static volatile uint64_t fault_cr2[CPUS];

static void probe_fault(struct trap_frame *frame)
{
    if (frame->rip != (uint64_t)probe_insn)
        panic("page fault at rip %#llx, cr2 %#llx, outside the probe",
              (unsigned long long)frame->rip, (unsigned long long)cpu_read_cr2());
    fault_cr2[percpu()->index] = cpu_read_cr2();
    frame->rip = (uint64_t)probe_fixup;
}

static void probe_window(void *arg)
{
    (void)arg;
    seen[percpu()->index] = probe_read((const volatile uint64_t *)WINDOW);
}

// Every AP probes the window: seen[i] is what AP i read, or PROBE_FAULTED.
static void aps_probe(void)
{
    for (unsigned i = 1; i < CPUS; i++) {
        seen[i] = 0;
        fault_cr2[i] = 0;
        KT_ASSERT_EQ(smp_call(i, probe_window, NULL), 0);
    }
}

static uint64_t *direct(uint64_t phys)
{
    return (uint64_t *)(PHYS_MAP_BASE + phys);
}

static void read_window(void *arg)
{
    (void)arg;
    seen[percpu()->index] = *(volatile uint64_t *)WINDOW;
}

// Every AP reads the window; seen[i] holds what AP i read.
static void aps_read(void)
{
    for (unsigned i = 1; i < CPUS; i++) {
        seen[i] = 0;
        KT_ASSERT_EQ(smp_call(i, read_window, NULL), 0);
    }
}

// The window's last-level entry, found by walking the live tables through the direct map.
static uint64_t *window_pte(void)
{
    uint64_t table = cpu_read_cr3() & 0x000ffffffffff000ull;
    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t e = direct(table)[(WINDOW >> shift) & 511];
        if ((e & PTE_PRESENT) == 0 || (e & PTE_HUGE) != 0)
            return NULL;
        table = e & 0x000ffffffffff000ull;
    }
    return &direct(table)[(WINDOW >> 12) & 511];
}

KTEST(four_cpus_are_online)
{
    KT_ASSERT_EQ(smp_cpus_online(), CPUS);
    frame_a = vm_frame_alloc();
    frame_b = vm_frame_alloc();
    KT_ASSERT(frame_a != 0 && frame_b != 0);
    *direct(frame_a) = 0xaaaa;
    *direct(frame_b) = 0xbbbb;
}

KTEST(a_change_without_shootdown_leaves_the_others_stale)
{
    KT_ASSERT_EQ(vm_map(WINDOW, frame_a, PTE_WRITABLE | PTE_NX), 0);
    aps_read();
    for (unsigned i = 1; i < CPUS; i++)
        KT_ASSERT_EQ(seen[i], 0xaaaa);
    uint64_t *pte = window_pte();
    KT_ASSERT(pte != NULL);
    KT_ASSERT_EQ(*pte & 0x000ffffffffff000ull, frame_a);
    *pte = (*pte & ~0x000ffffffffff000ull) | frame_b; // behind their backs
    hw_invlpg(WINDOW);                                // this CPU only
    KT_ASSERT_EQ(*(volatile uint64_t *)WINDOW, 0xbbbb);
    aps_read();
    for (unsigned i = 1; i < CPUS; i++)
        KT_ASSERT_EQ(seen[i], 0xaaaa); // the old frame, through the stale TLB entry
    // Unmapped behind their backs, the page still reads: nothing tells their TLBs.
    uint64_t entry = *pte;
    *pte = 0;
    hw_invlpg(WINDOW);
    trap_set_handler(EXC_PAGE_FAULT, probe_fault);
    KT_ASSERT_EQ(probe_read((const volatile uint64_t *)WINDOW), PROBE_FAULTED); // this CPU knows
    aps_probe();
    trap_set_handler(EXC_PAGE_FAULT, NULL);
    for (unsigned i = 1; i < CPUS; i++)
        KT_ASSERT_EQ(seen[i], 0xaaaa);
    *pte = entry;
    KT_ASSERT_EQ(vm_unmap(WINDOW, NULL), 0);
}

KTEST(after_vm_unmap_every_cpu_faults_on_the_page)
{
    KT_ASSERT_EQ(vm_map(WINDOW, frame_a, PTE_WRITABLE | PTE_NX), 0);
    aps_read();
    for (unsigned i = 1; i < CPUS; i++)
        KT_ASSERT_EQ(seen[i], 0xaaaa);
    KT_ASSERT_EQ(vm_unmap(WINDOW, NULL), 0);
    trap_set_handler(EXC_PAGE_FAULT, probe_fault);
    aps_probe();
    trap_set_handler(EXC_PAGE_FAULT, NULL);
    for (unsigned i = 1; i < CPUS; i++) {
        KT_ASSERT_EQ(seen[i], PROBE_FAULTED);
        KT_ASSERT_EQ(fault_cr2[i], WINDOW);
    }
}

KTEST(vm_unmap_shoots_the_page_down_on_every_cpu)
{
    KT_ASSERT_EQ(vm_map(WINDOW, frame_a, PTE_WRITABLE | PTE_NX), 0);
    aps_read();
    for (unsigned i = 1; i < CPUS; i++)
        KT_ASSERT_EQ(seen[i], 0xaaaa);
    uint64_t sent = tlb_shootdowns_sent(), served[CPUS];
    for (unsigned i = 0; i < CPUS; i++)
        served[i] = tlb_flushes_served(i);
    uint64_t phys;
    KT_ASSERT_EQ(vm_unmap(WINDOW, &phys), 0);
    KT_ASSERT_EQ(phys, frame_a);
    KT_ASSERT_EQ(tlb_shootdowns_sent(), sent + 1);
    KT_ASSERT_EQ(tlb_flushes_served(0), served[0]); // the sender flushed its own in pt_unmap
    for (unsigned i = 1; i < CPUS; i++)
        KT_ASSERT_EQ(tlb_flushes_served(i), served[i] + 1);
    KT_ASSERT_EQ(vm_map(WINDOW, frame_b, PTE_WRITABLE | PTE_NX), 0);
    aps_read();
    for (unsigned i = 1; i < CPUS; i++)
        KT_ASSERT_EQ(seen[i], 0xbbbb);
    KT_ASSERT_EQ(vm_unmap(WINDOW, NULL), 0);
}

// A shootdown from an AP reaches the boot CPU and the other APs.
static void unmap_from_here(void *arg)
{
    *(volatile int *)arg = vm_unmap(WINDOW, NULL);
}

KTEST(a_shootdown_from_an_ap_reaches_the_others)
{
    KT_ASSERT_EQ(vm_map(WINDOW, frame_a, PTE_WRITABLE | PTE_NX), 0);
    KT_ASSERT_EQ(*(volatile uint64_t *)WINDOW, 0xaaaa);
    aps_read();
    uint64_t served0 = tlb_flushes_served(0);
    volatile int err = 1;
    KT_ASSERT_EQ(smp_call(2, unmap_from_here, (void *)&err), 0);
    KT_ASSERT_EQ(err, 0);
    KT_ASSERT_EQ(tlb_flushes_served(0), served0 + 1);
    KT_ASSERT_EQ(vm_map(WINDOW, frame_b, PTE_WRITABLE | PTE_NX), 0);
    KT_ASSERT_EQ(*(volatile uint64_t *)WINDOW, 0xbbbb);
    aps_read();
    for (unsigned i = 1; i < CPUS; i++)
        KT_ASSERT_EQ(seen[i], 0xbbbb);
    KT_ASSERT_EQ(vm_unmap(WINDOW, NULL), 0);
}

// ---- shootdowns from every CPU at once ---------------------------------------------------------

#define ROUNDS 100

static volatile bool go;

// Maps and unmaps a page of its own ROUNDS times: each unmap a shootdown that waits for every
// other CPU, which may be shooting down too. Returns how many calls failed.
static int map_unmap_loop(void *arg)
{
    uint64_t page = WINDOW + 0x1000 * (1 + (uintptr_t)arg);
    int errors = 0;
    while (!go)
        hw_relax();
    for (int i = 0; i < ROUNDS; i++) {
        errors += vm_map(page, frame_a, PTE_WRITABLE | PTE_NX) != 0;
        errors += vm_unmap(page, NULL) != 0;
    }
    return errors;
}

KTEST(shootdowns_from_every_cpu_at_once_all_finish)
{
    struct thread *t[CPUS];
    uint64_t sent = tlb_shootdowns_sent();
    go = false;
    for (unsigned i = 0; i < CPUS; i++) {
        t[i] = thread_create(map_unmap_loop, (void *)(uintptr_t)i, "unmapper");
        KT_ASSERT(t[i] != NULL);
        KT_ASSERT_EQ(thread_set_cpus(t[i], 1u << i), 0);
    }
    uint64_t start = cpu_rdtsc();
    go = true;
    for (unsigned i = 0; i < CPUS; i++) {
        int errors = -1;
        KT_ASSERT_EQ(thread_join(t[i], &errors), 0);
        KT_ASSERT_EQ(errors, 0);
    }
    KT_ASSERT_EQ(tlb_shootdowns_sent() - sent, (uint64_t)CPUS * ROUNDS);
    kprintf("tlb: %u shootdowns from %u CPUs at once in %llu TSC cycles (QEMU TCG: emulated)\n",
            CPUS * ROUNDS, CPUS, (unsigned long long)(cpu_rdtsc() - start));
}
