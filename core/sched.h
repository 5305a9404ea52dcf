// The scheduler's queues and policies, without the CPU: thread control blocks, a round-robin run
// queue with a time slice, a sleep queue by deadline, wait queues, exit and join. Pure logic over
// simulated time: the kernel (kernel/thread.c) does the context switches, this module only says
// who runs next, so the host tests drive it tick by tick.
//
// Threads: the caller owns every struct sched_thread (its memory, its stack, its registers); this
// module links it into one queue at a time through `next` and keeps its state:
//   SCHED_NEW       not known to the scheduler (a zeroed struct), or
//   SCHED_DEAD      joined: the scheduler has forgotten it, the caller may free or reuse it;
//   SCHED_READY     in the run queue; SCHED_RUNNING: some CPU's current thread;
//   SCHED_SLEEPING  in the sleep queue until its deadline; SCHED_BLOCKED: in a wait queue;
//   SCHED_EXITED    a zombie: finished, its exit code kept until a join reaps it.
//
// Blocking: the functions that block or end the current thread (sched_sleep, sched_wait,
// sched_exit, sched_join) only change its state and queue it, answering SCHED_SWITCH; the caller
// then calls sched_pick_next and switches to what it returns. The thread stays the CPU's
// `current` until then. A woken thread goes to the back of the run queue.
//
// CPUs: every function that concerns "the running thread" takes the CPU index (0 .. cpus - 1
// given to sched_init); there is one run queue, one sleep queue and one clock for all CPUs.
//
// Locking: none here. The caller holds one lock (with interrupts off) over a struct sched and
// every wait queue and thread in it for each call, and across the switch that follows.
//
// Bad arguments: a NULL pointer or a CPU index out of range is a caller bug and panics (KASSERT);
// so is asking the current thread of a CPU that has none to block. Other misuses return the error
// codes each function lists.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define SCHED_CPUS_MAX 8
#define SCHED_CPUS_ALL ((1u << SCHED_CPUS_MAX) - 1) // a cpus_allowed mask naming every CPU
// Returned by the functions that leave the current thread off the CPU: call sched_pick_next and
// switch to its answer.
#define SCHED_SWITCH 1

enum sched_state {
    SCHED_NEW = 0,
    SCHED_READY,
    SCHED_RUNNING,
    SCHED_SLEEPING,
    SCHED_BLOCKED,
    SCHED_EXITED,
    SCHED_DEAD,
};

struct sched_thread;

// A FIFO of threads (blocked ones, or the run queue). Zeroed is empty.
struct sched_waitq {
    struct sched_thread *head, *tail;
};

// A thread control block. Fields are the scheduler's; read them, never write them.
struct sched_thread {
    struct sched_thread *next;  // link in the one queue the thread is in
    const char *name;           // the caller's string, outliving the thread
    uint64_t deadline;          // SCHED_SLEEPING: the tick it wakes at
    uint64_t ticks_run;         // ticks charged to it while running
    uint64_t picks;             // times sched_pick_next chose it (slices begun)
    struct sched_waitq joiners; // the one thread joining it, if any
    uint32_t id;                // 1, 2, ... in order of sched_add/sched_adopt; 0 while NEW
    uint32_t slice_left;        // ticks left of its slice while running
    uint32_t cpus_allowed;      // bit c set: CPU c may run it (sched_add: every CPU)
    int exit_code;              // SCHED_EXITED: what it handed to sched_exit
    enum sched_state state;
};

struct sched {
    struct sched_thread *current[SCHED_CPUS_MAX]; // NULL: that CPU is idle
    struct sched_waitq ready;                     // the run queue, front runs next
    struct sched_thread *sleepers;                // by deadline, ties in the order they slept
    uint64_t now;                                 // the last tick sched_tick saw
    uint32_t cpus;
    uint32_t slice; // ticks a thread runs before another ready one gets the CPU
    uint32_t next_id;
    uint32_t live; // threads added and not yet joined (zombies included)
};

// An empty scheduler for `cpus` CPUs (all idle) with a slice of `slice` ticks, its clock at 0.
// Returns 0, or E_INVAL when cpus is 0 or above SCHED_CPUS_MAX or slice is 0 (s is then left
// empty with cpus 0, and every call that takes a CPU index panics). Panics on NULL.
int sched_init(struct sched *s, uint32_t cpus, uint32_t slice);

// Makes t a new thread named `name` (may be NULL), ready, at the back of the run queue; t's
// fields are all set here (its id: the next of 1, 2, ...). Returns 0, or E_INVAL when t is not
// SCHED_NEW or SCHED_DEAD (it is in use). Panics on a NULL s or t.
int sched_add(struct sched *s, struct sched_thread *t, const char *name);

// Makes t a new thread that is already running on `cpu` (the code that calls this, e.g. the boot
// flow becoming a thread) with a full slice, its id the next as sched_add's. Returns 0, E_INVAL
// when t is not SCHED_NEW or SCHED_DEAD, or E_BUSY when cpu already has a current thread (nothing
// changes on an error). Panics on NULL or a bad cpu.
int sched_adopt(struct sched *s, uint32_t cpu, struct sched_thread *t, const char *name);

// cpu's current thread, NULL when idle. Panics on NULL or a bad cpu.
struct sched_thread *sched_current(const struct sched *s, uint32_t cpu);

// Chooses what cpu runs next and makes it current with a fresh slice: the first thread of the run
// queue that cpu may run (its cpus_allowed has bit cpu), after the current thread (when still
// SCHED_RUNNING) has gone to the back; so a running thread alone keeps the CPU. Returns the new
// current thread, or NULL when nothing cpu may run is ready (the CPU idles). Panics on NULL or a
// bad cpu.
struct sched_thread *sched_pick_next(struct sched *s, uint32_t cpu);

// One timer tick on cpu at time `now`: charges cpu's current thread one tick of its slice (a
// spent slice stays at 0), then, when now is later than the clock, advances it and moves every
// sleeper whose deadline is <= now to the back of the run queue, in deadline order (ties in the
// order they slept). Returns true when cpu should switch: its current thread's slice is spent, or
// cpu is idle, or cpu may no longer run its current thread (sched_set_cpus), and a thread cpu may
// run is ready. Panics on NULL, a bad cpu, or now before the clock (time never goes back).
bool sched_tick(struct sched *s, uint32_t cpu, uint64_t now);

// The clock: the last `now` sched_tick saw (0 before any). Panics on NULL.
uint64_t sched_now(const struct sched *s);

// Threads in the run queue. Panics on NULL.
uint32_t sched_ready_count(const struct sched *s);

// Whether the run queue holds a thread cpu may run. Panics on NULL or a bad cpu.
bool sched_ready_for(const struct sched *s, uint32_t cpu);

// Restricts t to the CPUs whose bits are set in mask (bit c: CPU c). Returns 0, or E_INVAL when
// mask names no CPU below the scheduler's count, or when t is SCHED_NEW or SCHED_DEAD (nothing
// changes then). Bits of CPUs past the count are kept but never match. A thread running on a CPU
// the mask leaves out keeps running until it leaves the CPU (sched_tick then asks for a switch
// when another thread may run there); pinning a thread to one CPU is a mask of one bit. Panics on
// NULL.
int sched_set_cpus(struct sched *s, struct sched_thread *t, uint32_t mask);

// Puts cpu's current thread to sleep for `ticks` ticks: its deadline is the clock + ticks
// (UINT64_MAX when that overflows), so the first sched_tick with now >= deadline wakes it.
// Returns SCHED_SWITCH, or 0 when ticks is 0 (nothing changes). Panics on NULL, a bad cpu, or an
// idle cpu.
int sched_sleep(struct sched *s, uint32_t cpu, uint64_t ticks);

// Blocks cpu's current thread at the back of wq. Returns SCHED_SWITCH. Panics on NULL, a bad cpu
// or an idle cpu.
int sched_wait(struct sched *s, uint32_t cpu, struct sched_waitq *wq);

// Wakes the thread at the front of wq (to the back of the run queue). Returns it, or NULL when wq
// is empty. Panics on NULL.
struct sched_thread *sched_wake_one(struct sched *s, struct sched_waitq *wq);

// Wakes every thread in wq, front first. Returns how many. Panics on NULL.
uint32_t sched_wake_all(struct sched *s, struct sched_waitq *wq);

// Ends cpu's current thread with `code`: it becomes a zombie (SCHED_EXITED) and its joiner, if
// one waits, is woken. The caller must switch away and never run the thread again. Panics on
// NULL, a bad cpu or an idle cpu.
void sched_exit(struct sched *s, uint32_t cpu, int code);

// cpu's current thread joins t. Returns:
//   0             t has exited: *code holds its exit code, t is SCHED_DEAD (reaped: the caller
//                 may free it);
//   SCHED_SWITCH  t has not exited: the current thread is blocked until it does, then (woken)
//                 calls sched_join again, which answers 0;
//   E_INVAL       t is the current thread itself, or t is SCHED_NEW (never added);
//   E_NOENT       t is SCHED_DEAD (joined already);
//   E_BUSY        another thread is already joining t.
// On an error nothing changes. Panics on NULL, a bad cpu or an idle cpu.
int sched_join(struct sched *s, uint32_t cpu, struct sched_thread *t, int *code);

// "ready", "running", ...; "?" for a value outside the enum. Never NULL.
const char *sched_state_name(enum sched_state state);
