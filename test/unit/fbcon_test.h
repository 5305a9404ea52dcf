// The shared fixture of core/fbcon's tests (test_fbcon*.c): a framebuffer in a heap buffer of
// exactly pitch * height bytes (the address sanitizer catches a write past it), filled with a
// poison pattern first so that bytes fbcon must not write can be checked, and expectations of
// cells worked out pixel by pixel from the font's bits and the layout's colours.
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/fbcon.h"
#include "core/fbcon_font.h"
#include "platform/host/mock_hw.h"

// Pixel layouts as multiboot2's framebuffer tag gives them: bpp, then red, green, blue as
// {position, size}.
struct layout {
    uint8_t bpp;
    struct fbcon_field red, green, blue;
};

static const struct layout XRGB8888 = {32, {16, 8}, {8, 8}, {0, 8}};
static const struct layout XBGR8888 = {32, {0, 8}, {8, 8}, {16, 8}};
static const struct layout RGBX8888 = {32, {24, 8}, {16, 8}, {8, 8}};
static const struct layout XRGB2101010 = {32, {20, 10}, {10, 10}, {0, 10}};
static const struct layout RGB888 = {24, {16, 8}, {8, 8}, {0, 8}};
static const struct layout BGR888 = {24, {0, 8}, {8, 8}, {16, 8}};
static const struct layout RGB565 = {16, {11, 5}, {5, 6}, {0, 5}};
static const struct layout BGR565 = {16, {0, 5}, {5, 6}, {11, 5}};
static const struct layout XRGB1555 = {16, {10, 5}, {5, 5}, {0, 5}};
// Fields of odd sizes at odd places, with unused bits between them.
static const struct layout ODD16 = {16, {1, 4}, {6, 4}, {12, 3}};

// The default colours' pixels in XRGB8888.
#define PX_GRAY  0x00aaaaaau
#define PX_BLACK 0x00000000u

struct screen {
    uint8_t *mem; // pitch * height bytes
    struct fbcon_fb fb;
    struct fbcon con;
};

static struct screen scr;

// The poison byte at offset i of the buffer: varies from byte to byte, so that moving poison
// around is seen as well as overwriting it.
static inline uint8_t poison_at(size_t i)
{
    return (uint8_t)(0x5a ^ (i * 37) ^ (i >> 8));
}

// Allocates and poisons a framebuffer of the given shape (pitch 0: width * bytes, no padding)
// into scr.fb, without initialising the console.
static inline void screen_alloc(uint32_t width, uint32_t height, uint32_t pitch,
                                const struct layout *l)
{
    if (pitch == 0)
        pitch = width * (l->bpp / 8u);
    size_t size = (size_t)pitch * height;
    scr.mem = malloc(size);
    assert_non_null(scr.mem);
    for (size_t i = 0; i < size; i++)
        scr.mem[i] = poison_at(i);
    scr.fb = (struct fbcon_fb){scr.mem, width, height, pitch, l->bpp, l->red, l->green, l->blue};
    memset(&scr.con, 0, sizeof(scr.con));
}

// screen_alloc, then fbcon_init, which must succeed.
static inline void screen_open(uint32_t width, uint32_t height, uint32_t pitch,
                               const struct layout *l)
{
    mock_hw_reset();
    screen_alloc(width, height, pitch, l);
    assert_int_equal(fbcon_init(&scr.con, &scr.fb), E_OK);
}

static inline int screen_close(void **state)
{
    (void)state;
    free(scr.mem);
    scr.mem = NULL;
    return 0;
}

static inline unsigned bytes_pp(void)
{
    return scr.fb.bpp / 8u;
}

// The pixel value at (x, y), read little-endian.
static inline uint32_t px(uint32_t x, uint32_t y)
{
    const uint8_t *p = scr.mem + (size_t)y * scr.fb.pitch + (size_t)x * bytes_pp();
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes_pp(); i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

static inline void set_px(uint32_t x, uint32_t y, uint32_t v)
{
    uint8_t *p = scr.mem + (size_t)y * scr.fb.pitch + (size_t)x * bytes_pp();
    for (unsigned i = 0; i < bytes_pp(); i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

// The offset of the first byte past width * bytes in a row that no longer holds its poison, or
// SIZE_MAX when none.
static inline size_t padding_written_at(void)
{
    size_t used = (size_t)scr.fb.width * bytes_pp();
    for (size_t y = 0; y < scr.fb.height; y++)
        for (size_t i = used; i < scr.fb.pitch; i++) {
            size_t at = y * scr.fb.pitch + i;
            if (scr.mem[at] != poison_at(at))
                return at;
        }
    return SIZE_MAX;
}

static inline void assert_padding_untouched(void)
{
    size_t at = padding_written_at();
    if (at != SIZE_MAX)
        fail_msg("padding byte %zu of row %zu written", at % scr.fb.pitch, at / scr.fb.pitch);
}

// A teardown: frees the screen, then fails if its padding was written.
static inline int screen_close_checked(void **state)
{
    size_t at = padding_written_at();
    size_t pitch = scr.fb.pitch;
    screen_close(state);
    if (at != SIZE_MAX)
        fail_msg("padding byte %zu of row %zu written", at % pitch, at / pitch);
    return 0;
}

// Fails unless cell (row, col) shows the glyph `rows` (bit 7 leftmost) in fg on bg, with the
// cursor's scanlines 13-15 XORed with cursor_xor (0: no cursor there).
static inline void assert_cell_bits(unsigned row, unsigned col, const uint8_t rows[16], uint32_t fg,
                                    uint32_t bg, uint32_t cursor_xor)
{
    for (unsigned y = 0; y < 16; y++)
        for (unsigned x = 0; x < 8; x++) {
            uint32_t want = (rows[y] & (0x80u >> x)) ? fg : bg;
            if (y >= 13)
                want ^= cursor_xor;
            uint32_t got = px(col * 8 + x, row * 16 + y);
            if (got != want)
                fail_msg("cell (%u, %u) pixel (%u, %u): 0x%x, want 0x%x", row, col, x, y,
                         (unsigned)got, (unsigned)want);
        }
}

// assert_cell_bits with fbcon's own glyph of byte ch (for tests of where text goes, not of the
// font's data, which test_fbcon_font.c checks against the font file).
static inline void assert_cell(unsigned row, unsigned col, uint8_t ch, uint32_t fg, uint32_t bg,
                               uint32_t cursor_xor)
{
    assert_cell_bits(row, col, fbcon_font[ch], fg, bg, cursor_xor);
}

// The cursor's column as the header defines it: after the last character on the bottom row, or
// on its last cell when the row is full.
static inline unsigned cursor_col(void)
{
    unsigned col = fbcon_column(&scr.con);
    return col < scr.con.cols ? col : scr.con.cols - 1;
}

// Fails unless text row `row` shows `text` in light gray on black and blanks after it, with the
// light gray cursor under its cell when it is on this row.
static inline void assert_row(unsigned row, const char *text)
{
    size_t len = strlen(text);
    for (unsigned col = 0; col < scr.con.cols; col++) {
        uint8_t ch = col < len ? (uint8_t)text[col] : ' ';
        bool cursor = row == scr.con.rows - 1 && col == cursor_col();
        assert_cell(row, col, ch, PX_GRAY, PX_BLACK, cursor ? PX_GRAY ^ PX_BLACK : 0);
    }
}

static inline void write_str(const char *s)
{
    fbcon_write(&scr.con, s, strlen(s));
}
