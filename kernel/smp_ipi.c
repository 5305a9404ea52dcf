// The fixed IPIs between CPUs: ping (the round trip) and call (see smp.h), and what smp prints.
#include "core/err.h"
#include "core/hw.h"
#include "core/lapic.h"
#include "core/spinlock.h"
#include "kernel/console.h"
#include "kernel/lockcheck.h"
#include "kernel/smp.h"
#include "kernel/smp_internal.h"
#include "kernel/stage.h"
#include "kernel/tlb.h"
#include "kernel/trap.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/percpu.h"

#include <stddef.h>

static struct spinlock lock = LOCKCHECK_SPINLOCK("smp_ipi", LOCK_RANK_SMP_IPI); // one at a time

static void ping_entry(struct trap_frame *frame)
{
    (void)frame;
    struct percpu *p = percpu();
    __atomic_store_n(&p->ipis, p->ipis + 1, __ATOMIC_RELEASE);
    lapic_eoi(&p->lapic);
}

static void call_entry(struct trap_frame *frame)
{
    (void)frame;
    struct percpu *p = percpu();
    void (*fn)(void *) = __atomic_load_n(&p->call, __ATOMIC_ACQUIRE);
    __atomic_store_n(&p->ipis, p->ipis + 1, __ATOMIC_RELEASE);
    lapic_eoi(&p->lapic); // first: fn may not return (a fault that panics)
    if (fn != NULL)
        fn(p->call_arg);
    __atomic_store_n(&p->call, NULL, __ATOMIC_RELEASE);
}

static unsigned stopped; // CPUs that took SMP_IPI_STOP

_Noreturn static void stop_entry(struct trap_frame *frame)
{
    (void)frame;
    lapic_eoi(&percpu()->lapic);
    __atomic_fetch_add(&stopped, 1, __ATOMIC_RELEASE);
    cpu_stop();
}

void smp_ipi_init(void)
{
    trap_set_handler(SMP_IPI_PING, ping_entry);
    trap_set_handler(SMP_IPI_CALL, call_entry);
    trap_set_handler(SMP_IPI_STOP, stop_entry);
}

// The target of an exchange: an online CPU that is not the caller, or NULL.
static struct percpu *target(unsigned cpu)
{
    if (cpu >= smp_cpus_online() || cpu == percpu()->index)
        return NULL;
    return percpu_of(cpu);
}

// Whether `ms` have passed since TSC `start`.
static bool expired(uint64_t start, uint64_t ms)
{
    return cpu_rdtsc() - start > ms * smp_tsc_khz();
}

// Sends `vector` to t and waits until answered(t, seen) says t has answered, serving TLB
// shootdowns meanwhile (t may be shooting a page down, waiting for us). Returns 0,
// lapic_send_fixed's error, or E_IO after SMP_IPI_TIMEOUT_MS; *cycles gets the TSC cycles from
// before the send until then. Lock held.
static int exchange(struct percpu *t, uint8_t vector,
                    bool (*answered)(const struct percpu *t, uint64_t seen), uint64_t seen,
                    uint64_t *cycles)
{
    uint64_t start = cpu_rdtsc();
    int err = lapic_send_fixed(&percpu()->lapic, t->apic_id, vector);
    while (err == 0 && !answered(t, seen)) {
        if (expired(start, SMP_IPI_TIMEOUT_MS))
            err = E_IO;
        tlb_poll();
        hw_relax();
    }
    *cycles = cpu_rdtsc() - start;
    return err;
}

static bool pinged(const struct percpu *t, uint64_t before)
{
    return __atomic_load_n(&t->ipis, __ATOMIC_ACQUIRE) != before;
}

static bool called(const struct percpu *t, uint64_t unused)
{
    (void)unused;
    return __atomic_load_n(&t->call, __ATOMIC_ACQUIRE) == NULL;
}

int smp_ping(unsigned cpu, uint64_t *cycles)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    struct percpu *t = target(cpu);
    int err = t == NULL ? E_INVAL : 0;
    if (err == 0)
        err =
            exchange(t, SMP_IPI_PING, pinged, __atomic_load_n(&t->ipis, __ATOMIC_ACQUIRE), cycles);
    spin_unlock_irqrestore(&lock, flags);
    return err;
}

int smp_call(unsigned cpu, void (*fn)(void *arg), void *arg)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    struct percpu *t = target(cpu);
    int err = t == NULL || fn == NULL ? E_INVAL : 0;
    if (err == 0) {
        t->call_arg = arg;
        __atomic_store_n(&t->call, fn, __ATOMIC_RELEASE);
        uint64_t cycles;
        err = exchange(t, SMP_IPI_CALL, called, 0, &cycles);
    }
    spin_unlock_irqrestore(&lock, flags);
    return err;
}

static uint64_t us(uint64_t cycles)
{
    uint64_t khz = smp_tsc_khz();
    return khz == 0 ? 0 : cycles * 1000 / khz;
}

void smp_print_start_times(void)
{
    unsigned n = smp_cpus_online();
    if (n < 2)
        return;
    kprintf("smp: AP start-up (INIT to online), us:");
    for (unsigned i = 1; i < n; i++)
        kprintf(" cpu%u %llu", i, (unsigned long long)us(percpu_of(i)->start_cycles));
    kprintf("\n");
}

// Sorts a few values in place (insertion sort: SMP_PING_ROUNDS of them).
static void sort(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

void smp_print_round_trips(void)
{
    unsigned n = smp_cpus_online();
    if (n < 2)
        return;
    kprintf("smp: IPI round trip, TSC cycles (min/median of %u):", SMP_PING_ROUNDS);
    for (unsigned i = 1; i < n; i++) {
        uint64_t c[SMP_PING_ROUNDS];
        int err = 0;
        for (unsigned r = 0; r < SMP_PING_ROUNDS && err == 0; r++)
            err = smp_ping(i, &c[r]);
        if (err != 0) {
            kprintf(" cpu%u %s", i, err_str(err));
            continue;
        }
        sort(c, SMP_PING_ROUNDS);
        kprintf(" cpu%u %llu/%llu", i, (unsigned long long)c[0],
                (unsigned long long)c[SMP_PING_ROUNDS / 2]);
    }
    kprintf("\n");
}

void smp_print_cpus(void)
{
    unsigned n = smp_cpus_online();
    kprintf("%u of %u CPUs online:\n  cpu  apic  start-up us  IPIs\n", n, smp_cpus_listed());
    for (unsigned i = 0; i < n; i++) {
        const struct percpu *p = percpu_of(i);
        kprintf("  %3u  %4u  %11llu  %llu%s\n", i, p->apic_id,
                (unsigned long long)us(p->start_cycles), (unsigned long long)p->ipis,
                i == percpu()->index ? "  (this one)" : "");
    }
}

void smp_stop_others(void)
{
    static bool done;
    unsigned online = smp_cpus_online();
    if (online < 2 || __atomic_exchange_n(&done, true, __ATOMIC_ACQ_REL))
        return; // one CPU (percpu() may not even be installed yet), or stopped already
    struct percpu *self = percpu();
    for (unsigned i = 0; i < online; i++) {
        if (i != self->index)
            (void)lapic_send_fixed(&self->lapic, percpu_of(i)->apic_id, SMP_IPI_STOP);
    }
    uint64_t start = cpu_rdtsc();
    while (__atomic_load_n(&stopped, __ATOMIC_ACQUIRE) < online - 1 &&
           !expired(start, SMP_IPI_TIMEOUT_MS))
        hw_relax();
}

STAGE_HOOK(STAGE_EXIT, smp_stop_others);
