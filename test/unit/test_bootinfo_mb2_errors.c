// Tests for core/bootinfo's multiboot2 parser on bad blocks: every way of being bad as its own
// named test (the table at the end), each rejected with its error code and a message naming what
// was wrong and where. The good blocks are in test_bootinfo.c.
#include "test/unit/bootinfo_test.h"

static void mb2_bad_tag_size(void)
{
    mb2_begin();
    mb2_str(1, "x");
    mb2_raw(6, 4);
    mb2_finish();
}

static void error_message_names_tag_offset_and_size(void **state)
{
    struct boot_info bi;
    mb2_bad_tag_size();
    assert_int_equal(bootinfo_parse_multiboot2(&bi, MB2_AT), E_FORMAT);
    assert_string_equal(bi.error,
                        "multiboot2: tag 6 at offset 0x18 has size 0x4, below its 8-byte header");
}

// ---- bad blocks, one named test each -----------------------------------------------------------

// Nothing to build: the address alone is wrong.
static void mb2_block_outside_memory(void) {}

static void mb2_block_misaligned(void) {}

static void minimal_with_total(uint32_t total)
{
    mb2_begin();
    mb2_finish();
    put32(MB2_AT, total);
}

static void mb2_total_size_below_minimum(void)
{
    minimal_with_total(8);
}

static void mb2_total_size_above_cap(void)
{
    minimal_with_total(BOOTINFO_MB2_MAX_SIZE + 8);
}

static void mb2_total_size_not_multiple_of_8(void)
{
    minimal_with_total(0x14);
}

static void mb2_total_size_past_reachable_memory(void)
{
    minimal_with_total(0x9000); // only 0x8000 bytes exist from MB2_AT
}

static void mb2_tag_runs_past_total_size(void)
{
    mb2_begin();
    uint32_t off = mb2_str(1, "abc");
    mb2_finish();
    put32(MB2_AT + off + 4, 0x100);
}

static void mb2_no_end_tag(void)
{
    mb2_begin();
    mb2_tag(0x99, "12345678", 8);
    put32(MB2_AT, mb2_len);
}

static void mb2_end_tag_size_not_8(void)
{
    mb2_begin();
    mb2_raw(0, 16);
    put32(MB2_AT, mb2_len);
}

static void mb2_bytes_after_end_tag(void)
{
    minimal_with_total(0x18);
}

static void mb2_cmdline_unterminated(void)
{
    mb2_begin();
    mb2_tag(1, "abc", 3);
    mb2_finish();
}

static void mb2_bootloader_name_unterminated(void)
{
    mb2_begin();
    mb2_tag(2, "GRUB", 4);
    mb2_finish();
}

static void mb2_string_of(uint32_t type, size_t len)
{
    char s[512];
    memset(s, 'a', len);
    s[len] = '\0';
    mb2_begin();
    mb2_str(type, s);
    mb2_finish();
}

static void mb2_bootloader_name_too_long(void)
{
    mb2_string_of(2, BOOTINFO_NAME_MAX);
}

static void mb2_bootloader_name_two_too_long(void)
{
    mb2_string_of(2, BOOTINFO_NAME_MAX + 1);
}

// A string tag of only its header: not even room for the NUL.
static void mb2_cmdline_tag_without_payload(void)
{
    mb2_begin();
    mb2_raw(1, 8);
    mb2_finish();
}

static void mb2_total_size_one_above_cap(void)
{
    minimal_with_total(BOOTINFO_MB2_MAX_SIZE + 1);
}

// The longest message the parsers write (the largest numbers in the widest one) fits the error
// buffer uncut: the last of BOOTINFO_MMAP_MAX entries wraps with base and length all ones.
static void mb2_last_entry_wraps_with_the_longest_numbers(void)
{
    static struct boot_mmap_entry many[BOOTINFO_MMAP_MAX];
    many[BOOTINFO_MMAP_MAX - 1] = (struct boot_mmap_entry){UINT64_MAX, UINT64_MAX, UINT32_MAX};
    mb2_begin();
    mb2_mmap(many, BOOTINFO_MMAP_MAX, 24);
    mb2_finish();
}

static void mb2_cmdline_tag_twice(void)
{
    mb2_begin();
    mb2_str(1, "a");
    mb2_str(1, "b");
    mb2_finish();
}

static void mb2_mmap_tag_twice(void)
{
    mb2_begin();
    mb2_mmap(qemu_map, 1, 24);
    mb2_mmap(qemu_map, 1, 24);
    mb2_finish();
}

static void mb2_mmap_tag_below_header(void)
{
    mb2_begin();
    uint32_t off = mb2_raw(6, 12);
    put32(MB2_AT + off + 8, 24);
    mb2_finish();
}

static void mb2_mmap_entry_size_below_24(void)
{
    mb2_begin();
    mb2_mmap(NULL, 0, 16);
    mb2_finish();
}

static void mb2_mmap_entry_size_not_multiple_of_8(void)
{
    mb2_begin();
    mb2_mmap(qemu_map, 1, 28);
    mb2_finish();
}

static void mb2_mmap_entry_runs_past_tag(void)
{
    mb2_begin();
    uint32_t off = mb2_mmap(qemu_map, 2, 24);
    mb2_finish();
    put32(MB2_AT + off + 4, 16 + 24 + 16); // the second entry is cut off after 16 bytes
}

static void mb2_mmap_too_many_entries(void)
{
    static const struct boot_mmap_entry many[BOOTINFO_MMAP_MAX + 1];
    mb2_begin();
    mb2_mmap(many, BOOTINFO_MMAP_MAX + 1, 24);
    mb2_finish();
}

static void mb2_mmap_entry_wraps(void)
{
    const struct boot_mmap_entry wrap[] = {{0, 0x1000, 1}, {0xfffffffffffff000, 0x2000, 2}};
    mb2_begin();
    mb2_mmap(wrap, 2, 24);
    mb2_finish();
}

static void mb2_framebuffer_tag_too_small(void)
{
    mb2_begin();
    mb2_raw(8, 30);
    mb2_finish();
}

#define MB2                    BOOTINFO_MB2_MAGIC
#define MB2_BAD(fn, code, ...) BAD_CASE(fn, MB2, MB2_AT, BOOT_MULTIBOOT2, code, __VA_ARGS__)

static const struct bad_case bad_cases[] = {
    MB2_BAD(mb2_total_size_below_minimum, E_FORMAT, "total_size 0x8", "16-byte minimum"),
    MB2_BAD(mb2_total_size_above_cap, E_TOOBIG, "total_size 0x10008", "0x10000-byte cap"),
    MB2_BAD(mb2_total_size_not_multiple_of_8, E_FORMAT, "total_size 0x14", "multiple of 8"),
    MB2_BAD(mb2_total_size_past_reachable_memory, E_RANGE, "at 0x118000", "total_size 0x9000",
            "unreachable"),
    BAD_CASE(mb2_block_outside_memory, MB2, FAR_AWAY, BOOT_MULTIBOOT2, E_RANGE, "0x20000000",
             "not reachable"),
    BAD_CASE(mb2_block_misaligned, MB2, MB2_AT + 4, BOOT_MULTIBOOT2, E_ALIGN, "0x118004",
             "8-byte aligned"),
    MB2_BAD(mb2_bad_tag_size, E_FORMAT, "tag 6 at offset 0x18 has size 0x4", "8-byte header"),
    MB2_BAD(mb2_tag_runs_past_total_size, E_FORMAT,
            "tag 1 at offset 0x8 has size 0x100, past total_size 0x20"),
    MB2_BAD(mb2_no_end_tag, E_FORMAT, "no end tag", "total_size 0x18"),
    MB2_BAD(mb2_end_tag_size_not_8, E_FORMAT, "end tag at offset 0x8 has size 0x10, not 8"),
    MB2_BAD(mb2_bytes_after_end_tag, E_FORMAT, "end tag at offset 0x8 is followed by 0x8 bytes"),
    MB2_BAD(mb2_cmdline_unterminated, E_FORMAT, "tag 1 (command line) at offset 0x8",
            "no NUL in its 0xb bytes"),
    MB2_BAD(mb2_bootloader_name_unterminated, E_FORMAT, "tag 2 (bootloader name) at offset 0x8",
            "no NUL"),
    MB2_BAD(mb2_bootloader_name_too_long, E_TOOBIG, "tag 2 (bootloader name)",
            "holds 64 bytes; at most 63 fit"),
    MB2_BAD(mb2_bootloader_name_two_too_long, E_TOOBIG, "tag 2 (bootloader name)",
            "holds 65 bytes; at most 63 fit"),
    MB2_BAD(mb2_cmdline_tag_without_payload, E_FORMAT, "tag 1 (command line) at offset 0x8",
            "no NUL in its 0x8 bytes"),
    MB2_BAD(mb2_total_size_one_above_cap, E_TOOBIG, "total_size 0x10001", "0x10000-byte cap"),
    MB2_BAD(mb2_last_entry_wraps_with_the_longest_numbers, E_FORMAT,
            "multiboot2: memory map entry 127 (base 0xffffffffffffffff, length "
            "0xffffffffffffffff) wraps past 2^64"),
    MB2_BAD(mb2_cmdline_tag_twice, E_FORMAT,
            "tag 1 (command line) at offset 0x18 repeats the one at offset 0x8"),
    MB2_BAD(mb2_mmap_tag_twice, E_FORMAT,
            "tag 6 (memory map) at offset 0x30 repeats the one at offset 0x8"),
    MB2_BAD(mb2_mmap_tag_below_header, E_FORMAT, "tag 6 at offset 0x8 has size 0xc",
            "16-byte header"),
    MB2_BAD(mb2_mmap_entry_size_below_24, E_FORMAT, "tag 6 at offset 0x8", "entry_size 0x10"),
    MB2_BAD(mb2_mmap_entry_size_not_multiple_of_8, E_FORMAT, "entry_size 0x1c"),
    MB2_BAD(mb2_mmap_entry_runs_past_tag, E_FORMAT, "tag 6 at offset 0x8 has size 0x38",
            "entry of 0x18 bytes runs past its end"),
    MB2_BAD(mb2_mmap_too_many_entries, E_TOOBIG, "129 memory map entries", "at most 128"),
    MB2_BAD(mb2_mmap_entry_wraps, E_FORMAT,
            "memory map entry 1 (base 0xfffffffffffff000, length 0x2000) wraps"),
    MB2_BAD(mb2_framebuffer_tag_too_small, E_FORMAT, "tag 8 at offset 0x8 has size 0x1e",
            "31-byte fixed part"),
};

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(error_message_names_tag_offset_and_size),
    };
    return run_bootinfo_tests("bootinfo_multiboot2_errors", tests, COUNT(tests), bad_cases,
                              COUNT(bad_cases));
}
