// A spinlock that also disables interrupts while held, so an interrupt handler taking the same
// lock can never spin on the code it interrupted.
//
// A lock may name a lock class (core/lockorder.h); each taking and letting go of such a lock is
// reported to the machine's lock-order check, spin_check_acquire and spin_check_release, which
// each build links in: the x86_64 kernel's (kernel/lockcheck.c) keeps the locks each CPU holds
// and panics on a lock taken out of order; the host's mock records the calls; the Cortex-M
// firmware's does nothing. A lock without a class is not checked.
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "core/hw.h"
#include "core/lockorder.h"

// Zero-initialised (e.g. static) means unlocked, without a class.
struct spinlock {
    volatile bool locked;
    const struct lock_class *cls; // NULL: not checked
};

// The machine's lock-order check: called with interrupts off before spinning for a lock of class
// cls (so a lock taken out of order is reported even when the wait for it would never end), after
// a trylock took one, and before one is let go.
void spin_check_acquire(const struct lock_class *cls);
void spin_check_release(const struct lock_class *cls);

// Disables interrupts, then spins until the lock is free and takes it. Returns the interrupt state
// to hand back to spin_unlock_irqrestore. Not recursive: taking a lock twice on one CPU spins
// forever (a caller bug).
static inline unsigned long spin_lock_irqsave(struct spinlock *l)
{
    unsigned long flags = hw_irq_save();
    if (l->cls != NULL)
        spin_check_acquire(l->cls); // before the wait: a lock out of order may never come
    while (__atomic_exchange_n(&l->locked, true, __ATOMIC_ACQUIRE))
        hw_relax();
    return flags;
}

// Releases the lock and restores the interrupt state saved by spin_lock_irqsave.
static inline void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
    if (l->cls != NULL)
        spin_check_release(l->cls);
    __atomic_store_n(&l->locked, false, __ATOMIC_RELEASE);
    hw_irq_restore(flags);
}

// Takes the lock if it is free; returns true when taken (interrupts are then disabled and the old
// state stored in *flags), false otherwise (nothing changed).
static inline bool spin_trylock_irqsave(struct spinlock *l, unsigned long *flags)
{
    unsigned long f = hw_irq_save();
    if (__atomic_exchange_n(&l->locked, true, __ATOMIC_ACQUIRE)) {
        hw_irq_restore(f);
        return false;
    }
    if (l->cls != NULL)
        spin_check_acquire(l->cls);
    *flags = f;
    return true;
}

// Marks the lock free whoever holds it, without touching the interrupt state or telling the
// lock-order check (the holder never lets go of it): for panic, whose
// report must get out even when the code that panicked holds the lock (it never runs again).
// Anywhere else it is a bug.
static inline void spin_break(struct spinlock *l)
{
    __atomic_store_n(&l->locked, false, __ATOMIC_RELEASE);
}
