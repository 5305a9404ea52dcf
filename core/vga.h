// 80x25 VGA text-mode writer over a caller-supplied array of cells, with the hardware cursor
// moved through the CRT controller ports (core/hw.h).
//
// Output always goes to the bottom row; a newline scrolls the screen up one row. Not thread safe:
// the caller (kernel/console) serialises access to a writer.
#pragma once

#include <stddef.h>
#include <stdint.h>

#define VGA_COLS 80
#define VGA_ROWS 25

// The 16 text-mode colours. As a background, 8..15 only show on hardware whose attribute
// controller has blinking disabled; with blinking on (the BIOS default) attribute bit 7 makes the
// text blink over background colour bg - 8 instead.
enum vga_color {
    VGA_BLACK = 0,
    VGA_BLUE,
    VGA_GREEN,
    VGA_CYAN,
    VGA_RED,
    VGA_MAGENTA,
    VGA_BROWN,
    VGA_LIGHT_GRAY,
    VGA_DARK_GRAY,
    VGA_LIGHT_BLUE,
    VGA_LIGHT_GREEN,
    VGA_LIGHT_CYAN,
    VGA_LIGHT_RED,
    VGA_PINK,
    VGA_YELLOW,
    VGA_WHITE,
};

// Shown in place of every byte outside 0x20..0x7e that is not a handled control (code page 437
// "black square").
#define VGA_SUBSTITUTE 0xfe

// A cell is the character byte in bits 0-7 and the attribute (bg << 4 | fg) in bits 8-15.
#define VGA_CELL(ch, attr) ((uint16_t)((uint16_t)(uint8_t)(ch) | (uint16_t)((attr) << 8)))
#define VGA_ATTR(fg, bg)   ((uint8_t)(((unsigned)(bg) << 4) | (unsigned)(fg)))

// The writer's state. Fields are read-only for callers; use the functions below.
// Invariant: col <= VGA_COLS (col == VGA_COLS: the bottom row is full and the next printable byte
// first starts a new line).
struct vga_writer {
    volatile uint16_t *cells; // VGA_ROWS * VGA_COLS cells, row-major
    unsigned col;             // next column on the bottom row
    uint8_t attr;             // attribute for new characters and for blanked cells
};

// Binds w to cells (the VGA buffer at physical 0xb8000 in the kernel, a plain array in tests),
// selects light gray on black, blanks every cell, enables the hardware cursor as an underline
// (scanlines 13..15) and places it at the bottom-left. Panics if w or cells is NULL.
void vga_init(struct vga_writer *w, volatile uint16_t *cells);

// Sets the colours of characters written from now on. Panics if w is NULL or fg or bg is above
// VGA_WHITE (caller bug).
void vga_set_color(struct vga_writer *w, enum vga_color fg, enum vga_color bg);

// Writes len bytes of s (NUL is not special: it shows as VGA_SUBSTITUTE), then moves the hardware
// cursor once, whatever len is (len 0 included). Bytes:
//   0x20..0x7e  shown as themselves at the current column; when the bottom row is full
//               (col == VGA_COLS) a new line is started first (wrap at column 80).
//   '\n'        scrolls rows 1..24 up one row and blanks the bottom row in the current colour.
//   '\r'        back to column 0 (later bytes overwrite the row).
//   '\b'        one column back and blanks that cell; at column 0 it does nothing (the row above
//               has scrolled away from the writer's point of view).
//   '\t'        writes spaces up to the next multiple of 8 (at least one), wrapping like any
//               printable byte; so a tab at column 72..79 fills the row to column 80.
//   anything else (0x00..0x1f, 0x7f..0xff) shown as VGA_SUBSTITUTE.
// The cursor goes to the cell after the last character on the bottom row; when the row is full it
// stays on the last cell (column 79) until the next byte wraps.
// Panics if w or its cells is NULL, or if s is NULL while len > 0.
void vga_write(struct vga_writer *w, const char *s, size_t len);

// vga_write of one byte (so the cursor is moved too).
void vga_putc(struct vga_writer *w, char c);

// Blanks every cell in the current colour, returns to column 0 and moves the cursor there.
// Panics if w or its cells is NULL.
void vga_clear(struct vga_writer *w);

// Returns the cell at (row, col); row 0 is the top. Panics if w is NULL, or row >= VGA_ROWS or
// col >= VGA_COLS (caller bug).
uint16_t vga_cell(const struct vga_writer *w, unsigned row, unsigned col);

// Puts character c (any byte, shown as it is: the caller picks the glyph) in the current colour at
// (row, col) without moving the writer's column or the hardware cursor, e.g. a status mark in a
// corner. Panics if w or its cells is NULL, or row >= VGA_ROWS or col >= VGA_COLS (caller bug).
void vga_put_at(struct vga_writer *w, unsigned row, unsigned col, uint8_t c);

// Moves the writer's column n cells left on the bottom row (stopping at column 0) and the hardware
// cursor with it, changing no cell: unlike '\b', which blanks the cell it moves onto. From a full
// row (column VGA_COLS) one step left is column 79. For a line editor's cursor moves. Panics if w
// or its cells is NULL.
void vga_cursor_left(struct vga_writer *w, unsigned n);

// Blanks the bottom row from the writer's column to its end in the current colour; the column and
// the hardware cursor stay (a full row has nothing left to blank). Panics if w or its cells is
// NULL.
void vga_erase_to_eol(struct vga_writer *w);

// The column the next byte goes to on the bottom row: 0 when a line has just started, VGA_COLS
// when the row is full. Panics if w is NULL.
unsigned vga_column(const struct vga_writer *w);

// Copies the character bytes of `row` into buf without its trailing spaces, NUL-terminated and cut
// to cap - 1 characters; cap 0 writes nothing (buf may then be NULL). Returns the length of the
// text without the trailing spaces (as snprintf does, it may exceed cap - 1). Panics if w is NULL,
// row >= VGA_ROWS, or buf is NULL while cap > 0.
size_t vga_row_text(const struct vga_writer *w, unsigned row, char *buf, size_t cap);
