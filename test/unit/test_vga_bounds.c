// Length boundaries of core/vga.c's vga_row_text: every capacity from 0 to the text's length + 2
// for an empty row, a short one, a full one and one whose only character is in the last column;
// the first and last rows and columns.
#include "test/unit/vga_test.h"

#include <stdlib.h>

// vga_row_text(row) into heap buffers of exactly cap bytes (the address sanitizer catches a write
// past them) for every cap from 0 to the length of want + 2: each returns that length and holds
// the first cap - 1 characters of want and a NUL.
static void assert_row_at_every_cap(unsigned row, const char *want)
{
    size_t len = strlen(want);
    assert_int_equal(vga_row_text(&w, row, NULL, 0), len);
    for (size_t cap = 1; cap <= len + 2; cap++) {
        char *buf = malloc(cap);
        memset(buf, '#', cap);
        assert_int_equal(vga_row_text(&w, row, buf, cap), len);
        size_t kept = cap - 1 < len ? cap - 1 : len;
        assert_memory_equal(buf, want, kept);
        assert_int_equal(buf[kept], '\0');
        free(buf);
    }
}

static void blank_row_is_empty_at_every_cap(void **state)
{
    assert_row_at_every_cap(BOTTOM, "");
    assert_row_at_every_cap(0, "");
}

static void short_row_is_cut_at_every_cap(void **state)
{
    write_str("hello world  ");
    assert_row_at_every_cap(BOTTOM, "hello world");
}

static void full_row_is_cut_at_every_cap(void **state)
{
    char row[VGA_COLS + 1];
    for (unsigned i = 0; i < VGA_COLS; i++)
        row[i] = (char)('!' + i);
    row[VGA_COLS] = '\0';
    write_str(row);
    assert_row_at_every_cap(BOTTOM, row);
    write_str("\n"); // the full row scrolls up, and on to the top row
    for (unsigned i = 0; i < BOTTOM - 1; i++)
        write_str("\n");
    assert_row_at_every_cap(0, row);
    assert_row_at_every_cap(BOTTOM, "");
}

// A character in column 79 keeps all 79 spaces before it.
static void only_the_last_column_used_keeps_the_leading_spaces(void **state)
{
    char want[VGA_COLS + 1];
    memset(want, ' ', VGA_COLS - 1);
    want[VGA_COLS - 1] = 'z';
    want[VGA_COLS] = '\0';
    write_str(want);
    assert_row_at_every_cap(BOTTOM, want);
    assert_int_equal((uint8_t)vga_cell(&w, BOTTOM, VGA_COLS - 1), 'z');
    assert_int_equal((uint8_t)vga_cell(&w, 0, 0), ' ');
}

// Trailing spaces are trimmed by their character byte, whatever their colour; a substitute glyph
// is text, not a space.
static void trailing_spaces_of_any_colour_are_trimmed_but_substitutes_are_not(void **state)
{
    write_str("ab");
    vga_set_color(&w, VGA_WHITE, VGA_RED);
    write_str("   ");
    assert_row_at_every_cap(BOTTOM, "ab");
    write_str("\x01");
    assert_row_at_every_cap(BOTTOM, "ab   \xfe");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(blank_row_is_empty_at_every_cap, setup),
        cmocka_unit_test_setup(short_row_is_cut_at_every_cap, setup),
        cmocka_unit_test_setup(full_row_is_cut_at_every_cap, setup),
        cmocka_unit_test_setup(only_the_last_column_used_keeps_the_leading_spaces, setup),
        cmocka_unit_test_setup(trailing_spaces_of_any_colour_are_trimmed_but_substitutes_are_not,
                               setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
