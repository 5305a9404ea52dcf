// The kernel's lock-order check (core/lockorder.h over core/spinlock.h's hooks): every spinlock
// the kernel shares between CPUs and interrupt handlers names a class with a rank below, and each
// CPU may take such a lock only above the ranks of those it holds. A lock taken out of order, or
// twice, panics with both classes named, on the first run that takes them so, whether or not the
// timing of that run would have deadlocked. Blocking (a mutex, a sleep, a join, a wait) while
// holding a spinlock panics too.
//
// The ranks are the kernel's lock order (docs/threads.md, "Lock order"): a lower rank is taken
// first. The check is on from kmain's lockcheck_enable (once GS holds the boot CPU's struct
// percpu) unless the command line says lockcheck=off; its cost is a few compares per lock.
#pragma once

#include <stdbool.h>

#include "core/lockorder.h"

#define LOCK_RANK_HEAP    10 // kernel/heap: grows through kernel/vm while held
#define LOCK_RANK_VM      20 // kernel/vm: the page tables and the frame allocator
#define LOCK_RANK_SMP_IPI 30 // kernel/smp_ipi: one ping or call exchange
#define LOCK_RANK_TLB     40 // kernel/tlb: one shootdown (taken with nothing held: see tlb.h)
#define LOCK_RANK_SCHED   50 // kernel/thread: the scheduler (sends IPIs, takes nothing else)
#define LOCK_RANK_CONSOLE 90 // kernel/console: printing happens under any of the others

// A spinlock of a class: `static struct spinlock lock = LOCKCHECK_SPINLOCK("vm", LOCK_RANK_VM);`
#define LOCKCHECK_SPINLOCK(name, rank)                                                             \
    {                                                                                              \
        .cls = &(const struct lock_class)                                                          \
        {                                                                                          \
            (name), (rank)                                                                         \
        }                                                                                          \
    }

// Turns the check on (on every CPU), unless the command line has lockcheck=off. Call once from
// kmain, after gdt_init, with no classed lock held.
void lockcheck_enable(const char *cmdline);

// Whether the check is on.
bool lockcheck_enabled(void);

// Panics when the calling CPU holds a classed spinlock: `what` is about to block.
void lockcheck_may_sleep(const char *what);

// Forgets the locks the calling CPU holds and turns the check back on: for the test runner, after
// it has returned from a panic (which turns the check off, as its report takes locks anywhere).
void lockcheck_reset(void);
