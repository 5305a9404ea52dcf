// Tests for core/bootinfo*.c that `make mutate` asked for: the edges of the protocol detection
// (exactly four magic bytes, a word just below the PVH magic), of the multiboot2 tag checks (a
// tag past total_size by less than its offset, a framebuffer tag of exactly its fixed part, a
// name that fills its buffer followed directly by another tag) and of the PVH parser (bytes above
// 0x7f in the command line, a magic above PVH's, a version above 1), and the messages' details.
#include "core/bootinfo_internal.h"
#include "test/unit/bootinfo_test.h"

#define PVH_AT     (ARENA_BASE + 0x1000u)
#define CMDLINE_AT (ARENA_BASE + 0x2000u)
#define MEMMAP_AT  (ARENA_BASE + 0x3000u)

static void pvh_put(uint32_t magic, uint32_t version, uint64_t cmdline, uint64_t memmap,
                    uint32_t entries)
{
    put32(PVH_AT, magic);
    put32(PVH_AT + 4, version);
    put64(PVH_AT + 24, cmdline);
    put64(PVH_AT + 40, memmap);
    put32(PVH_AT + 48, entries);
}

// ---- detection ---------------------------------------------------------------------------------

static void detection_needs_only_the_four_magic_bytes(void **state)
{
    struct boot_info bi;
    put32(ARENA_END - 4, 0x12345678);
    int rc = bootinfo_parse(&bi, 0, ARENA_END - 4);
    assert_failure(&bi, rc, E_INVAL, "holds no PVH magic");
    rc = bootinfo_parse(&bi, 0, ARENA_END - 3); // 3 bytes left: the magic cannot be read
    assert_failure(&bi, rc, E_INVAL, "is not reachable");
}

static void a_word_below_the_pvh_magic_is_not_pvh(void **state)
{
    struct boot_info bi;
    put32(PVH_AT, BOOTINFO_PVH_MAGIC - 1);
    int rc = bootinfo_parse(&bi, 0, PVH_AT);
    assert_failure(&bi, rc, E_INVAL, "holds no PVH magic");
    assert_int_equal(bi.protocol, BOOT_UNKNOWN);
}

static void null_out_is_a_caller_bug_without_a_multiboot2_magic(void **state)
{
    expect_assert_failure(bootinfo_parse(NULL, 0, FAR_AWAY));
}

static void adding_past_the_last_map_slot_is_a_caller_bug(void **state)
{
    struct boot_info bi;
    bootinfo_reset(&bi, BOOT_PVH, 0);
    bi.mmap_count = BOOTINFO_MMAP_MAX - 1;
    assert_int_equal(bootinfo_add_mmap(&bi, "test", 0x1000, 0x1000, BOOT_MEM_USABLE), 0);
    assert_int_equal(bi.mmap_count, BOOTINFO_MMAP_MAX);
    expect_assert_failure(bootinfo_add_mmap(&bi, "test", 0x2000, 0x1000, BOOT_MEM_USABLE));
}

// ---- multiboot2 --------------------------------------------------------------------------------

static void mb2_small_entry_size_message_names_the_minimum(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_mmap(qemu_map, 1, 16);
    mb2_finish();
    int rc = bootinfo_parse_multiboot2(&bi, MB2_AT);
    assert_failure(&bi, rc, E_FORMAT, "entry_size 0x10; needs >= 24 and a multiple of 8");
}

static void mb2_repeated_framebuffer_is_named_in_the_message(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_framebuffer(0xfd000000, 1024, 768, 32);
    mb2_framebuffer(0xfd000000, 1024, 768, 32);
    mb2_finish();
    int rc = bootinfo_parse_multiboot2(&bi, MB2_AT);
    assert_failure(&bi, rc, E_FORMAT, "tag 8 (framebuffer) at offset 0x30 repeats");
}

static void mb2_framebuffer_of_exactly_its_fixed_part_is_read(void **state)
{
    struct boot_info bi;
    mb2_begin();
    uint32_t off = mb2_raw(8, 31); // u64 addr, u32 pitch, width, height, u8 bpp, type, reserved
    put64(MB2_AT + off + 8, 0xb8000);
    put32(MB2_AT + off + 16, 160);
    put32(MB2_AT + off + 20, 80);
    put32(MB2_AT + off + 24, 25);
    put_bytes(MB2_AT + off + 28, (const uint8_t[]){16, BOOT_FB_EGA_TEXT, 0}, 3);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_true(bi.framebuffer.present);
    assert_int_equal(bi.framebuffer.width, 80);
    assert_int_equal(bi.framebuffer.type, BOOT_FB_EGA_TEXT);
}

static void mb2_tag_past_total_size_by_less_than_its_offset_is_refused(void **state)
{
    struct boot_info bi;
    mb2_begin();
    mb2_raw(0x77, 8);                // at 0x8
    uint32_t off = mb2_raw(0x77, 8); // at 0x10, then said to be 0x20 long
    mb2_finish();                    // end tag at 0x18, total_size 0x20
    put32(MB2_AT + off + 4, 0x20);
    int rc = bootinfo_parse_multiboot2(&bi, MB2_AT);
    assert_failure(&bi, rc, E_FORMAT, "tag 119 at offset 0x10 has size 0x20, past total_size 0x20");
}

static void mb2_full_name_right_before_another_tag_is_copied_alone(void **state)
{
    // 8 + 63 + 1 = 72 bytes: no padding, the memory-map tag's first byte follows the NUL.
    struct boot_info bi;
    char name[BOOTINFO_NAME_MAX];
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    mb2_begin();
    mb2_str(2, name);
    mb2_mmap(qemu_map, QEMU_MAP_LEN, 24);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_string_equal(bi.bootloader, name);
    assert_qemu_map(&bi);
}

// ---- PVH ---------------------------------------------------------------------------------------

static void pvh_command_line_keeps_bytes_above_0x7f(void **state)
{
    struct boot_info bi;
    put_bytes(CMDLINE_AT, "caf\xc3\xa9 \xff!", 9);
    pvh_put(BOOTINFO_PVH_MAGIC, 0, CMDLINE_AT, 0, 0);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
    assert_string_equal(bi.cmdline, "caf\xc3\xa9 \xff!");
}

static void pvh_magic_above_the_right_one_is_refused(void **state)
{
    struct boot_info bi;
    pvh_put(0xffffffff, 0, 0, 0, 0);
    int rc = bootinfo_parse_pvh(&bi, PVH_AT);
    assert_failure(&bi, rc, E_FORMAT, "has magic 0xffffffff, not 0x336ec578");
}

static void pvh_version_above_1_is_read_as_version_1(void **state)
{
    struct boot_info bi;
    put_entries(MEMMAP_AT, qemu_map, QEMU_MAP_LEN, 24);
    pvh_put(BOOTINFO_PVH_MAGIC, 2, 0, MEMMAP_AT, QEMU_MAP_LEN);
    assert_ok(&bi, bootinfo_parse_pvh(&bi, PVH_AT));
    assert_int_equal(bi.info_size, 56);
    assert_qemu_map(&bi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(detection_needs_only_the_four_magic_bytes),
        TEST(a_word_below_the_pvh_magic_is_not_pvh),
        TEST(null_out_is_a_caller_bug_without_a_multiboot2_magic),
        TEST(adding_past_the_last_map_slot_is_a_caller_bug),
        TEST(mb2_small_entry_size_message_names_the_minimum),
        TEST(mb2_repeated_framebuffer_is_named_in_the_message),
        TEST(mb2_framebuffer_of_exactly_its_fixed_part_is_read),
        TEST(mb2_tag_past_total_size_by_less_than_its_offset_is_refused),
        TEST(mb2_full_name_right_before_another_tag_is_copied_alone),
        TEST(pvh_command_line_keeps_bytes_above_0x7f),
        TEST(pvh_magic_above_the_right_one_is_refused),
        TEST(pvh_version_above_1_is_read_as_version_1),
    };
    return run_bootinfo_tests("bootinfo_mutants", tests, COUNT(tests), NULL, 0);
}
