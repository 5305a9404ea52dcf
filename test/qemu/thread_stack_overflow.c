/*
 * A thread recursing without end runs into the unmapped guard page under its stack: the page
 * fault cannot push its frame there, so the CPU raises a double fault, which runs on its IST
 * stack and is reported, naming the fault address inside that thread's guard page.
 *
 * qemu-scenario
 * expect-serial: ^EXCEPTION: DOUBLE FAULT \(vector 8\)$
 * expect-serial: thread 2 "deep": stack overflow into its guard page at 0xffffb0000000
 */
#include "core/exception.h"
#include "kernel/console.h"
#include "kernel/thread.h"
#include "kernel/trap.h"
#include "platform/x86_64/gdt.h"
#include "test/qemu/ktest/ktest.h"

static volatile int stop_at = -1; // never reached: the compiler cannot prove the recursion endless
static volatile uint64_t count_before;
static struct thread *volatile deep;

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

static int overflows(void *arg)
{
    (void)arg;
    return recurse(0);
}

// The panic in the thread brings the runner back to this test's frame on the boot stack (the
// scheduler still counts the dead thread as running: the image ends after the next test).
KTEST_SHOULD_PANIC(thread_stack_overflow_double_faults)
{
    count_before = trap_last()->count;
    deep = thread_create(overflows, NULL, "deep");
    KT_ASSERT(deep != NULL);
    (void)thread_join(deep, NULL);
}

KTEST(the_fault_was_in_that_threads_guard_page)
{
    uintptr_t bottom, top;
    gdt_ist_bounds(IST_DOUBLE_FAULT, &bottom, &top);
    KT_ASSERT_EQ(trap_last()->count, count_before + 1);
    KT_ASSERT_EQ(trap_last()->vector, EXC_DOUBLE_FAULT);
    KT_ASSERT(trap_last()->frame >= bottom && trap_last()->frame < top);
    struct thread *owner = thread_guard_owner(trap_last()->cr2);
    KT_ASSERT(owner == deep);
    kprintf("thread %u \"%s\": stack overflow into its guard page at %#llx\n", owner->st.id,
            owner->st.name, (unsigned long long)trap_last()->cr2);
}
