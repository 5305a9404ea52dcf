// A spinlock that also disables interrupts while held, so an interrupt handler taking the same
// lock can never spin on the code it interrupted.
#pragma once

#include <stdbool.h>

#include "core/hw.h"

// Zero-initialised (e.g. static) means unlocked.
struct spinlock {
    volatile bool locked;
};

// Disables interrupts, then spins until the lock is free and takes it. Returns the interrupt state
// to hand back to spin_unlock_irqrestore. Not recursive: taking a lock twice on one CPU spins
// forever (a caller bug).
static inline unsigned long spin_lock_irqsave(struct spinlock *l)
{
    unsigned long flags = hw_irq_save();
    while (__atomic_exchange_n(&l->locked, true, __ATOMIC_ACQUIRE))
        hw_relax();
    return flags;
}

// Releases the lock and restores the interrupt state saved by spin_lock_irqsave.
static inline void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
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
    *flags = f;
    return true;
}

// Marks the lock free whoever holds it, without touching the interrupt state: for panic, whose
// report must get out even when the code that panicked holds the lock (it never runs again).
// Anywhere else it is a bug.
static inline void spin_break(struct spinlock *l)
{
    __atomic_store_n(&l->locked, false, __ATOMIC_RELEASE);
}
