/*
 * The lock-order check: a spinlock taken below the rank of one held panics naming both, before
 * it waits for the lock; so does taking a held lock again, blocking on a mutex with a spinlock
 * held, and taking one of the kernel's own locks (the heap's) under a test lock ranked above it.
 * Locks taken in order pass, and the kernel's own locks, taken all through the other scenarios,
 * never trip it.
 *
 * qemu-scenario
 * expect-serial: lock order: low \(rank 10\) taken while holding high \(rank 20\) \(CPU 0\)
 * expect-serial: lock order: again \(rank 30\) taken while held \(CPU 0\)
 * expect-serial: lock order: mutex_lock while holding low \(rank 10\) \(CPU 0\)
 * expect-serial: lock order: heap \(rank 10\) taken while holding top \(rank 95\) \(CPU 0\)
 */
#include "core/spinlock.h"
#include "kernel/heap.h"
#include "kernel/lockcheck.h"
#include "kernel/thread.h"
#include "test/qemu/ktest/ktest.h"

KTEST(the_check_is_on)
{
    KT_ASSERT(lockcheck_enabled());
}

KTEST(locks_in_rank_order_pass)
{
    struct spinlock low = LOCKCHECK_SPINLOCK("low", 10), high = LOCKCHECK_SPINLOCK("high", 20);
    unsigned long a = spin_lock_irqsave(&low);
    unsigned long b = spin_lock_irqsave(&high);
    spin_unlock_irqrestore(&low, b); // released in any order
    spin_unlock_irqrestore(&high, a);
    a = spin_lock_irqsave(&high); // and each alone
    spin_unlock_irqrestore(&high, a);
}

// The should-panic tests' locks stay taken: each test has its own.
static struct spinlock low1 = LOCKCHECK_SPINLOCK("low", 10), high1 = LOCKCHECK_SPINLOCK("high", 20);
static struct spinlock again = LOCKCHECK_SPINLOCK("again", 30);
static struct spinlock low2 = LOCKCHECK_SPINLOCK("low", 10);
static struct spinlock top = LOCKCHECK_SPINLOCK("top", 95);
static struct mutex m;

KTEST_SHOULD_PANIC(a_lower_rank_under_a_higher_panics)
{
    (void)spin_lock_irqsave(&high1);
    (void)spin_lock_irqsave(&low1);
}

KTEST_SHOULD_PANIC(a_lock_taken_twice_panics_instead_of_spinning_forever)
{
    (void)spin_lock_irqsave(&again);
    (void)spin_lock_irqsave(&again);
}

KTEST_SHOULD_PANIC(blocking_under_a_spinlock_panics)
{
    (void)spin_lock_irqsave(&low2);
    mutex_lock(&m);
}

KTEST_SHOULD_PANIC(the_kernel_s_own_locks_are_checked)
{
    (void)spin_lock_irqsave(&top);
    (void)kmalloc(16);
}

KTEST(the_heap_still_works_after_the_reports)
{
    void *p = kmalloc(16);
    KT_ASSERT(p != NULL);
    kfree(p);
    KT_ASSERT(lockcheck_enabled());
}
