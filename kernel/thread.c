// Kernel threads over core/sched (see thread.h): a static table of threads with a stack slot each
// in the thread-stack window, the switch under one scheduler lock, the idle thread, preemption from
// the timer's tick and the interrupt-exit hook, wait queues and the sleeping mutex.
//
// The lock is held across thread_switch: whoever runs next lets it go (a thread that blocked, in
// its own spin_unlock_irqrestore after reschedule returns; a new thread, in thread_start). Each
// thread keeps its own saved interrupt state in that local, so each resumes as it was.
#include "kernel/thread.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/lapic.h"
#include "core/paging.h"
#include "core/panic.h"
#include "core/spinlock.h"
#include "kernel/irq.h"
#include "kernel/lockcheck.h"
#include "kernel/smp.h"
#include "kernel/trap.h"
#include "kernel/vm.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/percpu.h"

#define IRQS_ON    (1ul << 9) // RFLAGS.IF, the flags thread_start releases the lock with
#define GUARD_SIZE 4096

void thread_switch(uint64_t *save_rsp, uint64_t next_rsp);
void thread_entry(void);

static struct spinlock lock = LOCKCHECK_SPINLOCK("sched", LOCK_RANK_SCHED);
static struct sched sched;
static struct thread boot_thread;
static struct thread table[THREAD_MAX];   // table[0] is the boot CPU's idle thread
static struct thread ap_idle[PERCPU_MAX]; // the other CPUs' idle threads, on their start stacks
static bool need_resched[PERCPU_MAX];     // set by the tick, acted on at the end of an IRQ
static bool own_tick[PERCPU_MAX];         // the CPU takes its own timer tick (not the boot CPU's)
static uint64_t switches, preemptions;

// The running CPU's index; its struct percpu's `thread` is thread_current().
static unsigned cpu(void)
{
    return percpu()->index;
}

static struct thread *idle_of(unsigned c)
{
    return c == 0 ? &table[0] : &ap_idle[c];
}

static bool is_idle(const struct thread *t)
{
    return t == idle_of(cpu());
}

// Asks CPU c to reschedule: at once when it is the caller's (at the end of its IRQ), else by an
// IPI whose handler is the same preemption point. Lock held.
static void resched_cpu(unsigned c)
{
    need_resched[c] = true;
    if (c != cpu())
        (void)lapic_send_fixed(&percpu()->lapic, percpu_of(c)->apic_id, THREAD_IPI_RESCHED);
    // A lost IPI costs a tick: the next one asks again.
}

// Wakes the idle CPUs that have a thread to run, after threads became ready. Lock held.
static void kick_idle(void)
{
    if (sched_ready_count(&sched) == 0)
        return; // the common case on every switch: nothing waits
    unsigned n = smp_cpus_online();
    for (unsigned c = 0; c < n; c++) {
        if (c != cpu() && percpu_of(c)->thread == idle_of(c) && !need_resched[c] &&
            sched_ready_for(&sched, c))
            resched_cpu(c);
    }
}

static struct thread *of(struct sched_thread *st)
{
    return st == NULL ? NULL : (struct thread *)((char *)st - offsetof(struct thread, st));
}

// Switches to the thread core/sched picks next (the idle thread when none is ready). Lock held,
// interrupts off; returns when the caller is picked again (at once if it keeps the CPU).
static void reschedule(void)
{
    unsigned c = cpu();
    struct percpu *p = percpu();
    struct thread *prev = p->thread;
    struct thread *next = of(sched_pick_next(&sched, c));
    if (next == NULL)
        next = idle_of(c);
    need_resched[c] = false;
    kick_idle(); // what this CPU leaves in the run queue, another idle one may take
    if (next == prev)
        return;
    p->thread = next;
    switches++;
    thread_switch(&prev->rsp, next->rsp);
}

// A new thread's first code (called by switch.S's thread_entry with the lock held from the
// reschedule that picked it): lets the lock go with interrupts on, runs the thread, exits.
_Noreturn static void thread_start(struct thread *t)
{
    spin_unlock_irqrestore(&lock, IRQS_ON);
    thread_exit(t->fn(t->arg));
}

// ---- stacks ------------------------------------------------------------------------------------

// Maps slot i's stack the first time it is used (it stays mapped for the slot's next thread) and
// builds a switch frame on it that thread_entry starts from. Returns 0 or vm_map_fresh's error.
static int prepare_stack(struct thread *t, size_t i)
{
    uintptr_t guard = (uintptr_t)(THREAD_STACKS_BASE + i * THREAD_STACK_STRIDE);
    if (!t->mapped) {
        int err = vm_map_fresh(guard + GUARD_SIZE, THREAD_STACK_SIZE, PTE_WRITABLE | PTE_NX);
        if (err != 0)
            return err;
        t->mapped = true;
    }
    t->guard = guard;
    t->stack_top = guard + GUARD_SIZE + THREAD_STACK_SIZE;
    uint64_t *sp = (uint64_t *)t->stack_top;
    *--sp = 0;                      // where a return address of thread_entry would be
    *--sp = (uint64_t)thread_entry; // thread_switch's ret
    *--sp = 0;                      // rbp
    *--sp = 0;                      // rbx
    *--sp = (uint64_t)t;            // r12: thread_start's argument
    *--sp = (uint64_t)thread_start; // r13: what thread_entry calls
    *--sp = 0;                      // r14
    *--sp = 0;                      // r15
    t->rsp = (uint64_t)sp;
    return 0;
}

// Takes a free slot (its thread NEW or DEAD, not in use). Returns its index or -1.
static int take_slot(void)
{
    int found = -1;
    unsigned long flags = spin_lock_irqsave(&lock);
    for (int i = 1; i < THREAD_MAX && found < 0; i++) {
        if (!table[i].used) {
            table[i].used = true;
            found = i;
        }
    }
    spin_unlock_irqrestore(&lock, flags);
    return found;
}

// ---- creating, ending, joining -----------------------------------------------------------------

// Slot i's thread, ready to be added: its stack prepared. Returns 0 or an error (the slot is
// given back).
static int setup(struct thread *t, size_t i, int (*fn)(void *), void *arg)
{
    t->fn = fn;
    t->arg = arg;
    int err = prepare_stack(t, i);
    if (err != 0)
        __atomic_store_n(&t->used, false, __ATOMIC_RELEASE);
    return err;
}

struct thread *thread_create(int (*fn)(void *arg), void *arg, const char *name)
{
    KASSERT(fn != NULL);
    int i = take_slot();
    if (i < 0)
        return NULL;
    struct thread *t = &table[i];
    if (setup(t, (size_t)i, fn, arg) != 0)
        return NULL;
    unsigned long flags = spin_lock_irqsave(&lock);
    int err = sched_add(&sched, &t->st, name);
    kick_idle();
    spin_unlock_irqrestore(&lock, flags);
    KASSERT(err == 0); // a free slot's thread is NEW or DEAD
    return t;
}

int thread_set_cpus(struct thread *t, uint32_t mask)
{
    KASSERT(t != NULL);
    unsigned long flags = spin_lock_irqsave(&lock);
    int err = sched_set_cpus(&sched, &t->st, mask);
    spin_unlock_irqrestore(&lock, flags);
    return err;
}

_Noreturn void thread_exit(int code)
{
    KASSERT(!is_idle(thread_current()));
    (void)spin_lock_irqsave(&lock);
    sched_exit(&sched, cpu(), code);
    reschedule(); // which also wakes an idle CPU for its joiner, if that is ready now
    panic("thread_exit: an exited thread ran again");
}

int thread_join(struct thread *t, int *code)
{
    KASSERT(t != NULL);
    int rc, got = 0;
    KASSERT(!is_idle(thread_current()));
    lockcheck_may_sleep("thread_join");
    unsigned long flags = spin_lock_irqsave(&lock);
    while ((rc = sched_join(&sched, cpu(), &t->st, &got)) == SCHED_SWITCH)
        reschedule();
    if (rc == 0)
        t->used = false; // the thread switched away for good: its slot and stack are free
    spin_unlock_irqrestore(&lock, flags);
    if (rc == 0 && code != NULL)
        *code = got;
    return rc;
}

// ---- yielding, sleeping, preemption ------------------------------------------------------------

void thread_yield(void)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    reschedule();
    spin_unlock_irqrestore(&lock, flags);
}

void thread_sleep_ticks(uint64_t ticks)
{
    KASSERT(!is_idle(thread_current()));
    lockcheck_may_sleep("thread_sleep_ticks");
    unsigned long flags = spin_lock_irqsave(&lock);
    (void)sched_sleep(&sched, cpu(), ticks); // 0 ticks: stays running, and yields below
    reschedule();
    spin_unlock_irqrestore(&lock, flags);
}

// The timer's tick hook (interrupt context, on the boot CPU): wakes the sleepers whose time has
// come and charges every CPU's running thread; a CPU whose thread's slice is spent, or that idles,
// while a thread it may run is ready, is asked to reschedule.
static void tick(uint64_t now)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    unsigned n = smp_cpus_online();
    for (unsigned c = 0; c < n; c++) {
        if ((c == cpu() || !own_tick[c]) && sched_tick(&sched, c, now) && !need_resched[c])
            resched_cpu(c);
    }
    spin_unlock_irqrestore(&lock, flags);
}

// Another CPU's own timer tick (interrupt context): charges its running thread, on the kernel's
// clock as the boot CPU last advanced it.
static void local_tick(void)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    if (sched_tick(&sched, cpu(), sched_now(&sched)))
        need_resched[cpu()] = true;
    spin_unlock_irqrestore(&lock, flags);
}

// The end of every IRQ, after its EOI, and the reschedule IPI: the preemption point.
static void irq_exit(void)
{
    if (!__atomic_load_n(&need_resched[cpu()], __ATOMIC_RELAXED))
        return;
    unsigned long flags = spin_lock_irqsave(&lock);
    if (need_resched[cpu()]) {
        preemptions++;
        reschedule();
    }
    spin_unlock_irqrestore(&lock, flags);
}

struct thread *thread_current(void)
{
    return percpu()->thread;
}

bool thread_others_ready(void)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    bool any = sched_ready_for(&sched, cpu());
    spin_unlock_irqrestore(&lock, flags);
    return any;
}

// The idle thread: runs what is ready, else halts until an interrupt (`sti; hlt` in one step,
// after the check with interrupts off, so a wake-up in between ends the halt).
_Noreturn static void idle_loop(void)
{
    for (;;) {
        cpu_disable_irq();
        (void)spin_lock_irqsave(&lock);
        bool ready = sched_ready_for(&sched, cpu());
        if (ready)
            reschedule();
        spin_unlock_irqrestore(&lock, 0);
        if (!ready)
            cpu_enable_irq_and_halt();
    }
}

static int idle_main(void *arg)
{
    (void)arg;
    idle_loop();
}

// The reschedule IPI: the EOI, then the same preemption point as the end of an IRQ.
static void resched_entry(struct trap_frame *frame)
{
    (void)frame;
    lapic_eoi(&percpu()->lapic);
    irq_exit();
}

void thread_init(void)
{
    KASSERT(cpu() == 0);
    KASSERT(sched_init(&sched, PERCPU_MAX, THREAD_SLICE_TICKS) == 0);
    KASSERT(sched_adopt(&sched, 0, &boot_thread.st, "boot") == 0);
    // The boot thread runs the executor, whose idle hook halts until an interrupt: the device
    // interrupts and the tick arrive at the boot CPU, so it stays there.
    KASSERT(sched_set_cpus(&sched, &boot_thread.st, 1u << 0) == 0);
    boot_thread.used = true;
    percpu()->thread = &boot_thread;
    struct thread *idle = idle_of(0);
    idle->used = true;
    idle->st.name = "idle";
    if (setup(idle, 0, idle_main, NULL) != 0)
        panic("thread_init: no frames for the idle thread's stack");
    trap_set_handler(THREAD_IPI_RESCHED, resched_entry);
    KASSERT(irq_add_tick_hook(tick) == 0);
    irq_set_exit_hook(irq_exit);
}

_Noreturn void thread_ap_idle(void)
{
    struct percpu *p = percpu();
    struct thread *me = idle_of(p->index);
    KASSERT(p->index != 0);
    me->used = true;
    me->st.name = "idle";
    cpu_disable_irq();
    p->thread = me;
    // Its own timer from now on, when the boot CPU's tick is the local APIC timer; else the boot
    // CPU's tick charges this CPU's threads and preempts them by IPI.
    own_tick[p->index] = irq_start_local_timer(&p->lapic, local_tick);
    idle_loop();
}

// ---- wait queues and the mutex -----------------------------------------------------------------

void thread_wait(struct thread_waitq *wq)
{
    KASSERT(wq != NULL);
    KASSERT(!is_idle(thread_current()));
    lockcheck_may_sleep("thread_wait");
    unsigned long flags = spin_lock_irqsave(&lock);
    sched_wait(&sched, cpu(), &wq->q);
    reschedule();
    spin_unlock_irqrestore(&lock, flags);
}

void thread_wait_until(struct thread_waitq *wq, bool (*cond)(void *ctx), void *ctx)
{
    KASSERT(wq != NULL && cond != NULL);
    KASSERT(!is_idle(thread_current()));
    lockcheck_may_sleep("thread_wait_until");
    unsigned long flags = spin_lock_irqsave(&lock);
    while (!cond(ctx)) {
        sched_wait(&sched, cpu(), &wq->q);
        reschedule();
    }
    spin_unlock_irqrestore(&lock, flags);
}

uint32_t thread_wake_one(struct thread_waitq *wq)
{
    KASSERT(wq != NULL);
    unsigned long flags = spin_lock_irqsave(&lock);
    uint32_t n = sched_wake_one(&sched, &wq->q) != NULL;
    kick_idle();
    spin_unlock_irqrestore(&lock, flags);
    return n;
}

uint32_t thread_wake_all(struct thread_waitq *wq)
{
    KASSERT(wq != NULL);
    unsigned long flags = spin_lock_irqsave(&lock);
    uint32_t n = sched_wake_all(&sched, &wq->q);
    kick_idle();
    spin_unlock_irqrestore(&lock, flags);
    return n;
}

// The ownership checks need no lock: only the caller makes itself the owner or lets go, so what
// it reads about itself holds. They come before the lock so a panic leaves it free.
void mutex_lock(struct mutex *m)
{
    KASSERT(m != NULL);
    struct thread *me = thread_current();
    KASSERT(!is_idle(me));
    lockcheck_may_sleep("mutex_lock");
    if (m->owner == me)
        panic("mutex_lock: thread %u already holds the mutex", me->st.id);
    unsigned long flags = spin_lock_irqsave(&lock);
    if (m->owner == NULL) {
        m->owner = me;
    } else {
        sched_wait(&sched, cpu(), &m->waiters);
        reschedule();
        KASSERT(m->owner == me); // mutex_unlock handed it over
    }
    spin_unlock_irqrestore(&lock, flags);
}

void mutex_unlock(struct mutex *m)
{
    KASSERT(m != NULL);
    if (m->owner != thread_current())
        panic("mutex_unlock: thread %u does not hold the mutex", thread_current()->st.id);
    unsigned long flags = spin_lock_irqsave(&lock);
    m->owner = of(sched_wake_one(&sched, &m->waiters)); // the first waiter, or nobody
    kick_idle();
    spin_unlock_irqrestore(&lock, flags);
}

// ---- looking at them ---------------------------------------------------------------------------

size_t thread_list(struct thread_entry *out, size_t cap)
{
    size_t n = 0;
    unsigned long flags = spin_lock_irqsave(&lock);
    for (int i = -1; i < THREAD_MAX; i++) {
        struct thread *t = i < 0 ? &boot_thread : &table[i];
        if (!t->used || t->st.state == SCHED_DEAD)
            continue;
        // The idle thread is not core/sched's: it runs when sched has no current thread.
        enum sched_state state = t != idle_of(0)             ? t->st.state
                                 : percpu_of(0)->thread == t ? SCHED_RUNNING
                                                             : SCHED_READY;
        if (n < cap)
            out[n] = (struct thread_entry){t->st.id, state, t->st.name, t->st.ticks_run};
        n++;
    }
    spin_unlock_irqrestore(&lock, flags);
    return n;
}

uint64_t thread_switches(void)
{
    return __atomic_load_n(&switches, __ATOMIC_RELAXED);
}

uint64_t thread_preemptions(void)
{
    return __atomic_load_n(&preemptions, __ATOMIC_RELAXED);
}

struct thread *thread_guard_owner(uintptr_t addr)
{
    for (int i = 0; i < THREAD_MAX; i++) {
        struct thread *t = &table[i];
        if (t->mapped && addr >= t->guard && addr < t->guard + GUARD_SIZE)
            return t;
    }
    return NULL;
}
