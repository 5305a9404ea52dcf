// Tests for core/vga.c's cell access beside the writer: vga_put_at puts one cell without moving
// the writer or the cursor, vga_column reports where the next byte goes; both check arguments.
#include "test/unit/vga_test.h"

static void put_at_writes_one_cell_in_the_current_colour(void **state)
{
    (void)state;
    vga_set_color(&w, VGA_YELLOW, VGA_BLUE);
    vga_put_at(&w, 0, VGA_COLS - 1, '*');
    assert_int_equal(vga_cell(&w, 0, VGA_COLS - 1), VGA_CELL('*', VGA_ATTR(VGA_YELLOW, VGA_BLUE)));
    assert_int_equal(vga_cell(&w, 0, VGA_COLS - 2), VGA_CELL(' ', GRAY));
    assert_int_equal(vga_cell(&w, 1, 0), VGA_CELL(' ', GRAY));
}

static void put_at_moves_neither_the_column_nor_the_cursor(void **state)
{
    (void)state;
    vga_write(&w, "ab", 2);
    mock_hw_reset();
    vga_put_at(&w, BOTTOM, 10, 'x');
    assert_int_equal(vga_column(&w), 2);
    assert_int_equal(mock_io_count(), 0); // no CRTC cursor write
    vga_write(&w, "c", 1);                // the writer goes on at column 2
    assert_int_equal(vga_cell(&w, BOTTOM, 2), VGA_CELL('c', GRAY));
    assert_int_equal(vga_cell(&w, BOTTOM, 10), VGA_CELL('x', GRAY));
}

static void put_at_shows_any_byte_as_it_is(void **state)
{
    (void)state;
    vga_put_at(&w, 3, 0, 0x00);
    vga_put_at(&w, 3, 1, 0xfe);
    assert_int_equal(vga_cell(&w, 3, 0), VGA_CELL(0x00, GRAY));
    assert_int_equal(vga_cell(&w, 3, 1), VGA_CELL(0xfe, GRAY));
}

static void put_at_every_corner_is_in_range(void **state)
{
    (void)state;
    vga_put_at(&w, 0, 0, 'a');
    vga_put_at(&w, BOTTOM, VGA_COLS - 1, 'b');
    assert_int_equal(vga_cell(&w, 0, 0), VGA_CELL('a', GRAY));
    assert_int_equal(vga_cell(&w, BOTTOM, VGA_COLS - 1), VGA_CELL('b', GRAY));
}

static void put_at_out_of_range_or_without_cells_panics(void **state)
{
    (void)state;
    expect_assert_failure(vga_put_at(&w, VGA_ROWS, 0, 'x'));
    expect_assert_failure(vga_put_at(&w, 0, VGA_COLS, 'x'));
    expect_assert_failure(vga_put_at(NULL, 0, 0, 'x'));
    struct vga_writer none = {0};
    expect_assert_failure(vga_put_at(&none, 0, 0, 'x'));
}

static void column_follows_the_writer(void **state)
{
    (void)state;
    assert_int_equal(vga_column(&w), 0);
    vga_write(&w, "hello", 5);
    assert_int_equal(vga_column(&w), 5);
    vga_write(&w, "\n", 1);
    assert_int_equal(vga_column(&w), 0);
    char row[VGA_COLS];
    memset(row, 'x', sizeof(row));
    vga_write(&w, row, sizeof(row));
    assert_int_equal(vga_column(&w), VGA_COLS); // full: the next byte wraps first
}

static void column_of_null_writer_panics(void **state)
{
    (void)state;
    expect_assert_failure(vga_column(NULL));
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(put_at_writes_one_cell_in_the_current_colour),
        T(put_at_moves_neither_the_column_nor_the_cursor),
        T(put_at_shows_any_byte_as_it_is),
        T(put_at_every_corner_is_in_range),
        T(put_at_out_of_range_or_without_cells_panics),
        T(column_follows_the_writer),
        T(column_of_null_writer_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
