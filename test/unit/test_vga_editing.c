// Tests for core/vga.c's line-editing moves: vga_cursor_left moves the column and the hardware
// cursor back without touching a cell (where '\b' blanks one), vga_erase_to_eol blanks the rest of
// the bottom row and moves nothing; together they redraw a line edited in the middle.
#include "test/unit/vga_test.h"

static void assert_bottom(const char *want)
{
    char got[VGA_COLS + 1];
    vga_row_text(&w, BOTTOM, got, sizeof(got));
    assert_string_equal(got, want);
}

static void cursor_left_keeps_every_cell(void **state)
{
    (void)state;
    write_str("hello");
    vga_cursor_left(&w, 2);
    assert_int_equal(vga_column(&w), 3);
    assert_bottom("hello");
}

static void cursor_left_moves_the_hardware_cursor_with_exact_ports(void **state)
{
    (void)state;
    write_str("hello");
    mock_hw_reset();
    vga_cursor_left(&w, 3);
    assert_cursor_log(BOTTOM * VGA_COLS + 2); // 1922 = 0x782
}

static void next_byte_overwrites_at_the_new_column(void **state)
{
    (void)state;
    write_str("hello");
    vga_cursor_left(&w, 4);
    write_str("E");
    assert_bottom("hEllo");
    assert_int_equal(vga_column(&w), 2);
}

static void cursor_left_stops_at_column_0(void **state)
{
    (void)state;
    write_str("abc");
    vga_cursor_left(&w, 10);
    assert_int_equal(vga_column(&w), 0);
    vga_cursor_left(&w, 1);
    assert_int_equal(vga_column(&w), 0);
    vga_cursor_left(&w, 0);
    assert_int_equal(vga_column(&w), 0);
    assert_bottom("abc");
}

static void cursor_left_from_a_full_row_reaches_column_79(void **state)
{
    (void)state;
    char row[VGA_COLS];
    memset(row, 'x', sizeof(row));
    vga_write(&w, row, sizeof(row));
    assert_int_equal(vga_column(&w), VGA_COLS);
    vga_cursor_left(&w, 1);
    assert_int_equal(vga_column(&w), VGA_COLS - 1);
    write_str("y"); // back at a full row, on the same line
    assert_int_equal(vga_cell(&w, BOTTOM, VGA_COLS - 1), VGA_CELL('y', GRAY));
    assert_int_equal(vga_cell(&w, BOTTOM - 1, 0), VGA_CELL(' ', GRAY)); // nothing scrolled
}

static void erase_blanks_from_the_column_to_the_end_in_the_current_colour(void **state)
{
    (void)state;
    write_str("hello world");
    vga_cursor_left(&w, 6);
    vga_set_color(&w, VGA_WHITE, VGA_BLUE);
    vga_erase_to_eol(&w);
    assert_bottom("hello");
    assert_int_equal(vga_cell(&w, BOTTOM, 4), VGA_CELL('o', GRAY));
    assert_int_equal(vga_cell(&w, BOTTOM, 5), VGA_CELL(' ', VGA_ATTR(VGA_WHITE, VGA_BLUE)));
    assert_int_equal(vga_cell(&w, BOTTOM, VGA_COLS - 1),
                     VGA_CELL(' ', VGA_ATTR(VGA_WHITE, VGA_BLUE)));
    assert_int_equal(vga_column(&w), 5);
}

static void erase_moves_no_cursor_and_leaves_other_rows(void **state)
{
    (void)state;
    write_str("above\nbelow");
    vga_cursor_left(&w, 5);
    mock_hw_reset();
    vga_erase_to_eol(&w);
    assert_int_equal(mock_io_count(), 0);
    assert_bottom("");
    char above[VGA_COLS + 1];
    vga_row_text(&w, BOTTOM - 1, above, sizeof(above));
    assert_string_equal(above, "above");
}

static void erase_on_a_full_row_changes_nothing(void **state)
{
    (void)state;
    char row[VGA_COLS];
    memset(row, 'x', sizeof(row));
    vga_write(&w, row, sizeof(row));
    vga_erase_to_eol(&w);
    assert_int_equal(vga_cell(&w, BOTTOM, VGA_COLS - 1), VGA_CELL('x', GRAY));
    assert_int_equal(vga_column(&w), VGA_COLS);
}

// The editor's redraw after deleting the 'l' under the cursor of "hello|" moved to "hel|lo":
// text "lo" from there, erase the stale end, move back over "lo".
static void a_delete_in_the_middle_redraws_in_place(void **state)
{
    (void)state;
    write_str("> hello");
    vga_cursor_left(&w, 3);
    write_str("lo");
    vga_erase_to_eol(&w);
    vga_cursor_left(&w, 2);
    assert_bottom("> helo");
    assert_int_equal(vga_column(&w), 4);
}

static void bad_writers_panic(void **state)
{
    (void)state;
    expect_assert_failure(vga_cursor_left(NULL, 1));
    expect_assert_failure(vga_erase_to_eol(NULL));
    struct vga_writer none = {0};
    expect_assert_failure(vga_cursor_left(&none, 1));
    expect_assert_failure(vga_erase_to_eol(&none));
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(cursor_left_keeps_every_cell),
        T(cursor_left_moves_the_hardware_cursor_with_exact_ports),
        T(next_byte_overwrites_at_the_new_column),
        T(cursor_left_stops_at_column_0),
        T(cursor_left_from_a_full_row_reaches_column_79),
        T(erase_blanks_from_the_column_to_the_end_in_the_current_colour),
        T(erase_moves_no_cursor_and_leaves_other_rows),
        T(erase_on_a_full_row_changes_nothing),
        T(a_delete_in_the_middle_redraws_in_place),
        T(bad_writers_panic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
