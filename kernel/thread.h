// Kernel threads, preemptive, on every CPU: each with its own stack (an unmapped guard page under
// it), switched by platform/x86_64/switch.S, scheduled by core/sched (one run queue for all CPUs,
// round robin, a slice of THREAD_SLICE_TICKS timer ticks). The boot flow becomes the first thread
// ("boot": kmain, then the cooperative executor; kept on the boot CPU, where the interrupts its
// tasks wait for arrive); each CPU has an idle thread that halts it when nothing it may run is
// ready. Wait queues and a sleeping mutex block a thread until another (or an interrupt handler)
// wakes it; a thread may resume on another CPU than the one it blocked on.
//
// Preemption: the timer's tick (on the boot CPU) charges every CPU's running thread; when one's
// slice is spent and another thread it may run is ready, that CPU reschedules on the way out of
// an interrupt, after the EOI: the tick's own (irq_set_exit_hook) on the boot CPU, a
// THREAD_IPI_RESCHED IPI on the others. A thread switched out there resumes there later and irets
// as usual. Making a thread ready (create, a wake, a mutex handed over) also sends that IPI to the
// idle CPUs that may run it, so they do not wait for the next tick.
//
// Locking: all scheduler state sits under one IRQ-saving spinlock, a leaf: nothing takes another
// lock while holding it (it sends IPIs, which take none). A thread holding any spinlock runs with interrupts off, so it is never
// preempted; it must not block (sleep, wait, lock a mutex, join) until it has let go.
//
// Contexts: thread_create, the wakes and thread_current may be called from anywhere, interrupt
// handlers included; everything that blocks (thread_join, thread_sleep_ticks, thread_wait*,
// mutex_lock) only from a thread, never from an interrupt handler or the idle thread.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sched.h"

#define THREAD_MAX         64          // threads at once, the idle thread included
#define THREAD_STACK_SIZE  (16 * 1024) // each thread's stack
#define THREAD_SLICE_TICKS 2           // timer ticks a thread runs before the next ready one
#define THREAD_IPI_RESCHED 0xf3        // asks another CPU to reschedule
// The thread-stack window, PML4 slot 352 (clear of the direct map at 256, the heap at 320, the
// framebuffer at 384 and the kernel at 511): stack i at THREAD_STACKS_BASE + i * STRIDE, its
// lowest page the unmapped guard, the stack above it, the rest of the stride unmapped too.
#define THREAD_STACKS_BASE  0xffffb00000000000ull
#define THREAD_STACK_STRIDE (32 * 1024)

struct thread {
    struct sched_thread st; // state, id, name, ticks run, exit code (core/sched's)
    uint64_t rsp;           // saved stack pointer while switched out
    uintptr_t guard;        // the guard page's address (0: the boot stack's, elsewhere)
    uintptr_t stack_top;
    int (*fn)(void *arg);
    void *arg;
    bool used;   // a slot of the table: taken from create until joined
    bool mapped; // the slot's stack is mapped (kept mapped for the next thread in the slot)
};

// Makes the code that calls it (kmain, on the boot stack) the thread "boot", creates the idle
// thread, and installs the timer tick hook and the interrupt-exit hook. Call once, after vm_init,
// heap_init and irq_init, before interrupts are enabled. Panics when it cannot (no memory for the
// idle thread's stack, no tick hook slot).
void thread_init(void);

// A new thread running fn(arg), named `name` (a string that outlives it), ready to run; when fn
// returns, the thread exits with its return value. Returns NULL when THREAD_MAX threads exist or
// its stack cannot be mapped (no frames). fn NULL panics.
struct thread *thread_create(int (*fn)(void *arg), void *arg, const char *name);

// Lets t run only on the CPUs whose bits are set in mask (bit c: CPU c; kernel/smp's numbering),
// from its next time off the CPU on (core/sched's sched_set_cpus). Returns 0, or E_INVAL when
// mask names no CPU the kernel can have or t has been joined. t NULL panics.
int thread_set_cpus(struct thread *t, uint32_t mask);

// Waits until t has exited, stores its exit code in *code (may be NULL) and frees it (its slot
// and stack go to the next thread_create). Returns 0, or core/sched's sched_join errors: E_INVAL
// when t is the caller itself or not a thread, E_NOENT when t was joined already (until its slot
// is reused), E_BUSY when another thread is joining it. t NULL panics.
int thread_join(struct thread *t, int *code);

// Ends the calling thread with `code` (its joiner gets it). Never returns.
_Noreturn void thread_exit(int code);

// Gives the CPU to the next ready thread, if any; the caller goes to the back of the run queue.
void thread_yield(void);

// Sleeps at least `ticks` timer ticks (from the next tick on: between ticks - 1 and ticks tick
// periods of time); 0 yields.
void thread_sleep_ticks(uint64_t ticks);

// The thread running on this CPU (the idle thread when none is).
struct thread *thread_current(void);

// Makes the calling CPU, one of the others once kernel/smp has started it, run threads: its start
// context becomes its idle thread, which runs whatever core/sched gives the CPU. Never returns.
// kmain hands it to kernel/smp as the APs' idle hook.
_Noreturn void thread_ap_idle(void);

// Whether some thread is ready to run (for the executor's idle hook: yield, don't halt).
bool thread_others_ready(void);

// A wait queue: zeroed is empty. thread_wait blocks the caller on it until a wake; thread_wait_until
// blocks until cond(ctx) holds, checked under the scheduler lock before each block (so a waker
// that makes it true and then wakes the queue cannot be missed; cond must be short and take no
// lock). The wakes return how many threads they woke; they may be called from interrupt handlers.
struct thread_waitq {
    struct sched_waitq q;
};
void thread_wait(struct thread_waitq *wq);
void thread_wait_until(struct thread_waitq *wq, bool (*cond)(void *ctx), void *ctx);
uint32_t thread_wake_one(struct thread_waitq *wq);
uint32_t thread_wake_all(struct thread_waitq *wq);

// A sleeping mutex: zeroed is unlocked. mutex_lock blocks until the caller owns it; waiters get it
// in the order they came (mutex_unlock hands it to the first one). Locking a mutex the caller
// holds, or unlocking one it does not hold, panics.
struct mutex {
    struct thread *owner;
    struct sched_waitq waiters;
};
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

// The threads, in table order (the boot thread first, then the idle thread): id, state, name,
// ticks run. Fills out[0..cap) and returns how many there are (which may exceed cap).
struct thread_entry {
    uint32_t id;
    enum sched_state state;
    const char *name;
    uint64_t ticks_run;
};
size_t thread_list(struct thread_entry *out, size_t cap);

// Context switches since boot, and how many of them were preemptions (at the end of an IRQ).
uint64_t thread_switches(void);
uint64_t thread_preemptions(void);

// The thread whose stack guard page holds addr, or NULL.
struct thread *thread_guard_owner(uintptr_t addr);
