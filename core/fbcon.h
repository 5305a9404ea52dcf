// A text console drawn in pixels on a linear framebuffer: core/vga's writer (the same bytes, the
// same colours, the bottom-row output, wrapping and scrolling) for machines with no text mode,
// such as a UEFI boot. The caller maps the framebuffer and hands it over; the console writes it
// as plain memory.
//
// The screen is a grid of 8x16-pixel cells from the top-left corner, width / 8 columns by
// height / 16 rows; what is left at the right and bottom edges stays in the background colour of
// the last clear. Glyphs come from core/fbcon_font.h (console-setup's VGA font, code page 437, MIT
// licence; see that header). A newline scrolls with one memmove of the rows' pixels (one per
// scanline when the rows are not contiguous); bytes past `width` in each row (the pitch's padding)
// are never read or written. The cursor is an underline on scanlines 13-15 of its cell, as VGA's:
// those pixels XORed with the foreground colour XOR the background colour of the moment it was
// drawn (so on a blank cell it shows in the foreground colour), XORed back before anything else
// is drawn, so it leaves no trace when it moves.
//
// Not thread safe: the caller (kernel/console) serialises access to a console.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/vga.h"

// One colour channel of a pixel: bits pos .. pos + size - 1 of the pixel value (multiboot2's
// framebuffer_{red,green,blue}_field_position and _mask_size).
struct fbcon_field {
    uint8_t pos;
    uint8_t size;
};

// A linear framebuffer, as the loader describes it (multiboot2's framebuffer info tag, type 1:
// direct RGB). Pixel (x, y) is the bpp / 8 bytes at base + y * pitch + x * bpp / 8, a
// little-endian value whose channel fields hold the colour.
struct fbcon_fb {
    void *base;      // the framebuffer as mapped for the caller
    uint32_t width;  // pixels per row
    uint32_t height; // rows
    uint32_t pitch;  // bytes from one row to the next (>= width * bpp / 8)
    uint8_t bpp;     // bits per pixel: 16, 24 or 32
    struct fbcon_field red, green, blue;
};

// The console's state. Fields are read-only for callers; use the functions below.
// Invariant: col <= cols (col == cols: the bottom row is full and the next printable byte first
// starts a new line).
struct fbcon {
    uint8_t *base;          // the framebuffer's first byte
    size_t pitch;           // bytes from one pixel row to the next
    unsigned bytes;         // bytes per pixel: 2, 3 or 4
    unsigned cols, rows;    // the text grid, width / 8 by height / 16
    uint32_t width, height; // pixels
    unsigned col;           // next column on the bottom row
    uint8_t attr;           // VGA_ATTR(fg, bg) for new characters and for blanked cells
    uint32_t palette[16];   // enum vga_color -> pixel value in the framebuffer's layout
    unsigned cursor_col;    // the cursor is drawn under this column of the bottom row,
    uint32_t cursor_xor;    // XORed in with this value
};

// What fbcon_init would answer for fb, without touching c or the framebuffer: 0, or one of the
// errors listed there. Panics if fb is NULL (caller bug).
int fbcon_check(const struct fbcon_fb *fb);

// Binds c to the framebuffer fb describes (fb itself is not kept): light gray on black, every
// pixel of width x height cleared to black, column 0, the cursor at the bottom-left. Returns 0,
// or, leaving c untouched and the framebuffer unwritten:
//   E_INVAL  fb->base is NULL, or fb->bpp is not 16, 24 or 32;
//   E_RANGE  the framebuffer is narrower than 8 pixels or shorter than 16 (one cell), its pitch is
//            below width * bpp / 8, or it is too large to address: pitch * height bytes from base
//            past the end of the address space (checked without overflowing);
//   E_FORMAT a colour field is empty (size 0), runs past the pixel (pos + size > bpp), or
//            overlaps another.
// Panics if c or fb is NULL (caller bug).
int fbcon_init(struct fbcon *c, const struct fbcon_fb *fb);

// Sets the colours of characters written from now on. Panics if c is NULL or fg or bg is above
// VGA_WHITE (caller bug). As a background, every colour shows (there is no blinking).
void fbcon_set_color(struct fbcon *c, enum vga_color fg, enum vga_color bg);

// Writes len bytes of s with vga_write's meaning (NUL is not special):
//   0x20..0x7e  drawn at the current column of the bottom row; when the row is full (col ==
//               cols) a new line is started first.
//   '\n'        scrolls every row up one (the top row leaves the screen) and blanks the bottom
//               row in the current background colour; column 0.
//   '\r'        back to column 0 (later bytes overwrite the row).
//   '\b'        one column back and blanks that cell; at column 0 it does nothing.
//   '\t'        spaces up to the next multiple of 8 (at least one) or the row's end, whichever
//               comes first, wrapping like any printable byte (on a full row it starts a new line
//               and goes on to column 8 there). With a multiple of 8 columns, vga_write's tab.
//   anything else (0x00..0x1f, 0x7f..0xff) drawn as VGA_SUBSTITUTE.
// Then draws the cursor once, whatever len is (len 0 included): under the cell after the last
// character on the bottom row, or under the last cell when the row is full.
// Panics if c or its base is NULL, or if s is NULL while len > 0.
void fbcon_write(struct fbcon *c, const char *s, size_t len);

// fbcon_write of one byte (so the cursor is drawn too).
void fbcon_putc(struct fbcon *c, char ch);

// Clears every pixel of width x height to the current background colour, returns to column 0 and
// draws the cursor there. Panics if c or its base is NULL.
void fbcon_clear(struct fbcon *c);

// Draws byte ch (any byte, shown as its code page 437 glyph: the caller picks it) in the current
// colours at cell (row, col), row 0 at the top, without moving the column or the cursor (a status
// mark in a corner). Panics if c or its base is NULL, or row >= rows or col >= cols (caller bug).
void fbcon_put_at(struct fbcon *c, unsigned row, unsigned col, uint8_t ch);

// Moves the column n cells left on the bottom row (stopping at column 0), and the cursor with it,
// changing no cell: unlike '\b', which blanks the cell it moves onto. From a full row (column
// cols) one step left is column cols - 1. For a line editor's cursor moves. Panics if c or its
// base is NULL.
void fbcon_cursor_left(struct fbcon *c, unsigned n);

// Blanks the bottom row from the current column to its end in the current background colour; the
// column and the cursor stay (a full row has nothing left to blank). Panics if c or its base is
// NULL.
void fbcon_erase_to_eol(struct fbcon *c);

// The column the next byte goes to on the bottom row: 0 when a line has just started, cols when
// the row is full. Panics if c is NULL.
unsigned fbcon_column(const struct fbcon *c);
