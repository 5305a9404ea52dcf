// The kernel console: every line goes to the VGA text screen and to COM1, under one lock taken
// with interrupts disabled, so an interrupt handler that prints never deadlocks the code it
// interrupted and lines from different contexts never interleave.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/lineedit.h"
#include "core/serial.h"
#include "core/vga.h"

// Sets up the VGA writer (through the direct map) and COM1 at 115200 baud, 8N1. A missing serial
// port is not an error: the console then prints to VGA alone.
void console_init(void);

// Writes len bytes to both outputs.
void console_write(const char *s, size_t len);

// printf to both outputs (core/fmt's conversions); returns the number of characters printed.
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// printf to COM1 only (the test runner's protocol lines, which must not disturb the screen).
int kprintf_serial(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Ends the current line on each output that is in the middle of one (so that a report that
// follows starts in column 0 on both); does nothing where a line has just ended.
void console_start_line(void);
// The same for COM1 alone (before a kprintf_serial line, leaving the screen as it is).
void console_start_line_serial(void);

// Shows c in the screen's top-right cell (the heartbeat), without moving the text cursor.
void console_set_corner(char c);

// Changes the VGA colour of what is printed next.
void console_set_color(enum vga_color fg, enum vga_color bg);

// Bytes printed since boot; lets the test runner see whether a test printed anything.
uint64_t console_bytes_written(void);

// Reads one byte from COM1 if one has arrived, else returns -1 (never blocks).
int console_serial_getc(void);

// Turns COM1's receive interrupt on (FIFO trigger at one byte) or off (core/serial). Returns 0, or
// E_IO when there is no working COM1 (nothing is touched).
int console_serial_rx_irq(bool on);

// Carries out one line-editor operation (core/lineedit) on both outputs, under the lock: TEXT is
// written as it is; LEFT moves the VGA cursor back without erasing (vga_cursor_left) and sends
// BS or ESC [ n D; ERASE blanks the rest of the VGA row (vga_erase_to_eol) and sends ESC [ K;
// NEWLINE is a new line on both; BELL sends BEL on COM1 (the screen has no bell).
void console_edit(const struct le_op *op);

// The VGA writer, for code that reads the screen back (tests). Read it while nothing else prints.
const struct vga_writer *console_vga(void);

// For panic(): forgets the lock, which the panicking code may hold, so the report gets out.
void console_break_lock(void);
