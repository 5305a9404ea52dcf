// The kernel console: every line goes to the screen and to COM1, under one lock taken
// with interrupts disabled, so an interrupt handler that prints never deadlocks the code it
// interrupted and lines from different contexts never interleave. console_write, kprintf,
// console_start_line, console_bytes_written and console_break_lock are kernel/console_common.h's
// (the functions the firmware's console has too); this adds what only this machine has.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bootinfo.h"
#include "core/fbcon.h"
#include "core/lineedit.h"
#include "core/serial.h"
#include "core/vga.h"
#include "kernel/console_common.h"

// Sets up the VGA writer (through the direct map) and COM1 at 115200 baud, 8N1. A missing serial
// port is not an error: the console then prints to the screen alone. Until console_pick_screen
// the screen is VGA text at 0xb8000.
void console_init(void);

// Which screen the console draws on (console_pick_screen decides).
enum console_screen {
    CONSOLE_SCREEN_VGA,         // VGA text mode at 0xb8000 (core/vga)
    CONSOLE_SCREEN_FRAMEBUFFER, // the loader's pixel framebuffer (core/fbcon)
    CONSOLE_SCREEN_NONE,        // none: serial only
};
struct console_screen_info {
    enum console_screen kind;
    uint64_t redraw_bytes;  // on a framebuffer: the early bytes redrawn on it, and
    uint64_t redraw_cycles; // the TSC cycles that took (fbcon_write alone)
};

// The screen bytes kept before console_pick_screen, to redraw them on a framebuffer.
#define CONSOLE_EARLY_MAX 2048

// Picks the screen from what the loader handed over, once, after vm_init (it maps the
// framebuffer): an RGB framebuffer becomes the screen through core/fbcon, mapped with
// vm_map_framebuffer, and what was printed to the screen so far (up to CONSOLE_EARLY_MAX bytes)
// is redrawn on it, then one `console: framebuffer ...` line says so; an EGA text framebuffer,
// or none on a BIOS or PVH boot, keeps VGA text at 0xb8000, silently; anything else (no
// framebuffer from a UEFI loader, an indexed one, one that cannot be mapped or drawn on) leaves
// no screen, said once on serial (`console: no screen (...): serial only`).
void console_pick_screen(const struct boot_info *bi);

// What console_pick_screen chose; the framebuffer console, or NULL when it is not the screen. For
// tests and the banner; read while nothing else prints.
const struct console_screen_info *console_screen(void);
const struct fbcon *console_fbcon(void);

// printf to COM1 only (the test runner's protocol lines, which must not disturb the screen).
int kprintf_serial(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// console_start_line for COM1 alone (before a kprintf_serial line, leaving the screen as it is).
void console_start_line_serial(void);

// Shows c in the screen's top-right cell (the heartbeat), without moving the text cursor.
void console_set_corner(char c);

// Changes the VGA colour of what is printed next.
void console_set_color(enum vga_color fg, enum vga_color bg);

// Waits until COM1 has sent everything written to it (core/serial's serial_flush, at most about a
// second): before the machine stops, so its last lines are not lost in the UART. Takes no lock
// (for the exit and panic paths). Returns false when there is no COM1 or it never emptied.
bool console_flush_serial(void);

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

// The VGA writer, for code that reads the screen back (tests): the screen on a VGA boot; on the
// others it holds what was printed before console_pick_screen. Read it while nothing else prints.
const struct vga_writer *console_vga(void);
