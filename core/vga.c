// 80x25 VGA text-mode writer: bottom-row output, scrolling, control bytes and the hardware cursor.
#include "core/vga.h"
#include "core/hw.h"
#include "core/panic.h"

#include <stdbool.h>

// CRT controller: write a register index to the index port, then its value to the data port
// (OSDev "Text Mode Cursor"; VGA CRTC registers, colour I/O address 0x3d4/0x3d5).
#define CRTC_INDEX 0x3d4
#define CRTC_DATA  0x3d5
// 0x0a Cursor Start: bits 0-4 first scanline of the cursor, bit 5 cursor disable, 6-7 reserved.
#define CRTC_CURSOR_START 0x0a
// 0x0b Cursor End: bits 0-4 last scanline of the cursor, bits 5-6 cursor skew.
#define CRTC_CURSOR_END 0x0b
// 0x0e / 0x0f Cursor Location High / Low: the cell index (row * 80 + col) of the cursor.
#define CRTC_CURSOR_HIGH 0x0e
#define CRTC_CURSOR_LOW  0x0f

// An underline cursor in the 16-scanline (9x16) font of mode 3.
#define CURSOR_FIRST_SCANLINE 13
#define CURSOR_LAST_SCANLINE  15

#define DEFAULT_ATTR VGA_ATTR(VGA_LIGHT_GRAY, VGA_BLACK)
#define BOTTOM_ROW   (VGA_ROWS - 1)
#define TAB_WIDTH    8

// Expands in the public function itself so that the panic names that function.
#define CHECK_WRITER(w)                                                                            \
    do {                                                                                           \
        KASSERT((w) != NULL);                                                                      \
        KASSERT((w)->cells != NULL);                                                               \
        KASSERT((w)->col <= VGA_COLS);                                                             \
    } while (0)

static void crtc_write(uint8_t reg, uint8_t value)
{
    hw_outb(CRTC_INDEX, reg);
    hw_outb(CRTC_DATA, value);
}

static void cursor_enable(void)
{
    // Cursor Start 0x0a: bit 5 clear = cursor shown, bits 0-4 = first scanline; reserved
    // bits 6-7 written 0.
    crtc_write(CRTC_CURSOR_START, CURSOR_FIRST_SCANLINE);
    // Cursor End 0x0b: bits 0-4 = last scanline, skew (bits 5-6) 0.
    crtc_write(CRTC_CURSOR_END, CURSOR_LAST_SCANLINE);
}

// Places the cursor on the cell after the last character of the bottom row, or on its last cell
// when the row is full (cell index 2000 would be off screen).
static void cursor_place(const struct vga_writer *w)
{
    unsigned col = w->col < VGA_COLS ? w->col : VGA_COLS - 1;
    uint16_t pos = (uint16_t)(BOTTOM_ROW * VGA_COLS + col);
    // Cursor Location Low 0x0f then High 0x0e: the 16-bit cell index, low byte first.
    crtc_write(CRTC_CURSOR_LOW, (uint8_t)(pos & 0xff));
    crtc_write(CRTC_CURSOR_HIGH, (uint8_t)(pos >> 8));
}

static void blank_row(struct vga_writer *w, unsigned row)
{
    uint16_t blank = VGA_CELL(' ', w->attr);
    for (unsigned col = 0; col < VGA_COLS; col++)
        w->cells[row * VGA_COLS + col] = blank;
}

static void new_line(struct vga_writer *w)
{
    // Element by element: the cells are volatile (MMIO), so no memmove.
    for (unsigned i = 0; i < BOTTOM_ROW * VGA_COLS; i++)
        w->cells[i] = w->cells[i + VGA_COLS];
    blank_row(w, BOTTOM_ROW);
    w->col = 0;
}

static void put_glyph(struct vga_writer *w, uint8_t glyph)
{
    if (w->col >= VGA_COLS)
        new_line(w);
    w->cells[BOTTOM_ROW * VGA_COLS + w->col] = VGA_CELL(glyph, w->attr);
    w->col++;
}

static bool printable(uint8_t b)
{
    return b >= 0x20 && b <= 0x7e;
}

static void put_byte(struct vga_writer *w, uint8_t b)
{
    switch (b) {
    case '\n': new_line(w); break;
    case '\r': w->col = 0; break;
    case '\b':
        if (w->col > 0) {
            w->col--;
            w->cells[BOTTOM_ROW * VGA_COLS + w->col] = VGA_CELL(' ', w->attr);
        }
        break;
    case '\t':
        do
            put_glyph(w, ' ');
        while (w->col % TAB_WIDTH != 0);
        break;
    default: put_glyph(w, printable(b) ? b : VGA_SUBSTITUTE); break;
    }
}

void vga_init(struct vga_writer *w, volatile uint16_t *cells)
{
    KASSERT(w != NULL);
    KASSERT(cells != NULL);
    w->cells = cells;
    w->col = 0;
    w->attr = DEFAULT_ATTR;
    cursor_enable();
    vga_clear(w);
}

void vga_set_color(struct vga_writer *w, enum vga_color fg, enum vga_color bg)
{
    KASSERT(w != NULL);
    KASSERT((unsigned)fg <= VGA_WHITE);
    KASSERT((unsigned)bg <= VGA_WHITE);
    w->attr = VGA_ATTR(fg, bg);
}

void vga_write(struct vga_writer *w, const char *s, size_t len)
{
    CHECK_WRITER(w);
    KASSERT(s != NULL || len == 0);
    for (size_t i = 0; i < len; i++)
        put_byte(w, (uint8_t)s[i]);
    cursor_place(w);
}

void vga_putc(struct vga_writer *w, char c)
{
    CHECK_WRITER(w);
    put_byte(w, (uint8_t)c);
    cursor_place(w);
}

void vga_clear(struct vga_writer *w)
{
    CHECK_WRITER(w);
    for (unsigned row = 0; row < VGA_ROWS; row++)
        blank_row(w, row);
    w->col = 0;
    cursor_place(w);
}

uint16_t vga_cell(const struct vga_writer *w, unsigned row, unsigned col)
{
    CHECK_WRITER(w);
    KASSERT(row < VGA_ROWS);
    KASSERT(col < VGA_COLS);
    return w->cells[row * VGA_COLS + col];
}

void vga_put_at(struct vga_writer *w, unsigned row, unsigned col, uint8_t c)
{
    CHECK_WRITER(w);
    KASSERT(row < VGA_ROWS);
    KASSERT(col < VGA_COLS);
    w->cells[row * VGA_COLS + col] = VGA_CELL(c, w->attr);
}

void vga_cursor_left(struct vga_writer *w, unsigned n)
{
    CHECK_WRITER(w);
    w->col = n < w->col ? w->col - n : 0;
    cursor_place(w);
}

void vga_erase_to_eol(struct vga_writer *w)
{
    CHECK_WRITER(w);
    uint16_t blank = VGA_CELL(' ', w->attr);
    for (unsigned col = w->col; col < VGA_COLS; col++)
        w->cells[BOTTOM_ROW * VGA_COLS + col] = blank;
}

unsigned vga_column(const struct vga_writer *w)
{
    KASSERT(w != NULL);
    return w->col;
}

size_t vga_row_text(const struct vga_writer *w, unsigned row, char *buf, size_t cap)
{
    CHECK_WRITER(w);
    KASSERT(row < VGA_ROWS);
    KASSERT(buf != NULL || cap == 0);
    const volatile uint16_t *line = w->cells + row * VGA_COLS;
    size_t len = VGA_COLS;
    while (len > 0 && (uint8_t)line[len - 1] == ' ')
        len--;
    if (cap == 0)
        return len;
    size_t n = len < cap - 1 ? len : cap - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(uint8_t)line[i];
    buf[n] = '\0';
    return len;
}
