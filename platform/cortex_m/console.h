// The firmware console: UART0 of the board (the CMSDK APB UART, core/cmsdk_uart), 115200 baud,
// under one lock taken with interrupts masked (PRIMASK), so a handler that prints never deadlocks
// the code it interrupted and lines from different contexts never interleave. The counterpart of
// the kernel's console, with one output instead of two (no screen on this machine).
#pragma once

#include <stddef.h>
#include <stdint.h>

// Sets up UART0. A UART that refuses the settings is not an error: output is then dropped.
void console_init(void);

// Writes len bytes.
void console_write(const char *s, size_t len);

// printf (core/fmt's conversions); returns the number of characters printed.
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Ends the current line if something printed left it in the middle of one.
void console_start_line(void);

// Bytes printed since boot (lets the test runner see whether a test printed anything).
uint64_t console_bytes_written(void);

// One received byte if one has arrived, else -1 (never blocks).
int console_getc(void);

// For panic and the fault handler: forgets the lock, which the interrupted code may hold, so the
// report gets out.
void console_break_lock(void);
