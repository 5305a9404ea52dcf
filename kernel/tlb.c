// TLB shootdown (see tlb.h).
#include "kernel/tlb.h"
#include "core/hw.h"
#include "core/lapic.h"
#include "core/panic.h"
#include "core/spinlock.h"
#include "kernel/lockcheck.h"
#include "kernel/smp.h"
#include "kernel/trap.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/percpu.h"

static struct spinlock lock = LOCKCHECK_SPINLOCK("tlb", LOCK_RANK_TLB); // one at a time
static volatile uint64_t req_virt; // the page of the shootdown in progress
static unsigned acks_left;         // CPUs that have not flushed it yet
static uint64_t sent;

void tlb_poll(void)
{
    struct percpu *p = percpu();
    // A plain load first: waits call this in a loop, where a locked exchange every turn would
    // keep the cache line (or, under TCG, the emulator's atomic path) busy for nothing.
    if (!__atomic_load_n(&p->tlb_pending, __ATOMIC_RELAXED) ||
        !__atomic_exchange_n(&p->tlb_pending, false, __ATOMIC_ACQUIRE))
        return;
    hw_invlpg(req_virt);
    p->tlb_flushes++;
    __atomic_fetch_sub(&acks_left, 1, __ATOMIC_RELEASE);
}

static void tlb_entry(struct trap_frame *frame)
{
    (void)frame;
    tlb_poll();
    lapic_eoi(&percpu()->lapic);
}

void tlb_init(void)
{
    trap_set_handler(SMP_IPI_TLB, tlb_entry);
}

void tlb_shootdown(uint64_t virt)
{
    unsigned online = smp_cpus_online();
    if (online < 2)
        return;
    unsigned long flags = hw_irq_save();
    unsigned long ignored;
    while (!spin_trylock_irqsave(&lock, &ignored)) {
        tlb_poll(); // the holder may be waiting for us
        hw_relax();
    }
    struct percpu *self = percpu();
    req_virt = virt;
    __atomic_store_n(&acks_left, online - 1, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < online; i++) {
        struct percpu *t = percpu_of(i);
        if (t == self)
            continue;
        __atomic_store_n(&t->tlb_pending, true, __ATOMIC_RELEASE);
        if (lapic_send_fixed(&self->lapic, t->apic_id, SMP_IPI_TLB) != 0)
            panic("TLB shootdown of %#llx: the IPI to CPU %u was not accepted",
                  (unsigned long long)virt, i);
    }
    uint64_t start = cpu_rdtsc();
    while (__atomic_load_n(&acks_left, __ATOMIC_ACQUIRE) != 0) {
        if (cpu_rdtsc() - start > TLB_TIMEOUT_MS * smp_tsc_khz()) {
            for (unsigned i = 0; i < online; i++) {
                if (__atomic_load_n(&percpu_of(i)->tlb_pending, __ATOMIC_ACQUIRE))
                    panic("TLB shootdown of %#llx: CPU %u did not flush within %u ms",
                          (unsigned long long)virt, i, TLB_TIMEOUT_MS);
            }
        }
        hw_relax();
    }
    sent++;
    spin_unlock_irqrestore(&lock, ignored);
    hw_irq_restore(flags);
}

uint64_t tlb_shootdowns_sent(void)
{
    return __atomic_load_n(&sent, __ATOMIC_RELAXED);
}

uint64_t tlb_flushes_served(unsigned cpu)
{
    return percpu_of(cpu)->tlb_flushes;
}
