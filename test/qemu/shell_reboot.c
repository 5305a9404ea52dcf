/*
 * `reboot`, typed on the keyboard: the PS/2 controller pulses the reset line, and QEMU, which the
 * runner starts with -no-reboot, stops with status 0 instead of restarting.
 *
 * qemu-scenario
 * expect: status 0
 * expect-serial: ^reboot: pulsing the reset line through the PS/2 controller$
 */
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "test/qemu/ktest/ktest.h"

static bool never(void *ctx)
{
    (void)ctx;
    return false;
}

KTEST(reboot_resets_the_machine)
{
    KT_ASSERT(ktest_host_type("reboot\n"));
    tasks_run_until(never, NULL, 300);
    ktest_fail_at(__FILE__, __LINE__, "still running 3 s after reboot");
}
