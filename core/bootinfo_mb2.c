// Multiboot2 information block parser (the rules and errors are listed in core/bootinfo.h).
//
// Layout (Multiboot2 specification, "Boot information format"): u32 total_size (header
// included), u32 reserved, then tags, each starting 8-byte aligned with u32 type, u32 size
// (header included, padding excluded), ending with an end tag {type 0, size 8}.
#include "core/bootinfo.h"
#include "core/bootinfo_internal.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"
#include "core/string.h"

#include <stdbool.h>

#define MB2_HEADER_SIZE 8
#define MB2_TAG_HEADER  8
#define MB2_MIN_TOTAL   (MB2_HEADER_SIZE + MB2_TAG_HEADER) // header + end tag

#define MB2_TAG_END         0
#define MB2_TAG_CMDLINE     1
#define MB2_TAG_BOOTLOADER  2
#define MB2_TAG_MMAP        6
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_EFI32       11 // EFI 32-bit system table pointer
#define MB2_TAG_EFI64       12 // EFI 64-bit system table pointer
#define MB2_TAG_ACPI_OLD    14 // a copy of the ACPI 1.0 RSDP
#define MB2_TAG_ACPI_NEW    15 // a copy of the ACPI 2.0+ RSDP
#define MB2_TAG_EFI_MMAP    17
#define MB2_TAG_EFI_BS      18 // EFI boot services not terminated
#define MB2_TAG_TRACKED_MAX 18 // first[] below covers types 0..18
#define MB2_RSDP_V1         20 // bytes of an ACPI 1.0 RSDP
#define MB2_RSDP_V2         36 // the smallest ACPI 2.0 RSDP

// Memory map tag: header, u32 entry_size, u32 entry_version, then entries of u64 base_addr,
// u64 length, u32 type, u32 reserved (entry_size may grow in later versions).
#define MB2_MMAP_HEADER    16
#define MB2_MMAP_ENTRY_MIN 24

// Framebuffer tag: header, u64 addr, u32 pitch, u32 width, u32 height, u8 bpp, u8 type,
// u8 reserved, then colour information that depends on the type.
#define MB2_FB_FIXED   31
#define MB2_FB_COLOURS 32 // GRUB's layout: a u16 reserved, then the colour information
#define MB2_FB_RGB     (MB2_FB_COLOURS + 6)
#define MB2_FB_PALETTE (MB2_FB_COLOURS + 2)

// EFI memory map tag: header, u32 descriptor_size, u32 descriptor_version, then descriptors of
// u32 type, u32 pad, u64 physical_start, u64 virtual_start, u64 number_of_pages, u64 attribute
// (descriptor_size may grow in later versions).
#define MB2_EFI_MMAP_HEADER 16
#define MB2_EFI_DESC_MIN    40
#define EFI_PAGE            4096u

struct mb2_tag {
    const uint8_t *p; // the tag's first byte; size bytes are validated
    uint32_t off;     // offset in the block, for messages
    uint32_t type;
    uint32_t size;
};

static const char *tag_name(uint32_t type)
{
    switch (type) {
    case MB2_TAG_CMDLINE: return "command line";
    case MB2_TAG_BOOTLOADER: return "bootloader name";
    case MB2_TAG_MMAP: return "memory map";
    case MB2_TAG_FRAMEBUFFER: return "framebuffer";
    case MB2_TAG_EFI32: return "EFI 32-bit system table";
    case MB2_TAG_EFI64: return "EFI 64-bit system table";
    case MB2_TAG_ACPI_OLD: return "ACPI 1.0 RSDP";
    case MB2_TAG_ACPI_NEW: return "ACPI 2.0 RSDP";
    case MB2_TAG_EFI_MMAP: return "EFI memory map";
    case MB2_TAG_EFI_BS: return "EFI boot services not terminated";
    default: return "other";
    }
}

// Finds the string a tag holds: *s and *len (without the NUL), which must lie inside the tag.
static int tag_string(struct boot_info *out, const struct mb2_tag *t, const char **s, size_t *len)
{
    *s = (const char *)t->p + MB2_TAG_HEADER;
    size_t room = t->size - MB2_TAG_HEADER;
    *len = strnlen(*s, room);
    if (*len == room)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag %u (%s) at offset %#x has no NUL in its %#x bytes",
                             t->type, tag_name(t->type), t->off, t->size);
    return 0;
}

static int copy_cmdline(struct boot_info *out, const struct mb2_tag *t)
{
    const char *s;
    size_t len;
    int rc = tag_string(out, t, &s, &len);
    if (rc == 0)
        bootinfo_set_cmdline(out, s, len);
    return rc;
}

static int copy_name(struct boot_info *out, const struct mb2_tag *t)
{
    const char *s;
    size_t len;
    int rc = tag_string(out, t, &s, &len);
    if (rc != 0)
        return rc;
    if (len >= sizeof(out->bootloader))
        return bootinfo_fail(out, E_TOOBIG,
                             "multiboot2: tag %u (%s) at offset %#x holds %u bytes; at most %u fit",
                             t->type, tag_name(t->type), t->off, (unsigned)len,
                             (unsigned)sizeof(out->bootloader) - 1);
    memcpy(out->bootloader, s, len + 1);
    return 0;
}

static int parse_mmap(struct boot_info *out, const struct mb2_tag *t)
{
    if (t->size < MB2_MMAP_HEADER)
        return bootinfo_fail(
            out, E_FORMAT, "multiboot2: tag 6 at offset %#x has size %#x, below its %u-byte header",
            t->off, t->size, MB2_MMAP_HEADER);
    uint32_t esize = le_load32(t->p + 8);
    if (esize < MB2_MMAP_ENTRY_MIN || esize % 8 != 0)
        return bootinfo_fail(
            out, E_FORMAT,
            "multiboot2: tag 6 at offset %#x has entry_size %#x; needs >= %u and a "
            "multiple of 8",
            t->off, esize, MB2_MMAP_ENTRY_MIN);
    uint32_t bytes = t->size - MB2_MMAP_HEADER;
    if (bytes % esize != 0)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag 6 at offset %#x has size %#x: an entry of %#x bytes "
                             "runs past its end",
                             t->off, t->size, esize);
    uint32_t count = bytes / esize;
    if (count > BOOTINFO_MMAP_MAX)
        return bootinfo_fail(out, E_TOOBIG,
                             "multiboot2: tag 6 at offset %#x has %u memory map entries; at most "
                             "%u fit",
                             t->off, count, BOOTINFO_MMAP_MAX);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = t->p + MB2_MMAP_HEADER + i * esize;
        int rc =
            bootinfo_add_mmap(out, "multiboot2", le_load64(e), le_load64(e + 8), le_load32(e + 16));
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int fb_fail(struct boot_info *out, const struct mb2_tag *t, const char *what)
{
    return bootinfo_fail(out, E_FORMAT, "multiboot2: tag 8 at offset %#x: %s", t->off, what);
}

// One RGB channel: size 1 or more, inside the pixel.
static int parse_field(struct boot_info *out, const struct mb2_tag *t, const uint8_t *p,
                       struct boot_fb_field *f, const char *name)
{
    f->pos = p[0];
    f->size = p[1];
    if (f->size == 0 || f->pos + f->size > out->framebuffer.bpp)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag 8 at offset %#x: %s field (bit %u, %u bits) is "
                             "empty or outside the %u-bit pixel",
                             t->off, name, f->pos, f->size, out->framebuffer.bpp);
    return 0;
}

static int parse_colours(struct boot_info *out, const struct mb2_tag *t)
{
    struct boot_framebuffer *fb = &out->framebuffer;
    if (fb->type == BOOT_FB_RGB) {
        if (t->size < MB2_FB_RGB)
            return fb_fail(out, t, "an RGB framebuffer tag without its colour fields");
        if (fb->bpp == 0 || fb->bpp > 32)
            return fb_fail(out, t, "an RGB framebuffer of 0 or more than 32 bits per pixel");
        const uint8_t *c = t->p + MB2_FB_COLOURS;
        int rc = parse_field(out, t, c, &fb->red, "red");
        if (rc == 0)
            rc = parse_field(out, t, c + 2, &fb->green, "green");
        if (rc == 0)
            rc = parse_field(out, t, c + 4, &fb->blue, "blue");
        return rc;
    }
    if (fb->type == BOOT_FB_INDEXED) {
        if (t->size < MB2_FB_PALETTE)
            return fb_fail(out, t, "an indexed framebuffer tag without its palette size");
        if (fb->bpp == 0 || fb->bpp > 8)
            return fb_fail(out, t, "an indexed framebuffer of 0 or more than 8 bits per pixel");
        uint32_t colors = le_load16(t->p + MB2_FB_COLOURS);
        if (colors > BOOTINFO_PALETTE_MAX)
            return bootinfo_fail(out, E_TOOBIG,
                                 "multiboot2: tag 8 at offset %#x has %u palette colours; at most "
                                 "%u fit",
                                 t->off, colors, BOOTINFO_PALETTE_MAX);
        if (colors * 3 > t->size - MB2_FB_PALETTE)
            return fb_fail(out, t, "its palette runs past the tag");
        fb->palette_colors = (uint16_t)colors;
        memcpy(fb->palette, t->p + MB2_FB_PALETTE, colors * 3);
    }
    return 0;
}

// For pixel framebuffers: a line holds width pixels, and the whole frame fits in 64 bits.
static int check_geometry(struct boot_info *out, const struct mb2_tag *t)
{
    const struct boot_framebuffer *fb = &out->framebuffer;
    if (fb->type != BOOT_FB_RGB && fb->type != BOOT_FB_INDEXED)
        return 0;
    uint64_t line = ((uint64_t)fb->width * fb->bpp + 7) / 8;
    if (fb->pitch < line)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag 8 at offset %#x has pitch %u, below the %llu bytes "
                             "of %u pixels at %u bits",
                             t->off, fb->pitch, (unsigned long long)line, fb->width, fb->bpp);
    if ((uint64_t)fb->pitch * fb->height > UINT64_MAX - fb->addr)
        return fb_fail(out, t, "the frame runs past 2^64");
    return 0;
}

static int parse_framebuffer(struct boot_info *out, const struct mb2_tag *t)
{
    if (t->size < MB2_FB_FIXED)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag 8 at offset %#x has size %#x, below its %u-byte "
                             "fixed part",
                             t->off, t->size, MB2_FB_FIXED);
    struct boot_framebuffer *fb = &out->framebuffer;
    fb->present = true;
    fb->addr = le_load64(t->p + 8);
    fb->pitch = le_load32(t->p + 16);
    fb->width = le_load32(t->p + 20);
    fb->height = le_load32(t->p + 24);
    fb->bpp = t->p[28];
    fb->type = t->p[29];
    int rc = parse_colours(out, t);
    return rc != 0 ? rc : check_geometry(out, t);
}

static int parse_efi_table(struct boot_info *out, const struct mb2_tag *t, uint32_t *first)
{
    uint32_t other = t->type == MB2_TAG_EFI32 ? MB2_TAG_EFI64 : MB2_TAG_EFI32;
    if (first[other] != 0)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag %u at offset %#x: a second EFI system table (tag %u "
                             "at offset %#x)",
                             t->type, t->off, other, first[other]);
    uint32_t bytes = t->type == MB2_TAG_EFI32 ? 4 : 8;
    if (t->size < MB2_TAG_HEADER + bytes)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag %u (%s) at offset %#x has size %#x, too short for "
                             "its %u-byte address",
                             t->type, tag_name(t->type), t->off, t->size, bytes);
    out->efi.system_table = bytes == 4 ? le_load32(t->p + 8) : le_load64(t->p + 8);
    out->efi.system_table_bits = (uint8_t)(bytes * 8);
    return 0;
}

// Tags 14 and 15 copy the RSDP (20 and at least 36 bytes); tag 15's copy is the one to use when
// both are given, whatever their order.
static int parse_rsdp(struct boot_info *out, const struct mb2_tag *t, const uint32_t *first)
{
    uint32_t bytes = t->type == MB2_TAG_ACPI_OLD ? MB2_RSDP_V1 : MB2_RSDP_V2;
    if (t->size < MB2_TAG_HEADER + bytes)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag %u (%s) at offset %#x has size %#x, too short for "
                             "its %u-byte RSDP",
                             t->type, tag_name(t->type), t->off, t->size, bytes);
    if (t->type == MB2_TAG_ACPI_NEW || first[MB2_TAG_ACPI_NEW] == 0)
        out->rsdp_phys = out->info_phys + t->off + MB2_TAG_HEADER;
    return 0;
}

static int parse_efi_mmap(struct boot_info *out, const struct mb2_tag *t)
{
    if (t->size < MB2_EFI_MMAP_HEADER)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag 17 at offset %#x has size %#x, below its %u-byte "
                             "header",
                             t->off, t->size, MB2_EFI_MMAP_HEADER);
    uint32_t dsize = le_load32(t->p + 8);
    if (dsize < MB2_EFI_DESC_MIN || dsize % 8 != 0)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag 17 at offset %#x has descriptor_size %#x; needs >= "
                             "%u and a multiple of 8",
                             t->off, dsize, MB2_EFI_DESC_MIN);
    if ((t->size - MB2_EFI_MMAP_HEADER) % dsize != 0)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag 17 at offset %#x has size %#x: a descriptor of %#x "
                             "bytes runs past its end",
                             t->off, t->size, dsize);
    out->efi.mmap_entries = (t->size - MB2_EFI_MMAP_HEADER) / dsize;
    return 0;
}

// The memory kind of an EFI memory type (UEFI specification, EFI_MEMORY_TYPE).
static uint32_t efi_mem_type(uint32_t efi, bool boot_services)
{
    switch (efi) {
    case 1: // loader code
    case 2: // loader data
    case 3: // boot services code
    case 4: // boot services data
        return boot_services ? BOOT_MEM_RESERVED : BOOT_MEM_USABLE;
    case 7: return BOOT_MEM_USABLE; // conventional memory
    case 8: return BOOT_MEM_BAD;    // unusable memory
    case 9: return BOOT_MEM_ACPI_RECLAIMABLE;
    case 10: return BOOT_MEM_ACPI_NVS;
    case 14: return BOOT_MEM_PERSISTENT;
    default: return BOOT_MEM_RESERVED; // reserved, runtime services, MMIO, PAL code, others
    }
}

// Makes the memory map from the EFI memory map tag at blk + off (validated by parse_efi_mmap).
static int use_efi_mmap(struct boot_info *out, const uint8_t *blk, uint32_t off)
{
    const uint8_t *p = blk + off;
    uint32_t dsize = le_load32(p + 8), count = out->efi.mmap_entries;
    if (count > BOOTINFO_MMAP_MAX)
        return bootinfo_fail(out, E_TOOBIG,
                             "multiboot2: tag 17 at offset %#x has %u EFI memory descriptors; at "
                             "most %u fit",
                             off, count, BOOTINFO_MMAP_MAX);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *d = p + MB2_EFI_MMAP_HEADER + (size_t)i * dsize;
        uint64_t pages = le_load64(d + 24);
        if (pages > UINT64_MAX / EFI_PAGE)
            return bootinfo_fail(out, E_FORMAT,
                                 "multiboot2: EFI memory descriptor %u has %#llx pages, more than "
                                 "2^64 bytes",
                                 i, (unsigned long long)pages);
        int rc = bootinfo_add_mmap(out, "multiboot2 (EFI map)", le_load64(d + 8), pages * EFI_PAGE,
                                   efi_mem_type(le_load32(d), out->efi.boot_services));
        if (rc != 0)
            return rc;
    }
    out->efi.mmap_used = true;
    return 0;
}

// Checks the tag header against the block: size covers the header and stays inside total_size.
static int check_tag(struct boot_info *out, const struct mb2_tag *t, uint32_t total)
{
    if (t->size < MB2_TAG_HEADER)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag %u at offset %#x has size %#x, below its %u-byte "
                             "header",
                             t->type, t->off, t->size, MB2_TAG_HEADER);
    if (t->size > total - t->off)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: tag %u at offset %#x has size %#x, past total_size %#x",
                             t->type, t->off, t->size, total);
    return 0;
}

static int check_end(struct boot_info *out, const struct mb2_tag *t, uint32_t total)
{
    if (t->size != MB2_TAG_HEADER)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: end tag at offset %#x has size %#x, not %u", t->off,
                             t->size, MB2_TAG_HEADER);
    if (t->off + t->size != total)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: end tag at offset %#x is followed by %#x bytes before "
                             "total_size %#x",
                             t->off, total - t->off - t->size, total);
    return 0;
}

// The tags this parser copies may appear once (modules, say, repeat legitimately but are skipped).
static bool is_single(uint32_t type)
{
    return type == MB2_TAG_CMDLINE || type == MB2_TAG_BOOTLOADER || type == MB2_TAG_MMAP ||
           type == MB2_TAG_FRAMEBUFFER || type == MB2_TAG_EFI32 || type == MB2_TAG_EFI64 ||
           type == MB2_TAG_EFI_MMAP || type == MB2_TAG_EFI_BS || type == MB2_TAG_ACPI_OLD ||
           type == MB2_TAG_ACPI_NEW;
}

// first[type] holds the offset of the first tag of that type (0: none yet; no tag sits at 0).
static int parse_tag(struct boot_info *out, const struct mb2_tag *t, uint32_t *first)
{
    if (is_single(t->type)) {
        if (first[t->type] != 0)
            return bootinfo_fail(out, E_FORMAT,
                                 "multiboot2: tag %u (%s) at offset %#x repeats the one at "
                                 "offset %#x",
                                 t->type, tag_name(t->type), t->off, first[t->type]);
        first[t->type] = t->off;
    }
    switch (t->type) {
    case MB2_TAG_CMDLINE: return copy_cmdline(out, t);
    case MB2_TAG_BOOTLOADER: return copy_name(out, t);
    case MB2_TAG_MMAP: return parse_mmap(out, t);
    case MB2_TAG_FRAMEBUFFER: return parse_framebuffer(out, t);
    case MB2_TAG_EFI32:
    case MB2_TAG_EFI64: return parse_efi_table(out, t, first);
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW: return parse_rsdp(out, t, first);
    case MB2_TAG_EFI_MMAP: return parse_efi_mmap(out, t);
    case MB2_TAG_EFI_BS: out->efi.boot_services = true; return 0;
    default: return 0; // known but unused, or unknown: skipped
    }
}

// Walks the tags of a block whose total_size bytes at blk are validated; total is a multiple of 8
// and at least MB2_MIN_TOTAL, so a tag header at an 8-aligned off < total is always inside.
static int parse_tags(struct boot_info *out, const uint8_t *blk, uint32_t total)
{
    uint32_t first[MB2_TAG_TRACKED_MAX + 1] = {0};
    uint32_t off = MB2_HEADER_SIZE;
    while (off < total) {
        struct mb2_tag t = {blk + off, off, le_load32(blk + off), le_load32(blk + off + 4)};
        int rc = check_tag(out, &t, total);
        if (rc != 0)
            return rc;
        if (t.type == MB2_TAG_END) {
            rc = check_end(out, &t, total);
            // Every tag is read (tag 18 may follow tag 17): the EFI map now, if it is the map.
            if (rc == 0 && first[MB2_TAG_EFI_MMAP] != 0 && first[MB2_TAG_MMAP] == 0)
                rc = use_efi_mmap(out, blk, first[MB2_TAG_EFI_MMAP]);
            return rc;
        }
        rc = parse_tag(out, &t, first);
        if (rc != 0)
            return rc;
        // size <= total - off and total is 8-aligned, so the padded end stays <= total.
        off += (t.size + 7u) & ~7u;
    }
    return bootinfo_fail(out, E_FORMAT, "multiboot2: no end tag (type 0) before total_size %#x",
                         total);
}

static int check_total(struct boot_info *out, uint32_t total)
{
    if (total < MB2_MIN_TOTAL)
        return bootinfo_fail(out, E_FORMAT,
                             "multiboot2: total_size %#x is below the %u-byte minimum (header + "
                             "end tag)",
                             total, MB2_MIN_TOTAL);
    if (total > BOOTINFO_MB2_MAX_SIZE)
        return bootinfo_fail(out, E_TOOBIG, "multiboot2: total_size %#x is above the %#x-byte cap",
                             total, BOOTINFO_MB2_MAX_SIZE);
    if (total % 8 != 0)
        return bootinfo_fail(out, E_FORMAT, "multiboot2: total_size %#x is not a multiple of 8",
                             total);
    return 0;
}

int bootinfo_parse_multiboot2(struct boot_info *out, uint64_t phys)
{
    KASSERT(out != NULL);
    bootinfo_reset(out, BOOT_MULTIBOOT2, phys);
    if (phys % 8 != 0)
        return bootinfo_fail(out, E_ALIGN, "multiboot2: info block at %#llx is not 8-byte aligned",
                             (unsigned long long)phys);
    const uint8_t *hdr = hw_phys_to_virt(phys, MB2_HEADER_SIZE);
    if (hdr == NULL)
        return bootinfo_fail(out, E_RANGE,
                             "multiboot2: info block header at %#llx is not reachable",
                             (unsigned long long)phys);
    uint32_t total = le_load32(hdr);
    int rc = check_total(out, total);
    if (rc != 0)
        return rc;
    const uint8_t *blk = hw_phys_to_virt(phys, total);
    if (blk == NULL)
        return bootinfo_fail(out, E_RANGE,
                             "multiboot2: info block at %#llx with total_size %#x runs into "
                             "unreachable memory",
                             (unsigned long long)phys, total);
    rc = parse_tags(out, blk, total);
    if (rc != 0)
        return rc;
    out->info_size = total;
    return 0;
}
