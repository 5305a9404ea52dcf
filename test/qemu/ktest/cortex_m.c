// The test runner's machine half for the Cortex-M firmware (see ktest_machine.h): UART0 through
// the firmware console, cm_setjmp/cm_longjmp (platform/cortex_m/jump.S) to get back from a panic
// in thread mode, and semihosting for the exit status.
#include "platform/cortex_m/console.h"
#include "platform/cortex_m/jump.h"
#include "platform/cortex_m/semihosting.h"
#include "test/qemu/ktest/ktest_machine.h"

static struct cm_jmp panic_return;

void ktest_machine_write(const char *s, size_t len)
{
    console_write(s, len);
}

void ktest_machine_start_line(void)
{
    console_start_line();
}

uint64_t ktest_machine_bytes_written(void)
{
    return console_bytes_written();
}

int ktest_machine_getc(void)
{
    return console_getc();
}

void ktest_machine_hold_input(bool on)
{
    (void)on; // nothing but the runner reads the firmware's UART
}

bool ktest_machine_call(void (*fn)(void))
{
    if (cm_setjmp(&panic_return) != 0)
        return false;
    fn();
    return true;
}

// A jump from an exception handler to thread mode would leave the exception active and the CPU
// in handler mode: only a panic in thread mode (IPSR 0) unwinds.
void ktest_machine_unwind(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    if ((ipsr & 0x1ffu) == 0)
        cm_longjmp(&panic_return, 1);
}

_Noreturn void ktest_machine_exit(bool passed)
{
    semihosting_exit(passed ? CM_EXIT_PASS : CM_EXIT_FAIL);
}
