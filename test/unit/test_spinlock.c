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

// A lock with a class reports each take and each release to the
// machine's lock-order check; a failed trylock and spin_break report nothing.
static const struct lock_class cls = {"test", 7};

static void assert_checks(const bool *acquires, size_t n)
{
    const struct mock_spin_check *log;
    assert_int_equal(mock_spin_checks(&log), n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(log[i].acquire, acquires[i]);
        assert_ptr_equal(log[i].cls, &cls);
    }
}

static void a_classed_lock_reports_takes_and_releases(void **state)
{
    struct spinlock l = {.cls = &cls};
    unsigned long flags = spin_lock_irqsave(&l);
    assert_checks((const bool[]){true}, 1);
    spin_unlock_irqrestore(&l, flags);
    assert_checks((const bool[]){true, false}, 2);
    assert_true(spin_trylock_irqsave(&l, &flags));
    assert_checks((const bool[]){true, false, true}, 3);
    unsigned long other;
    assert_false(spin_trylock_irqsave(&l, &other)); // held: nothing reported
    assert_checks((const bool[]){true, false, true}, 3);
    spin_break(&l); // panic's: nothing reported
    assert_checks((const bool[]){true, false, true}, 3);
}

static void a_lock_without_a_class_reports_nothing(void **state)
{
    struct spinlock l = {0};
    unsigned long flags = spin_lock_irqsave(&l);
    spin_unlock_irqrestore(&l, flags);
    assert_true(spin_trylock_irqsave(&l, &flags));
    spin_unlock_irqrestore(&l, flags);
    const struct mock_spin_check *log;
    assert_int_equal(mock_spin_checks(&log), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(lock_disables_interrupts_and_unlock_restores_them, reset),
        cmocka_unit_test_setup(unlock_leaves_interrupts_off_when_they_were_off, reset),
        cmocka_unit_test_setup(trylock_fails_on_a_held_lock_and_changes_nothing, reset),
        cmocka_unit_test_setup(break_frees_a_held_lock_and_leaves_interrupts_alone, reset),
        cmocka_unit_test_setup(break_of_a_free_lock_leaves_it_free, reset),
        cmocka_unit_test_setup(a_classed_lock_reports_takes_and_releases, reset),
        cmocka_unit_test_setup(a_lock_without_a_class_reports_nothing, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
