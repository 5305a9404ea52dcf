/*
 * The shell's `cpus`, typed on the serial line of a two-CPU machine: one line per CPU (the AP with
 * the 16 pings of the boot line and the one that woke it into the scheduler counted) and a fresh
 * round trip to the AP.
 *
 * qemu-scenario
 * timeout: 30
 * args: -smp 2
 * expect-serial: ^2 of 2 CPUs online:$
 * expect-serial: ^    0     0            0  0  \(this one\)$
 * expect-serial: ^    1     1  +\d+  17$
 * expect-serial: ^smp: IPI round trip, TSC cycles \(min/median of 16\): cpu1 \d+/\d+$
 */
#include "kernel/smp.h"
#include "kernel/tasks.h"
#include "platform/x86_64/percpu.h"
#include "test/qemu/ktest/ktest.h"

// Whether `cpus` has pinged CPU 1 SMP_PING_ROUNDS times more than the boot line did.
static bool pinged_again(void *ctx)
{
    (void)ctx;
    return percpu_of(1)->ipis >= 2 * SMP_PING_ROUNDS + 1;
}

KTEST(cpus_lists_both_and_pings_the_ap)
{
    KT_ASSERT_EQ(percpu_of(1)->ipis, SMP_PING_ROUNDS + 1); // + smp_set_ap_idle's wake-up
    KT_ASSERT(ktest_host_serial("cpus\r"));
    KT_ASSERT(tasks_run_until(pinged_again, NULL, 300));
}
