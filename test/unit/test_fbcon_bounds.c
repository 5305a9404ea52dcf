// core/fbcon.c's answers to framebuffers it cannot draw on (each error of fbcon_init, with c and
// the buffer left untouched), the smallest framebuffers (exactly one cell, one pixel short),
// sizes whose products overflow 32 bits or run off the end of the address space, and the panics
// of caller bugs.
#include "test/unit/fbcon_test.h"

// A descriptor of a w x h XRGB8888 framebuffer at a made-up address (fbcon_check writes nothing).
static struct fbcon_fb desc(uint32_t w, uint32_t h)
{
    return (struct fbcon_fb){(void *)(uintptr_t)0x10000000,
                             w,
                             h,
                             w * 4,
                             32,
                             XRGB8888.red,
                             XRGB8888.green,
                             XRGB8888.blue};
}

static void usual_layouts_are_accepted(void **state)
{
    const struct layout *layouts[] = {&XRGB8888, &XBGR8888, &RGBX8888, &XRGB2101010, &RGB888,
                                      &BGR888,   &RGB565,   &BGR565,   &XRGB1555,    &ODD16};
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        const struct layout *l = layouts[i];
        struct fbcon_fb fb = {(void *)(uintptr_t)0x10000000,
                              1024,
                              768,
                              1024 * (l->bpp / 8u),
                              l->bpp,
                              l->red,
                              l->green,
                              l->blue};
        assert_int_equal(fbcon_check(&fb), E_OK);
    }
}

static void null_base_is_invalid(void **state)
{
    struct fbcon_fb fb = desc(640, 480);
    fb.base = NULL;
    assert_int_equal(fbcon_check(&fb), E_INVAL);
}

static void depths_other_than_16_24_32_are_invalid(void **state)
{
    const uint8_t bad[] = {0, 1, 4, 8, 15, 17, 23, 25, 31, 33, 64, 255};
    for (size_t i = 0; i < sizeof(bad); i++) {
        struct fbcon_fb fb = desc(640, 480);
        fb.bpp = bad[i];
        fb.red = (struct fbcon_field){0, 1}; // fields that fit any depth but 0
        fb.green = (struct fbcon_field){1, 1};
        fb.blue = (struct fbcon_field){2, 1};
        assert_int_equal(fbcon_check(&fb), E_INVAL);
    }
}

static void empty_fields_are_malformed(void **state)
{
    struct fbcon_fb fb = desc(640, 480);
    fb.red.size = 0;
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb = desc(640, 480);
    fb.green.size = 0;
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb = desc(640, 480);
    fb.blue.size = 0;
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
}

// A field may end at the pixel's last bit, not one past it; 8-bit sums must not wrap.
static void fields_past_the_pixel_are_malformed(void **state)
{
    struct fbcon_fb fb = desc(640, 480);
    fb.red = (struct fbcon_field){24, 8};
    assert_int_equal(fbcon_check(&fb), E_OK);
    fb.red = (struct fbcon_field){25, 8};
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb.red = (struct fbcon_field){24, 9};
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb.red = (struct fbcon_field){255, 2}; // 257: wraps to 1 in 8 bits
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb = desc(640, 480);
    fb.bpp = 16;
    fb.pitch = 640 * 2;
    fb.red = (struct fbcon_field){11, 5};
    fb.green = (struct fbcon_field){5, 6};
    fb.blue = (struct fbcon_field){0, 5};
    assert_int_equal(fbcon_check(&fb), E_OK);
    fb.blue = (struct fbcon_field){16, 1};
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb.blue = (struct fbcon_field){0, 5};
    fb.green = (struct fbcon_field){5, 7};
    assert_int_equal(fbcon_check(&fb), E_FORMAT); // overlaps red too
    fb = desc(640, 480);
    fb.blue = (struct fbcon_field){0, 32}; // covers the pixel, so the others overlap it
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
}

// Overlap by a single bit, each pair; touching fields are fine.
static void overlapping_fields_are_malformed(void **state)
{
    struct fbcon_fb fb = desc(640, 480);
    fb.green = (struct fbcon_field){8, 9}; // bit 16 is red's
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb = desc(640, 480);
    fb.blue = (struct fbcon_field){0, 9}; // bit 8 is green's
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb = desc(640, 480);
    fb.blue = (struct fbcon_field){23, 1}; // inside red
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb = desc(640, 480);
    fb.red = fb.blue; // the same field twice
    assert_int_equal(fbcon_check(&fb), E_FORMAT);
    fb = desc(640, 480);
    fb.red = (struct fbcon_field){16, 16}; // up to the last bit, touching green
    assert_int_equal(fbcon_check(&fb), E_OK);
}

static void smaller_than_a_cell_is_out_of_range(void **state)
{
    struct fbcon_fb fb = desc(7, 16);
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb = desc(8, 15);
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb = desc(0, 0);
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb = desc(8, 16);
    assert_int_equal(fbcon_check(&fb), E_OK);
}

static void pitch_below_the_row_is_out_of_range(void **state)
{
    struct fbcon_fb fb = desc(640, 480);
    fb.pitch = 640 * 4 - 1;
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb.pitch = 0;
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb.bpp = 24;
    fb.pitch = 640 * 3 - 1;
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb.pitch = 640 * 3;
    assert_int_equal(fbcon_check(&fb), E_OK);
}

// width * bytes per pixel computed in 32 bits would wrap to a small number that a small pitch
// passes.
static void row_sizes_past_32_bits_are_out_of_range(void **state)
{
    struct fbcon_fb fb = desc(0x40000000, 16); // 4 GiB a row: 0 in 32 bits
    fb.pitch = 0;
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb.pitch = UINT32_MAX;
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb = desc(0x55555556, 16); // 24 bpp: 0x100000002 bytes, 2 in 32 bits
    fb.bpp = 24;
    fb.pitch = 2;
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb = desc(UINT32_MAX, UINT32_MAX);
    fb.pitch = UINT32_MAX;
    assert_int_equal(fbcon_check(&fb), E_RANGE);
}

// pitch * height bytes from base must fit below the end of the address space: exactly up to its
// last byte is fine, one byte more is not.
static void framebuffers_past_the_address_space_are_out_of_range(void **state)
{
    struct fbcon_fb fb = desc(8, 16); // 32 * 16 = 512 bytes
    fb.base = (void *)(UINTPTR_MAX - 512);
    assert_int_equal(fbcon_check(&fb), E_OK);
    fb.base = (void *)(UINTPTR_MAX - 511);
    assert_int_equal(fbcon_check(&fb), E_RANGE);
    fb.base = (void *)UINTPTR_MAX;
    assert_int_equal(fbcon_check(&fb), E_RANGE);
}

// 64 KiB rows, 64 Ki of them: 4 GiB, 0 in 32 bits. It fits a 64-bit address space, not a 32-bit
// one.
static void a_4_gib_framebuffer_fits_only_64_bit_addresses(void **state)
{
    struct fbcon_fb fb = desc(0x4000, 0x10000);
    fb.base = (void *)(uintptr_t)0x1000;
    assert_int_equal(fbcon_check(&fb), sizeof(uintptr_t) > 4 ? E_OK : E_RANGE);
    fb = desc(0x40000000 - 1, UINT32_MAX); // ~16 EiB
    fb.pitch = UINT32_MAX;
    fb.base = (void *)(uintptr_t)0x100000;
    assert_int_equal(fbcon_check(&fb), sizeof(uintptr_t) > 4 ? E_OK : E_RANGE);
    fb.base = (void *)(UINTPTR_MAX / 2);
    assert_int_equal(fbcon_check(&fb), E_RANGE);
}

// A refused framebuffer is not written, nor is the console.
static void init_errors_leave_the_console_and_the_buffer_alone(void **state)
{
    static const struct fbcon zero;
    const struct {
        uint32_t w, h, pitch;
        uint8_t bpp;
        int err;
    } cases[] = {
        {7, 16, 28, 32, E_RANGE}, {8, 15, 32, 32, E_RANGE},   {8, 16, 31, 32, E_RANGE},
        {8, 16, 32, 8, E_INVAL},  {16, 16, 64, 16, E_FORMAT}, // XRGB8888's fields in 16 bits
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        screen_alloc(cases[i].w, cases[i].h, cases[i].pitch, &XRGB8888);
        scr.fb.bpp = cases[i].bpp;
        assert_int_equal(fbcon_init(&scr.con, &scr.fb), cases[i].err);
        assert_memory_equal(&scr.con, &zero, sizeof(zero));
        for (size_t b = 0; b < (size_t)cases[i].pitch * cases[i].h; b++)
            assert_int_equal(scr.mem[b], poison_at(b));
        screen_close(NULL);
    }
    struct fbcon c = zero;
    struct fbcon_fb fb = desc(640, 480);
    fb.base = NULL;
    assert_int_equal(fbcon_init(&c, &fb), E_INVAL);
    assert_memory_equal(&c, &zero, sizeof(zero));
}

// fbcon_init sets every field it reads: a console full of garbage before works as a fresh one.
static void init_over_garbage_starts_clean(void **state)
{
    static const uint8_t blank[16];
    screen_alloc(2 * 8, 2 * 16, 0, &XRGB8888);
    memset(&scr.con, 0xa5, sizeof(scr.con));
    assert_int_equal(fbcon_init(&scr.con, &scr.fb), E_OK);
    assert_int_equal(fbcon_column(&scr.con), 0);
    for (unsigned row = 0; row < 2; row++)
        for (unsigned col = 0; col < 2; col++)
            assert_cell_bits(row, col, blank, PX_GRAY, PX_BLACK,
                             row == 1 && col == 0 ? PX_GRAY : 0);
    fbcon_write(&scr.con, "\b\n", 2);
    assert_cell_bits(0, 0, blank, PX_GRAY, PX_BLACK, 0);
    screen_close(NULL);
}

// One cell: the only row is the bottom row, a second character wraps it away, the cursor lives
// under the one cell.
static void exactly_one_cell_works(void **state)
{
    static const uint8_t blank[16];
    screen_open(8, 16, 0, &XRGB8888);
    assert_int_equal(scr.con.cols, 1);
    assert_int_equal(scr.con.rows, 1);
    assert_cell_bits(0, 0, blank, PX_GRAY, PX_BLACK, PX_GRAY);
    fbcon_write(&scr.con, "a", 1);
    assert_cell(0, 0, 'a', PX_GRAY, PX_BLACK, PX_GRAY);
    assert_int_equal(fbcon_column(&scr.con), 1);
    fbcon_write(&scr.con, "b\t", 2);
    assert_cell(0, 0, ' ', PX_GRAY, PX_BLACK, PX_GRAY); // the tab's one space
    fbcon_write(&scr.con, "\nc", 2);
    assert_cell(0, 0, 'c', PX_GRAY, PX_BLACK, PX_GRAY);
    fbcon_cursor_left(&scr.con, 1);
    fbcon_erase_to_eol(&scr.con);
    assert_cell_bits(0, 0, blank, PX_GRAY, PX_BLACK, PX_GRAY);
    screen_close(NULL);
}

// The smallest screen with padding: a 1x1 grid, odd pitch, 24 bpp.
static void one_cell_with_padding_leaves_the_padding(void **state)
{
    screen_open(8, 16, 8 * 3 + 3, &RGB888);
    fbcon_write(&scr.con, "xy\nz\b\t", 7);
    assert_padding_untouched();
    screen_close(NULL);
}

static void init_panics_on_null(void **state)
{
    struct fbcon c;
    struct fbcon_fb fb = desc(640, 480);
    expect_assert_failure(fbcon_init(NULL, &fb));
    assert_non_null(strstr(mock_panic_message(), "fbcon_init"));
    expect_assert_failure(fbcon_init(&c, NULL));
    assert_non_null(strstr(mock_panic_message(), "fbcon_check"));
    expect_assert_failure(fbcon_check(NULL));
}

static void calls_on_null_or_unbound_consoles_panic(void **state)
{
    struct fbcon none = {0};
    expect_assert_failure(fbcon_write(NULL, "x", 1));
    expect_assert_failure(fbcon_write(&none, "x", 1));
    assert_non_null(strstr(mock_panic_message(), "fbcon_write"));
    expect_assert_failure(fbcon_putc(NULL, 'x'));
    expect_assert_failure(fbcon_putc(&none, 'x'));
    assert_non_null(strstr(mock_panic_message(), "fbcon_putc"));
    expect_assert_failure(fbcon_clear(NULL));
    expect_assert_failure(fbcon_clear(&none));
    assert_non_null(strstr(mock_panic_message(), "fbcon_clear"));
    expect_assert_failure(fbcon_put_at(NULL, 0, 0, 'x'));
    expect_assert_failure(fbcon_put_at(&none, 0, 0, 'x'));
    expect_assert_failure(fbcon_cursor_left(NULL, 1));
    expect_assert_failure(fbcon_cursor_left(&none, 1));
    assert_non_null(strstr(mock_panic_message(), "fbcon_cursor_left"));
    expect_assert_failure(fbcon_erase_to_eol(NULL));
    expect_assert_failure(fbcon_erase_to_eol(&none));
    assert_non_null(strstr(mock_panic_message(), "fbcon_erase_to_eol"));
    expect_assert_failure(fbcon_set_color(NULL, VGA_WHITE, VGA_BLACK));
    expect_assert_failure(fbcon_column(NULL));
    assert_non_null(strstr(mock_panic_message(), "fbcon_column"));
}

static void bad_arguments_panic(void **state)
{
    screen_open(2 * 8, 3 * 16, 0, &XRGB8888);
    expect_assert_failure(fbcon_write(&scr.con, NULL, 1));
    fbcon_write(&scr.con, NULL, 0); // nothing to read: fine
    expect_assert_failure(fbcon_set_color(&scr.con, (enum vga_color)16, VGA_BLACK));
    expect_assert_failure(fbcon_set_color(&scr.con, VGA_WHITE, (enum vga_color)16));
    assert_non_null(strstr(mock_panic_message(), "fbcon_set_color"));
    fbcon_set_color(&scr.con, VGA_WHITE, VGA_WHITE); // the last colour is fine
    expect_assert_failure(fbcon_put_at(&scr.con, 3, 0, 'x'));
    expect_assert_failure(fbcon_put_at(&scr.con, 4, 0, 'x'));
    expect_assert_failure(fbcon_put_at(&scr.con, 0, 2, 'x'));
    expect_assert_failure(fbcon_put_at(&scr.con, 0, 3, 'x'));
    assert_non_null(strstr(mock_panic_message(), "fbcon_put_at"));
    fbcon_put_at(&scr.con, 2, 1, 'x'); // the last cell is fine
    scr.con.col = 3;                   // a broken invariant: past the row's end
    expect_assert_failure(fbcon_write(&scr.con, "x", 1));
    scr.con.col = 2; // a full row is fine
    fbcon_write(&scr.con, "x", 1);
    screen_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(usual_layouts_are_accepted),
        cmocka_unit_test(null_base_is_invalid),
        cmocka_unit_test(depths_other_than_16_24_32_are_invalid),
        cmocka_unit_test(empty_fields_are_malformed),
        cmocka_unit_test(fields_past_the_pixel_are_malformed),
        cmocka_unit_test(overlapping_fields_are_malformed),
        cmocka_unit_test(smaller_than_a_cell_is_out_of_range),
        cmocka_unit_test(pitch_below_the_row_is_out_of_range),
        cmocka_unit_test(row_sizes_past_32_bits_are_out_of_range),
        cmocka_unit_test(framebuffers_past_the_address_space_are_out_of_range),
        cmocka_unit_test(a_4_gib_framebuffer_fits_only_64_bit_addresses),
        cmocka_unit_test(init_errors_leave_the_console_and_the_buffer_alone),
        cmocka_unit_test(init_over_garbage_starts_clean),
        cmocka_unit_test(exactly_one_cell_works),
        cmocka_unit_test(one_cell_with_padding_leaves_the_padding),
        cmocka_unit_test(init_panics_on_null),
        cmocka_unit_test(calls_on_null_or_unbound_consoles_panic),
        cmocka_unit_test(bad_arguments_panic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
