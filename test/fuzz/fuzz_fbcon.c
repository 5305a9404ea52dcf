// libFuzzer target for core/fbcon. The input's first six bytes pick a framebuffer: a pixel layout
// from LAYOUTS, 1-12 columns, 1-6 rows, 0-7 pixels of right margin, 0-15 of bottom margin and
// 0-15 bytes of padding a row; the buffer is exactly pitch * height bytes (AddressSanitizer
// catches a write past it) filled with a poison that differs from byte to byte. The rest is a
// sequence of operations (write of up to 15 bytes, putc, set_color, put_at, cursor_left,
// erase_to_eol, clear), applied to the console and to a model of core/fbcon.h written here: a
// grid of (byte, attribute) cells with vga_write's byte semantics, the column, the colours, the
// cursor's column and XOR value and the margins' colour. After every operation the whole buffer is
// compared with the model's rendering: each cell's glyph in its colours (the cursor's scanlines
// 13-15 XORed), the margins, and the padding still poisoned. Colours are encoded independently:
// round(level * (2^size - 1) / 255) at each field's position.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fbcon.h"
#include "core/fbcon_font.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "test/fuzz/fuzz_check.h"

#define MAX_COLS 12
#define MAX_ROWS 6

static const struct fbcon_fb LAYOUTS[] = {
    {NULL, 0, 0, 0, 32, {16, 8}, {8, 8}, {0, 8}},     {NULL, 0, 0, 0, 32, {0, 8}, {8, 8}, {16, 8}},
    {NULL, 0, 0, 0, 32, {22, 10}, {12, 10}, {2, 10}}, {NULL, 0, 0, 0, 24, {16, 8}, {8, 8}, {0, 8}},
    {NULL, 0, 0, 0, 24, {0, 8}, {8, 8}, {16, 8}},     {NULL, 0, 0, 0, 16, {11, 5}, {5, 6}, {0, 5}},
    {NULL, 0, 0, 0, 16, {10, 5}, {5, 5}, {0, 5}},     {NULL, 0, 0, 0, 16, {1, 4}, {6, 4}, {12, 3}},
};
#define NLAYOUTS (sizeof(LAYOUTS) / sizeof(LAYOUTS[0]))

static const uint32_t RGB[16] = {
    0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
    0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

static struct model {
    uint8_t ch[MAX_ROWS][MAX_COLS], attr[MAX_ROWS][MAX_COLS];
    unsigned cols, rows, col;
    uint8_t cur_attr;    // the colours of characters written now
    uint8_t cursor_attr; // the colours the cursor was last drawn with
    uint8_t margin_bg;   // the background of the last clear
    uint32_t pal[16];
} m;

static uint32_t encode(const struct fbcon_fb *fb, uint32_t rgb)
{
    const struct fbcon_field f[3] = {fb->red, fb->green, fb->blue};
    uint32_t v = 0;
    for (unsigned i = 0; i < 3; i++) {
        uint64_t level = (rgb >> (16 - 8 * i)) & 0xff, max = (UINT64_C(1) << f[i].size) - 1;
        uint64_t scaled = (level * max * 2 + 255) / 510; // round half up
        v |= (uint32_t)(scaled << f[i].pos);
    }
    return v;
}

static void m_blank(unsigned row, unsigned col)
{
    m.ch[row][col] = ' ';
    m.attr[row][col] = m.cur_attr;
}

static void m_new_line(void)
{
    for (unsigned r = 0; r + 1 < m.rows; r++) {
        memcpy(m.ch[r], m.ch[r + 1], sizeof(m.ch[r]));
        memcpy(m.attr[r], m.attr[r + 1], sizeof(m.attr[r]));
    }
    for (unsigned c = 0; c < m.cols; c++)
        m_blank(m.rows - 1, c);
    m.col = 0;
}

static void m_glyph(uint8_t ch)
{
    if (m.col == m.cols)
        m_new_line();
    m.ch[m.rows - 1][m.col] = ch;
    m.attr[m.rows - 1][m.col] = m.cur_attr;
    m.col++;
}

static void m_byte(uint8_t b)
{
    if (b == '\n') {
        m_new_line();
    } else if (b == '\r') {
        m.col = 0;
    } else if (b == '\b') {
        if (m.col > 0)
            m_blank(m.rows - 1, --m.col);
    } else if (b == '\t') {
        do
            m_glyph(' ');
        while (m.col % 8 != 0 && m.col < m.cols);
    } else {
        m_glyph(b >= 0x20 && b <= 0x7e ? b : 0xfe);
    }
}

static void m_clear(void)
{
    for (unsigned r = 0; r < m.rows; r++)
        for (unsigned c = 0; c < m.cols; c++)
            m_blank(r, c);
    m.margin_bg = m.cur_attr >> 4;
    m.col = 0;
}

static uint32_t pixel(const uint8_t *mem, const struct fbcon_fb *fb, unsigned x, unsigned y)
{
    const uint8_t *p = mem + (size_t)y * fb->pitch + (size_t)x * (fb->bpp / 8u);
    uint32_t v = 0;
    for (unsigned i = 0; i < fb->bpp / 8u; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

static uint8_t poison(size_t i)
{
    return (uint8_t)(0xa7 ^ (i * 29) ^ (i >> 7));
}

static void compare(const uint8_t *mem, const struct fbcon_fb *fb, const struct fbcon *c)
{
    CHECK(fbcon_column(c) == m.col, "column %u, model %u", fbcon_column(c), m.col);
    unsigned cursor_col = m.col < m.cols ? m.col : m.cols - 1;
    uint32_t cursor_xor = m.pal[m.cursor_attr & 15] ^ m.pal[m.cursor_attr >> 4];
    for (unsigned y = 0; y < fb->height; y++) {
        for (unsigned x = 0; x < fb->width; x++) {
            unsigned row = y / 16, col = x / 8;
            uint32_t want = m.pal[m.margin_bg];
            if (row < m.rows && col < m.cols) {
                uint8_t a = m.attr[row][col];
                bool set = fbcon_font[m.ch[row][col]][y % 16] & (0x80u >> (x % 8));
                want = m.pal[set ? a & 15 : a >> 4];
                if (row == m.rows - 1 && col == cursor_col && y % 16 >= 13)
                    want ^= cursor_xor;
            }
            uint32_t got = pixel(mem, fb, x, y);
            CHECK(got == want, "pixel (%u, %u) is 0x%x, the model's 0x%x", x, y, (unsigned)got,
                  (unsigned)want);
        }
        for (size_t i = (size_t)fb->width * (fb->bpp / 8u); i < fb->pitch; i++) {
            size_t at = (size_t)y * fb->pitch + i;
            CHECK(mem[at] == poison(at), "padding byte %zu of row %u written", i, y);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = {data, size};
    struct fbcon_fb fb = LAYOUTS[byte(&in) % NLAYOUTS];
    unsigned cols = 1 + byte(&in) % MAX_COLS, rows = 1 + byte(&in) % MAX_ROWS;
    fb.width = cols * 8 + byte(&in) % 8;
    fb.height = rows * 16 + byte(&in) % 16;
    fb.pitch = fb.width * (fb.bpp / 8u) + byte(&in) % 16;
    size_t bytes = (size_t)fb.pitch * fb.height;
    uint8_t *mem = malloc(bytes);
    for (size_t i = 0; i < bytes; i++)
        mem[i] = poison(i);
    fb.base = mem;

    memset(&m, 0, sizeof(m));
    m.cols = cols;
    m.rows = rows;
    for (unsigned i = 0; i < 16; i++)
        m.pal[i] = encode(&fb, RGB[i]);
    m.cur_attr = m.cursor_attr = 0x07;
    m_clear();

    struct fbcon c;
    CHECK(fbcon_init(&c, &fb) == E_OK, "init of a valid framebuffer failed");
    compare(mem, &fb, &c);
    while (in.n > 0) {
        uint8_t op = byte(&in), arg = byte(&in);
        switch (op % 7) {
        case 0: {
            char buf[15];
            unsigned n = arg % 16;
            for (unsigned i = 0; i < n; i++)
                buf[i] = (char)byte(&in);
            fbcon_write(&c, buf, n);
            for (unsigned i = 0; i < n; i++)
                m_byte((uint8_t)buf[i]);
            break;
        }
        case 1:
            fbcon_putc(&c, (char)arg);
            m_byte(arg);
            break;
        case 2:
            fbcon_set_color(&c, (enum vga_color)(arg & 15), (enum vga_color)(arg >> 4));
            m.cur_attr = arg;
            break;
        case 3: {
            unsigned row = arg % rows, col = byte(&in) % cols;
            uint8_t ch = byte(&in);
            fbcon_put_at(&c, row, col, ch);
            m.ch[row][col] = ch;
            m.attr[row][col] = m.cur_attr;
            break;
        }
        case 4:
            fbcon_cursor_left(&c, arg % 16);
            m.col = arg % 16 < m.col ? m.col - arg % 16 : 0;
            break;
        case 5:
            fbcon_erase_to_eol(&c);
            for (unsigned col = m.col; col < m.cols; col++)
                m_blank(m.rows - 1, col);
            break;
        default:
            fbcon_clear(&c);
            m_clear();
            break;
        }
        if (op % 7 != 2)
            m.cursor_attr = m.cur_attr;
        compare(mem, &fb, &c);
    }
    free(mem);
    return 0;
}
