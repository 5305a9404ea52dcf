// The shared fixture of core/vga's tests (test_vga*.c): a writer over a plain array of cells.
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/vga.h"
#include "platform/host/mock_hw.h"

#define CELLS  (VGA_ROWS * VGA_COLS)
#define BOTTOM (VGA_ROWS - 1)
#define GRAY   VGA_ATTR(VGA_LIGHT_GRAY, VGA_BLACK)

static uint16_t cells[CELLS];
static struct vga_writer w;

// A fresh writer over garbage-filled cells, with an empty port log.
static inline int setup(void **state)
{
    (void)state;
    mock_hw_reset();
    for (size_t i = 0; i < CELLS; i++)
        cells[i] = 0xdead;
    vga_init(&w, cells);
    mock_hw_reset();
    return 0;
}

static inline void write_str(const char *s)
{
    vga_write(&w, s, strlen(s));
}

// The four CRTC writes that place the cursor at cell index pos, and nothing else, in the log.
static inline void assert_cursor_log(uint16_t pos)
{
    const struct mock_io want[] = {
        {'w', 1, 0x3d4, 0x0f},
        {'w', 1, 0x3d5, pos & 0xff},
        {'w', 1, 0x3d4, 0x0e},
        {'w', 1, 0x3d5, pos >> 8},
    };
    mock_io_assert_log(want, 4);
}
