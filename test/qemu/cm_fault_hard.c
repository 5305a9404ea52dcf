/*
 * A HardFault, the Cortex-M way: a fault whose own handler cannot run escalates. With PRIMASK
 * set the execution priority is 0, so the UsageFault of an undefined instruction (priority 0
 * too) cannot preempt and is forced into a HardFault: HFSR says forced, CFSR still says why.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * expect: fail
 * expect-serial: ^EXCEPTION: HARD FAULT \(exception 3\)$
 * expect-serial: ^  CFSR 0x10000 \[undefined instruction\]$
 * expect-serial: ^  HFSR 0x40000000 \[forced\]$
 */
#include "test/qemu/ktest/ktest.h"

KTEST(fault_with_primask_set)
{
    __asm__ volatile("cpsid i\n\tudf #1" ::: "memory");
}
