// panic() on both machines (see panic.h): reports the message with its file:line on the console,
// then stops, through the hooks an image installed and the machine's part (panic_machine_*).
#include "kernel/panic.h"

#include <stdbool.h>

#include "core/fmt.h"
#include "core/hw.h"
#include "core/panic.h"
#include "kernel/console_common.h"
#include "kernel/stage.h"

static const struct panic_hooks *hooks;

void panic_set_hooks(const struct panic_hooks *h)
{
    __atomic_store_n(&hooks, h, __ATOMIC_RELEASE);
}

_Noreturn static void stop(void)
{
    stage_reached(STAGE_EXIT);
    const struct panic_hooks *h = __atomic_load_n(&hooks, __ATOMIC_ACQUIRE);
    if (h != NULL && h->stop != NULL)
        h->stop();
    panic_machine_stop();
}

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    static char message[256];
    static bool panicking;
    (void)hw_irq_save(); // interrupts off: nothing else runs while the report is made
    if (panicking) {
        // A panic while reporting a panic: say so with nothing that could fail again.
        console_break_lock();
        static const char nested[] = "panic: nested panic while reporting a panic\n";
        console_write(nested, sizeof(nested) - 1);
        stop();
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
    const struct panic_hooks *h = __atomic_load_n(&hooks, __ATOMIC_ACQUIRE);
    if (h != NULL && h->caught != NULL) {
        panicking = false; // the hook may resume elsewhere (a test runner goes on)
        h->caught(message);
        panicking = true;
    }
    console_start_line();
    panic_machine_mark();
    kprintf("panic: %s\n", message);
    stop();
}
