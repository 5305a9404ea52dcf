/*
 * A kernel that never finishes is reported by the runner's timeout instead of hanging the suite:
 * this scenario passes only when the runner kills it after its timeout.
 *
 * qemu-scenario
 * timeout: 2
 * expect: timeout
 */
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"

KTEST(never_returns)
{
    for (;;)
        cpu_halt(); // interrupts are off: halts for good
}
