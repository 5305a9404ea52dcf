// The kernel's side of core/panic.h, on both machines (the firmware builds kernel/panic.c too):
// panic() prints "panic: <message> at <file>:<line>" on the console (on x86_64 the VGA screen,
// white on red, and COM1; on Cortex-M UART0), then stops. Images that need more — the QEMU test
// runner catches a panic inside a test and leaves QEMU with a failure code otherwise — install
// hooks.
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

// ---- each machine's part: kernel/panic_x86.c, platform/cortex_m/panic.c -----------------------

// Makes what is printed next stand out as a panic report where the console can (x86_64: white on
// red on the screen); may do nothing. Interrupts are off and the console lock is broken.
void panic_machine_mark(void);

// Stops for good, after the report and the STAGE_EXIT hooks when no stop hook took over (x86_64:
// the CPU halted with interrupts off; Cortex-M: the emulation ended with the failure status).
_Noreturn void panic_machine_stop(void);
