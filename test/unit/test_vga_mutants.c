// Tests for core/vga.c that `make mutate` asked for: backspace from column 1, vga_init over a
// writer holding garbage, a white background, every public function's own check of its writer
// (the panic names the function), rows and columns far out of range, and glyphs below the space
// at the end of a row.
#include "test/unit/vga_test.h"

#include <limits.h>

static void backspace_at_column_1_blanks_column_0(void **state)
{
    write_str("a\b");
    assert_int_equal(vga_column(&w), 0);
    assert_int_equal(vga_cell(&w, BOTTOM, 0), VGA_CELL(' ', GRAY));
}

static void init_starts_at_column_0_whatever_the_writer_held(void **state)
{
    struct vga_writer g;
    memset(&g, 0xff, sizeof(g));
    vga_init(&g, cells);
    assert_int_equal(vga_column(&g), 0);
}

static void white_is_a_background_too(void **state)
{
    vga_set_color(&w, VGA_BLACK, VGA_WHITE);
    assert_int_equal(w.attr, VGA_ATTR(VGA_BLACK, VGA_WHITE));
    expect_assert_failure(vga_set_color(NULL, VGA_BLACK, VGA_WHITE));
    assert_non_null(strstr(mock_panic_message(), "vga_set_color"));
}

// Calls each public function that takes a writer on *bad, expecting its own panic.
static void assert_every_call_panics(struct vga_writer *bad)
{
    char buf[4];
    expect_assert_failure(vga_write(bad, "x", 1));
    assert_non_null(strstr(mock_panic_message(), "vga_write"));
    expect_assert_failure(vga_putc(bad, 'x'));
    assert_non_null(strstr(mock_panic_message(), "vga_putc"));
    expect_assert_failure(vga_clear(bad));
    assert_non_null(strstr(mock_panic_message(), "vga_clear"));
    expect_assert_failure(vga_cell(bad, 0, 0));
    assert_non_null(strstr(mock_panic_message(), "vga_cell"));
    expect_assert_failure(vga_put_at(bad, 0, 0, 'x'));
    assert_non_null(strstr(mock_panic_message(), "vga_put_at"));
    expect_assert_failure(vga_row_text(bad, 0, buf, sizeof(buf)));
    assert_non_null(strstr(mock_panic_message(), "vga_row_text"));
}

static void every_function_checks_its_writer(void **state)
{
    assert_every_call_panics(NULL);
    struct vga_writer no_cells = w;
    no_cells.cells = NULL;
    assert_every_call_panics(&no_cells);
    struct vga_writer past_the_row = w;
    past_the_row.col = VGA_COLS + 1;
    assert_every_call_panics(&past_the_row);
}

static void assert_out_of_range(unsigned row, unsigned col)
{
    expect_assert_failure(vga_cell(&w, row, 0));
    expect_assert_failure(vga_cell(&w, 0, col));
    expect_assert_failure(vga_put_at(&w, row, 0, 'x'));
    expect_assert_failure(vga_put_at(&w, 0, col, 'x'));
    expect_assert_failure(vga_row_text(&w, row, NULL, 0));
    assert_non_null(strstr(mock_panic_message(), "vga_row_text"));
}

static void rows_and_columns_far_out_of_range_panic(void **state)
{
    assert_out_of_range(VGA_ROWS + 1, VGA_COLS + 1);
    assert_out_of_range(UINT_MAX, UINT_MAX);
}

static void row_text_into_null_with_a_capacity_panics(void **state)
{
    expect_assert_failure(vga_row_text(&w, BOTTOM, NULL, 1));
    assert_non_null(strstr(mock_panic_message(), "vga_row_text"));
}

// Only spaces are trimmed: a glyph below 0x20 put with vga_put_at is text.
static void glyphs_below_the_space_end_a_row_as_text(void **state)
{
    char buf[VGA_COLS + 1];
    vga_put_at(&w, BOTTOM, VGA_COLS - 1, 0x01);
    assert_int_equal(vga_row_text(&w, BOTTOM, buf, sizeof(buf)), VGA_COLS);
    assert_int_equal(buf[VGA_COLS - 1], 0x01);
    vga_put_at(&w, 0, 3, 0x00);
    assert_int_equal(vga_row_text(&w, 0, NULL, 0), 4);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(backspace_at_column_1_blanks_column_0),
        T(init_starts_at_column_0_whatever_the_writer_held),
        T(white_is_a_background_too),
        T(every_function_checks_its_writer),
        T(rows_and_columns_far_out_of_range_panic),
        T(row_text_into_null_with_a_capacity_panics),
        T(glyphs_below_the_space_end_a_row_as_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
