// The firmware's panic(): core/panic.h's panic_at and kernel/panic.h's hooks for this machine.
// The report, "panic: <message> at <file>:<line>", goes to the console; then the STAGE_EXIT hooks
// run and the firmware ends the emulation with the failure status through semihosting (a real
// board without a debugger stops in a HardFault lockup instead), unless an installed stop hook
// does something else first.
#include "core/panic.h"
#include "core/fmt.h"
#include "core/hw.h"
#include "kernel/panic.h"
#include "kernel/stage.h"
#include "platform/cortex_m/console.h"
#include "platform/cortex_m/semihosting.h"

#include <stdbool.h>

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
    semihosting_exit(CM_EXIT_FAIL);
}

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    static char message[256];
    static bool panicking;
    (void)hw_irq_save();
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
    kprintf("panic: %s\n", message);
    stop();
}
