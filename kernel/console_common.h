// The console functions both machines have, for the code both build (kernel/tasks.c,
// kernel/panic.c, kernel/heap_design.c): each machine's console implements them, the kernel's
// (kernel/console.h: the VGA screen and COM1) and the firmware's (platform/cortex_m/console.h:
// UART0). Every one takes the console's lock with interrupts disabled, but console_break_lock.
#pragma once

#include <stddef.h>
#include <stdint.h>

// Writes len bytes to every output of the console.
void console_write(const char *s, size_t len);

// printf to every output (core/fmt's conversions); returns the number of characters printed.
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Ends the current line on each output that is in the middle of one (so that a report that
// follows starts in column 0); does nothing where a line has just ended.
void console_start_line(void);

// Bytes printed since boot; lets the test runner see whether a test printed anything.
uint64_t console_bytes_written(void);

// For panic() and fault reports: forgets the lock, which the interrupted or panicking code may
// hold, so the report gets out.
void console_break_lock(void);
