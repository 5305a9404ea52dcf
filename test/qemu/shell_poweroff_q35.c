/*
 * `poweroff` on a machine without the PIIX4 (q35: its ICH9 keeps its power management elsewhere):
 * the shell says so and falls back to QEMU's isa-debug-exit, which the runner's machines have, so
 * QEMU exits with that device's status for the value written (0x20: 65).
 *
 * qemu-scenario
 * args: -machine q35
 * expect: status 65
 * expect-serial: ^poweroff: no PIIX4 ACPI power management \(PCI 00:01\.3\)$
 * expect-serial: ^poweroff: trying QEMU's isa-debug-exit at port 0xf4$
 */
#include "kernel/shell.h"
#include "kernel/tasks.h"
#include "test/qemu/ktest/ktest.h"

static bool never(void *ctx)
{
    (void)ctx;
    return false;
}

KTEST(poweroff_falls_back_to_the_exit_port)
{
    KT_ASSERT(ktest_host_serial("poweroff\r"));
    tasks_run_until(never, NULL, 300);
    ktest_fail_at(__FILE__, __LINE__, "still running 3 s after poweroff");
}
