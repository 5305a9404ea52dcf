/*
 * The VGA text console: lines, scrolling, read-back, 0xfe for non-printable bytes and colours,
 * checked inside the kernel and, through QMP reads of the screen memory, by the host runner.
 *
 * qemu-scenario
 * screen println_simple: row 23 = "println_simple output"
 * screen println_many: row 23 = "println_many line 199"
 * screen println_many: row 0 = "println_many line 176"
 * screen println_many: row 24 = ""
 * screen println_output: row 23 = "Some test string that fits on a single line"
 * screen wraps_at_80_columns: row 23 = "01234567890123456789012345678901234567890123456789012345678901234567890123456789"
 * screen wraps_at_80_columns: row 24 = "0123456789"
 * screen nonprintable: cell 24 0 = 0xfe 0x07
 * screen nonprintable: cell 24 1 = 0xfe 0x07
 * screen nonprintable: cell 24 2 = 0xfe 0x07
 * screen nonprintable: cell 24 3 = 'A' 0x07
 * screen colors: cell 24 0 = 'Y' 0x1e
 * screen colors: cell 24 1 = 'R' 0x4f
 * screen colors: cell 24 2 = 'g' 0x07
 */
#include "core/vga.h"
#include "core/fmt.h"
#include "core/string.h"
#include "kernel/console.h"
#include "test/qemu/ktest/ktest.h"

static const char *row_text(unsigned row)
{
    static char buf[VGA_COLS + 1];
    vga_row_text(console_vga(), row, buf, sizeof(buf));
    return buf;
}

KTEST(println_simple)
{
    kprintf("println_simple output\n");
    KT_ASSERT_STR_EQ(row_text(23), "println_simple output");
    KT_ASSERT(ktest_host_check_screen("println_simple"));
}

// 200 lines scroll the screen many times over; the last 24 remain, in order.
KTEST(println_many)
{
    for (int i = 0; i < 200; i++)
        kprintf("println_many line %d\n", i);
    char want[VGA_COLS + 1];
    for (unsigned row = 0; row < VGA_ROWS - 1; row++) {
        fmt_snprintf(want, sizeof(want), "println_many line %u", 176 + row);
        KT_ASSERT_STR_EQ(row_text(row), want);
    }
    KT_ASSERT_STR_EQ(row_text(24), "");
    KT_ASSERT(ktest_host_check_screen("println_many"));
}

// The last printed row reads back character for character, in the default colour.
KTEST(println_output)
{
    const char *s = "Some test string that fits on a single line";
    kprintf("%s\n", s);
    for (size_t i = 0; i < strlen(s); i++) {
        uint16_t cell = vga_cell(console_vga(), VGA_ROWS - 2, (unsigned)i);
        KT_ASSERT_EQ(cell & 0xff, (unsigned char)s[i]);
        KT_ASSERT_EQ(cell >> 8, 0x07);
    }
    KT_ASSERT(ktest_host_check_screen("println_output"));
}

// 90 characters: the first 80 fill a row, the last 10 wrap onto the next.
KTEST(wraps_at_80_columns)
{
    for (int i = 0; i < 90; i++)
        kprintf("%d", i % 10);
    KT_ASSERT_EQ(strlen(row_text(23)), 80);
    KT_ASSERT_STR_EQ(row_text(24), "0123456789");
    KT_ASSERT(ktest_host_check_screen("wraps_at_80_columns"));
    kprintf("\n");
}

KTEST(nonprintable)
{
    kprintf("\n\x01\x7f\xff"
            "A");
    for (unsigned col = 0; col < 3; col++)
        KT_ASSERT_EQ(vga_cell(console_vga(), 24, col), 0x07fe);
    KT_ASSERT(ktest_host_check_screen("nonprintable"));
    kprintf("\n");
}

KTEST(colors)
{
    console_set_color(VGA_YELLOW, VGA_BLUE);
    kprintf("Y");
    console_set_color(VGA_WHITE, VGA_RED);
    kprintf("R");
    console_set_color(VGA_LIGHT_GRAY, VGA_BLACK);
    kprintf("g");
    KT_ASSERT_EQ(vga_cell(console_vga(), 24, 0), 0x1e00 | 'Y');
    KT_ASSERT_EQ(vga_cell(console_vga(), 24, 1), 0x4f00 | 'R');
    KT_ASSERT_EQ(vga_cell(console_vga(), 24, 2), 0x0700 | 'g');
    KT_ASSERT(ktest_host_check_screen("colors"));
    kprintf("\n");
}
