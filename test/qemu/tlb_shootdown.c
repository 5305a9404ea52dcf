/*
 * TLB shootdown on four CPUs. Each AP reads a page through a test window, so its TLB holds the
 * translation; the window is then pointed at another frame. Changed behind the APs' backs (the
 * page-table entry rewritten and flushed on this CPU only), they go on reading the old frame: a
 * stale TLB entry is real. Changed through vm_unmap and vm_map, every AP reads the new frame at
 * once: vm_unmap's shootdown reached each of them.
 *
 * qemu-scenario
 * args: -machine q35 -smp 4
 */
#include "core/hw.h"
#include "core/paging.h"
#include "kernel/smp.h"
#include "kernel/tlb.h"
#include "kernel/vm.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/layout.h"
#include "platform/x86_64/percpu.h"
#include "test/qemu/ktest/ktest.h"

#define WINDOW 0x0000deadbe000ull // unmapped in the kernel's address space
#define CPUS   4

static uint64_t frame_a, frame_b;
static volatile uint64_t seen[CPUS];

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
    KT_ASSERT_EQ(vm_unmap(WINDOW, NULL), 0);
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
