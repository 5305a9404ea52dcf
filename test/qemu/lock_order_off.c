/*
 * lockcheck=off on the command line turns the lock-order check off: locks out of order pass.
 *
 * qemu-scenario
 * cmdline: lockcheck=off
 */
#include "core/spinlock.h"
#include "kernel/lockcheck.h"
#include "test/qemu/ktest/ktest.h"

KTEST(locks_out_of_order_pass_unchecked)
{
    KT_ASSERT(!lockcheck_enabled());
    struct spinlock low = LOCKCHECK_SPINLOCK("low", 10), high = LOCKCHECK_SPINLOCK("high", 20);
    unsigned long a = spin_lock_irqsave(&high);
    unsigned long b = spin_lock_irqsave(&low);
    spin_unlock_irqrestore(&low, b);
    spin_unlock_irqrestore(&high, a);
}
