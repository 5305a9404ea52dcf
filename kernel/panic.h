// The kernel's side of core/panic.h: panic() prints "panic: <message> at <file>:<line>" on VGA
// (white on red) and serial, then stops the CPU. Images that need more — the QEMU test runner
// catches a panic inside a test and leaves QEMU with a failure code otherwise — install hooks.
#pragma once

struct panic_hooks {
    // Called first, with interrupts off and the formatted message (with its file:line). It may not
    // return (the test runner jumps back into itself); when it returns, the report is printed.
    void (*caught)(const char *message);
    // Called after the report (and after a nested panic's one-line report) and the STAGE_EXIT
    // hooks (kernel/stage.h), instead of halting; must not return (if it does, the CPU halts).
    void (*stop)(void);
};

// Installs hooks (a NULL member: that step does its default); NULL removes them. The struct must
// stay valid while installed.
void panic_set_hooks(const struct panic_hooks *hooks);
