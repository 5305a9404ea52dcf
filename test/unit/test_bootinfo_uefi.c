// Tests for what core/bootinfo reads of a UEFI boot through multiboot2: the framebuffer tag's
// colour information (RGB fields of any layout, an indexed palette) and its geometry checks, the
// EFI system table tags (11, 12), the EFI memory map tag (17), used as the memory map when there is
// no tag 6, and tag 18 (boot services not terminated); every bad tag as its own named test.
#include "test/unit/bootinfo_test.h"

// A framebuffer tag of `size` bytes with the fixed part; returns its offset for the colours.
static uint32_t fb_tag(uint32_t size, uint8_t type, uint8_t bpp, uint32_t width, uint32_t pitch)
{
    uint32_t off = mb2_raw(8, size);
    put64(MB2_AT + off + 8, 0xc0000000);
    put32(MB2_AT + off + 16, pitch);
    put32(MB2_AT + off + 20, width);
    put32(MB2_AT + off + 24, 600);
    put_bytes(MB2_AT + off + 28, (const uint8_t[]){bpp, type, 0, 0}, 4);
    return off;
}

static void fb_rgb(uint8_t bpp, const uint8_t fields[6])
{
    mb2_begin();
    uint32_t off = fb_tag(38, BOOT_FB_RGB, bpp, 800, 800 * 4);
    put_bytes(MB2_AT + off + 32, fields, 6);
    mb2_finish();
}

// An EFI memory descriptor of `size` bytes at phys.
static void put_desc(uint64_t phys, uint32_t size, uint32_t type, uint64_t start, uint64_t pages)
{
    memset(at(phys), 0, size);
    put32(phys, type);
    put64(phys + 8, start);
    put64(phys + 16, 0xffff800000000000u + start); // virtual_start: not read
    put64(phys + 24, pages);
    put64(phys + 32, 0xf); // attribute: not read
}

struct desc {
    uint32_t type;
    uint64_t start, pages;
};

static uint32_t efi_mmap(const struct desc *d, size_t n, uint32_t dsize)
{
    uint32_t off = mb2_raw(17, 16 + (uint32_t)n * dsize);
    put32(MB2_AT + off + 8, dsize);
    put32(MB2_AT + off + 12, 1); // descriptor_version
    for (size_t i = 0; i < n; i++)
        put_desc(MB2_AT + off + 16 + i * dsize, dsize, d[i].type, d[i].start, d[i].pages);
    return off;
}

// OVMF's kinds of memory, one descriptor each.
static const struct desc ovmf[] = {
    {7, 0x0, 0xa0},           {2, 0x100000, 0x10}, {4, 0x200000, 0x20}, {3, 0x400000, 0x4},
    {1, 0x500000, 0x2},       {5, 0x600000, 0x1},  {6, 0x700000, 0x1},  {9, 0x800000, 0x2},
    {10, 0x900000, 0x3},      {0, 0xa00000, 0x1},  {8, 0xb00000, 0x1},  {11, 0xfec00000, 0x1},
    {14, 0x100000000, 0x100}, {12, 0xc00000, 0x1}, {13, 0xd00000, 0x1}, {99, 0xe00000, 0x1},
};
static const uint32_t ovmf_kinds[] = {
    BOOT_MEM_USABLE,     BOOT_MEM_USABLE,   BOOT_MEM_USABLE,   BOOT_MEM_USABLE,
    BOOT_MEM_USABLE,     BOOT_MEM_RESERVED, BOOT_MEM_RESERVED, BOOT_MEM_ACPI_RECLAIMABLE,
    BOOT_MEM_ACPI_NVS,   BOOT_MEM_RESERVED, BOOT_MEM_BAD,      BOOT_MEM_RESERVED,
    BOOT_MEM_PERSISTENT, BOOT_MEM_RESERVED, BOOT_MEM_RESERVED, BOOT_MEM_RESERVED,
};

// ---- good blocks -------------------------------------------------------------------------------

static void rgb_fields_of_every_layout_are_read(void **state)
{
    static const struct {
        uint8_t bpp, f[6];
    } layouts[] = {
        {32, {16, 8, 8, 8, 0, 8}},     // xRGB, what OVMF's GOP gives
        {32, {0, 8, 8, 8, 16, 8}},     // xBGR
        {24, {16, 8, 8, 8, 0, 8}},     // packed RGB
        {16, {11, 5, 5, 6, 0, 5}},     // RGB565
        {15, {10, 5, 5, 5, 0, 5}},     // RGB555
        {32, {20, 10, 10, 10, 0, 10}}, // 10 bits a channel, reaching bit 29
        {32, {24, 8, 16, 8, 8, 8}},    // the red field ends at bit 31
    };
    for (size_t i = 0; i < COUNT(layouts); i++) {
        struct boot_info bi;
        fb_rgb(layouts[i].bpp, layouts[i].f);
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        const struct boot_framebuffer *fb = &bi.framebuffer;
        assert_int_equal(fb->bpp, layouts[i].bpp);
        uint8_t got[6] = {fb->red.pos,    fb->red.size, fb->green.pos,
                          fb->green.size, fb->blue.pos, fb->blue.size};
        assert_memory_equal(got, layouts[i].f, 6);
        assert_int_equal(fb->palette_colors, 0);
    }
}

static void an_indexed_palette_is_copied(void **state)
{
    static const size_t counts[] = {0, 2, BOOTINFO_PALETTE_MAX};
    for (size_t c = 0; c < COUNT(counts); c++) {
        struct boot_info bi;
        mb2_begin();
        uint32_t off = fb_tag(34 + (uint32_t)counts[c] * 3, BOOT_FB_INDEXED, 8, 320, 320);
        put_bytes(MB2_AT + off + 32, (const uint8_t[]){(uint8_t)counts[c], counts[c] >> 8}, 2);
        for (size_t i = 0; i < counts[c]; i++)
            put_bytes(MB2_AT + off + 34 + i * 3,
                      (const uint8_t[]){(uint8_t)i, (uint8_t)(i * 3), (uint8_t)~i}, 3);
        mb2_finish();
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        assert_int_equal(bi.framebuffer.palette_colors, counts[c]);
        for (size_t i = 0; i < counts[c]; i++) {
            assert_int_equal(bi.framebuffer.palette[i][0], (uint8_t)i);
            assert_int_equal(bi.framebuffer.palette[i][1], (uint8_t)(i * 3));
            assert_int_equal(bi.framebuffer.palette[i][2], (uint8_t)~i);
        }
    }
}

// The pitch may be longer than a line (padding), and exactly a line; 1-bit and 4-bit pixels round
// the line's bytes up.
static void pitch_at_or_above_a_line_is_fine(void **state)
{
    static const struct {
        uint8_t type, bpp;
        uint32_t width, pitch;
    } ok[] = {
        {BOOT_FB_RGB, 32, 1024, 4096}, {BOOT_FB_RGB, 32, 1000, 4096},
        {BOOT_FB_RGB, 24, 1366, 4098}, {BOOT_FB_INDEXED, 4, 639, 320},
        {BOOT_FB_INDEXED, 1, 641, 81}, {BOOT_FB_RGB, 32, 0, 0},
    };
    for (size_t i = 0; i < COUNT(ok); i++) {
        struct boot_info bi;
        mb2_begin();
        uint32_t off = fb_tag(40, ok[i].type, ok[i].bpp, ok[i].width, ok[i].pitch);
        if (ok[i].type == BOOT_FB_RGB)
            put_bytes(MB2_AT + off + 32, (const uint8_t[]){0, 1, 1, 1, 2, 1}, 6);
        else
            put_bytes(MB2_AT + off + 32, (const uint8_t[]){0, 0}, 2); // no palette colours
        mb2_finish();
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        assert_int_equal(bi.framebuffer.pitch, ok[i].pitch);
    }
}

// Text-mode and unknown framebuffer types are copied as given: their geometry is not in pixels.
static void geometry_is_checked_for_pixel_framebuffers_only(void **state)
{
    static const uint8_t types[] = {BOOT_FB_EGA_TEXT, 3, 0xff};
    for (size_t i = 0; i < COUNT(types); i++) {
        struct boot_info bi;
        mb2_begin();
        uint32_t off = fb_tag(32, types[i], 16, 80, 0); // pitch 0: no line would fit
        put64(MB2_AT + off + 8, UINT64_MAX);            // and the frame would wrap
        mb2_finish();
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        assert_int_equal(bi.framebuffer.type, types[i]);
        assert_int_equal(bi.framebuffer.pitch, 0);
    }
}

// An EFI map of no descriptors: counted as 0; without tag 6 the memory map is empty.
static void an_empty_efi_map_is_valid(void **state)
{
    struct boot_info bi;
    mb2_begin();
    efi_mmap(NULL, 0, 48);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.efi.mmap_entries, 0);
    assert_true(bi.efi.mmap_used);
    assert_int_equal(bi.mmap_count, 0);
}

// Neither map: nothing is made from an EFI map that is not there.
static void without_an_efi_map_none_is_used(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_str(1, "x");
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_false(bi.efi.mmap_used);
    assert_int_equal(bi.efi.mmap_entries, 0);
    assert_int_equal(bi.efi.system_table, 0);
}

// A frame whose last byte is the last address fits (base + size fits in 64 bits, as for the
// memory map).
static void a_frame_up_to_the_last_address_fits(void **state)
{
    struct boot_info bi;
    mb2_begin();
    uint32_t off = fb_tag(38, BOOT_FB_RGB, 32, 1024, 4096);
    put64(MB2_AT + off + 8, UINT64_MAX - 4096ull * 600); // 600 lines end at UINT64_MAX
    put_bytes(MB2_AT + off + 32, (const uint8_t[]){16, 8, 8, 8, 0, 8}, 6);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
}

static void efi_system_tables_are_read(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_tag(12, (const uint8_t[]){0x18, 0xee, 0x7b, 0x3f, 0x01, 0, 0, 0}, 8);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.efi.system_table, 0x13f7bee18);
    assert_int_equal(bi.efi.system_table_bits, 64);
    mb2_begin();
    mb2_tag(11, (const uint8_t[]){0x18, 0xee, 0x7b, 0x3f}, 4);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.efi.system_table, 0x3f7bee18);
    assert_int_equal(bi.efi.system_table_bits, 32);
    mb2_begin(); // a tag longer than its address (padded) is read by its address
    mb2_tag(11, (const uint8_t[]){0x18, 0xee, 0x7b, 0x3f, 0xff, 0xff, 0xff, 0xff}, 8);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.efi.system_table, 0x3f7bee18);
    assert_false(bi.efi.boot_services);
}

// With tag 6 the EFI map is validated and counted, and the memory map is tag 6's.
static void efi_map_beside_a_memory_map_is_only_counted(void **state)
{
    struct boot_info bi;
    mb2_begin();
    efi_mmap(ovmf, COUNT(ovmf), 48);
    mb2_mmap(qemu_map, QEMU_MAP_LEN, 24);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.efi.mmap_entries, COUNT(ovmf));
    assert_false(bi.efi.mmap_used);
    assert_qemu_map(&bi);
}

// Without tag 6 the EFI map is the memory map: one entry a descriptor, its kind mapped.
static void efi_map_alone_becomes_the_memory_map(void **state)
{
    static const uint32_t sizes[] = {40, 48, 64};
    for (size_t s = 0; s < COUNT(sizes); s++) {
        struct boot_info bi;
        mb2_begin();
        efi_mmap(ovmf, COUNT(ovmf), sizes[s]);
        mb2_finish();
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        assert_true(bi.efi.mmap_used);
        assert_int_equal(bi.mmap_count, COUNT(ovmf));
        for (size_t i = 0; i < COUNT(ovmf); i++) {
            assert_int_equal(bi.mmap[i].base, ovmf[i].start);
            assert_int_equal(bi.mmap[i].length, ovmf[i].pages * 4096);
            assert_int_equal(bi.mmap[i].type, ovmf_kinds[i]);
        }
    }
}

// Tag 18, before or after the map: loader and boot-services memory is still in use.
static void boot_services_keep_their_memory(void **state)
{
    for (int after = 0; after < 2; after++) {
        struct boot_info bi;
        mb2_begin();
        if (!after)
            mb2_raw(18, 8);
        efi_mmap(ovmf, COUNT(ovmf), 48);
        if (after)
            mb2_raw(18, 8);
        mb2_finish();
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        assert_true(bi.efi.boot_services);
        for (size_t i = 1; i <= 4; i++) // loader data, boot services data and code, loader code
            assert_int_equal(bi.mmap[i].type, BOOT_MEM_RESERVED);
        assert_int_equal(bi.mmap[0].type, BOOT_MEM_USABLE); // conventional memory stays usable
    }
}

static void the_largest_efi_map_that_fits_is_used(void **state)
{
    static struct desc many[BOOTINFO_MMAP_MAX];
    for (size_t i = 0; i < BOOTINFO_MMAP_MAX; i++)
        many[i] = (struct desc){7, i << 20, 1};
    struct boot_info bi;
    mb2_begin();
    efi_mmap(many, BOOTINFO_MMAP_MAX, 48);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.mmap_count, BOOTINFO_MMAP_MAX);
    // The largest page count that fits 64 bits, at base 0.
    const struct desc huge = {7, 0, UINT64_MAX / 4096};
    mb2_begin();
    efi_mmap(&huge, 1, 40);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.mmap[0].length, (UINT64_MAX / 4096) * 4096);
}

// ---- bad blocks, one named test each -----------------------------------------------------------

static void rgb_without_colour_fields(void)
{
    mb2_begin();
    fb_tag(37, BOOT_FB_RGB, 32, 800, 3200);
    mb2_finish();
}

static void rgb_of_0_bits(void)
{
    fb_rgb(0, (const uint8_t[]){16, 8, 8, 8, 0, 8});
}

static void rgb_of_33_bits(void)
{
    fb_rgb(33, (const uint8_t[]){16, 8, 8, 8, 0, 8});
}

static void rgb_red_field_empty(void)
{
    fb_rgb(32, (const uint8_t[]){16, 0, 8, 8, 0, 8});
}

static void rgb_green_field_past_the_pixel(void)
{
    fb_rgb(16, (const uint8_t[]){11, 5, 12, 5, 0, 5});
}

static void rgb_blue_field_past_the_pixel(void)
{
    fb_rgb(24, (const uint8_t[]){16, 8, 8, 8, 17, 8});
}

static void indexed_without_palette_size(void)
{
    mb2_begin();
    fb_tag(33, BOOT_FB_INDEXED, 8, 320, 320);
    mb2_finish();
}

static void indexed_of_9_bits(void)
{
    mb2_begin();
    fb_tag(34, BOOT_FB_INDEXED, 9, 320, 640);
    mb2_finish();
}

static void indexed_of_0_bits(void)
{
    mb2_begin();
    fb_tag(34, BOOT_FB_INDEXED, 0, 320, 320);
    mb2_finish();
}

static void palette_of_257_colours(void)
{
    mb2_begin();
    uint32_t off = fb_tag(34 + 257 * 3, BOOT_FB_INDEXED, 8, 320, 320);
    put_bytes(MB2_AT + off + 32, (const uint8_t[]){1, 1}, 2);
    mb2_finish();
}

static void palette_past_the_tag(void)
{
    mb2_begin();
    uint32_t off = fb_tag(34 + 2 * 3 + 2, BOOT_FB_INDEXED, 8, 320, 320);
    put_bytes(MB2_AT + off + 32, (const uint8_t[]){3, 0}, 2);
    mb2_finish();
}

static void pitch_below_a_line(void)
{
    mb2_begin();
    uint32_t off = fb_tag(38, BOOT_FB_RGB, 32, 1024, 4095);
    put_bytes(MB2_AT + off + 32, (const uint8_t[]){16, 8, 8, 8, 0, 8}, 6);
    mb2_finish();
}

static void pitch_below_a_line_of_4_bit_pixels(void)
{
    mb2_begin();
    uint32_t off = fb_tag(34, BOOT_FB_INDEXED, 4, 641, 320); // 320.5 bytes: 321
    put_bytes(MB2_AT + off + 32, (const uint8_t[]){0, 0}, 2);
    mb2_finish();
}

static void pitch_below_a_line_of_1_bit_pixels(void)
{
    mb2_begin();
    uint32_t off = fb_tag(34, BOOT_FB_INDEXED, 1, 641, 80); // 80.125 bytes: 81
    put_bytes(MB2_AT + off + 32, (const uint8_t[]){0, 0}, 2);
    mb2_finish();
}

static void frame_past_2_to_the_64(void)
{
    mb2_begin();
    uint32_t off = fb_tag(38, BOOT_FB_RGB, 32, 1024, 4096);
    put64(MB2_AT + off + 8, UINT64_MAX - 4096 * 599); // 600 lines of 4096 bytes: one too many
    put_bytes(MB2_AT + off + 32, (const uint8_t[]){16, 8, 8, 8, 0, 8}, 6);
    mb2_finish();
}

static void frame_to_exactly_2_to_the_64(void)
{
    mb2_begin();
    uint32_t off = fb_tag(38, BOOT_FB_RGB, 32, 1024, 4096);
    put64(MB2_AT + off + 8, UINT64_MAX - 4096ull * 600 + 1); // base + size = 2^64
    put_bytes(MB2_AT + off + 32, (const uint8_t[]){16, 8, 8, 8, 0, 8}, 6);
    mb2_finish();
}

static void efi32_tag_too_short(void)
{
    mb2_begin();
    mb2_tag(11, (const uint8_t[]){1, 2, 3}, 3);
    mb2_finish();
}

static void efi64_tag_too_short(void)
{
    mb2_begin();
    mb2_tag(12, (const uint8_t[]){1, 2, 3, 4, 5, 6, 7}, 7);
    mb2_finish();
}

static void efi_32_and_64_bit_tables(void)
{
    mb2_begin();
    mb2_tag(11, (const uint8_t[]){1, 2, 3, 4}, 4);
    mb2_tag(12, (const uint8_t[]){1, 2, 3, 4, 5, 6, 7, 8}, 8);
    mb2_finish();
}

static void efi_boot_services_tag_twice(void)
{
    mb2_begin();
    mb2_raw(18, 8);
    mb2_raw(18, 8);
    mb2_finish();
}

static void efi_map_below_its_header(void)
{
    mb2_begin();
    mb2_raw(17, 12);
    mb2_finish();
}

static void efi_map_descriptor_of_32_bytes(void)
{
    mb2_begin();
    efi_mmap(ovmf, 2, 32);
    mb2_finish();
}

static void efi_map_descriptor_of_44_bytes(void)
{
    mb2_begin();
    efi_mmap(ovmf, 2, 44);
    mb2_finish();
}

static void efi_map_not_ending_at_its_descriptors(void)
{
    mb2_begin();
    uint32_t off = efi_mmap(ovmf, 2, 48);
    put32(MB2_AT + off + 4, 16 + 2 * 48 - 8); // the tag's size: a descriptor cut short
    mb2_finish();
}

static void efi_map_twice(void)
{
    mb2_begin();
    efi_mmap(ovmf, 1, 48);
    efi_mmap(ovmf, 1, 48);
    mb2_finish();
}

static void efi_map_of_too_many_descriptors(void)
{
    static struct desc many[BOOTINFO_MMAP_MAX + 1];
    for (size_t i = 0; i < COUNT(many); i++)
        many[i] = (struct desc){7, i << 20, 1};
    mb2_begin();
    efi_mmap(many, COUNT(many), 40);
    mb2_finish();
}

static void efi_map_of_too_many_pages(void)
{
    const struct desc huge[] = {{7, 0, 1}, {7, 0, UINT64_MAX / 4096 + 1}};
    mb2_begin();
    efi_mmap(huge, 2, 40);
    mb2_finish();
}

static void efi_map_entry_wraps(void)
{
    const struct desc wrap[] = {{7, 0xfffffffffffff000, 2}};
    mb2_begin();
    efi_mmap(wrap, 1, 40);
    mb2_finish();
}

// The EFI map is not used when the block turns out bad at its end.
static void efi_map_then_a_bad_end_tag(void)
{
    mb2_begin();
    efi_mmap(ovmf, 2, 48);
    mb2_raw(0, 16);
    put32(MB2_AT, mb2_len);
}

#define BAD(fn, code, ...)                                                                         \
    BAD_CASE(fn, BOOTINFO_MB2_MAGIC, MB2_AT, BOOT_MULTIBOOT2, code, __VA_ARGS__)

static const struct bad_case bad_cases[] = {
    BAD(rgb_without_colour_fields, E_FORMAT, "tag 8 at offset 0x8",
        "RGB framebuffer tag without its colour fields"),
    BAD(rgb_of_0_bits, E_FORMAT, "RGB framebuffer of 0 or more than 32 bits"),
    BAD(rgb_of_33_bits, E_FORMAT, "RGB framebuffer of 0 or more than 32 bits"),
    BAD(rgb_red_field_empty, E_FORMAT, "red field (bit 16, 0 bits) is empty or outside the 32-bit"),
    BAD(rgb_green_field_past_the_pixel, E_FORMAT, "green field (bit 12, 5 bits)", "16-bit pixel"),
    BAD(rgb_blue_field_past_the_pixel, E_FORMAT, "blue field (bit 17, 8 bits)", "24-bit pixel"),
    BAD(indexed_without_palette_size, E_FORMAT, "indexed framebuffer tag without its palette"),
    BAD(indexed_of_9_bits, E_FORMAT, "indexed framebuffer of 0 or more than 8 bits"),
    BAD(indexed_of_0_bits, E_FORMAT, "indexed framebuffer of 0 or more than 8 bits"),
    BAD(palette_of_257_colours, E_TOOBIG, "257 palette colours; at most 256 fit"),
    BAD(palette_past_the_tag, E_FORMAT, "palette runs past the tag"),
    BAD(pitch_below_a_line, E_FORMAT, "pitch 4095, below the 4096 bytes of 1024 pixels at 32 bits"),
    BAD(pitch_below_a_line_of_4_bit_pixels, E_FORMAT, "pitch 320, below the 321 bytes"),
    BAD(pitch_below_a_line_of_1_bit_pixels, E_FORMAT, "pitch 80, below the 81 bytes"),
    BAD(frame_past_2_to_the_64, E_FORMAT, "the frame runs past 2^64"),
    BAD(frame_to_exactly_2_to_the_64, E_FORMAT, "the frame runs past 2^64"),
    BAD(efi32_tag_too_short, E_FORMAT, "tag 11 (EFI 32-bit system table) at offset 0x8",
        "too short for its 4-byte address"),
    BAD(efi64_tag_too_short, E_FORMAT, "tag 12 (EFI 64-bit system table)",
        "too short for its 8-byte address"),
    BAD(efi_32_and_64_bit_tables, E_FORMAT, "tag 12 at offset 0x18: a second EFI system table",
        "tag 11 at offset 0x8"),
    BAD(efi_boot_services_tag_twice, E_FORMAT, "tag 18 (EFI boot services not terminated)",
        "repeats the one at offset 0x8"),
    BAD(efi_map_below_its_header, E_FORMAT, "tag 17 at offset 0x8 has size 0xc", "16-byte header"),
    BAD(efi_map_descriptor_of_32_bytes, E_FORMAT, "descriptor_size 0x20; needs >= 40"),
    BAD(efi_map_descriptor_of_44_bytes, E_FORMAT, "descriptor_size 0x2c"),
    BAD(efi_map_not_ending_at_its_descriptors, E_FORMAT, "a descriptor of 0x30 bytes runs past"),
    BAD(efi_map_twice, E_FORMAT, "tag 17 (EFI memory map)", "repeats"),
    BAD(efi_map_of_too_many_descriptors, E_TOOBIG, "129 EFI memory descriptors; at most 128 fit"),
    BAD(efi_map_of_too_many_pages, E_FORMAT, "EFI memory descriptor 1 has 0x10000000000000 pages"),
    BAD(efi_map_then_a_bad_end_tag, E_FORMAT, "end tag", "has size 0x10, not 8"),
    BAD(efi_map_entry_wraps, E_FORMAT, "memory map entry 0", "wraps past 2^64"),
};

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(rgb_fields_of_every_layout_are_read),
        TEST(an_indexed_palette_is_copied),
        TEST(pitch_at_or_above_a_line_is_fine),
        TEST(geometry_is_checked_for_pixel_framebuffers_only),
        TEST(an_empty_efi_map_is_valid),
        TEST(without_an_efi_map_none_is_used),
        TEST(a_frame_up_to_the_last_address_fits),
        TEST(efi_system_tables_are_read),
        TEST(efi_map_beside_a_memory_map_is_only_counted),
        TEST(efi_map_alone_becomes_the_memory_map),
        TEST(boot_services_keep_their_memory),
        TEST(the_largest_efi_map_that_fits_is_used),
    };
    return run_bootinfo_tests("bootinfo_uefi", tests, COUNT(tests), bad_cases, COUNT(bad_cases));
}
