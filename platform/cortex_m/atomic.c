// The 64-bit atomics the compiler calls out for on ARMv7-M, which has no 64-bit exclusive access
// (LDREXD/STREXD are ARMv7-A): core/task's slot words and tick counts are uint64_t, so every
// __atomic_* on them becomes a call to these libatomic entry points. On this single core an
// operation is atomic when no exception can run in its middle: each masks interrupts (PRIMASK)
// around a plain access. (NMI and the faults cannot be masked so, and neither may use them; none
// does.) The memory-order arguments need nothing more: one core sees its own accesses in order,
// and hw_irq_save/hw_irq_restore are compiler barriers.
//
// Each is defined under a name of ours bound to the libatomic symbol (an asm label), because
// the compilers reserve the __atomic_* names for their built-ins.
#include "core/hw.h"

#include <stdbool.h>
#include <stdint.h>

uint64_t cm_atomic_load_8(const volatile void *p, int order) __asm__("__atomic_load_8");
void cm_atomic_store_8(volatile void *p, uint64_t v, int order) __asm__("__atomic_store_8");
uint64_t cm_atomic_exchange_8(volatile void *p, uint64_t v,
                              int order) __asm__("__atomic_exchange_8");
bool cm_atomic_compare_exchange_8(volatile void *p, void *expected, uint64_t desired, int success,
                                  int failure) __asm__("__atomic_compare_exchange_8");
uint64_t cm_atomic_fetch_add_8(volatile void *p, uint64_t v,
                               int order) __asm__("__atomic_fetch_add_8");

uint64_t cm_atomic_load_8(const volatile void *p, int order)
{
    (void)order;
    unsigned long flags = hw_irq_save();
    uint64_t v = *(const volatile uint64_t *)p;
    hw_irq_restore(flags);
    return v;
}

void cm_atomic_store_8(volatile void *p, uint64_t v, int order)
{
    (void)order;
    unsigned long flags = hw_irq_save();
    *(volatile uint64_t *)p = v;
    hw_irq_restore(flags);
}

uint64_t cm_atomic_exchange_8(volatile void *p, uint64_t v, int order)
{
    (void)order;
    unsigned long flags = hw_irq_save();
    uint64_t old = *(volatile uint64_t *)p;
    *(volatile uint64_t *)p = v;
    hw_irq_restore(flags);
    return old;
}

// As the built-in: when *p equals *expected, stores desired and returns true; otherwise copies
// *p into *expected and returns false.
bool cm_atomic_compare_exchange_8(volatile void *p, void *expected, uint64_t desired, int success,
                                  int failure)
{
    (void)success;
    (void)failure;
    unsigned long flags = hw_irq_save();
    uint64_t now = *(volatile uint64_t *)p;
    bool equal = now == *(uint64_t *)expected;
    if (equal)
        *(volatile uint64_t *)p = desired;
    else
        *(uint64_t *)expected = now;
    hw_irq_restore(flags);
    return equal;
}

uint64_t cm_atomic_fetch_add_8(volatile void *p, uint64_t v, int order)
{
    (void)order;
    unsigned long flags = hw_irq_save();
    uint64_t old = *(volatile uint64_t *)p;
    *(volatile uint64_t *)p = old + v;
    hw_irq_restore(flags);
    return old;
}
