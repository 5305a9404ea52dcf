// The bitmap font core/fbcon draws with: 256 glyphs of 8x16 pixels, indexed by code page 437 byte
// as the VGA text mode's character generator is, so a cell byte means on a framebuffer what it
// means at 0xb8000.
//
// Not in the repository: scripts/psf2c.py writes the definitions into $(BUILD)/gen/core/
// fbcon_font.c at build time (core/core.mk) from console-setup's VGA font, as Debian ships it in
// console-setup-linux (scripts/deps.sh installs it): each byte's character from
// /usr/share/consolefonts/FullGreek-VGA16.psf.gz, or from Uni2-VGA16.psf.gz for the four Latin
// letters that one lacks (0x86 a-ring, 0x8d i-grave, 0x8f A-ring, 0x95 o-grave); 0x10 and 0x11
// (U+25BA, U+25C4, in no console-setup font) as the full black triangles U+25B6 and U+25C0, which
// is how the VGA ROM draws them; 0x00 blank. Both files are cuts of one BDF font, u_vga16.bdf:
// "Copyright (c) 2000, 2001 by Dmitry Bolkhovityanov", under an MIT/X11-style licence
// (permission to use, copy, modify, merge, publish, distribute, sublicense and sell, provided the
// copyright and permission notice are kept; no warranty), as
// /usr/share/doc/console-setup-linux/copyright.fonts.gz gives it in full, which also says "All
// console fonts are public domain by nature".
#pragma once

#include <stdint.h>

#define FBCON_GLYPH_WIDTH  8
#define FBCON_GLYPH_HEIGHT 16
#define FBCON_FONT_GLYPHS  256

// fbcon_font[byte][row]: row 0 is the top scanline; bit 7 is the leftmost pixel, set bits are
// drawn in the foreground colour.
extern const uint8_t fbcon_font[FBCON_FONT_GLYPHS][FBCON_GLYPH_HEIGHT];

// The font files the glyphs come from, as "FullGreek-VGA16 + Uni2-VGA16".
extern const char fbcon_font_name[];
