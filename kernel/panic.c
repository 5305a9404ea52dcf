// The kernel's panic(): reports the message with its file:line on VGA and serial, then stops. In a
// test image a panic inside a test goes back to the test runner; anywhere else it fails the run.
#include "core/fmt.h"
#include "core/panic.h"
#include "kernel/console.h"
#include "kernel/ktest.h"
#include "platform/x86_64/cpu.h"

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    static char message[256];
    cpu_disable_irq();
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof(message))
        fmt_snprintf(message + n, sizeof(message) - (size_t)n, " at %s:%d", file, line);
    // The panicking code may hold the console lock; nothing else runs now.
    console_break_lock();
    ktest_on_panic(message);
    console_set_color(VGA_WHITE, VGA_RED);
    kprintf("panic: %s\n", message);
    if (ktest_count() > 0)
        ktest_exit(false);
    cpu_stop();
}
