// Tests for core/bootinfo's multiboot2 parser, protocol detection and names: good blocks built tag
// by tag in the mock "physical memory" arena, shaped like GRUB's, and every length boundary they
// may reach. The bad blocks are in test_bootinfo_mb2_errors.c, PVH in test_bootinfo_pvh.c.
#include "test/unit/bootinfo_test.h"

static void build_grub_block(void)
{
    static const uint8_t load_base[4] = {0x00, 0x00, 0x10, 0x00};
    static const uint8_t meminfo[8] = {0x7f, 0x02, 0, 0, 0x80, 0xf9, 0x01, 0};
    static const uint8_t bootdev[12] = {0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t rsdp[20] = "RSD PTR BOCHS ";
    static const uint8_t vendor[5] = {1, 2, 3, 4, 5};
    mb2_begin();
    mb2_tag(21, load_base, sizeof(load_base));
    mb2_str(1, "root=/dev/sda1 alloc=linked_list");
    mb2_str(2, "GRUB 2.06");
    mb2_tag(4, meminfo, sizeof(meminfo));
    mb2_tag(5, bootdev, sizeof(bootdev));
    mb2_mmap(qemu_map, QEMU_MAP_LEN, 24);
    mb2_framebuffer(0xfd000000, 1024, 768, 32);
    mb2_tag(14, rsdp, sizeof(rsdp));
    mb2_tag(0x7777, vendor, sizeof(vendor)); // unknown type, size not a multiple of 8
    mb2_finish();
}

// ---- good blocks -------------------------------------------------------------------------------

static void mb2_grub_block_gives_every_field(void **state)
{
    struct boot_info bi;
    memset(&bi, 0xa5, sizeof(bi)); // whatever was there before must not survive
    build_grub_block();
    assert_ok(&bi, bootinfo_parse(&bi, BOOTINFO_MB2_MAGIC, MB2_AT));
    assert_int_equal(bi.protocol, BOOT_MULTIBOOT2);
    assert_int_equal(bi.info_phys, MB2_AT);
    assert_int_equal(bi.info_size, mb2_len);
    assert_string_equal(bi.cmdline, "root=/dev/sda1 alloc=linked_list");
    assert_string_equal(bi.bootloader, "GRUB 2.06");
    assert_qemu_map(&bi);
    assert_true(bi.framebuffer.present);
    assert_int_equal(bi.framebuffer.addr, 0xfd000000);
    assert_int_equal(bi.framebuffer.pitch, 4096);
    assert_int_equal(bi.framebuffer.width, 1024);
    assert_int_equal(bi.framebuffer.height, 768);
    assert_int_equal(bi.framebuffer.bpp, 32);
    assert_int_equal(bi.framebuffer.type, BOOT_FB_RGB);
}

static void mb2_minimal_block_gives_empty_fields(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.info_size, 16);
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.bootloader, "");
    assert_int_equal(bi.mmap_count, 0);
    assert_false(bi.framebuffer.present);
}

static void mb2_block_may_end_exactly_at_the_end_of_memory(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_str(1, "quiet");
    mb2_finish();
    uint64_t phys = ARENA_END - mb2_len;
    memmove(at(phys), at(MB2_AT), mb2_len);
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, phys));
    assert_string_equal(bi.cmdline, "quiet");
}

// Every name length from empty to exactly the buffer (BOOTINFO_NAME_MAX - 1 bytes and the NUL)
// is copied whole, the lengths past it are the E_TOOBIG cases in the table below; command lines
// from empty to the limit are copied whole too.
static void mb2_strings_of_every_boundary_length_are_copied_whole(void **state)
{
    static const size_t cmdline_lens[] = {0, 1, BOOTINFO_CMDLINE_LIMIT - 1, BOOTINFO_CMDLINE_LIMIT};
    static const size_t name_lens[] = {0, 1, BOOTINFO_NAME_MAX - 2, BOOTINFO_NAME_MAX - 1};
    for (size_t i = 0; i < COUNT(cmdline_lens); i++) {
        struct boot_info bi;
        static char cmdline[BOOTINFO_CMDLINE_LIMIT + 1];
        char name[BOOTINFO_NAME_MAX];
        memset(cmdline, 'c', cmdline_lens[i]);
        cmdline[cmdline_lens[i]] = '\0';
        memset(name, 'n', name_lens[i]);
        name[name_lens[i]] = '\0';
        memset(&bi, 0xa5, sizeof(bi));
        mb2_begin();
        mb2_str(1, cmdline);
        mb2_str(2, name);
        mb2_finish();
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        assert_string_equal(bi.cmdline, cmdline);
        assert_int_equal(bi.cmdline_dropped, 0);
        assert_string_equal(bi.bootloader, name);
    }
}

// A command line past the limit is no error: it is cut where a word ends and the rest counted.
static void mb2_long_cmdlines_are_cut_at_a_word_end(void **state)
{
    for (size_t i = 0; i < COUNT(long_cmdline_lens); i++) {
        struct boot_info bi;
        const char *line = long_cmdline(long_cmdline_lens[i]);
        mb2_begin();
        mb2_str(1, line);
        mb2_finish();
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        assert_cmdline_kept(&bi, line, long_cmdline_lens[i]);
    }
    // Worked out by hand: the 4097-byte line ends in a one-byte word at 4096 after a space at 4095,
    // so 4095 bytes are kept and 2 dropped.
    struct boot_info bi;
    mb2_begin();
    mb2_str(1, long_cmdline(BOOTINFO_CMDLINE_LIMIT + 1));
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(strlen(bi.cmdline), 4095);
    assert_int_equal(bi.cmdline_dropped, 2);
}

// A single word longer than the limit cannot be cut in two: none of it is kept.
static void mb2_one_word_longer_than_the_limit_is_dropped_whole(void **state)
{
    static char word[BOOTINFO_CMDLINE_LIMIT + 2];
    memset(word, 'w', sizeof(word) - 1);
    struct boot_info bi;
    mb2_begin();
    mb2_str(1, word);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_string_equal(bi.cmdline, "");
    assert_int_equal(bi.cmdline_dropped, BOOTINFO_CMDLINE_LIMIT + 1);
}

static void mb2_mmap_tag_without_entries_gives_an_empty_map(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_mmap(NULL, 0, 24); // just the 16-byte header
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.mmap_count, 0);
}

static void mb2_mmap_of_one_entry_and_of_one_short_of_the_maximum(void **state)
{
    static const size_t counts[] = {1, BOOTINFO_MMAP_MAX - 1};
    for (size_t c = 0; c < COUNT(counts); c++) {
        struct boot_info bi;
        struct boot_mmap_entry many[BOOTINFO_MMAP_MAX];
        for (size_t i = 0; i < counts[c]; i++)
            many[i] = (struct boot_mmap_entry){i << 20, 1u << 20, BOOT_MEM_USABLE};
        mb2_begin();
        mb2_mmap(many, counts[c], 24);
        mb2_finish();
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        assert_int_equal(bi.mmap_count, counts[c]);
        assert_int_equal(bi.mmap[counts[c] - 1].base, (counts[c] - 1) << 20);
    }
}

// The count limit is on entries, not bytes: the maximum with entries longer than 24 bytes fits.
static void mb2_mmap_of_the_maximum_with_long_entries_fits(void **state)
{
    struct boot_info bi;
    struct boot_mmap_entry many[BOOTINFO_MMAP_MAX];
    for (size_t i = 0; i < BOOTINFO_MMAP_MAX; i++)
        many[i] = (struct boot_mmap_entry){i * 0x1000, 0x1000, (uint32_t)i};
    mb2_begin();
    mb2_mmap(many, BOOTINFO_MMAP_MAX, 48);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.mmap_count, BOOTINFO_MMAP_MAX);
    assert_int_equal(bi.mmap[BOOTINFO_MMAP_MAX - 1].type, BOOTINFO_MMAP_MAX - 1);
}

// total_size exactly BOOTINFO_MB2_MAX_SIZE, ending at the end of memory: one skipped tag fills it.
static void mb2_block_of_exactly_the_size_cap_is_accepted(void **state)
{
    struct boot_info bi;
    uint64_t phys = ARENA_END - BOOTINFO_MB2_MAX_SIZE;
    put32(phys, BOOTINFO_MB2_MAX_SIZE);
    put32(phys + 4, 0);
    put32(phys + 8, 0x99);
    put32(phys + 12, BOOTINFO_MB2_MAX_SIZE - 16);
    put32(phys + BOOTINFO_MB2_MAX_SIZE - 8, 0);
    put32(phys + BOOTINFO_MB2_MAX_SIZE - 4, 8);
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, phys));
    assert_int_equal(bi.info_size, BOOTINFO_MB2_MAX_SIZE);
}

static void mb2_empty_string_and_bytes_after_the_nul_are_fine(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_tag(1, "\0junk", 5);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_string_equal(bi.cmdline, "");
}

static void mb2_mmap_entries_are_read_by_entry_size(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_mmap(qemu_map, QEMU_MAP_LEN, 32); // a future, longer entry version
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_qemu_map(&bi);
}

static void mb2_mmap_keeps_unknown_types_and_empty_entries(void **state)
{
    struct boot_info bi;
    const struct boot_mmap_entry odd[] = {
        {0x1000, 0, 0x99}, {0x2000, 0x1000, 0}, {0x3000, UINT64_MAX - 0x3000, 7}};
    mb2_begin();
    mb2_mmap(odd, 3, 24);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.mmap_count, 3);
    assert_int_equal(bi.mmap[0].type, 0x99);
    assert_int_equal(bi.mmap[0].length, 0);
    assert_int_equal(bi.mmap[1].type, 0);
    assert_int_equal(bi.mmap[2].length, UINT64_MAX - 0x3000);
}

static void mb2_mmap_of_exactly_the_maximum_fits(void **state)
{
    struct boot_info bi;
    struct boot_mmap_entry many[BOOTINFO_MMAP_MAX];
    for (size_t i = 0; i < BOOTINFO_MMAP_MAX; i++)
        many[i] = (struct boot_mmap_entry){i * 0x1000, 0x1000, BOOT_MEM_USABLE};
    mb2_begin();
    mb2_mmap(many, BOOTINFO_MMAP_MAX, 24);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.mmap_count, BOOTINFO_MMAP_MAX);
    assert_int_equal(bi.mmap[BOOTINFO_MMAP_MAX - 1].base, (BOOTINFO_MMAP_MAX - 1) * 0x1000);
}

static void mb2_repeated_unknown_tags_are_skipped(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_tag(3, "module", 6); // modules (3) legitimately repeat
    mb2_tag(3, "module", 6);
    mb2_tag(0xffffffff, NULL, 0);
    mb2_str(1, "after");
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_string_equal(bi.cmdline, "after");
}

static void mb2_magic_wins_over_a_block_that_looks_like_pvh(void **state)
{
    struct boot_info bi;
    put32(MB2_AT, BOOTINFO_PVH_MAGIC); // read as a total_size, far above the cap
    int rc = bootinfo_parse(&bi, BOOTINFO_MB2_MAGIC, MB2_AT);
    assert_failure(&bi, rc, E_TOOBIG, "multiboot2: total_size 0x336ec578");
    assert_int_equal(bi.protocol, BOOT_MULTIBOOT2);
}

// ---- names, caller bugs, the message format ----------------------------------------------------

static void protocol_names(void **state)
{
    assert_string_equal(bootinfo_protocol_name(BOOT_MULTIBOOT2), "multiboot2");
    assert_string_equal(bootinfo_protocol_name(BOOT_PVH), "PVH");
    assert_string_equal(bootinfo_protocol_name(BOOT_UNKNOWN), "unknown");
    assert_string_equal(bootinfo_protocol_name((enum boot_protocol)42), "unknown");
}

static void mem_type_names_cover_every_value(void **state)
{
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_USABLE), "usable");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_RESERVED), "reserved");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_ACPI_RECLAIMABLE), "ACPI reclaimable");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_ACPI_NVS), "ACPI NVS");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_BAD), "bad");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_DISABLED), "disabled");
    assert_string_equal(bootinfo_mem_type_name(BOOT_MEM_PERSISTENT), "persistent");
    assert_string_equal(bootinfo_mem_type_name(0), "unknown");
    assert_string_equal(bootinfo_mem_type_name(8), "unknown");
    assert_string_equal(bootinfo_mem_type_name(UINT32_MAX), "unknown");
}

static void null_out_is_a_caller_bug(void **state)
{
    expect_assert_failure(bootinfo_parse(NULL, BOOTINFO_MB2_MAGIC, MB2_AT));
    expect_assert_failure(bootinfo_parse_multiboot2(NULL, MB2_AT));
    expect_assert_failure(bootinfo_parse_pvh(NULL, MB2_AT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(mb2_grub_block_gives_every_field),
        TEST(mb2_minimal_block_gives_empty_fields),
        TEST(mb2_block_may_end_exactly_at_the_end_of_memory),
        TEST(mb2_strings_of_every_boundary_length_are_copied_whole),
        TEST(mb2_long_cmdlines_are_cut_at_a_word_end),
        TEST(mb2_one_word_longer_than_the_limit_is_dropped_whole),
        TEST(mb2_mmap_tag_without_entries_gives_an_empty_map),
        TEST(mb2_mmap_of_one_entry_and_of_one_short_of_the_maximum),
        TEST(mb2_mmap_of_the_maximum_with_long_entries_fits),
        TEST(mb2_block_of_exactly_the_size_cap_is_accepted),
        TEST(mb2_empty_string_and_bytes_after_the_nul_are_fine),
        TEST(mb2_mmap_entries_are_read_by_entry_size),
        TEST(mb2_mmap_keeps_unknown_types_and_empty_entries),
        TEST(mb2_mmap_of_exactly_the_maximum_fits),
        TEST(mb2_repeated_unknown_tags_are_skipped),
        TEST(mb2_magic_wins_over_a_block_that_looks_like_pvh),
        TEST(protocol_names),
        TEST(mem_type_names_cover_every_value),
        TEST(null_out_is_a_caller_bug),
    };
    return run_bootinfo_tests("bootinfo_multiboot2", tests, COUNT(tests), NULL, 0);
}
