// Sleeping tasks: sleep(ticks) as a future over a tick counter (the PIT's, pit_ticks()), and a
// timer queue, a binary min-heap keyed by (deadline, registration number), that timer_tick empties
// of due sleepers in deadline order, ties in registration order.
//
// Contexts: timer_tick may run in an interrupt handler (IRQ 0) or in executor context; the other
// functions in executor context (timer_sleep_poll from a task's poll). The queue is guarded by a
// spinlock taken with interrupts disabled, so the two never race.
//
// Clock: every `now` handed in comes from one counter that never goes backwards, and a poll sees
// a `now` at least as large as the tick that woke it (true of pit_ticks() read after the IRQ 0
// handler advanced it and ran timer_tick).
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/spinlock.h"
#include "core/task/task.h"

struct timer_entry {
    uint64_t deadline;
    uint64_t seq; // registration number: orders equal deadlines
    struct waker waker;
};

struct timer_queue {
    struct timer_entry *heap; // capacity entries, the caller's
    uint32_t capacity;
    uint32_t count;
    uint64_t next_seq;
    struct spinlock lock;
};

// One sleep(ticks): lives in the sleeping task's state.
struct timer_sleep {
    struct timer_queue *q;
    uint64_t deadline;
    uint64_t seq;
    bool registered; // an entry was put in q (it may have fired since)
};

// Makes q an empty queue over entries[0..capacity-1] (no initialisation needed). Returns 0, or
// E_INVAL when capacity is 0 (q then takes no sleeper: every registration gets E_BUSY). Panics on
// NULL. Not concurrent with any other use of q.
int timer_queue_init(struct timer_queue *q, struct timer_entry *entries, uint32_t capacity);

// Starts a sleep of `ticks` ticks from `now`: its deadline is now + ticks (UINT64_MAX if that
// overflows). Registers nothing yet. Panics on NULL.
void timer_sleep_init(struct timer_sleep *s, struct timer_queue *q, uint64_t now, uint64_t ticks);

// The sleep's poll, for a task's poll to call with the current tick count and its waker. Returns:
//   POLL_READY    now >= deadline (at once for a sleep of 0 ticks, which never registers).
//   POLL_PENDING  not yet; on the first such poll (deadline, *w) was registered in the queue, so
//                 a timer_tick at or after the deadline wakes the task.
//   E_BUSY        not yet, and the queue is full: nothing is registered, the timer will not wake
//                 the task. The next poll tries again. The task should either fail (report
//                 E_BUSY) or wake itself (waker_wake) and return POLL_PENDING, polling again
//                 (busy-waiting) until the queue has room or the deadline has passed.
// A sleeper registered just after its deadline was passed by a tick is woken by the next tick.
// Executor context. Panics on NULL.
int timer_sleep_poll(struct timer_sleep *s, uint64_t now, const struct waker *w);

// Removes the sleep's entry if it is still queued (a task giving up its sleep early, so the entry
// does not take a slot until its deadline). Harmless on a sleep that fired or never registered.
// O(capacity). Executor context. Panics on NULL.
void timer_sleep_cancel(struct timer_sleep *s);

// Wakes, in (deadline, registration) order, every sleeper whose deadline is <= now, and removes
// them from the queue. Returns how many were woken, or E_BUSY if the ready queue filled first: the
// sleepers not woken stay queued, still in order, and the next tick wakes them. Any context (the
// IRQ 0 handler after advancing the tick counter). O(k log n) for k sleepers woken. Panics on NULL.
int timer_tick(struct timer_queue *q, uint64_t now);

// Sleepers queued. Panics on NULL.
uint32_t timer_count(struct timer_queue *q);

// The earliest queued deadline into *deadline and true, or false (and *deadline untouched) when
// the queue is empty. Panics on NULL.
bool timer_next_deadline(struct timer_queue *q, uint64_t *deadline);
