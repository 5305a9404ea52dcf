// Text console on a linear framebuffer: glyphs drawn in pixels, bottom-row output, scrolling by
// memmove, control bytes and an XOR underline cursor.
#include "core/fbcon.h"
#include "core/err.h"
#include "core/fbcon_font.h"
#include "core/panic.h"
#include "core/string.h"

#define DEFAULT_ATTR VGA_ATTR(VGA_LIGHT_GRAY, VGA_BLACK)
#define TAB_WIDTH    8
// The underline cursor covers the same scanlines of the 16-scanline cell as kernel VGA's
// (core/vga.c's CRTC cursor start 13, end 15).
#define CURSOR_FIRST_SCANLINE 13
#define CURSOR_LAST_SCANLINE  15

// The 16 text-mode colours as 8-bit 0xRRGGBB, the default palette of the VGA DAC (the 6-bit
// levels 0x00, 0x15, 0x2a, 0x3f scaled to 8 bits; brown is dark yellow with its green halved).
static const uint32_t vga_rgb[16] = {
    0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
    0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

// Expands in the public function itself so that the panic names that function.
#define CHECK_CON(c)                                                                               \
    do {                                                                                           \
        KASSERT((c) != NULL);                                                                      \
        KASSERT((c)->base != NULL);                                                                \
        KASSERT((c)->col <= (c)->cols);                                                            \
    } while (0)

static int check_fields(const struct fbcon_fb *fb)
{
    const struct fbcon_field *fields[3] = {&fb->red, &fb->green, &fb->blue};
    uint64_t used = 0;
    for (unsigned i = 0; i < 3; i++) {
        unsigned pos = fields[i]->pos, size = fields[i]->size;
        if (size == 0 || pos + size > fb->bpp)
            return E_FORMAT;
        // pos + size <= 32 here, so the shifts stay inside 64 bits.
        uint64_t mask = ((UINT64_C(1) << size) - 1) << pos;
        if (used & mask)
            return E_FORMAT;
        used |= mask;
    }
    return E_OK;
}

int fbcon_check(const struct fbcon_fb *fb)
{
    KASSERT(fb != NULL);
    if (fb->base == NULL)
        return E_INVAL;
    if (fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
        return E_INVAL;
    int err = check_fields(fb);
    if (err != E_OK)
        return err;
    if (fb->width < FBCON_GLYPH_WIDTH || fb->height < FBCON_GLYPH_HEIGHT)
        return E_RANGE;
    // 64-bit products of 32-bit values cannot overflow.
    if ((uint64_t)fb->width * (fb->bpp / 8u) > fb->pitch)
        return E_RANGE;
    uint64_t size = (uint64_t)fb->pitch * fb->height;
    if (size > UINTPTR_MAX - (uintptr_t)fb->base)
        return E_RANGE;
    return E_OK;
}

// One 8-bit channel level scaled to a field of `size` bits (rounded), in place in the pixel.
static uint32_t channel(uint32_t level, struct fbcon_field f)
{
    uint64_t max = (UINT64_C(1) << f.size) - 1;
    return (uint32_t)(((level * max + 127) / 255) << f.pos);
}

static uint32_t pixel_value(const struct fbcon_fb *fb, uint32_t rgb)
{
    return channel(rgb >> 16, fb->red) | channel((rgb >> 8) & 0xff, fb->green) |
           channel(rgb & 0xff, fb->blue);
}

// Stores a pixel value little-endian in `bytes` bytes. Called with a constant `bytes` from the
// per-depth copies of the loops below, so the compiler merges the byte stores.
static inline void store(uint8_t *p, uint32_t v, unsigned bytes)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    if (bytes >= 3)
        p[2] = (uint8_t)(v >> 16);
    if (bytes == 4)
        p[3] = (uint8_t)(v >> 24);
}

static inline void glyph_rows(uint8_t *line, size_t pitch, const uint8_t *glyph, uint32_t fg,
                              uint32_t bg, unsigned bytes)
{
    for (unsigned y = 0; y < FBCON_GLYPH_HEIGHT; y++, line += pitch) {
        unsigned bits = glyph[y];
        for (unsigned x = 0; x < FBCON_GLYPH_WIDTH; x++)
            store(line + x * bytes, (bits << x) & 0x80 ? fg : bg, bytes);
    }
}

static uint8_t *cell_at(const struct fbcon *c, unsigned row, unsigned col)
{
    return c->base + (size_t)row * FBCON_GLYPH_HEIGHT * c->pitch +
           (size_t)col * FBCON_GLYPH_WIDTH * c->bytes;
}

static void draw_cell(struct fbcon *c, unsigned row, unsigned col, uint8_t ch)
{
    uint8_t *line = cell_at(c, row, col);
    uint32_t fg = c->palette[c->attr & 0x0f], bg = c->palette[c->attr >> 4];
    const uint8_t *glyph = fbcon_font[ch];
    switch (c->bytes) {
    case 4: glyph_rows(line, c->pitch, glyph, fg, bg, 4); break;
    case 3: glyph_rows(line, c->pitch, glyph, fg, bg, 3); break;
    default: glyph_rows(line, c->pitch, glyph, fg, bg, 2); break;
    }
}

// Fills w x h pixels from (x, y) with value v: the first row pixel by pixel, the others copied
// from it.
static void fill_rect(struct fbcon *c, size_t x, size_t y, size_t w, size_t h, uint32_t v)
{
    uint8_t *first = c->base + y * c->pitch + x * c->bytes;
    for (size_t i = 0; i < w; i++)
        store(first + i * c->bytes, v, c->bytes);
    for (size_t i = 1; i < h; i++)
        memcpy(first + i * c->pitch, first, w * c->bytes);
}

// Blanks n cells of text row `row` from column col in the current background colour.
static void blank_cells(struct fbcon *c, unsigned row, unsigned col, unsigned n)
{
    fill_rect(c, (size_t)col * FBCON_GLYPH_WIDTH, (size_t)row * FBCON_GLYPH_HEIGHT,
              (size_t)n * FBCON_GLYPH_WIDTH, FBCON_GLYPH_HEIGHT, c->palette[c->attr >> 4]);
}

static inline void xor_rows(uint8_t *line, size_t pitch, uint32_t v, unsigned bytes)
{
    for (unsigned y = CURSOR_FIRST_SCANLINE; y <= CURSOR_LAST_SCANLINE; y++, line += pitch)
        for (unsigned x = 0; x < FBCON_GLYPH_WIDTH * bytes; x += bytes)
            for (unsigned b = 0; b < bytes; b++)
                line[x + b] ^= (uint8_t)(v >> (8 * b));
}

// XORs the cursor's scanlines of its cell with cursor_xor: drawing and erasing are the same. Between
// calls the cursor is always drawn (from fbcon_init on), so each public function that draws
// erases it first (cursor_flip) and draws it again last (cursor_show).
static void cursor_flip(struct fbcon *c)
{
    uint8_t *line = cell_at(c, c->rows - 1, c->cursor_col) + CURSOR_FIRST_SCANLINE * c->pitch;
    switch (c->bytes) {
    case 4: xor_rows(line, c->pitch, c->cursor_xor, 4); break;
    case 3: xor_rows(line, c->pitch, c->cursor_xor, 3); break;
    default: xor_rows(line, c->pitch, c->cursor_xor, 2); break;
    }
}

// Under the cell after the last character of the bottom row, or under its last cell when the row
// is full.
static void cursor_show(struct fbcon *c)
{
    c->cursor_col = c->col < c->cols ? c->col : c->cols - 1;
    c->cursor_xor = c->palette[c->attr & 0x0f] ^ c->palette[c->attr >> 4];
    cursor_flip(c);
}

// Scrolls the text rows up one: one memmove when the rows' pixels are contiguous (no padding, no
// right margin), else one per scanline, so nothing past the text columns is moved.
static void new_line(struct fbcon *c)
{
    size_t band = FBCON_GLYPH_HEIGHT * c->pitch;
    size_t text = (size_t)c->cols * FBCON_GLYPH_WIDTH * c->bytes;
    size_t lines = (size_t)(c->rows - 1) * FBCON_GLYPH_HEIGHT;
    if (text == c->pitch) {
        memmove(c->base, c->base + band, lines * c->pitch);
    } else {
        for (size_t y = 0; y < lines; y++)
            memmove(c->base + y * c->pitch, c->base + y * c->pitch + band, text);
    }
    blank_cells(c, c->rows - 1, 0, c->cols);
    c->col = 0;
}

static void put_glyph(struct fbcon *c, uint8_t glyph)
{
    if (c->col >= c->cols)
        new_line(c);
    draw_cell(c, c->rows - 1, c->col, glyph);
    c->col++;
}

static void put_byte(struct fbcon *c, uint8_t b)
{
    switch (b) {
    case '\n': new_line(c); break;
    case '\r': c->col = 0; break;
    case '\b':
        if (c->col > 0) {
            c->col--;
            blank_cells(c, c->rows - 1, c->col, 1);
        }
        break;
    case '\t':
        // Stops at the row's end too: a row of any width is not always a multiple of 8.
        do
            put_glyph(c, ' ');
        while (c->col % TAB_WIDTH != 0 && c->col < c->cols);
        break;
    default: put_glyph(c, b >= 0x20 && b <= 0x7e ? b : VGA_SUBSTITUTE); break;
    }
}

// Every pixel in the background colour (the cursor goes with the rest), column 0, the cursor there.
static void clear_screen(struct fbcon *c)
{
    fill_rect(c, 0, 0, c->width, c->height, c->palette[c->attr >> 4]);
    c->col = 0;
    cursor_show(c);
}

int fbcon_init(struct fbcon *c, const struct fbcon_fb *fb)
{
    KASSERT(c != NULL);
    int err = fbcon_check(fb);
    if (err != E_OK)
        return err;
    c->base = fb->base;
    c->pitch = fb->pitch;
    c->bytes = fb->bpp / 8u;
    c->width = fb->width;
    c->height = fb->height;
    c->cols = fb->width / FBCON_GLYPH_WIDTH;
    c->rows = fb->height / FBCON_GLYPH_HEIGHT;
    c->attr = DEFAULT_ATTR;
    for (unsigned i = 0; i < 16; i++)
        c->palette[i] = pixel_value(fb, vga_rgb[i]);
    clear_screen(c);
    return E_OK;
}

void fbcon_set_color(struct fbcon *c, enum vga_color fg, enum vga_color bg)
{
    KASSERT(c != NULL);
    KASSERT((unsigned)fg <= VGA_WHITE);
    KASSERT((unsigned)bg <= VGA_WHITE);
    c->attr = VGA_ATTR(fg, bg);
}

void fbcon_write(struct fbcon *c, const char *s, size_t len)
{
    CHECK_CON(c);
    KASSERT(s != NULL || len == 0);
    cursor_flip(c);
    for (size_t i = 0; i < len; i++)
        put_byte(c, (uint8_t)s[i]);
    cursor_show(c);
}

void fbcon_putc(struct fbcon *c, char ch)
{
    CHECK_CON(c);
    cursor_flip(c);
    put_byte(c, (uint8_t)ch);
    cursor_show(c);
}

void fbcon_clear(struct fbcon *c)
{
    CHECK_CON(c);
    clear_screen(c);
}

void fbcon_put_at(struct fbcon *c, unsigned row, unsigned col, uint8_t ch)
{
    CHECK_CON(c);
    KASSERT(row < c->rows);
    KASSERT(col < c->cols);
    cursor_flip(c);
    draw_cell(c, row, col, ch);
    cursor_show(c);
}

void fbcon_cursor_left(struct fbcon *c, unsigned n)
{
    CHECK_CON(c);
    cursor_flip(c);
    c->col = n < c->col ? c->col - n : 0;
    cursor_show(c);
}

void fbcon_erase_to_eol(struct fbcon *c)
{
    CHECK_CON(c);
    cursor_flip(c);
    blank_cells(c, c->rows - 1, c->col, c->cols - c->col);
    cursor_show(c);
}

unsigned fbcon_column(const struct fbcon *c)
{
    KASSERT(c != NULL);
    return c->col;
}
