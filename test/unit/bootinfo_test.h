// Shared by test_bootinfo.c (multiboot2) and test_bootinfo_pvh.c (PVH): the "physical memory"
// arena and writers into it, QEMU's memory map, the success/failure checks, and the table-driven
// runner in which every bad block is its own named cmocka test.
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/bootinfo.h"
#include "core/err.h"
#include "platform/host/mock_hw.h"

#define ARENA_BASE 0x100000u
#define ARENA_SIZE 0x20000u
#define ARENA_END  (ARENA_BASE + ARENA_SIZE)
#define FAR_AWAY   0x20000000u // outside the arena

static uint8_t *arena;

static inline int setup(void **state)
{
    mock_hw_reset();
    arena = mock_phys_arena(ARENA_BASE, ARENA_SIZE);
    return 0;
}

static inline int teardown(void **state)
{
    mock_hw_reset();
    arena = NULL;
    return 0;
}

static inline uint8_t *at(uint64_t phys)
{
    assert_true(phys >= ARENA_BASE && phys < ARENA_END);
    return arena + (phys - ARENA_BASE);
}

static inline void put32(uint64_t phys, uint32_t v)
{
    memcpy(at(phys), &v, sizeof(v));
}

static inline void put64(uint64_t phys, uint64_t v)
{
    memcpy(at(phys), &v, sizeof(v));
}

static inline void put_bytes(uint64_t phys, const void *src, size_t n)
{
    if (n > 0)
        memcpy(at(phys), src, n);
}

// Writes n memory-map entries {u64 base, u64 length, u32 type, u32 0}, `stride` bytes apart.
static inline void put_entries(uint64_t phys, const struct boot_mmap_entry *e, size_t n,
                               uint32_t stride)
{
    for (size_t i = 0; i < n; i++, phys += stride) {
        put64(phys, e[i].base);
        put64(phys + 8, e[i].length);
        put32(phys + 16, e[i].type);
        put32(phys + 20, 0);
    }
}

// ---- a multiboot2 block at MB2_AT, built tag by tag ----------------------------------------

#define MB2_AT (ARENA_BASE + 0x18000u) // 0x8000 bytes of room up to ARENA_END

static uint32_t mb2_len; // bytes so far, header included

static inline void mb2_begin(void)
{
    mb2_len = 8;
}

// Starts a tag of the given type and size (header included); returns its offset in the block.
static inline uint32_t mb2_raw(uint32_t type, uint32_t size)
{
    uint32_t off = mb2_len;
    put32(MB2_AT + off, type);
    put32(MB2_AT + off + 4, size);
    mb2_len = (off + size + 7u) & ~7u;
    return off;
}

static inline uint32_t mb2_tag(uint32_t type, const void *payload, uint32_t n)
{
    uint32_t off = mb2_raw(type, 8 + n);
    put_bytes(MB2_AT + off + 8, payload, n);
    return off;
}

static inline uint32_t mb2_str(uint32_t type, const char *s)
{
    return mb2_tag(type, s, (uint32_t)strlen(s) + 1);
}

static inline uint32_t mb2_mmap(const struct boot_mmap_entry *e, size_t n, uint32_t entry_size)
{
    uint32_t off = mb2_raw(6, 16 + (uint32_t)n * entry_size);
    put32(MB2_AT + off + 8, entry_size);
    put32(MB2_AT + off + 12, 0); // entry_version
    put_entries(MB2_AT + off + 16, e, n, entry_size);
    return off;
}

// An RGB framebuffer tag as GRUB writes it: the fixed part, a reserved u16, then the colour
// information (red at bit 16, green at 8, blue at 0, 8 bits each).
static inline uint32_t mb2_framebuffer(uint64_t addr, uint32_t width, uint32_t height, uint8_t bpp)
{
    uint32_t off = mb2_raw(8, 38);
    put64(MB2_AT + off + 8, addr);
    put32(MB2_AT + off + 16, width * bpp / 8);
    put32(MB2_AT + off + 20, width);
    put32(MB2_AT + off + 24, height);
    const uint8_t tail[10] = {bpp, BOOT_FB_RGB, 0, 0, 16, 8, 8, 8, 0, 8};
    put_bytes(MB2_AT + off + 28, tail, sizeof(tail));
    return off;
}

// Ends the block with an end tag and writes total_size.
static inline void mb2_finish(void)
{
    mb2_raw(0, 8);
    put32(MB2_AT, mb2_len);
    put32(MB2_AT + 4, 0);
}

// QEMU's e820 map for a 128 MiB guest, as GRUB and QEMU's PVH loader both pass it on.
static const struct boot_mmap_entry qemu_map[] = {
    {0x0, 0x9fc00, BOOT_MEM_USABLE},         {0x9fc00, 0x400, BOOT_MEM_RESERVED},
    {0xf0000, 0x10000, BOOT_MEM_RESERVED},   {0x100000, 0x7ee0000, BOOT_MEM_USABLE},
    {0x7fe0000, 0x20000, BOOT_MEM_RESERVED}, {0xfffc0000, 0x40000, BOOT_MEM_RESERVED},
};
#define QEMU_MAP_LEN (sizeof(qemu_map) / sizeof(qemu_map[0]))

static inline void assert_qemu_map(const struct boot_info *bi)
{
    assert_int_equal(bi->mmap_count, QEMU_MAP_LEN);
    for (size_t i = 0; i < QEMU_MAP_LEN; i++) {
        assert_int_equal(bi->mmap[i].base, qemu_map[i].base);
        assert_int_equal(bi->mmap[i].length, qemu_map[i].length);
        assert_int_equal(bi->mmap[i].type, qemu_map[i].type);
    }
}

static inline void assert_ok(const struct boot_info *bi, int rc)
{
    if (rc != 0)
        fail_msg("expected success, got %d (%s): \"%s\"", rc, err_str(rc), bi->error);
    assert_string_equal(bi->error, "");
}

// ---- long command lines ----------------------------------------------------------------------

// The lengths the long-line tests parse through each door: around BOOTINFO_CMDLINE_LIMIT, and far
// beyond it.
static const size_t long_cmdline_lens[] = {
    BOOTINFO_CMDLINE_LIMIT - 1, BOOTINFO_CMDLINE_LIMIT,     BOOTINFO_CMDLINE_LIMIT + 1,
    BOOTINFO_CMDLINE_LIMIT + 2, BOOTINFO_CMDLINE_LIMIT + 8, 20000,
};

// Fills line[0..len) with 7-byte words and single spaces ("aaaaaaa bbbbbbb ..."), NUL-terminated,
// and returns it. The buffer holds the longest of long_cmdline_lens.
static inline const char *long_cmdline(size_t len)
{
    static char line[20001];
    assert_true(len < sizeof(line));
    for (size_t i = 0; i < len; i++)
        line[i] = i % 8 == 7 ? ' ' : (char)('a' + i / 8 % 26);
    line[len] = '\0';
    return line;
}

// What the header promises for a line: all of it when it fits; else the longest prefix of at most
// BOOTINFO_CMDLINE_LIMIT bytes that ends where a word ends (the byte after is a space and the byte
// before is not), with the rest counted as dropped.
static inline void assert_cmdline_kept(const struct boot_info *bi, const char *line, size_t len)
{
    size_t keep = len;
    if (len > BOOTINFO_CMDLINE_LIMIT) {
        keep = BOOTINFO_CMDLINE_LIMIT;
        while (keep > 0 && !(line[keep] == ' ' && line[keep - 1] != ' '))
            keep--;
    }
    assert_int_equal(strlen(bi->cmdline), keep);
    assert_memory_equal(bi->cmdline, line, keep);
    assert_int_equal(bi->cmdline_dropped, len - keep);
}

// A failed parse returned `code`, its message mentions every needle (NULL-terminated list) and was
// not cut short, and nothing parsed before the failure is left behind.
static inline void check_failure(const struct boot_info *bi, int rc, int code,
                                 const char *const *needles)
{
    if (rc != code)
        fail_msg("expected %d (%s), got %d: \"%s\"", code, err_str(code), rc, bi->error);
    for (; *needles != NULL; needles++)
        if (strstr(bi->error, *needles) == NULL)
            fail_msg("error \"%s\" does not mention \"%s\"", bi->error, *needles);
    assert_true(strlen(bi->error) < BOOTINFO_ERROR_MAX - 1);
    assert_string_equal(bi->cmdline, "");
    assert_string_equal(bi->bootloader, "");
    assert_int_equal(bi->mmap_count, 0);
    assert_false(bi->framebuffer.present);
    assert_int_equal(bi->framebuffer.palette_colors, 0);
    assert_int_equal(bi->efi.system_table, 0);
    assert_int_equal(bi->efi.system_table_bits, 0);
    assert_false(bi->efi.boot_services);
    assert_int_equal(bi->efi.mmap_entries, 0);
    assert_false(bi->efi.mmap_used);
    assert_int_equal(bi->rsdp_phys, 0);
    assert_int_equal(bi->info_size, 0);
}

#define assert_failure(bi, rc, code, ...)                                                          \
    check_failure(bi, rc, code, (const char *const[]){__VA_ARGS__, NULL})

// One bad block: `build` writes it into the arena, bootinfo_parse(magic, phys) must fail with
// `code`, report `protocol`, and mention each needle in its message.
struct bad_case {
    const char *name;
    void (*build)(void);
    uint32_t magic;
    uint64_t phys;
    enum boot_protocol protocol;
    int code;
    const char *needles[4]; // up to 3, NULL-terminated
};

#define BAD_CASE(fn, magic, phys, protocol, code, ...)                                             \
    {                                                                                              \
#fn, fn, magic, phys, protocol, code,                                                      \
        {                                                                                          \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }

static inline void run_bad_case(void **state)
{
    const struct bad_case *c = *state;
    struct boot_info bi;
    memset(&bi, 0xa5, sizeof(bi));
    c->build();
    int rc = bootinfo_parse(&bi, c->magic, c->phys);
    check_failure(&bi, rc, c->code, c->needles);
    assert_int_equal(bi.protocol, c->protocol);
    assert_int_equal(bi.info_phys, c->phys);
}

// Runs the plain tests, then each bad case as a test of its own name, all with setup/teardown.
static inline int run_bootinfo_tests(const char *group, const struct CMUnitTest *plain,
                                     size_t nplain, const struct bad_case *bad, size_t nbad)
{
    struct CMUnitTest *all = calloc(nplain + nbad, sizeof(*all));
    assert_non_null(all);
    memcpy(all, plain, nplain * sizeof(*all));
    for (size_t i = 0; i < nbad; i++)
        all[nplain + i] =
            (struct CMUnitTest){bad[i].name, run_bad_case, setup, teardown, (void *)&bad[i]};
    int failed = _cmocka_run_group_tests(group, all, nplain + nbad, NULL, NULL);
    free(all);
    return failed;
}

#define TEST(f)  cmocka_unit_test_setup_teardown(f, setup, teardown)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
