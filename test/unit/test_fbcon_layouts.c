// core/fbcon.c on every pixel layout: the VGA colours encoded for 32 bpp RGB, BGR, RGBX and
// 10-bit fields, 24 bpp RGB and BGR, 16 bpp 565 (RGB and BGR), 555 and fields at odd places; glyphs
// and the cursor at 24 and 16 bpp; pitches with odd padding (never written) and right and bottom
// margins (cleared, then left alone); scrolling with contiguous rows and without.
#include "test/unit/fbcon_test.h"

static const uint8_t blank[16];
static const uint8_t full[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

// Draws a full block in light red on brown at (0, 0) and a blank at (0, 1) of a 2x2-cell screen
// of layout l, and checks the pixel values against the hand-encoded ones (every bit outside the
// fields 0). Then white on black and light gray on blue, likewise.
struct colours {
    uint32_t light_red, brown, white, blue, light_gray;
};

static void assert_colours(const struct layout *l, const struct colours *want)
{
    screen_open(16, 32, 0, l);
    fbcon_set_color(&scr.con, VGA_LIGHT_RED, VGA_BROWN);
    fbcon_put_at(&scr.con, 0, 0, 0xdb);
    fbcon_put_at(&scr.con, 0, 1, ' ');
    assert_cell_bits(0, 0, full, want->light_red, want->brown, 0);
    assert_cell_bits(0, 1, blank, want->light_red, want->brown, 0);
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_BLACK);
    fbcon_put_at(&scr.con, 0, 0, 0xdb);
    fbcon_put_at(&scr.con, 0, 1, ' ');
    assert_cell_bits(0, 0, full, want->white, 0, 0);
    assert_cell_bits(0, 1, blank, want->white, 0, 0);
    fbcon_set_color(&scr.con, VGA_LIGHT_GRAY, VGA_BLUE);
    fbcon_put_at(&scr.con, 0, 0, 0xdb);
    fbcon_put_at(&scr.con, 0, 1, ' ');
    assert_cell_bits(0, 0, full, want->light_gray, want->blue, 0);
    assert_cell_bits(0, 1, blank, want->light_gray, want->blue, 0);
    screen_close(NULL);
}

// The VGA colours: light red ff5555, brown aa5500, white ffffff, blue 0000aa, light gray aaaaaa.
// An 8-bit level L in an n-bit field is round(L * (2^n - 1) / 255): for 5 bits 55 -> 10, aa -> 21,
// ff -> 31; 6 bits 55 -> 21, aa -> 42, ff -> 63; 10 bits 55 -> 0x155, aa -> 0x2aa, ff -> 0x3ff;
// 4 bits 55 -> 5, aa -> 10, ff -> 15; 3 bits 55 -> 2, aa -> 5, ff -> 7.
static void colours_xrgb8888(void **state)
{
    assert_colours(&XRGB8888,
                   &(struct colours){0x00ff5555, 0x00aa5500, 0x00ffffff, 0x000000aa, 0x00aaaaaa});
}

static void colours_xbgr8888(void **state)
{
    assert_colours(&XBGR8888,
                   &(struct colours){0x005555ff, 0x000055aa, 0x00ffffff, 0x00aa0000, 0x00aaaaaa});
}

static void colours_rgbx8888(void **state)
{
    assert_colours(&RGBX8888,
                   &(struct colours){0xff555500, 0xaa550000, 0xffffff00, 0x0000aa00, 0xaaaaaa00});
}

static void colours_xrgb2101010(void **state)
{
    assert_colours(&XRGB2101010,
                   &(struct colours){0x3ff55555, 0x2aa55400, 0x3fffffff, 0x000002aa, 0x2aaaaaaa});
}

static void colours_rgb888(void **state)
{
    assert_colours(&RGB888, &(struct colours){0xff5555, 0xaa5500, 0xffffff, 0x0000aa, 0xaaaaaa});
}

static void colours_bgr888(void **state)
{
    assert_colours(&BGR888, &(struct colours){0x5555ff, 0x0055aa, 0xffffff, 0xaa0000, 0xaaaaaa});
}

// 565: red << 11 | green << 5 | blue.
static void colours_rgb565(void **state)
{
    assert_colours(&RGB565, &(struct colours){0xfaaa, 0xaaa0, 0xffff, 0x0015, 0xad55});
}

// BGR565: blue << 11 | green << 5 | red.
static void colours_bgr565(void **state)
{
    assert_colours(&BGR565, &(struct colours){0x52bf, 0x02b5, 0xffff, 0xa800, 0xad55});
}

// 555: red << 10 | green << 5 | blue, bit 15 clear.
static void colours_xrgb1555(void **state)
{
    assert_colours(&XRGB1555, &(struct colours){0x7d4a, 0x5540, 0x7fff, 0x0015, 0x56b5});
}

// red (4 bits) << 1 | green (4 bits) << 6 | blue (3 bits) << 12: bits 0, 5 and 10-11 and 15 clear.
static void colours_odd_fields(void **state)
{
    assert_colours(&ODD16, &(struct colours){0x215e, 0x0154, 0x73de, 0x5000, 0x5294});
}

// The whole palette, each colour as foreground and as background: the VGA DAC's defaults.
static void sixteen_colours_xrgb8888(void **state)
{
    static const uint32_t want[16] = {
        0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
        0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
    };
    screen_open(16, 32, 0, &XRGB8888);
    for (unsigned i = 0; i < 16; i++) {
        fbcon_set_color(&scr.con, (enum vga_color)i, (enum vga_color)(15 - i));
        fbcon_put_at(&scr.con, 0, 0, 0xdb);
        fbcon_put_at(&scr.con, 0, 1, ' ');
        assert_cell_bits(0, 0, full, want[i], want[15 - i], 0);
        assert_cell_bits(0, 1, blank, want[i], want[15 - i], 0);
    }
    screen_close(NULL);
}

// A glyph and the cursor at 24 bpp: three bytes a pixel, the cursor XORing each byte with its
// byte of fg ^ bg.
static void glyph_and_cursor_at_24_bpp(void **state)
{
    screen_open(4 * 8, 2 * 16, 4 * 8 * 3 + 1, &BGR888);
    fbcon_set_color(&scr.con, VGA_YELLOW, VGA_BLUE); // ffff55 and 0000aa as BGR: 55ffff, aa0000
    fbcon_write(&scr.con, "Hi", 2);
    assert_cell(1, 0, 'H', 0x55ffff, 0xaa0000, 0);
    assert_cell(1, 1, 'i', 0x55ffff, 0xaa0000, 0);
    assert_cell_bits(1, 2, blank, 0x55ffff, 0, 0x55ffff ^ 0xaa0000); // black since init
    fbcon_write(&scr.con, "\r", 1);
    assert_cell(1, 0, 'H', 0x55ffff, 0xaa0000, 0x55ffff ^ 0xaa0000);
    assert_cell_bits(1, 2, blank, 0x55ffff, 0, 0);
    assert_padding_untouched();
    screen_close(NULL);
}

static void glyph_and_cursor_at_16_bpp(void **state)
{
    screen_open(3 * 8, 16, 3 * 8 * 2 + 2, &RGB565);
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_RED); // ffff and a800
    fbcon_write(&scr.con, "ok", 2);
    assert_cell(0, 0, 'o', 0xffff, 0xa800, 0);
    assert_cell(0, 1, 'k', 0xffff, 0xa800, 0);
    assert_cell_bits(0, 2, blank, 0xffff, 0, 0xffff ^ 0xa800); // black since init
    fbcon_cursor_left(&scr.con, 1);
    assert_cell(0, 1, 'k', 0xffff, 0xa800, 0xffff ^ 0xa800);
    assert_cell_bits(0, 2, blank, 0xffff, 0, 0);
    assert_padding_untouched();
    screen_close(NULL);
}

// Right and bottom margins (pixels inside width x height but outside the grid) are cleared by
// fbcon_init and fbcon_clear and otherwise never written: poisoned after init, they keep the
// poison through text, wrapping and scrolling.
static void margins_are_cleared_then_left_alone(void **state)
{
    screen_open(2 * 8 + 3, 2 * 16 + 5, 0, &RGB888); // pitch 57: no padding, a margin
    for (uint32_t y = 0; y < scr.fb.height; y++)
        for (uint32_t x = 0; x < scr.fb.width; x++)
            if (x >= 16 || y >= 32)
                assert_int_equal(px(x, y), 0);
    for (uint32_t y = 0; y < scr.fb.height; y++)
        for (uint32_t x = 0; x < scr.fb.width; x++)
            if (x >= 16 || y >= 32)
                set_px(x, y, 0x123456 + x + y);
    fbcon_write(&scr.con, "abc\ndef\ngh\t\b", 12);
    fbcon_put_at(&scr.con, 0, 1, 'z');
    fbcon_erase_to_eol(&scr.con);
    for (uint32_t y = 0; y < scr.fb.height; y++)
        for (uint32_t x = 0; x < scr.fb.width; x++)
            if (x >= 16 || y >= 32)
                assert_int_equal(px(x, y), 0x123456 + x + y);
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_BLUE);
    fbcon_clear(&scr.con);
    for (uint32_t y = 0; y < scr.fb.height; y++)
        for (uint32_t x = 0; x < scr.fb.width; x++)
            if (x >= 16 || y >= 32)
                assert_int_equal(px(x, y), 0x0000aa);
    screen_close(NULL);
}

// Six lines through a 3x4-cell screen in white on black: the last four stay, each in its row,
// the cursor after the k; nothing past the rows' width written.
static void assert_scrolls(uint32_t pitch, const struct layout *l, uint32_t white)
{
    screen_open(3 * 8, 4 * 16, pitch, l);
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_BLACK);
    fbcon_write(&scr.con, "ab\ncd\nef\ngh\nij\nk", 16);
    static const char *const want[4] = {"gh ", "ij ", "k  ", NULL};
    assert_cell(0, 0, 'e', white, 0, 0);
    assert_cell(0, 1, 'f', white, 0, 0);
    assert_cell(0, 2, ' ', white, 0, 0);
    for (unsigned row = 1; row < 4; row++)
        for (unsigned col = 0; col < 3; col++)
            assert_cell(row, col, (uint8_t)want[row - 1][col], white, 0,
                        row == 3 && col == 1 ? white : 0);
    assert_padding_untouched();
    screen_close(NULL);
}

// Full blocks on the bottom row, scrolled up: every scanline of every cell moves, the first and
// the last included.
static void assert_scroll_moves_every_scanline(uint32_t pitch, const struct layout *l,
                                               uint32_t white)
{
    screen_open(3 * 8, 3 * 16, pitch, l);
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_BLACK);
    for (unsigned col = 0; col < 3; col++)
        fbcon_put_at(&scr.con, 2, col, 0xdb);
    fbcon_write(&scr.con, "\n\n", 2);
    for (unsigned col = 0; col < 3; col++) {
        assert_cell_bits(0, col, full, white, 0, 0);
        assert_cell_bits(1, col, blank, white, 0, 0);
    }
    assert_padding_untouched();
    screen_close(NULL);
}

static void scroll_moves_every_scanline(void **state)
{
    assert_scroll_moves_every_scanline(0, &XRGB8888, 0xffffff);
    assert_scroll_moves_every_scanline(3 * 8 * 4 + 4, &XRGB8888, 0xffffff);
    assert_scroll_moves_every_scanline(3 * 8 * 3 + 1, &BGR888, 0xffffff);
}

// The rows' pixels contiguous (pitch == 3 cells' bytes): one memmove a scroll.
static void scroll_contiguous_32_bpp(void **state)
{
    assert_scrolls(0, &XRGB8888, 0xffffff);
}

static void scroll_contiguous_16_bpp(void **state)
{
    assert_scrolls(0, &RGB565, 0xffff);
}

// Padding after each row: one memmove a scanline, the padding never moved.
static void scroll_padded_24_bpp(void **state)
{
    assert_scrolls(3 * 8 * 3 + 7, &RGB888, 0xffffff);
}

static void scroll_padded_16_bpp(void **state)
{
    assert_scrolls(3 * 8 * 2 + 1, &XRGB1555, 0x7fff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(colours_xrgb8888),
        cmocka_unit_test(colours_xbgr8888),
        cmocka_unit_test(colours_rgbx8888),
        cmocka_unit_test(colours_xrgb2101010),
        cmocka_unit_test(colours_rgb888),
        cmocka_unit_test(colours_bgr888),
        cmocka_unit_test(colours_rgb565),
        cmocka_unit_test(colours_bgr565),
        cmocka_unit_test(colours_xrgb1555),
        cmocka_unit_test(colours_odd_fields),
        cmocka_unit_test(sixteen_colours_xrgb8888),
        cmocka_unit_test(glyph_and_cursor_at_24_bpp),
        cmocka_unit_test(glyph_and_cursor_at_16_bpp),
        cmocka_unit_test(margins_are_cleared_then_left_alone),
        cmocka_unit_test(scroll_moves_every_scanline),
        cmocka_unit_test(scroll_contiguous_32_bpp),
        cmocka_unit_test(scroll_contiguous_16_bpp),
        cmocka_unit_test(scroll_padded_24_bpp),
        cmocka_unit_test(scroll_padded_16_bpp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
