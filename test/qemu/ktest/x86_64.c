// The test runner's machine half for the x86_64 kernel (see ktest_machine.h): COM1 through the
// kernel console, arch_setjmp/arch_longjmp (platform/x86_64/jump.S) to get back from a panic,
// and QEMU's isa-debug-exit at port 0xf4 for the exit status.
#include "core/hw.h"
#include "kernel/console.h"
#include "kernel/lockcheck.h"
#include "kernel/serial_input.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/jump.h"
#include "test/qemu/ktest/ktest_machine.h"

#define QEMU_EXIT_PORT 0xf4 // isa-debug-exit, iosize 4
#define QEMU_EXIT_PASS 0x10 // QEMU exits with (0x10 << 1) | 1 = 33
#define QEMU_EXIT_FAIL 0x11 // 35

static struct arch_jmp panic_return;

void ktest_machine_write(const char *s, size_t len)
{
    kprintf_serial("%.*s", (int)len, s);
}

void ktest_machine_start_line(void)
{
    console_start_line_serial();
}

uint64_t ktest_machine_bytes_written(void)
{
    return console_bytes_written();
}

int ktest_machine_getc(void)
{
    return serial_input_getc(); // the bytes COM1's interrupt queued first, then the UART's
}

void ktest_machine_hold_input(bool on)
{
    serial_input_hold(on);
}

bool ktest_machine_call(void (*fn)(void))
{
    if (arch_setjmp(&panic_return) != 0) {
        lockcheck_reset(); // the panic left what this CPU held, and turned the check off
        return false;
    }
    fn();
    return true;
}

void ktest_machine_unwind(void)
{
    arch_longjmp(&panic_return, 1); // also from a fault's IST stack: it restores RSP, RFLAGS, SS
}

_Noreturn void ktest_machine_exit(bool passed)
{
    // The runner reads the last report lines from COM1, and QEMU's exit drops what its UART holds.
    (void)console_flush_serial();
    hw_outl(QEMU_EXIT_PORT, passed ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
    cpu_stop();
}
