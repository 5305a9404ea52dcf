/*
 * Unbounded recursion runs into the unmapped guard page under the kernel stack: the page fault
 * cannot push its frame, the CPU escalates to a double fault, which runs on its IST stack and is
 * reported instead of a triple fault.
 *
 * qemu-scenario
 * expect-serial: ^EXCEPTION: DOUBLE FAULT \(vector 8\)$
 */
#include "core/exception.h"
#include "kernel/trap.h"
#include "platform/x86_64/gdt.h"
#include "test/qemu/ktest/ktest.h"

extern char boot_stack_guard[];

static volatile int stop_at = -1; // never reached: the compiler cannot prove the recursion endless
// volatile: stored before a fault the compiler cannot see coming, read after it.
static volatile uint64_t count_before;

// Not a tail call (the result is used after the call) and a volatile frame, so each level really
// takes stack.
static int recurse(int depth)
{
    volatile char frame[64];
    frame[0] = (char)depth;
    if (depth == stop_at)
        return 0;
    return recurse(depth + 1) + frame[0];
}

KTEST_SHOULD_PANIC(stack_overflow_double_faults)
{
    count_before = trap_last()->count;
    recurse(0);
}

KTEST(double_fault_on_the_ist_stack_after_hitting_the_guard)
{
    uintptr_t bottom, top;
    gdt_ist_bounds(IST_DOUBLE_FAULT, &bottom, &top);
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_DOUBLE_FAULT);
    KT_ASSERT(trap_last()->frame >= bottom && trap_last()->frame < top);
    // The page fault that started it was on the guard page.
    uintptr_t guard = (uintptr_t)boot_stack_guard;
    KT_ASSERT(trap_last()->cr2 >= guard && trap_last()->cr2 < guard + 4096);
}
