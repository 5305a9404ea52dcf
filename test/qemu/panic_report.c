/*
 * A panic that nothing catches: the report ("panic: <message> at <file>:<line>", white on red)
 * goes to the screen and serial, the exit stage runs (an image built for coverage sends its data
 * there), and the image's stop hook ends the run. The test installs its own panic hooks, so the
 * test runner does not catch this panic as a test failure.
 *
 * qemu-scenario
 * expect: fail
 * expect-serial: ^panic: deliberate panic 42 at test/qemu/panic_report\.c:\d+$
 * expect-serial: ^panic_report: stopped$
 */
#include "core/panic.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "test/qemu/ktest/ktest.h"

static void stop_here(void)
{
    kprintf("panic_report: stopped\n");
    ktest_exit(false);
}

static const struct panic_hooks report_only = {NULL, stop_here};

KTEST(uncaught_panic_reports_and_stops)
{
    panic_set_hooks(&report_only);
    panic("deliberate panic %d", 42);
}
