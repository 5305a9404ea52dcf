/*
 * `poweroff`, typed on the serial line: ACPI S5 through QEMU's PIIX4 power management switches the
 * machine off, and QEMU exits with status 0 (no test reports after it).
 *
 * qemu-scenario
 * expect: status 0
 * expect-serial: ^poweroff: ACPI S5 through the PIIX4 PM control register at port 0x604$
 */
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "test/qemu/ktest/ktest.h"

static bool never(void *ctx)
{
    (void)ctx;
    return false;
}

KTEST(poweroff_switches_the_machine_off)
{
    KT_ASSERT(ktest_host_serial("poweroff\r"));
    tasks_run_until(never, NULL, 300);
    ktest_fail_at(__FILE__, __LINE__, "still running 3 s after poweroff");
}
