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
    // In fixed registers, so the report's stacked r0 and r1 are known. The isb ends QEMU's
    // translation block: within one, TCG may trap in sdiv before it has stored registers set by
    // the instructions before it, and the frame would show their old values.
    __asm__ volatile("movs r0, #7\n\tmovs r1, #0\n\tisb\n\tsdiv r2, r0, r1" ::: "r0", "r1", "r2");
    // The trap stops the run before this.
    ktest_fail_at(__FILE__, __LINE__, "7 / 0 did not trap");
}
