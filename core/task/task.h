// Cooperative tasks: a task is a state machine whose poll() returns ready or pending; a waker
// puts its task's id back on the executor's ready queue; the executor polls ready tasks and, when
// none is ready, hands the CPU to an idle hook (the kernel's does `sti; hlt` atomically).
//
// Contexts. "Executor context" is the code that calls exec_* (the kernel's main loop) and every
// poll() it makes. "Interrupt context" is an interrupt handler, which runs with interrupts
// disabled and does not nest. exec_* are for executor context only; wakers work from both, but
// not from an NMI or machine-check handler (those can interrupt a holder of the producer lock).
//
// The ready queue is a core/ring (single producer, single consumer) of task ids. The executor is
// its one consumer; the producers (wakers in tasks, wakers in interrupt handlers, exec_spawn)
// are made one by a small producer lock held only around ring_push, always with interrupts
// disabled: on one CPU an interrupt can then never arrive while the lock is held, so an interrupt
// handler never spins on it and the executor-context and interrupt-context pushes cannot race;
// on several CPUs (or host threads) the lock serialises them. The consumer never takes it.
//
// Task ids come from a per-executor 32-bit counter: increasing, never 0, and a task lives in
// table slot `id % capacity`, so spawn skips the ids whose slot is busy (ids stay increasing, not
// consecutive). After 2^32 ids the counter wraps (still skipping 0 and busy slots): an id is
// reused only after 2^32 further ids have been handed out.
//
// Per-slot bookkeeping (the id living there and its "queued" flag, in one atomic 64-bit word)
// stays in the executor's table, not in struct task, so a stale waker never touches a finished
// task's memory: it finds another id (or none) in the slot and does nothing. Even the one case
// it cannot tell apart, a waker 2^32 ids old meeting a reused id, costs only a spurious poll.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/ring.h"

#define EXEC_QUEUE_DEFAULT 100 // ready-queue capacity the kernel uses (as blog_os)

enum poll_result { POLL_PENDING = 0, POLL_READY = 1 };

struct executor;

// Wakes one task. Plain data, cheap to copy, valid forever (a waker outliving its task does
// nothing). {NULL, 0} is the no-op waker: waking it does nothing.
struct waker {
    struct executor *ex;
    uint32_t id;
};

// A task: the caller owns the memory and keeps it alive until poll returns POLL_READY.
// poll must not block: it makes what progress it can and returns POLL_READY when finished, or
// POLL_PENDING after arranging for `w` to be woken when progress is possible (storing a copy of
// *w somewhere an event source will find it). poll must tolerate spurious calls: a task can be
// polled without any event. *w stays valid while the task lives; copy it to keep it longer.
struct task {
    uint32_t id; // set by exec_spawn; 0 before
    enum poll_result (*poll)(struct task *t, const struct waker *w);
    void *state; // the caller's: the state machine's variables
};

// One table slot. The caller provides the array (exec_init); its contents are the executor's.
struct exec_slot {
    _Alignas(8) uint64_t state; // atomic: 0 free, else id << 1 | queued (8-aligned on 32 bits too)
    struct task *task;          // executor context only
    struct waker waker;         // the waker cache: the one waker handed to every poll of this task
};

struct executor {
    struct exec_slot *slots;
    uint32_t nslots;
    struct ring ready; // ids; may also hold stale ids of finished tasks, skipped when popped
    uint8_t push_lock; // the producer lock (see above), atomic
    uint32_t next_id;  // the last id handed out; executor context only (tests may preset it)
    uint32_t live;     // tasks spawned and not yet finished
    void (*idle)(struct executor *ex, void *ctx);
    void *idle_ctx;
};

// Makes ex an executor with no tasks over a table of nslots slots and a ready queue of
// queue_cap ids (EXEC_QUEUE_DEFAULT for the kernel's); both arrays are the caller's and need no
// initialisation; no idle hook (exec_run spins). Returns 0, or E_INVAL when nslots or queue_cap
// is 0 or queue_cap exceeds RING_MAX_CAPACITY (ex is then unusable). Panics on NULL pointers.
int exec_init(struct executor *ex, struct exec_slot *slots, uint32_t nslots, uint32_t *queue,
              uint32_t queue_cap);

// Sets the hook exec_run calls when no task is ready. Contract for idle(ex, ctx): disable
// interrupts, re-check exec_has_ready(ex), and if still nothing is ready enable interrupts and
// halt in one step (`sti; hlt`: the interrupt shadow of sti means an interrupt arriving after the
// check wakes the hlt instead of being taken before it); return after any interrupt (or at once
// if something was ready). It must not poll or spawn. NULL: exec_run busy-waits instead.
void exec_set_idle(struct executor *ex, void (*idle)(struct executor *ex, void *ctx), void *ctx);

// Adds t: gives it the next id (t->id), stores it in the table and queues it so its first poll
// comes with the next exec_run_ready. Returns:
//   0        success.
//   E_NOMEM  every table slot holds a live task; nothing changed.
//   E_BUSY   the ready queue is full; the spawn is undone (t->id is 0, no id is used up).
// Executor context only (also from inside a poll). Panics on NULL, on t->poll NULL.
int exec_spawn(struct executor *ex, struct task *t);

// Polls, once each and in queue order, the tasks that were ready when it was called (a task
// woken meanwhile waits for the next call, so a task that wakes itself cannot starve the loop).
// A task's queued flag is cleared before its poll, so a wake during or after the poll queues it
// again: no wake-up is lost. A task returning POLL_READY is removed: its slot is free, its
// wakers do nothing. Returns whether any task was polled. Executor context only.
bool exec_run_ready(struct executor *ex);

// Runs until no task remains: exec_run_ready while something is ready, the idle hook otherwise.
// Executor context only.
void exec_run(struct executor *ex);

// Whether the ready queue holds an id (possibly a stale one: then the next exec_run_ready polls
// nothing). Executor context only (it is the ring's consumer side), interrupts on or off.
bool exec_has_ready(const struct executor *ex);

// Tasks spawned and not yet finished. Executor context only.
uint32_t exec_live(const struct executor *ex);

// Queues w's task unless it already is; callable from any context (executor or interrupt).
// Returns:
//   0        queued now, or already queued (waking twice queues once), or nothing to do: the
//            task has finished, the id is unknown, or w is the no-op waker.
//   E_BUSY   the ready queue is full: nothing was queued and nothing changed; the task stays
//            wakeable and a later wake may succeed. The caller decides (retry, drop, warn).
// Panics if w is NULL. Disables interrupts around the push (and restores them).
int waker_wake(const struct waker *w);

// waker_wake for a caller that runs with interrupts disabled already, i.e. an interrupt handler
// (or a host thread standing in for one): the same, without touching the interrupt flag.
int waker_wake_from_irq(const struct waker *w);

// The busy-polling executor: polls every unfinished task of tasks[0..n-1] in turn, each with the
// no-op waker, until every one has returned POLL_READY; a finished task's entry is set to NULL
// (NULL entries are skipped, so on return all n are NULL). Spins forever if a task never finishes.
// Panics if tasks is NULL while n > 0.
void simple_exec_run(struct task **tasks, uint32_t n);
