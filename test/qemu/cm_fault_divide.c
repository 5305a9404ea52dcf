/*
 * Division by zero is a UsageFault on this firmware (cm_faults_init sets CCR.DIV_0_TRP; without
 * it, ARMv7-M's sdiv returns 0): the counterpart of x86's divide error.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * expect: fail
 * expect-serial: ^EXCEPTION: USAGE FAULT \(exception 6\)$
 * expect-serial: ^  CFSR 0x2000000 \[divide by zero\]$
 * expect-serial: ^  r0 0x7 r1 (0x0|0) r2 \S+ r3 \S+ r12 \S+$
 */
#include "test/qemu/ktest/ktest.h"

KTEST(divide_by_zero)
{
    register int32_t dividend __asm__("r0") = 7;
    register int32_t divisor __asm__("r1") = 0;
    int32_t quotient;
    __asm__ volatile("sdiv %0, %1, %2" : "=r"(quotient) : "r"(dividend), "r"(divisor));
    KT_ASSERT(quotient == 0 && !"reached"); // the trap stops the run before this
}
