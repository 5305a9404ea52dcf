// The in-kernel test runner (see ktest.h).
#include "test/qemu/ktest/ktest.h"
#include "core/fmt.h"
#include "core/hw.h"
#include "core/string.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/serial_input.h"
#include "kernel/stage.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/jump.h"

#define QEMU_EXIT_PORT 0xf4 // isa-debug-exit, iosize 4
#define QEMU_EXIT_PASS 0x10 // QEMU exits with (0x10 << 1) | 1 = 33
#define QEMU_EXIT_FAIL 0x11 // 35

extern const struct ktest __ktest_start[], __ktest_end[];

static const struct ktest *current;
static struct arch_jmp panic_return;
static char failure[256];
static bool failed;
static unsigned passed_count, failed_count;

unsigned ktest_count(void)
{
    return (unsigned)(__ktest_end - __ktest_start);
}

void ktest_fail_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_snprintf(failure, sizeof(failure), "%s:%d: ", file, line);
    if (n > 0 && (size_t)n < sizeof(failure))
        fmt_vsnprintf(failure + n, sizeof(failure) - (size_t)n, fmt, ap);
    va_end(ap);
    failed = true;
}

// Inside a running test: records the panic and jumps back to the runner (never returns);
// otherwise returns so panic can report, then stop through fail_stop.
static void on_panic(const char *message)
{
    if (current == NULL)
        return;
    fmt_snprintf(failure, sizeof(failure), "%s", message);
    arch_longjmp(&panic_return, 1);
}

_Noreturn void ktest_exit(bool passed)
{
    cpu_disable_irq();
    stage_reached(STAGE_EXIT);
    hw_outl(QEMU_EXIT_PORT, passed ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
    cpu_stop();
}

static void fail_stop(void)
{
    ktest_exit(false);
}

static const struct panic_hooks panic_hooks = {on_panic, fail_stop};

static void report(const struct ktest *t, bool panicked, uint64_t printed_before)
{
    bool ok = t->should_panic ? panicked : !panicked && !failed;
    if (t->should_panic && !panicked)
        fmt_snprintf(failure, sizeof(failure), "test returned without panicking");
    // Keep "name...\t[ok]" on one line even when the test printed something.
    if (console_bytes_written() != printed_before) {
        console_start_line_serial();
        kprintf_serial("%s...\t", t->name);
    }
    // run.py takes the line right after [failed] as the reason: no blank line between them.
    kprintf_serial(ok ? "[ok]\n" : "[failed]\nError: %s\n\n", failure);
    if (ok)
        passed_count++;
    else
        failed_count++;
}

static void run_one(const struct ktest *t)
{
    kprintf_serial("%s...\t", t->name);
    uint64_t printed_before = console_bytes_written();
    failed = false;
    failure[0] = '\0';
    // volatile: read again after arch_longjmp returns here a second time.
    volatile bool panicked = false;
    current = t;
    if (arch_setjmp(&panic_return) == 0)
        t->fn();
    else
        panicked = true;
    current = NULL;
    report(t, panicked, printed_before);
}

// The test of `stage` with the smallest line after `after` (a scenario is one file), or NULL.
static const struct ktest *next_in_source_order(enum ktest_stage stage, unsigned after)
{
    const struct ktest *next = NULL;
    for (const struct ktest *t = __ktest_start; t < __ktest_end; t++) {
        if (t->stage == stage && t->line > after && (next == NULL || t->line < next->line))
            next = t;
    }
    return next;
}

static void run_stage(enum ktest_stage stage)
{
    unsigned total = ktest_count();
    for (const struct ktest *t = next_in_source_order(stage, 0); t != NULL;
         t = next_in_source_order(stage, t->line))
        run_one(t);
    if (stage == KTEST_STAGE_LATE) {
        kprintf_serial("ktest: %u of %u tests passed\n", passed_count, total);
        ktest_exit(failed_count == 0);
    }
}

static void run_early(void)
{
    panic_set_hooks(&panic_hooks);
    kprintf_serial("Running %u tests\n", ktest_count());
    run_stage(KTEST_STAGE_EARLY);
}

static void run_late(void)
{
    run_stage(KTEST_STAGE_LATE);
}

STAGE_HOOK(STAGE_CONSOLE, run_early);
STAGE_HOOK(STAGE_RUNNING, run_late);

// The runner's answer line being read from COM1. While one is awaited the serial input stream is
// held, so the shell task, if the executor runs meanwhile, does not read the answer as typing.
static char answer[8];
static size_t answer_len;

// Starts a request line: on a line of its own, the serial stream held until the answer.
static void request(const char *what)
{
    serial_input_hold(true);
    console_start_line_serial(); // the runner reads requests from the start of a line
    kprintf_serial("@@%s ", what);
}

int ktest_host_poll_answer(void)
{
    for (;;) {
        int c = serial_input_getc();
        if (c < 0)
            return -1;
        if (c == '\n' || c == '\r') {
            if (answer_len == 0)
                continue;
            answer[answer_len] = '\0';
            answer_len = 0;
            serial_input_hold(false);
            return strcmp(answer, "ok") == 0;
        }
        if (answer_len < sizeof(answer) - 1)
            answer[answer_len++] = (char)c;
    }
}

// Waits for the runner's answer (interrupts stay as they are, so IRQs keep being served).
static bool host_answer(void)
{
    int r;
    while ((r = ktest_host_poll_answer()) < 0)
        hw_relax();
    return r == 1;
}

bool ktest_host_check_screen(const char *label)
{
    request("screen");
    kprintf_serial("%s\n", label);
    return host_answer();
}

// Prints text C-escaped as the runner decodes it (test/qemu/qmp.py), and ends the request line.
static void escaped(const char *text)
{
    for (const char *p = text; *p != '\0'; p++) {
        switch (*p) {
        case '\n': kprintf_serial("\\n"); break;
        case '\r': kprintf_serial("\\r"); break;
        case '\b': kprintf_serial("\\b"); break;
        case '\t': kprintf_serial("\\t"); break;
        case '\x1b': kprintf_serial("\\e"); break;
        case '\\': kprintf_serial("\\\\"); break;
        default:
            if (*p >= 0x20 && *p <= 0x7e)
                kprintf_serial("%c", *p);
            else
                kprintf_serial("\\x%02x", (unsigned)(uint8_t)*p);
            break;
        }
    }
    kprintf_serial("\n");
}

void ktest_host_type_async(const char *text)
{
    request("type");
    escaped(text);
}

bool ktest_host_serial(const char *text)
{
    request("serial");
    escaped(text);
    return host_answer();
}

bool ktest_host_type(const char *text)
{
    ktest_host_type_async(text);
    return host_answer();
}
