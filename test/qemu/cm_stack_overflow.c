/*
 * A stack overflow is caught, not silent: unbounded recursion on the thread stack runs into the
 * MPU guard under it. The push that reaches the guard faults (a data access violation, MMFAR in
 * the guard), and so does the CPU's own stacking of the exception frame on the same exhausted
 * stack (a stacking error): the MemManage handler runs on the handler stack, which the overflow
 * never touched, and prints the report, saying the frame could not be stacked and naming the
 * guard. The counterpart of the x86 kernel's guard page and double fault (stack_overflow.c).
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * expect: fail
 * expect-serial: ^recursing on the thread stack$
 * expect-serial: ^EXCEPTION: MEMMANAGE FAULT \(exception 4\)$
 * expect-serial: ^  CFSR 0x[0-9a-f]+ \[.*MemManage on stacking.*\]$
 * expect-serial: ^  MMFAR 0x20001[0-3][0-9a-f]{2}$
 * expect-serial: ^  frame at 0x20001[0-3][0-9a-f]{2} not stacked: r0-r3, r12, lr, pc and xpsr unknown$
 * expect-serial: ^stack overflow: the thread stack ran into its MPU guard at 0x20001000-0x200013ff$
 */
#include "platform/cortex_m/console.h"
#include "test/qemu/ktest/ktest.h"

static volatile uint32_t stop_at = UINT32_MAX; // never reached: the compiler cannot prove the
                                               // recursion endless

// Not a tail call (the result is used after the call) and a volatile frame, so each level really
// takes stack.
static uint32_t recurse(uint32_t depth)
{
    volatile uint32_t frame[16];
    frame[0] = depth;
    if (depth == stop_at)
        return 0;
    return recurse(depth + 1) + frame[0];
}

KTEST(unbounded_recursion)
{
    kprintf("\nrecursing on the thread stack\n");
    // The guard stops the run before this.
    ktest_fail_at(__FILE__, __LINE__, "the recursion returned %lu", (unsigned long)recurse(0));
}
