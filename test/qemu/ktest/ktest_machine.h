// What the in-kernel test runner (ktest.c) needs from the image it is linked into, written once
// per machine: x86_64.c for the x86_64 kernel, cortex_m.c for the Cortex-M firmware. The runner
// itself, its registry and its serial protocol are the same on both.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Writes len bytes to the serial line the host runner reads (COM1, UART0) and nowhere else, in
// one piece: nothing else printed comes between them.
void ktest_machine_write(const char *s, size_t len);

// Ends the serial line if what was printed left it in the middle of one.
void ktest_machine_start_line(void);

// Bytes the console has printed since boot.
uint64_t ktest_machine_bytes_written(void);

// One byte the host runner sent on the serial line, or -1 when none has arrived.
int ktest_machine_getc(void);

// Holds (true) or releases (false) the serial input for the runner's answer: while held, nothing
// else in the image (the x86_64 kernel's shell) takes bytes from the line, so ktest_machine_getc
// gets the answer. Where nothing else reads the line, does nothing.
void ktest_machine_hold_input(bool on);

// Calls fn and returns true when it returns; returns false when ktest_machine_unwind ended it.
bool ktest_machine_call(void (*fn)(void));

// From a panic hook inside ktest_machine_call's fn: abandons fn (its frames, and the interrupt
// mask panic set) and makes ktest_machine_call return false; does not return. Returns when the
// machine cannot get back (a Cortex-M panic in an exception handler); the panic then reports
// and stops as in an image without the runner.
void ktest_machine_unwind(void);

// Leaves the emulator with the runner's pass or fail exit status. Never returns.
_Noreturn void ktest_machine_exit(bool passed);
