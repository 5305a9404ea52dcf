// The firmware's part of panic() (kernel/panic.h; kernel/panic.c is the rest): the report,
// "panic: <message> at <file>:<line>", goes to UART0 as it is; then, after the STAGE_EXIT hooks
// and unless an installed stop hook does something else first, the firmware ends the emulation
// with the failure status through semihosting (a real board without a debugger stops in a
// HardFault lockup instead).
#include "kernel/panic.h"
#include "platform/cortex_m/semihosting.h"

// Nothing to mark: UART0 carries plain text, and the runner matches the report's line as it is.
void panic_machine_mark(void) {}

_Noreturn void panic_machine_stop(void)
{
    semihosting_exit(CM_EXIT_FAIL);
}
