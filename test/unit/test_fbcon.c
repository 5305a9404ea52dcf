// Tests for core/fbcon.c's text: the bottom row, scrolling, wrapping, control and non-printable
// bytes, colours, the cursor (drawn, moved, erased) and the line editor's two operations, on a
// 10x3-cell XRGB8888 screen whose rows have 6 bytes of padding (checked after every test).
#include "test/unit/fbcon_test.h"

#define COLS   10
#define ROWS   3
#define BOTTOM (ROWS - 1)
#define WIDTH  (COLS * 8)
#define HEIGHT (ROWS * 16)
#define PITCH  (WIDTH * 4 + 6)

static const uint8_t blank[16];

static int setup(void **state)
{
    (void)state;
    screen_open(WIDTH, HEIGHT, PITCH, &XRGB8888);
    return 0;
}

static void init_clears_the_screen_and_puts_the_cursor_bottom_left(void **state)
{
    assert_row(0, "");
    assert_row(1, "");
    assert_row(BOTTOM, "");
    assert_cell_bits(BOTTOM, 0, blank, PX_GRAY, PX_BLACK, PX_GRAY);
    assert_int_equal(fbcon_column(&scr.con), 0);
    assert_int_equal(scr.con.cols, COLS);
    assert_int_equal(scr.con.rows, ROWS);
}

static void write_puts_text_on_the_bottom_row(void **state)
{
    write_str("hello");
    assert_row(BOTTOM, "hello");
    assert_row(1, "");
    assert_int_equal(fbcon_column(&scr.con), 5);
    assert_cell_bits(BOTTOM, 5, blank, PX_GRAY, PX_BLACK, PX_GRAY);
}

static void newline_scrolls_up_and_blanks_the_bottom_row(void **state)
{
    write_str("one\ntwo\nthree");
    assert_row(0, "one");
    assert_row(1, "two");
    assert_row(BOTTOM, "three");
    write_str("\n");
    assert_row(0, "two");
    assert_row(1, "three");
    assert_row(BOTTOM, "");
    assert_int_equal(fbcon_column(&scr.con), 0);
    write_str("\n\n");
    assert_row(0, "");
    assert_row(1, "");
}

static void newline_blanks_in_the_current_background(void **state)
{
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_BLUE);
    write_str("\n");
    for (unsigned col = 0; col < COLS; col++)
        assert_cell_bits(BOTTOM, col, blank, 0xffffff, 0x0000aa,
                         col == 0 ? 0xffffff ^ 0x0000aa : 0);
    assert_row(1, "");
}

static void a_full_row_wraps_before_the_next_character(void **state)
{
    write_str("0123456789");
    assert_row(BOTTOM, "0123456789"); // the cursor under the last cell, over the 9
    assert_int_equal(fbcon_column(&scr.con), COLS);
    assert_row(1, "");
    write_str("x");
    assert_row(1, "0123456789");
    assert_row(BOTTOM, "x");
    assert_int_equal(fbcon_column(&scr.con), 1);
}

static void newline_on_a_full_row_makes_one_new_line(void **state)
{
    write_str("0123456789\nab");
    assert_row(0, "");
    assert_row(1, "0123456789");
    assert_row(BOTTOM, "ab");
}

static void carriage_return_goes_back_to_column_0(void **state)
{
    write_str("abc\r");
    assert_int_equal(fbcon_column(&scr.con), 0);
    assert_row(BOTTOM, "abc"); // the cursor over the a
    write_str("X");
    assert_row(BOTTOM, "Xbc");
    assert_row(1, "");
}

static void backspace_blanks_the_cell_before(void **state)
{
    write_str("abc\b");
    assert_row(BOTTOM, "ab");
    assert_int_equal(fbcon_column(&scr.con), 2);
    write_str("\b\b\b\b");
    assert_row(BOTTOM, "");
    assert_int_equal(fbcon_column(&scr.con), 0);
    assert_row(1, "");
}

static void backspace_blanks_in_the_current_background(void **state)
{
    write_str("ab");
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_GREEN);
    write_str("\b");
    assert_cell(BOTTOM, 0, 'a', PX_GRAY, PX_BLACK, 0);
    assert_cell_bits(BOTTOM, 1, blank, 0xffffff, 0x00aa00, 0xffffff ^ 0x00aa00);
}

static void backspace_on_a_full_row_blanks_the_last_cell(void **state)
{
    write_str("0123456789\b");
    assert_row(BOTTOM, "012345678");
    assert_int_equal(fbcon_column(&scr.con), COLS - 1);
}

static void tab_goes_to_the_next_multiple_of_8(void **state)
{
    write_str("\t");
    assert_int_equal(fbcon_column(&scr.con), 8);
    write_str("\r1234567\t");
    assert_int_equal(fbcon_column(&scr.con), 8);
    write_str("\rab\tc");
    assert_row(BOTTOM, "ab      c");
    assert_int_equal(fbcon_column(&scr.con), 9);
}

static void tab_stops_at_the_end_of_a_row(void **state)
{
    write_str("12345678\t");
    assert_row(BOTTOM, "12345678");
    assert_int_equal(fbcon_column(&scr.con), COLS);
    assert_row(1, "");
    write_str("z");
    assert_row(1, "12345678");
    assert_row(BOTTOM, "z");
}

static void tab_on_a_full_row_goes_to_column_8_of_a_new_line(void **state)
{
    write_str("0123456789\t");
    assert_row(1, "0123456789");
    assert_row(BOTTOM, "");
    assert_int_equal(fbcon_column(&scr.con), 8);
}

static void unprintable_bytes_show_the_substitute(void **state)
{
    const char bytes[] = {0x00, 0x01, 0x1f, 0x7f, (char)0x80, (char)0xfe, (char)0xff};
    fbcon_write(&scr.con, bytes, sizeof(bytes));
    for (unsigned col = 0; col < sizeof(bytes); col++)
        assert_cell(BOTTOM, col, VGA_SUBSTITUTE, PX_GRAY, PX_BLACK, 0);
    assert_int_equal(fbcon_column(&scr.con), sizeof(bytes));
}

static void printable_edges_show_themselves(void **state)
{
    write_str(" ~!");
    assert_row(BOTTOM, " ~!");
}

static void colours_apply_to_characters_written_after(void **state)
{
    write_str("a");
    fbcon_set_color(&scr.con, VGA_YELLOW, VGA_RED);
    write_str("b");
    assert_cell(BOTTOM, 0, 'a', PX_GRAY, PX_BLACK, 0);
    assert_cell(BOTTOM, 1, 'b', 0xffff55, 0xaa0000, 0);
    assert_cell_bits(BOTTOM, 2, blank, PX_GRAY, PX_BLACK, 0xffff55 ^ 0xaa0000);
}

static void the_cursor_moves_without_a_trace(void **state)
{
    write_str("a");
    assert_cell_bits(BOTTOM, 1, blank, PX_GRAY, PX_BLACK, PX_GRAY);
    write_str("b");
    assert_cell(BOTTOM, 1, 'b', PX_GRAY, PX_BLACK, 0);
    assert_cell_bits(BOTTOM, 2, blank, PX_GRAY, PX_BLACK, PX_GRAY);
    write_str("\n");
    assert_row(1, "ab");
    assert_row(BOTTOM, "");
}

static void the_cursor_over_a_character_inverts_and_restores_it(void **state)
{
    write_str("g\r");
    // The underline XORs the g's pixels: its set bits on scanlines 13-15 turn black.
    assert_cell(BOTTOM, 0, 'g', PX_GRAY, PX_BLACK, PX_GRAY);
    write_str("\n");
    assert_row(1, "g");
}

// The underline is XORed in with the colours of the moment it was drawn, and out with the same.
static void the_cursor_is_erased_with_the_colours_it_was_drawn_with(void **state)
{
    write_str("a");
    fbcon_set_color(&scr.con, VGA_CYAN, VGA_MAGENTA);
    fbcon_write(&scr.con, NULL, 0);
    assert_cell(BOTTOM, 0, 'a', PX_GRAY, PX_BLACK, 0);
    assert_cell_bits(BOTTOM, 1, blank, PX_GRAY, PX_BLACK, 0x00aaaa ^ 0xaa00aa);
    write_str("\r");
    assert_cell_bits(BOTTOM, 1, blank, PX_GRAY, PX_BLACK, 0);
}

static void putc_writes_one_byte_and_draws_the_cursor(void **state)
{
    fbcon_putc(&scr.con, 'q');
    fbcon_putc(&scr.con, '\t');
    assert_row(BOTTOM, "q");
    assert_int_equal(fbcon_column(&scr.con), 8);
    fbcon_putc(&scr.con, '\n');
    assert_row(1, "q");
}

static void clear_fills_with_the_background_and_restarts_the_row(void **state)
{
    write_str("abc\ndef");
    fbcon_set_color(&scr.con, VGA_BLACK, VGA_LIGHT_GRAY);
    fbcon_clear(&scr.con);
    assert_int_equal(fbcon_column(&scr.con), 0);
    for (unsigned row = 0; row < ROWS; row++)
        for (unsigned col = 0; col < COLS; col++)
            assert_cell_bits(row, col, blank, PX_BLACK, PX_GRAY,
                             row == BOTTOM && col == 0 ? PX_GRAY : 0);
}

static void put_at_draws_a_cell_and_moves_nothing(void **state)
{
    write_str("ab");
    fbcon_set_color(&scr.con, VGA_LIGHT_GREEN, VGA_BLACK);
    fbcon_put_at(&scr.con, 0, COLS - 1, '*');
    fbcon_put_at(&scr.con, 1, 0, 0x03); // any byte is its glyph: no substitute
    assert_cell(0, COLS - 1, '*', 0x55ff55, PX_BLACK, 0);
    assert_cell(1, 0, 0x03, 0x55ff55, PX_BLACK, 0);
    assert_int_equal(fbcon_column(&scr.con), 2);
    assert_cell(BOTTOM, 0, 'a', PX_GRAY, PX_BLACK, 0);
    // The cursor stays in its column, drawn again in the colours of now.
    assert_cell_bits(BOTTOM, 2, blank, PX_GRAY, PX_BLACK, 0x55ff55);
}

// Drawing over the cursor's cell leaves the cursor drawn over the new glyph.
static void put_at_on_the_cursor_cell_keeps_the_cursor(void **state)
{
    fbcon_put_at(&scr.con, BOTTOM, 0, 'g');
    assert_cell(BOTTOM, 0, 'g', PX_GRAY, PX_BLACK, PX_GRAY);
    write_str("h");
    assert_row(BOTTOM, "h");
}

static void cursor_left_moves_back_without_erasing(void **state)
{
    write_str("abcd");
    fbcon_cursor_left(&scr.con, 2);
    assert_int_equal(fbcon_column(&scr.con), 2);
    assert_row(BOTTOM, "abcd"); // the cursor over the c
    fbcon_cursor_left(&scr.con, 0);
    assert_int_equal(fbcon_column(&scr.con), 2);
    fbcon_cursor_left(&scr.con, 3);
    assert_int_equal(fbcon_column(&scr.con), 0);
    assert_row(BOTTOM, "abcd");
    write_str("X");
    assert_row(BOTTOM, "Xbcd");
}

static void cursor_left_from_a_full_row_goes_to_the_last_column(void **state)
{
    write_str("0123456789");
    fbcon_cursor_left(&scr.con, 1);
    assert_int_equal(fbcon_column(&scr.con), COLS - 1);
    assert_row(BOTTOM, "0123456789");
    fbcon_cursor_left(&scr.con, COLS);
    assert_int_equal(fbcon_column(&scr.con), 0);
}

static void erase_to_eol_blanks_from_the_column_and_moves_nothing(void **state)
{
    write_str("abcdef");
    fbcon_cursor_left(&scr.con, 3);
    fbcon_erase_to_eol(&scr.con);
    assert_row(BOTTOM, "abc");
    assert_int_equal(fbcon_column(&scr.con), 3);
    assert_cell_bits(BOTTOM, 3, blank, PX_GRAY, PX_BLACK, PX_GRAY);
}

static void erase_to_eol_uses_the_current_background(void **state)
{
    write_str("abcd\r");
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_BROWN);
    fbcon_erase_to_eol(&scr.con);
    for (unsigned col = 0; col < COLS; col++)
        assert_cell_bits(BOTTOM, col, blank, 0xffffff, 0xaa5500,
                         col == 0 ? 0xffffff ^ 0xaa5500 : 0);
    assert_row(1, "");
}

static void erase_to_eol_on_a_full_row_erases_nothing(void **state)
{
    write_str("0123456789");
    fbcon_erase_to_eol(&scr.con);
    assert_row(BOTTOM, "0123456789");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, screen_close_checked)
        T(init_clears_the_screen_and_puts_the_cursor_bottom_left),
        T(write_puts_text_on_the_bottom_row),
        T(newline_scrolls_up_and_blanks_the_bottom_row),
        T(newline_blanks_in_the_current_background),
        T(a_full_row_wraps_before_the_next_character),
        T(newline_on_a_full_row_makes_one_new_line),
        T(carriage_return_goes_back_to_column_0),
        T(backspace_blanks_the_cell_before),
        T(backspace_blanks_in_the_current_background),
        T(backspace_on_a_full_row_blanks_the_last_cell),
        T(tab_goes_to_the_next_multiple_of_8),
        T(tab_stops_at_the_end_of_a_row),
        T(tab_on_a_full_row_goes_to_column_8_of_a_new_line),
        T(unprintable_bytes_show_the_substitute),
        T(printable_edges_show_themselves),
        T(colours_apply_to_characters_written_after),
        T(the_cursor_moves_without_a_trace),
        T(the_cursor_over_a_character_inverts_and_restores_it),
        T(the_cursor_is_erased_with_the_colours_it_was_drawn_with),
        T(putc_writes_one_byte_and_draws_the_cursor),
        T(clear_fills_with_the_background_and_restarts_the_row),
        T(put_at_draws_a_cell_and_moves_nothing),
        T(put_at_on_the_cursor_cell_keeps_the_cursor),
        T(cursor_left_moves_back_without_erasing),
        T(cursor_left_from_a_full_row_goes_to_the_last_column),
        T(erase_to_eol_blanks_from_the_column_and_moves_nothing),
        T(erase_to_eol_uses_the_current_background),
        T(erase_to_eol_on_a_full_row_erases_nothing),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
