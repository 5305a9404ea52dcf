// Tests for core/spinlock.h: the lock keeps interrupts off while held and restores their state;
// spin_break frees a held lock for panic.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/spinlock.h"
#include "platform/host/mock_hw.h"

static int reset(void **state)
{
    mock_hw_reset();
    return 0;
}

static void lock_disables_interrupts_and_unlock_restores_them(void **state)
{
    struct spinlock l = {0};
    unsigned long flags = spin_lock_irqsave(&l);
    assert_true(l.locked);
    assert_false(mock_irq_enabled());
    spin_unlock_irqrestore(&l, flags);
    assert_false(l.locked);
    assert_true(mock_irq_enabled());
}

static void unlock_leaves_interrupts_off_when_they_were_off(void **state)
{
    struct spinlock l = {0};
    unsigned long outer = hw_irq_save(); // an interrupt handler, say
    unsigned long flags = spin_lock_irqsave(&l);
    spin_unlock_irqrestore(&l, flags);
    assert_false(mock_irq_enabled());
    hw_irq_restore(outer);
    assert_true(mock_irq_enabled());
}

static void trylock_fails_on_a_held_lock_and_changes_nothing(void **state)
{
    struct spinlock l = {0};
    unsigned long flags = 0, other = 0;
    assert_true(spin_trylock_irqsave(&l, &flags));
    assert_false(mock_irq_enabled());
    assert_false(spin_trylock_irqsave(&l, &other));
    assert_true(l.locked);
    assert_false(mock_irq_enabled());
    spin_unlock_irqrestore(&l, flags);
    assert_true(mock_irq_enabled());
    assert_true(spin_trylock_irqsave(&l, &flags));
    spin_unlock_irqrestore(&l, flags);
}

static void break_frees_a_held_lock_and_leaves_interrupts_alone(void **state)
{
    struct spinlock l = {0};
    unsigned long flags = spin_lock_irqsave(&l); // the code that panicked holds it
    spin_break(&l);
    assert_false(l.locked);
    assert_false(mock_irq_enabled()); // still off: panic keeps them off
    unsigned long again = 0;
    assert_true(spin_trylock_irqsave(&l, &again)); // the report can take it
    spin_unlock_irqrestore(&l, again);
    hw_irq_restore(flags);
    assert_true(mock_irq_enabled());
}

static void break_of_a_free_lock_leaves_it_free(void **state)
{
    struct spinlock l = {0};
    spin_break(&l);
    assert_false(l.locked);
    assert_true(mock_irq_enabled());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(lock_disables_interrupts_and_unlock_restores_them, reset),
        cmocka_unit_test_setup(unlock_leaves_interrupts_off_when_they_were_off, reset),
        cmocka_unit_test_setup(trylock_fails_on_a_held_lock_and_changes_nothing, reset),
        cmocka_unit_test_setup(break_frees_a_held_lock_and_leaves_interrupts_alone, reset),
        cmocka_unit_test_setup(break_of_a_free_lock_leaves_it_free, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
