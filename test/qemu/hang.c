/*
 * A kernel that never finishes is reported by the runner's timeout instead of hanging the suite:
 * this scenario passes only when the runner kills it after its timeout, and only if it got as far
 * as the test that hangs (a boot slower than the timeout fails it instead of passing unseen).
 *
 * qemu-scenario
 * timeout: 1
 * expect: timeout
 * expect-serial: ^never_returns\.\.\.
 */
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"

KTEST(never_returns)
{
    for (;;)
        cpu_halt(); // each timer tick ends the halt; the loop halts again, for good
}
