// The in-kernel test runner of the QEMU scenarios. Only scenario images link it (with one scenario
// file); the production kernel carries none of it. A scenario registers tests with KTEST(name)
// { ... } in a linker section. The runner attaches to kmain's boot stages (kernel/stage.h): the
// early tests run as soon as the console works, the others once every init step is done. It
// prints `Running N tests`, then `name...\t[ok]` or `[failed]` with an `Error:` line, and leaves
// QEMU with exit status 33 (all passed) or 35 (something failed): through isa-debug-exit on
// x86_64, through semihosting on Cortex-M (test/qemu/ktest/ktest_machine.h has what differs).
// Through the panic hooks (kernel/panic.h) a panic inside a test fails that test and the runner
// goes on; a panic outside one leaves QEMU with the failure code. (On Cortex-M a fault does not
// come back as a panic: its report ends the run with the failure code.)
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/string.h"

enum ktest_stage {
    KTEST_STAGE_EARLY, // right after the console: nothing else is set up
    KTEST_STAGE_LATE,  // after every init step of kmain
};

struct ktest {
    const char *name;
    void (*fn)(void);
    // Tests run in source order (the compiler may reorder the section): the order the KTESTs appear
    // in the scenario's translation unit, those of a header it includes (heap_cases.h) where the
    // #include stands. __COUNTER__ counts in that order from 0 (the + 1: 0 means "none" below).
    unsigned order;
    uint8_t stage;
    bool should_panic; // passes only if the test panics (or faults into a panic)
};

#define KTEST_DEFINE(name_, stage_, should_panic_)                                                 \
    static void ktest_fn_##name_(void);                                                            \
    static const struct ktest ktest_##name_                                                        \
        __attribute__((used, section(".ktest.entries"), aligned(8))) = {                           \
            #name_, ktest_fn_##name_, __COUNTER__ + 1, stage_, should_panic_};                     \
    static void ktest_fn_##name_(void)

#define KTEST(name)              KTEST_DEFINE(name, KTEST_STAGE_LATE, false)
#define KTEST_EARLY(name)        KTEST_DEFINE(name, KTEST_STAGE_EARLY, false)
#define KTEST_SHOULD_PANIC(name) KTEST_DEFINE(name, KTEST_STAGE_LATE, true)

// Records a failure of the running test with a message; the KT_ASSERT macros call it and then
// return from the test function.
void ktest_fail_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define KT_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            ktest_fail_at(__FILE__, __LINE__, "assertion failed: %s", #cond);                      \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define KT_ASSERT_EQ(a, b)                                                                         \
    do {                                                                                           \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                           \
        if (a_ != b_) {                                                                            \
            ktest_fail_at(__FILE__, __LINE__, "%s == %s: %#llx != %#llx", #a, #b,                  \
                          (unsigned long long)a_, (unsigned long long)b_);                         \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define KT_ASSERT_STR_EQ(a, b)                                                                     \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (strcmp(a_, b_) != 0) {                                                                 \
            ktest_fail_at(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, a_, b_);       \
            return;                                                                                \
        }                                                                                          \
    } while (0)

// How many tests the image registers.
unsigned ktest_count(void);

// Leaves QEMU with the pass or fail code (x86_64: halts if there is no isa-debug-exit device).
_Noreturn void ktest_exit(bool passed);

// Asks the host runner to check the VGA screen against the scenario's `screen <label>:` lines:
// prints `@@screen <label>` and waits for the runner's answer line on COM1. Returns true when the
// runner answered ok. While any request's answer is awaited, the serial input is held
// (ktest_machine_hold_input), so nothing else in the image takes the answer for typing.
bool ktest_host_check_screen(const char *label);

// Asks the host runner to type `text` on the PS/2 keyboard through QMP (newline = Enter,
// backspace = Backspace, tab = Tab): prints `@@type <text, C-escaped>` and waits for the runner's
// answer. Interrupts keep being served meanwhile, so the scancodes arrive. True when the runner
// answered ok.
bool ktest_host_type(const char *text);

// Asks the host runner to write `text` to COM1 as a person at a serial terminal would type it:
// prints `@@serial <text, C-escaped>` and waits for the runner's answer, after which (a moment
// later, so the kernel is back at its own work) the bytes arrive on the serial line, for the
// shell. Any byte but NUL may be sent. True when the runner answered ok.
bool ktest_host_serial(const char *text);

// The same request as ktest_host_type without waiting: the test goes on (e.g. runs the executor
// while the keys arrive) and polls ktest_host_poll_answer(): -1 no answer yet, 1 ok, 0 fail.
void ktest_host_type_async(const char *text);
int ktest_host_poll_answer(void);
