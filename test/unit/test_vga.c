// Tests for core/vga.c: text on the bottom row, scrolling, wrapping, control and non-printable
// bytes, colours, the CRTC cursor port sequence and the answers to bad arguments.
#include "test/unit/vga_test.h"

#include <stdio.h>

static void assert_row(unsigned row, const char *want)
{
    char got[VGA_COLS + 1];
    vga_row_text(&w, row, got, sizeof(got));
    assert_string_equal(got, want);
}

static void assert_row_all(unsigned row, uint16_t cell)
{
    for (unsigned col = 0; col < VGA_COLS; col++)
        assert_int_equal(vga_cell(&w, row, col), cell);
}

static void init_blanks_every_cell_light_gray_on_black(void **state)
{
    for (unsigned row = 0; row < VGA_ROWS; row++)
        assert_row_all(row, VGA_CELL(' ', GRAY));
    assert_int_equal(w.col, 0);
}

static void init_enables_underline_cursor_then_places_it_bottom_left(void **state)
{
    mock_hw_reset();
    vga_init(&w, cells);
    const struct mock_io want[] = {
        {'w', 1, 0x3d4, 0x0a}, {'w', 1, 0x3d5, 13},   // cursor start 13, enabled
        {'w', 1, 0x3d4, 0x0b}, {'w', 1, 0x3d5, 15},   // cursor end 15
        {'w', 1, 0x3d4, 0x0f}, {'w', 1, 0x3d5, 0x80}, // 1920 = row 24, col 0
        {'w', 1, 0x3d4, 0x0e}, {'w', 1, 0x3d5, 0x07},
    };
    mock_io_assert_log(want, 8);
}

static void write_puts_text_on_bottom_row(void **state)
{
    write_str("hello");
    assert_row(BOTTOM, "hello");
    assert_int_equal(vga_cell(&w, BOTTOM, 0), VGA_CELL('h', GRAY));
    assert_int_equal(w.col, 5);
}

static void println_moves_line_up_and_leaves_bottom_blank(void **state)
{
    write_str("hello\n");
    assert_row(BOTTOM - 1, "hello");
    assert_row(BOTTOM, "");
    assert_int_equal(w.col, 0);
}

static void two_hundred_lines_leave_the_last_24_on_screen(void **state)
{
    char line[32];
    for (int i = 0; i < 200; i++) {
        snprintf(line, sizeof(line), "line %d\n", i);
        write_str(line);
    }
    for (unsigned row = 0; row < BOTTOM; row++) {
        snprintf(line, sizeof(line), "line %u", 176 + row);
        assert_row(row, line);
    }
    assert_row(BOTTOM, "");
}

static void first_line_scrolls_off_the_top_after_24_newlines(void **state)
{
    write_str("first\n");
    for (int i = 0; i < 23; i++)
        write_str("x\n");
    assert_row(0, "first");
    write_str("\n");
    assert_row(0, "x");
}

static void line_wraps_at_column_80(void **state)
{
    char text[83];
    memset(text, 'a', 80);
    memcpy(text + 80, "yz", 3);
    write_str(text);
    text[80] = '\0';
    assert_row(BOTTOM - 1, text);
    assert_row(BOTTOM, "yz");
    assert_int_equal(w.col, 2);
}

static void full_row_wraps_only_when_next_byte_comes(void **state)
{
    char text[81];
    memset(text, 'b', 80);
    text[80] = '\0';
    write_str(text);
    assert_row(BOTTOM, text);
    assert_int_equal(w.col, VGA_COLS);
    write_str("\n"); // no empty line between the full row and the next
    assert_row(BOTTOM - 1, text);
    assert_row(BOTTOM - 2, "");
}

static void printable_bytes_show_as_themselves(void **state)
{
    for (unsigned b = 0x20; b <= 0x7e; b++) {
        vga_clear(&w);
        vga_putc(&w, (char)b);
        assert_int_equal(vga_cell(&w, BOTTOM, 0), VGA_CELL(b, GRAY));
    }
}

static void control_bytes_without_meaning_show_as_fe(void **state)
{
    for (unsigned b = 0x00; b < 0x20; b++) {
        if (b == '\b' || b == '\t' || b == '\n' || b == '\r')
            continue;
        vga_clear(&w);
        vga_putc(&w, (char)b);
        assert_int_equal(vga_cell(&w, BOTTOM, 0), VGA_CELL(0xfe, GRAY));
        assert_int_equal(w.col, 1);
    }
}

static void bytes_0x7f_to_0xff_show_as_fe(void **state)
{
    for (unsigned b = 0x7f; b <= 0xff; b++) {
        vga_clear(&w);
        vga_putc(&w, (char)b);
        assert_int_equal(vga_cell(&w, BOTTOM, 0), VGA_CELL(0xfe, GRAY));
    }
}

static void nul_inside_len_is_shown_not_a_terminator(void **state)
{
    vga_write(&w, "a\0b", 3);
    assert_int_equal(vga_cell(&w, BOTTOM, 1), VGA_CELL(0xfe, GRAY));
    assert_int_equal(vga_cell(&w, BOTTOM, 2), VGA_CELL('b', GRAY));
}

static void set_color_goes_into_attribute_byte(void **state)
{
    vga_set_color(&w, VGA_YELLOW, VGA_BLUE);
    write_str("A");
    vga_set_color(&w, VGA_WHITE, VGA_PINK);
    write_str("B");
    assert_int_equal(vga_cell(&w, BOTTOM, 0), 0x1e41);
    assert_int_equal(vga_cell(&w, BOTTOM, 1), 0xdf42);
}

static void newline_blanks_bottom_row_with_current_color(void **state)
{
    vga_set_color(&w, VGA_WHITE, VGA_RED);
    write_str("x\n");
    assert_row_all(BOTTOM, 0x4f20);
    assert_int_equal(vga_cell(&w, BOTTOM - 1, 1), VGA_CELL(' ', GRAY)); // scrolled, unchanged
}

static void clear_blanks_with_current_color_and_returns_to_column_0(void **state)
{
    write_str("abc");
    vga_set_color(&w, VGA_BLACK, VGA_GREEN);
    vga_clear(&w);
    for (unsigned row = 0; row < VGA_ROWS; row++)
        assert_row_all(row, 0x2020);
    assert_int_equal(w.col, 0);
}

static void backspace_moves_back_and_blanks_the_cell(void **state)
{
    vga_set_color(&w, VGA_GREEN, VGA_BLUE);
    write_str("ab\b");
    assert_int_equal(w.col, 1);
    assert_int_equal(vga_cell(&w, BOTTOM, 1), 0x1220);
    write_str("c");
    assert_row(BOTTOM, "ac");
}

static void backspace_at_column_0_does_nothing(void **state)
{
    write_str("above\n\b");
    assert_int_equal(w.col, 0);
    assert_row(BOTTOM - 1, "above");
    assert_row_all(BOTTOM, VGA_CELL(' ', GRAY));
}

static void backspace_on_full_row_blanks_column_79(void **state)
{
    char text[81];
    memset(text, 'c', 80);
    text[80] = '\0';
    write_str(text);
    write_str("\b");
    assert_int_equal(w.col, 79);
    assert_int_equal(vga_cell(&w, BOTTOM, 79), VGA_CELL(' ', GRAY));
}

static void carriage_return_goes_to_column_0_and_overwrites(void **state)
{
    write_str("abc\rX");
    assert_row(BOTTOM, "Xbc");
    assert_int_equal(w.col, 1);
}

static void tab_advances_to_next_multiple_of_8(void **state)
{
    write_str("a\tb\t\tc");
    assert_int_equal(vga_cell(&w, BOTTOM, 8), VGA_CELL('b', GRAY));
    assert_int_equal(vga_cell(&w, BOTTOM, 24), VGA_CELL('c', GRAY));
    write_str("\r\t"); // at a multiple of 8 a tab still moves a full stop
    assert_int_equal(w.col, 8);
}

static void tab_near_end_fills_row_then_next_byte_wraps(void **state)
{
    char text[79];
    memset(text, 'd', 78);
    text[78] = '\0';
    write_str(text);
    write_str("\tz");
    assert_row(BOTTOM - 1, text);
    assert_row(BOTTOM, "z");
}

static void write_moves_cursor_with_exact_port_sequence(void **state)
{
    write_str("hi");
    assert_cursor_log(1920 + 2);
}

static void long_write_moves_cursor_once(void **state)
{
    for (int i = 0; i < 10; i++)
        write_str("many characters\nand lines\n");
    write_str("tail");
    mock_hw_reset();
    write_str("0123456789\n0123456789\nabc\tdefghijklmnopqrstuvwxyz");
    assert_cursor_log(1920 + 31); // "abc", tab to 8, 23 letters
}

static void empty_write_still_places_cursor(void **state)
{
    vga_write(&w, NULL, 0);
    assert_cursor_log(1920);
}

static void putc_moves_cursor(void **state)
{
    vga_putc(&w, 'q');
    assert_cursor_log(1921);
}

static void cursor_stays_on_last_cell_when_row_is_full(void **state)
{
    char text[VGA_COLS];
    memset(text, 'e', sizeof(text));
    vga_write(&w, text, sizeof(text));
    assert_cursor_log(1999);
}

static void row_text_trims_trailing_blanks_and_truncates(void **state)
{
    write_str("hello world  ");
    char buf[6];
    assert_int_equal(vga_row_text(&w, BOTTOM, buf, sizeof(buf)), 11);
    assert_string_equal(buf, "hello");
    assert_int_equal(vga_row_text(&w, BOTTOM, NULL, 0), 11);
}

static void init_with_null_writer_panics(void **state)
{
    expect_assert_failure(vga_init(NULL, cells));
    assert_non_null(strstr(mock_panic_message(), "vga_init"));
}

static void init_with_null_cells_panics(void **state)
{
    struct vga_writer other;
    expect_assert_failure(vga_init(&other, NULL));
    assert_non_null(strstr(mock_panic_message(), "vga_init"));
    assert_int_equal(mock_io_count(), 0);
}

static void set_color_above_15_panics(void **state)
{
    expect_assert_failure(vga_set_color(&w, (enum vga_color)16, VGA_BLACK));
    expect_assert_failure(vga_set_color(&w, VGA_WHITE, (enum vga_color)16));
    assert_non_null(strstr(mock_panic_message(), "vga_set_color"));
    assert_int_equal(w.attr, GRAY);
}

static void write_with_null_string_and_length_panics(void **state)
{
    expect_assert_failure(vga_write(&w, NULL, 1));
    assert_non_null(strstr(mock_panic_message(), "vga_write"));
}

static void write_to_writer_without_cells_panics(void **state)
{
    struct vga_writer none = {0};
    expect_assert_failure(vga_write(&none, "x", 1));
    expect_assert_failure(vga_putc(NULL, 'x'));
}

static void cell_out_of_range_panics(void **state)
{
    expect_assert_failure(vga_cell(&w, VGA_ROWS, 0));
    expect_assert_failure(vga_cell(&w, 0, VGA_COLS));
    assert_non_null(strstr(mock_panic_message(), "vga_cell"));
    expect_assert_failure(vga_row_text(&w, VGA_ROWS, NULL, 0));
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_blanks_every_cell_light_gray_on_black),
        T(init_enables_underline_cursor_then_places_it_bottom_left),
        T(write_puts_text_on_bottom_row),
        T(println_moves_line_up_and_leaves_bottom_blank),
        T(two_hundred_lines_leave_the_last_24_on_screen),
        T(first_line_scrolls_off_the_top_after_24_newlines),
        T(line_wraps_at_column_80),
        T(full_row_wraps_only_when_next_byte_comes),
        T(printable_bytes_show_as_themselves),
        T(control_bytes_without_meaning_show_as_fe),
        T(bytes_0x7f_to_0xff_show_as_fe),
        T(nul_inside_len_is_shown_not_a_terminator),
        T(set_color_goes_into_attribute_byte),
        T(newline_blanks_bottom_row_with_current_color),
        T(clear_blanks_with_current_color_and_returns_to_column_0),
        T(backspace_moves_back_and_blanks_the_cell),
        T(backspace_at_column_0_does_nothing),
        T(backspace_on_full_row_blanks_column_79),
        T(carriage_return_goes_to_column_0_and_overwrites),
        T(tab_advances_to_next_multiple_of_8),
        T(tab_near_end_fills_row_then_next_byte_wraps),
        T(write_moves_cursor_with_exact_port_sequence),
        T(long_write_moves_cursor_once),
        T(empty_write_still_places_cursor),
        T(putc_moves_cursor),
        T(cursor_stays_on_last_cell_when_row_is_full),
        T(row_text_trims_trailing_blanks_and_truncates),
        T(init_with_null_writer_panics),
        T(init_with_null_cells_panics),
        T(set_color_above_15_panics),
        T(write_with_null_string_and_length_panics),
        T(write_to_writer_without_cells_panics),
        T(cell_out_of_range_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
