// The kernel's panic(): reports the message with its file:line on VGA and serial, then stops. In a
// test image a panic inside a test goes back to the test runner; anywhere else it fails the run.
#include <stdbool.h>

#include "core/fmt.h"
#include "core/panic.h"
#include "kernel/console.h"
#include "kernel/ktest.h"
#include "platform/x86_64/cpu.h"

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    static char message[256];
    static bool panicking;
    cpu_disable_irq();
    if (panicking) {
        // A panic while reporting a panic: say so with nothing that could fail again.
        console_break_lock();
        static const char nested[] = "panic: nested panic while reporting a panic\n";
        console_write(nested, sizeof(nested) - 1);
        if (ktest_count() > 0)
            ktest_exit(false);
        cpu_stop();
    }
    panicking = true;
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof(message))
        fmt_snprintf(message + n, sizeof(message) - (size_t)n, " at %s:%d", file, line);
    // The panicking code may hold the console lock; nothing else runs now.
    console_break_lock();
    panicking = false; // the test runner may go on after this panic
    ktest_on_panic(message);
    panicking = true;
    console_start_line();
    console_set_color(VGA_WHITE, VGA_RED);
    kprintf("panic: %s\n", message);
    if (ktest_count() > 0)
        ktest_exit(false);
    cpu_stop();
}
