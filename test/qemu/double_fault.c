/*
 * An exception whose handler is missing escalates to a double fault, which runs on its own IST
 * stack and is reported.
 *
 * qemu-scenario
 * expect-serial: ^EXCEPTION: DOUBLE FAULT \(vector 8\)$
 */
#include "core/exception.h"
#include "kernel/trap.h"
#include "platform/x86_64/gdt.h"
#include "platform/x86_64/idt.h"
#include "test/qemu/ktest/ktest.h"

// volatile: stored before a fault the compiler cannot see coming, read after it.
static volatile uint64_t count_before;

// With the page-fault gate marked not present, delivering the page fault raises a
// segment-not-present fault; a fault while delivering a page fault is a double fault.
KTEST_SHOULD_PANIC(missing_page_fault_handler_double_faults)
{
    count_before = trap_last()->count;
    idt_set_present(EXC_PAGE_FAULT, false);
    volatile uint8_t *p = (volatile uint8_t *)0xdead0000000ull;
    (void)*p;
}

KTEST(double_fault_ran_on_its_ist_stack)
{
    idt_set_present(EXC_PAGE_FAULT, true);
    uintptr_t bottom, top;
    gdt_ist_bounds(IST_DOUBLE_FAULT, &bottom, &top);
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_DOUBLE_FAULT);
    KT_ASSERT_EQ(trap_last()->error_code, 0); // a double fault always pushes 0
    KT_ASSERT(trap_last()->frame >= bottom && trap_last()->frame < top);
}

// With the gate back, the same access is an ordinary page fault again.
KTEST_SHOULD_PANIC(page_fault_after_the_gate_is_back)
{
    count_before = trap_last()->count;
    volatile uint8_t *p = (volatile uint8_t *)0xdead0000000ull;
    (void)*p;
}

KTEST(that_fault_was_a_page_fault)
{
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_PAGE_FAULT);
    KT_ASSERT_EQ(idt_ist(EXC_DOUBLE_FAULT), IST_DOUBLE_FAULT);
}
