// The in-kernel test runner (see ktest.h). What differs between machines (the serial line, the
// way back from a panic, the exit) is test/qemu/ktest/ktest_machine.h's.
#include "test/qemu/ktest/ktest.h"
#include "core/fmt.h"
#include "core/hw.h"
#include "core/string.h"
#include "kernel/panic.h"
#include "kernel/stage.h"
#include "test/qemu/ktest/ktest_machine.h"

extern const struct ktest __ktest_start[], __ktest_end[];

static const struct ktest *current;
static char failure[256];
static bool failed;
static unsigned passed_count, failed_count;

// printf to the serial line, one piece per call (long enough for a name and a failure).
__attribute__((format(printf, 1, 2))) static void out(const char *fmt, ...)
{
    char line[384];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n > 0)
        ktest_machine_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

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

// Inside a running test: records the panic and jumps back to the runner (does not return where
// the machine can unwind); otherwise returns so panic can report, then stop through fail_stop.
static void on_panic(const char *message)
{
    if (current == NULL)
        return;
    fmt_snprintf(failure, sizeof(failure), "%s", message);
    ktest_machine_unwind();
}

_Noreturn void ktest_exit(bool passed)
{
    (void)hw_irq_save();
    stage_reached(STAGE_EXIT);
    ktest_machine_exit(passed);
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
    if (ktest_machine_bytes_written() != printed_before) {
        ktest_machine_start_line();
        out("%s...\t", t->name);
    }
    // run.py takes the line right after [failed] as the reason: no blank line between them.
    if (ok && t->should_panic)
        out("[ok]\n  panicked as expected: %s\n", failure); // for expect-serial to check
    else if (ok)
        out("[ok]\n");
    else
        out("[failed]\nError: %s\n\n", failure);
    if (ok)
        passed_count++;
    else
        failed_count++;
}

static void run_one(const struct ktest *t)
{
    out("%s...\t", t->name);
    uint64_t printed_before = ktest_machine_bytes_written();
    failed = false;
    failure[0] = '\0';
    current = t;
    bool panicked = !ktest_machine_call(t->fn);
    current = NULL;
    report(t, panicked, printed_before);
}

// The test of `stage` next in source order after `after` (0: the first), or NULL.
static const struct ktest *next_in_source_order(enum ktest_stage stage, unsigned after)
{
    const struct ktest *next = NULL;
    for (const struct ktest *t = __ktest_start; t < __ktest_end; t++) {
        if (t->stage == stage && t->order > after && (next == NULL || t->order < next->order))
            next = t;
    }
    return next;
}

static void run_stage(enum ktest_stage stage)
{
    unsigned total = ktest_count();
    for (const struct ktest *t = next_in_source_order(stage, 0); t != NULL;
         t = next_in_source_order(stage, t->order))
        run_one(t);
    if (stage == KTEST_STAGE_LATE) {
        out("ktest: %u of %u tests passed\n", passed_count, total);
        ktest_exit(failed_count == 0);
    }
}

static void run_early(void)
{
    panic_set_hooks(&panic_hooks);
    out("Running %u tests\n", ktest_count());
    run_stage(KTEST_STAGE_EARLY);
}

static void run_late(void)
{
    run_stage(KTEST_STAGE_LATE);
}

STAGE_HOOK(STAGE_CONSOLE, run_early);
STAGE_HOOK(STAGE_RUNNING, run_late);

// The runner's answer line being read from COM1. While one is awaited the machine holds the
// serial input (on x86_64 the shell task, if the executor runs meanwhile, must not read the
// answer as typing).
static char answer[8];
static size_t answer_len;

// Starts a request line: on a line of its own, the serial input held until the answer.
static void request(const char *what)
{
    ktest_machine_hold_input(true);
    ktest_machine_start_line(); // the runner reads requests from the start of a line
    out("@@%s ", what);
}

int ktest_host_poll_answer(void)
{
    for (;;) {
        int c = ktest_machine_getc();
        if (c < 0)
            return -1;
        if (c == '\n' || c == '\r') {
            if (answer_len == 0)
                continue;
            answer[answer_len] = '\0';
            answer_len = 0;
            ktest_machine_hold_input(false);
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
    out("%s\n", label);
    return host_answer();
}

// Prints text C-escaped as the runner decodes it (test/qemu/qmp.py), and ends the request line.
static void escaped(const char *text)
{
    for (const char *p = text; *p != '\0'; p++) {
        switch (*p) {
        case '\n': out("\\n"); break;
        case '\r': out("\\r"); break;
        case '\b': out("\\b"); break;
        case '\t': out("\\t"); break;
        case '\x1b': out("\\e"); break;
        case '\\': out("\\\\"); break;
        default:
            if (*p >= 0x20 && *p <= 0x7e)
                out("%c", *p);
            else
                out("\\x%02x", (unsigned)(uint8_t)*p);
            break;
        }
    }
    out("\n");
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
