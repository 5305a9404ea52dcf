// core/fbcon's glyphs against the font files themselves: this program reads console-setup's PSF1
// fonts with its own parser (through gzip -dc) and its own code page 437 table for the bytes it
// checks, and compares each glyph's bits with what fbcon draws at a cell, not with fbcon's table.
#define _POSIX_C_SOURCE 200809L // popen

#include "test/unit/fbcon_test.h"

#include <stdio.h>

#define FONT_DIR   "/usr/share/consolefonts/"
#define FULL_GREEK FONT_DIR "FullGreek-VGA16.psf.gz"
#define UNI2       FONT_DIR "Uni2-VGA16.psf.gz"

// A PSF1 font: 2 magic bytes 0x36 0x04, a mode byte (bit 0: 512 glyphs, else 256; bits 1-2: a
// Unicode table follows the glyphs), the glyph height in bytes, the glyphs (one byte a row), then
// per glyph its UCS-2 characters (little-endian), 0xfffe starting sequences, 0xffff ending it.
struct psf1 {
    uint8_t data[64 * 1024];
    size_t len;
    unsigned glyphs, height;
};

static struct psf1 full_greek, uni2;

static void load(struct psf1 *f, const char *path)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "gzip -dc < %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    f->len = fread(f->data, 1, sizeof(f->data), p);
    assert_int_equal(pclose(p), 0);
    assert_true(f->len > 4 && f->len < sizeof(f->data));
    assert_int_equal(f->data[0], 0x36);
    assert_int_equal(f->data[1], 0x04);
    assert_true(f->data[2] & 0x06); // has a Unicode table
    f->glyphs = f->data[2] & 1 ? 512 : 256;
    f->height = f->data[3];
    assert_int_equal(f->height, 16);
}

// The rows of the glyph the font's table gives Unicode character u (not inside a sequence); fails
// when the font has none.
static const uint8_t *glyph_of(const struct psf1 *f, uint16_t u)
{
    size_t pos = 4 + (size_t)f->glyphs * f->height;
    for (unsigned g = 0; g < f->glyphs; g++) {
        bool in_seq = false;
        for (;;) {
            assert_true(pos + 2 <= f->len);
            uint16_t v = (uint16_t)(f->data[pos] | f->data[pos + 1] << 8);
            pos += 2;
            if (v == 0xffff)
                break;
            if (v == 0xfffe)
                in_seq = true;
            else if (!in_seq && v == u)
                return f->data + 4 + (size_t)g * f->height;
        }
    }
    fail_msg("no glyph for U+%04X", u);
    return NULL;
}

static int setup(void **state)
{
    (void)state;
    load(&full_greek, FULL_GREEK);
    load(&uni2, UNI2);
    return 0;
}

// Draws byte b with fbcon_put_at in white on blue at a cell away from the edges, and checks every
// pixel of that cell against `rows`.
static void assert_drawn_as(uint8_t b, const uint8_t *rows)
{
    screen_open(5 * 8, 3 * 16, 0, &XRGB8888);
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_BLUE);
    fbcon_put_at(&scr.con, 1, 3, b);
    assert_cell_bits(1, 3, rows, 0xffffff, 0x0000aa, 0);
    screen_close(NULL);
}

// Bytes whose code page 437 character FullGreek-VGA16 has, one of each kind: ASCII, the graphic
// characters below 0x20 and at 0x7f, accented Latin, box drawing (double lines too), blocks,
// Greek, mathematics, and the substitute 0xfe.
static void glyphs_come_from_fullgreek_vga16(void **state)
{
    static const struct {
        uint8_t byte;
        uint16_t u;
    } cases[] = {
        {'A', 0x0041},  {'g', 0x0067},  {'~', 0x007e},  {0x01, 0x263a}, {0x03, 0x2665},
        {0x1e, 0x25b2}, {0x7f, 0x2302}, {0x82, 0x00e9}, {0xb1, 0x2592}, {0xc9, 0x2554},
        {0xcd, 0x2550}, {0xdb, 0x2588}, {0xdf, 0x2580}, {0xe0, 0x03b1}, {0xe1, 0x00df},
        {0xea, 0x03a9}, {0xfb, 0x221a}, {0xfe, 0x25a0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_drawn_as(cases[i].byte, glyph_of(&full_greek, cases[i].u));
}

// The four Latin letters FullGreek-VGA16 lacks come from Uni2-VGA16.
static void missing_latin_letters_come_from_uni2_vga16(void **state)
{
    assert_drawn_as(0x86, glyph_of(&uni2, 0x00e5)); // a ring
    assert_drawn_as(0x8d, glyph_of(&uni2, 0x00ec)); // i grave
    assert_drawn_as(0x8f, glyph_of(&uni2, 0x00c5)); // A ring
    assert_drawn_as(0x95, glyph_of(&uni2, 0x00f2)); // o grave
}

// 0x10 and 0x11 (U+25BA, U+25C4, in no console-setup font) are the full triangles the VGA ROM
// draws, U+25B6 and U+25C0.
static void pointers_are_drawn_as_full_triangles(void **state)
{
    assert_drawn_as(0x10, glyph_of(&full_greek, 0x25b6));
    assert_drawn_as(0x11, glyph_of(&full_greek, 0x25c0));
}

static void byte_0_is_blank_and_space_is_blank(void **state)
{
    static const uint8_t blank[16];
    assert_drawn_as(0x00, blank);
    assert_drawn_as(' ', blank);
}

// The block glyph in a hand-written form too, in case both readings of the file were wrong alike.
static void full_block_fills_the_cell_and_a_is_shaped(void **state)
{
    static const uint8_t full[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t a[16] = {0x00, 0x00, 0x10, 0x38, 0x6c, 0xc6, 0xc6, 0xfe,
                                  0xc6, 0xc6, 0xc6, 0xc6, 0x00, 0x00, 0x00, 0x00};
    assert_drawn_as(0xdb, full);
    assert_drawn_as('A', a);
}

static void the_font_names_its_files(void **state)
{
    assert_string_equal(fbcon_font_name, "FullGreek-VGA16 + Uni2-VGA16");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(glyphs_come_from_fullgreek_vga16),
        cmocka_unit_test(missing_latin_letters_come_from_uni2_vga16),
        cmocka_unit_test(pointers_are_drawn_as_full_triangles),
        cmocka_unit_test(byte_0_is_blank_and_space_is_blank),
        cmocka_unit_test(full_block_fills_the_cell_and_a_is_shaped),
        cmocka_unit_test(the_font_names_its_files),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
