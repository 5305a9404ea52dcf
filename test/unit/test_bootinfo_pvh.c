// Tests for core/bootinfo's PVH parser and the protocol detection: hvm_start_info blocks, command
// lines and memory maps placed in the mock "physical memory" arena, the good ones shaped like
// QEMU's
// (-kernel), and every way of being bad as its own named test (the table at the end).
#include "test/unit/bootinfo_test.h"

#define PVH_AT     (ARENA_BASE + 0x1000u)
#define CMDLINE_AT (ARENA_BASE + 0x2000u)
#define MEMMAP_AT  (ARENA_BASE + 0x3000u)
#define LONG_AT    (ARENA_BASE + 0x8000u) // room for BOOTINFO_PVH_CMDLINE_SCAN bytes and more

static void pvh_build(uint64_t phys, uint32_t version, uint64_t cmdline, uint64_t memmap,
                      uint32_t entries)
{
    put32(phys, BOOTINFO_PVH_MAGIC);
    put32(phys + 4, version);
    put32(phys + 8, 0);        // flags
    put32(phys + 12, 0);       // nr_modules
    put64(phys + 16, 0);       // modlist_paddr
    put64(phys + 24, cmdline); // cmdline_paddr
    put64(phys + 32, 0xf5a30); // rsdp_paddr
    if (version >= 1) {
        put64(phys + 40, memmap);
        put32(phys + 48, entries);
        put32(phys + 52, 0);
    }
}

static void build_qemu_pvh(void)
{
    put_bytes(CMDLINE_AT, "console=ttyS0 alloc=bump", 25);
    put_entries(MEMMAP_AT, qemu_map, QEMU_MAP_LEN, 24);
    pvh_build(PVH_AT, 1, CMDLINE_AT, MEMMAP_AT, QEMU_MAP_LEN);
}

static void pvh_qemu_block_gives_cmdline_and_memory_map(void **state)
{
    struct boot_info bi;
    memset(&bi, 0xa5, sizeof(bi));
    build_qemu_pvh();
    assert_ok(&bi, bootinfo_parse(&bi, 0, PVH_AT)); // PVH leaves eax undefined
    assert_int_equal(bi.protocol, BOOT_PVH);
    assert_int_equal(bi.info_phys, PVH_AT);
    assert_int_equal(bi.info_size, 56);
    assert_string_equal(bi.cmdline, "console=ttyS0 alloc=bump");
    assert_string_equal(bi.bootloader, "");
    assert_false(bi.framebuffer.present);
    assert_int_equal(bi.rsdp_phys, 0xf5a30);
    assert_qemu_map(&bi);
}

static void pvh_version_0_has_no_memory_map(void **state)
{
    struct boot_info bi;
    uint64_t phys = ARENA_END - 40; // the version 1 fields would lie outside memory
    put_bytes(CMDLINE_AT, "v0", 3);
    pvh_build(phys, 0, CMDLINE_AT, 0, 0);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, phys));
    assert_int_equal(bi.info_size, 40);
    assert_string_equal(bi.cmdline, "v0");
    assert_int_equal(bi.mmap_count, 0);
    assert_int_equal(bi.rsdp_phys, 0xf5a30); // rsdp_paddr is a version 0 field
}

// rsdp_paddr is copied as given: 0 (none) and any other value alike; core/acpi checks it.
static void pvh_rsdp_is_copied_unchecked(void **state)
{
    const uint64_t given[] = {0, 1, 0xffffffffffffffffull, ARENA_END};
    for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
        struct boot_info bi;
        memset(&bi, 0xa5, sizeof(bi));
        build_qemu_pvh();
        put64(PVH_AT + 32, given[i]);
        assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
        assert_int_equal(bi.rsdp_phys, given[i]);
    }
}

static void pvh_without_cmdline_or_memmap_entries_is_empty(void **state)
{
    struct boot_info bi;
    pvh_build(PVH_AT, 1, 0, MEMMAP_AT, 0);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
    assert_string_equal(bi.cmdline, "");
    assert_int_equal(bi.mmap_count, 0);
}

static void pvh_later_versions_are_read_as_version_1(void **state)
{
    struct boot_info bi;
    build_qemu_pvh();
    put32(PVH_AT + 4, 2);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
    assert_qemu_map(&bi);
}

static void pvh_cmdline_may_end_at_the_end_of_memory(void **state)
{
    struct boot_info bi;
    put_bytes(ARENA_END - 4, "abc", 4);
    pvh_build(PVH_AT, 1, ARENA_END - 4, 0, 0);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
    assert_string_equal(bi.cmdline, "abc");
}

// Every command line from empty to the limit is copied whole.
static void pvh_cmdlines_of_every_boundary_length_are_copied_whole(void **state)
{
    static const size_t lens[] = {0, 1, BOOTINFO_CMDLINE_LIMIT - 1, BOOTINFO_CMDLINE_LIMIT};
    for (size_t i = 0; i < COUNT(lens); i++) {
        struct boot_info bi;
        static char want[BOOTINFO_CMDLINE_LIMIT + 1];
        memset(want, 'p', lens[i]);
        want[lens[i]] = '\0';
        put_bytes(LONG_AT, want, lens[i] + 1);
        put_bytes(LONG_AT + lens[i] + 1, "junk", 4); // after the NUL: never read
        pvh_build(PVH_AT, 1, LONG_AT, 0, 0);
        memset(&bi, 0xa5, sizeof(bi));
        assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
        assert_string_equal(bi.cmdline, want);
        assert_int_equal(bi.cmdline_dropped, 0);
    }
}

// A command line past the limit is no error: it is cut where a word ends and the rest counted.
static void pvh_long_cmdlines_are_cut_at_a_word_end(void **state)
{
    for (size_t i = 0; i < COUNT(long_cmdline_lens); i++) {
        struct boot_info bi;
        const char *line = long_cmdline(long_cmdline_lens[i]);
        put_bytes(LONG_AT, line, long_cmdline_lens[i] + 1);
        pvh_build(PVH_AT, 1, LONG_AT, 0, 0);
        assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
        assert_cmdline_kept(&bi, line, long_cmdline_lens[i]);
    }
}

// The longest line the parser looks through: its NUL is the last byte it reads.
static void pvh_cmdline_with_its_nul_at_the_end_of_the_scan(void **state)
{
    struct boot_info bi;
    memset(at(LONG_AT), 'y', BOOTINFO_PVH_CMDLINE_SCAN - 1);
    put_bytes(LONG_AT + 10, " ", 1);
    put_bytes(LONG_AT + BOOTINFO_PVH_CMDLINE_SCAN - 1, "", 1);
    pvh_build(PVH_AT, 1, LONG_AT, 0, 0);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
    assert_int_equal(strlen(bi.cmdline), 10);
    assert_int_equal(bi.cmdline_dropped, BOOTINFO_PVH_CMDLINE_SCAN - 1 - 10);
}

// The longest kept command line whose NUL is the last byte of memory.
static void pvh_longest_cmdline_may_end_at_the_end_of_memory(void **state)
{
    struct boot_info bi;
    uint64_t at_end = ARENA_END - (BOOTINFO_CMDLINE_LIMIT + 1);
    memset(at(at_end), 'e', BOOTINFO_CMDLINE_LIMIT);
    put_bytes(ARENA_END - 1, "", 1);
    pvh_build(PVH_AT, 1, at_end, 0, 0);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
    assert_int_equal(strlen(bi.cmdline), BOOTINFO_CMDLINE_LIMIT);
}

static void pvh_memmap_of_one_entry_and_of_one_short_of_the_maximum(void **state)
{
    static const uint32_t counts[] = {1, BOOTINFO_MMAP_MAX - 1};
    for (size_t c = 0; c < COUNT(counts); c++) {
        struct boot_info bi;
        struct boot_mmap_entry e = {0x5000, 0x1000, BOOT_MEM_ACPI_NVS};
        put_entries(MEMMAP_AT + (counts[c] - 1) * 24, &e, 1, 24);
        pvh_build(PVH_AT, 1, 0, MEMMAP_AT, counts[c]);
        assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
        assert_int_equal(bi.mmap_count, counts[c]);
        assert_int_equal(bi.mmap[counts[c] - 1].base, 0x5000);
        assert_int_equal(bi.mmap[counts[c] - 1].type, BOOT_MEM_ACPI_NVS);
    }
}

// The maximum number of entries, the last one's last byte the last byte of memory.
static void pvh_memmap_of_the_maximum_may_end_at_the_end_of_memory(void **state)
{
    struct boot_info bi;
    uint64_t map = ARENA_END - BOOTINFO_MMAP_MAX * 24;
    struct boot_mmap_entry last = {0x7000, 0x1000, BOOT_MEM_USABLE};
    put_entries(ARENA_END - 24, &last, 1, 24);
    pvh_build(PVH_AT, 1, 0, map, BOOTINFO_MMAP_MAX);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
    assert_int_equal(bi.mmap_count, BOOTINFO_MMAP_MAX);
    assert_int_equal(bi.mmap[BOOTINFO_MMAP_MAX - 1].base, 0x7000);
}

static void pvh_memmap_of_exactly_the_maximum_fits(void **state)
{
    struct boot_info bi;
    pvh_build(PVH_AT, 1, 0, MEMMAP_AT, BOOTINFO_MMAP_MAX);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
    assert_int_equal(bi.mmap_count, BOOTINFO_MMAP_MAX);
}

// The hint needs all four bytes printable (0x20..0x7e): one byte outside, anywhere, and it is
// not given.
static void pvh_text_hint_needs_four_printable_bytes(void **state)
{
    static const char *const hint = "but text";
    static const uint8_t printable[] = {0x20, 0x7e}, other[] = {0x1f, 0x7f, 0x00, 0xe9};
    struct boot_info bi;
    for (size_t i = 0; i < COUNT(printable); i++) {
        memset(at(PVH_AT), printable[i], 4);
        assert_int_equal(bootinfo_parse(&bi, 0, PVH_AT), E_INVAL);
        assert_non_null(strstr(bi.error, hint));
    }
    for (size_t pos = 0; pos < 4; pos++) {
        for (size_t i = 0; i < COUNT(other); i++) {
            memset(at(PVH_AT), 'y', 4);
            at(PVH_AT)[pos] = other[i];
            assert_int_equal(bootinfo_parse(&bi, 0, PVH_AT), E_INVAL);
            assert_null(strstr(bi.error, hint));
        }
    }
}

static void pvh_parser_called_directly_rejects_bad_magic(void **state)
{
    struct boot_info bi;
    build_qemu_pvh();
    put32(PVH_AT, 0x1badb002);
    int rc = bootinfo_parse_pvh(&bi, PVH_AT);
    assert_failure(&bi, rc, E_FORMAT, "PVH: start info at 0x101000 has magic 0x1badb002");
    assert_int_equal(bi.protocol, BOOT_PVH);
}

// ---- bad blocks, one named test each -----------------------------------------------------------

static void pvh_bad_magic_is_unknown_protocol(void)
{
    build_qemu_pvh();
    put32(PVH_AT, BOOTINFO_PVH_MAGIC ^ 1);
}

// Nothing to build: the address alone is wrong.
static void unknown_eax_and_unreachable_block(void) {}

static void pvh_start_info_misaligned(void)
{
    pvh_build(PVH_AT + 4, 1, 0, 0, 0);
}

static void pvh_start_info_truncated(void)
{
    put32(ARENA_END - 32, BOOTINFO_PVH_MAGIC); // only 32 of the 40 bytes exist
    put32(ARENA_END - 28, 0);
}

static void pvh_v1_start_info_truncated(void)
{
    pvh_build(ARENA_END - 40, 0, 0, 0, 0);
    put32(ARENA_END - 40 + 4, 1); // version 1 needs 56 bytes
}

static void pvh_cmdline_unreachable(void)
{
    pvh_build(PVH_AT, 1, FAR_AWAY, 0, 0);
}

static void pvh_cmdline_unterminated(void)
{
    put_bytes(ARENA_END - 4, "abcd", 4);
    pvh_build(PVH_AT, 1, ARENA_END - 4, 0, 0);
}

// No NUL in the bytes the parser looks through: not a command line but stray memory.
static void pvh_cmdline_without_nul_in_the_scan(void)
{
    memset(at(LONG_AT), 'a', BOOTINFO_PVH_CMDLINE_SCAN);
    pvh_build(PVH_AT, 1, LONG_AT, 0, 0);
}

// A line past the limit with no NUL before the end of memory: unreachable, as a short one.
static void pvh_long_cmdline_runs_out_of_memory(void)
{
    uint64_t from = ARENA_END - (BOOTINFO_CMDLINE_LIMIT + 100);
    memset(at(from), 'a', BOOTINFO_CMDLINE_LIMIT + 100);
    pvh_build(PVH_AT, 1, from, 0, 0);
}

// A line the limit would hold, at the end of memory, with no room left for the NUL.
static void pvh_cmdline_that_would_fit_runs_out_of_memory(void)
{
    memset(at(ARENA_END - BOOTINFO_CMDLINE_LIMIT), 'a', BOOTINFO_CMDLINE_LIMIT);
    pvh_build(PVH_AT, 1, ARENA_END - BOOTINFO_CMDLINE_LIMIT, 0, 0);
}

// What QEMU's PVH loader leaves when a command line overruns its start info: text, no magic.
static void pvh_start_info_overwritten_by_text(void)
{
    pvh_build(PVH_AT, 1, 0, 0, 0);
    put_bytes(PVH_AT, "yyyy", 4);
}

// The maximum number of entries, the last one a byte short of memory.
static void pvh_memmap_of_the_maximum_one_byte_past_memory(void)
{
    pvh_build(PVH_AT, 1, 0, ARENA_END - BOOTINFO_MMAP_MAX * 24 + 1, BOOTINFO_MMAP_MAX);
}

static void pvh_memmap_of_uint32_max_entries(void)
{
    pvh_build(PVH_AT, 1, 0, MEMMAP_AT, UINT32_MAX);
}

// The widest detection message with the largest numbers fits the error buffer uncut.
static void unknown_eax_and_the_highest_unreachable_block(void) {}

static void pvh_memmap_unreachable(void)
{
    pvh_build(PVH_AT, 1, 0, FAR_AWAY, 3);
}

static void pvh_memmap_partly_unreachable(void)
{
    pvh_build(PVH_AT, 1, 0, ARENA_END - 48, 3); // the third entry lies outside
}

static void pvh_memmap_too_many_entries(void)
{
    pvh_build(PVH_AT, 1, 0, MEMMAP_AT, BOOTINFO_MMAP_MAX + 1);
}

static void pvh_memmap_entries_without_address(void)
{
    pvh_build(PVH_AT, 1, 0, 0, 2);
}

static void pvh_memmap_entry_wraps(void)
{
    const struct boot_mmap_entry wrap = {0xffffffffffff0000, 0x10000, BOOT_MEM_RESERVED};
    put_entries(MEMMAP_AT, &wrap, 1, 24);
    pvh_build(PVH_AT, 1, 0, MEMMAP_AT, 1);
}

#define PVH_BAD(fn, code, ...) BAD_CASE(fn, 0, PVH_AT, BOOT_PVH, code, __VA_ARGS__)

static const struct bad_case bad_cases[] = {
    BAD_CASE(pvh_bad_magic_is_unknown_protocol, 0xdeadbeef, PVH_AT, BOOT_UNKNOWN, E_INVAL,
             "eax 0xdeadbeef", "0x101000 holds no PVH magic"),
    BAD_CASE(pvh_start_info_overwritten_by_text, 0, PVH_AT, BOOT_UNKNOWN, E_INVAL,
             "0x101000 holds no PVH magic but text (a command line too long for the loader?)"),
    BAD_CASE(unknown_eax_and_unreachable_block, 0x2badb002, FAR_AWAY, BOOT_UNKNOWN, E_INVAL,
             "eax 0x2badb002", "0x20000000 is not reachable"),
    BAD_CASE(pvh_start_info_misaligned, 0, PVH_AT + 4, BOOT_PVH, E_ALIGN, "0x101004",
             "8-byte aligned"),
    BAD_CASE(pvh_start_info_truncated, 0, ARENA_END - 32, BOOT_PVH, E_RANGE, "0x11ffe0",
             "(40 bytes) is not reachable"),
    BAD_CASE(pvh_v1_start_info_truncated, 0, ARENA_END - 40, BOOT_PVH, E_RANGE,
             "version 1 start info at 0x11ffd8 (56 bytes)"),
    PVH_BAD(pvh_cmdline_unreachable, E_RANGE, "command line at 0x20000000 is not reachable"),
    PVH_BAD(pvh_cmdline_unterminated, E_RANGE, "command line at 0x11fffc",
            "unreachable memory after 4 bytes"),
    PVH_BAD(pvh_cmdline_without_nul_in_the_scan, E_TOOBIG, "command line at 0x108000",
            "no NUL in its first 65536 bytes"),
    PVH_BAD(pvh_long_cmdline_runs_out_of_memory, E_RANGE, "command line at 0x11ef9c",
            "unreachable memory after 4196 bytes, before its NUL"),
    PVH_BAD(pvh_cmdline_that_would_fit_runs_out_of_memory, E_RANGE, "command line at 0x11f000",
            "unreachable memory after 4096 bytes, before its NUL"),
    PVH_BAD(pvh_memmap_of_the_maximum_one_byte_past_memory, E_RANGE,
            "memory map at 0x11f401 (128 entries, 0xc00 bytes) is not reachable"),
    PVH_BAD(pvh_memmap_of_uint32_max_entries, E_TOOBIG, "4294967295 entries; at most 128 fit"),
    BAD_CASE(unknown_eax_and_the_highest_unreachable_block, UINT32_MAX, 0xfffffffffffffff8,
             BOOT_UNKNOWN, E_INVAL,
             "unknown boot protocol: eax 0xffffffff is not the multiboot2 magic and "
             "0xfffffffffffffff8 is not reachable"),
    PVH_BAD(pvh_memmap_unreachable, E_RANGE,
            "memory map at 0x20000000 (3 entries, 0x48 bytes) is not reachable"),
    PVH_BAD(pvh_memmap_partly_unreachable, E_RANGE, "memory map at 0x11ffd0", "not reachable"),
    PVH_BAD(pvh_memmap_too_many_entries, E_TOOBIG, "129 entries; at most 128 fit"),
    PVH_BAD(pvh_memmap_entries_without_address, E_FORMAT,
            "memmap_entries is 2 but memmap_paddr is 0"),
    PVH_BAD(pvh_memmap_entry_wraps, E_FORMAT,
            "PVH: memory map entry 0 (base 0xffffffffffff0000, length 0x10000) wraps"),
};

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(pvh_qemu_block_gives_cmdline_and_memory_map),
        TEST(pvh_version_0_has_no_memory_map),
        TEST(pvh_rsdp_is_copied_unchecked),
        TEST(pvh_without_cmdline_or_memmap_entries_is_empty),
        TEST(pvh_later_versions_are_read_as_version_1),
        TEST(pvh_cmdline_may_end_at_the_end_of_memory),
        TEST(pvh_cmdlines_of_every_boundary_length_are_copied_whole),
        TEST(pvh_long_cmdlines_are_cut_at_a_word_end),
        TEST(pvh_cmdline_with_its_nul_at_the_end_of_the_scan),
        TEST(pvh_longest_cmdline_may_end_at_the_end_of_memory),
        TEST(pvh_memmap_of_one_entry_and_of_one_short_of_the_maximum),
        TEST(pvh_memmap_of_the_maximum_may_end_at_the_end_of_memory),
        TEST(pvh_memmap_of_exactly_the_maximum_fits),
        TEST(pvh_text_hint_needs_four_printable_bytes),
        TEST(pvh_parser_called_directly_rejects_bad_magic),
    };
    return run_bootinfo_tests("bootinfo_pvh", tests, COUNT(tests), bad_cases, COUNT(bad_cases));
}
