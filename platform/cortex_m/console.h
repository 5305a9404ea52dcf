// The firmware console: UART0 of the board (the CMSDK APB UART, core/cmsdk_uart), 115200 baud,
// under one lock taken with interrupts masked (PRIMASK), so a handler that prints never deadlocks
// the code it interrupted and lines from different contexts never interleave. The counterpart of
// the kernel's console, with one output instead of two (no screen on this machine):
// console_write, kprintf, console_start_line, console_bytes_written and console_break_lock are
// kernel/console_common.h's, as on x86_64; this adds what only this machine has.
#pragma once

#include "kernel/console_common.h"

// Sets up UART0. A UART that refuses the settings is not an error: output is then dropped.
void console_init(void);

// One received byte if one has arrived, else -1 (never blocks).
int console_getc(void);
