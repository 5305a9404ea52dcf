// Tests for the ACPI RSDP tags of core/bootinfo's multiboot2 parser: tag 14 (a copy of an ACPI 1.0
// RSDP) and tag 15 (ACPI 2.0 and later) give rsdp_phys, the copy's address inside the block, which
// core/acpi then checks; short and repeated tags are bad blocks (the table at the end).
#include "core/acpi.h"
#include "test/unit/bootinfo_test.h"

#define RSDT_AT 0x7fe1234u // where the copy says the RSDT is (never followed here)

// A valid RSDP of the given revision (20 bytes for 0, 36 for 2), checksums set, in rsdp[].
static uint8_t rsdp[36];

static uint32_t rsdp_copy(uint8_t revision)
{
    memset(rsdp, 0, sizeof(rsdp));
    memcpy(rsdp, "RSD PTR ", 8);
    memcpy(rsdp + 9, "BOCHS ", 6);
    rsdp[15] = revision;
    memcpy(rsdp + 16, &(uint32_t){RSDT_AT}, 4);
    uint8_t sum = 0;
    for (size_t i = 0; i < 20; i++)
        sum = (uint8_t)(sum + rsdp[i]);
    rsdp[8] = (uint8_t)-sum;
    if (revision < 2)
        return 20;
    memcpy(rsdp + 20, &(uint32_t){36}, 4);
    sum = 0;
    for (size_t i = 0; i < 36; i++)
        sum = (uint8_t)(sum + rsdp[i]);
    rsdp[32] = (uint8_t)-sum;
    return 36;
}

static uint32_t rsdp_tag(uint32_t type, uint8_t revision)
{
    uint32_t n = rsdp_copy(revision);
    return mb2_tag(type, rsdp, n);
}

static void no_rsdp_tag_gives_0(void **state)
{
    struct boot_info bi;
    memset(&bi, 0xa5, sizeof(bi));
    mb2_begin();
    mb2_str(1, "quiet");
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.rsdp_phys, 0);
}

// Either tag alone: rsdp_phys is its payload, which core/acpi accepts as the RSDP it copies.
static void either_tag_alone_gives_its_copy(void **state)
{
    const struct {
        uint32_t type;
        uint8_t revision;
    } tags[] = {{14, 0}, {15, 2}};
    for (size_t i = 0; i < COUNT(tags); i++) {
        struct boot_info bi;
        mb2_begin();
        mb2_str(1, "x");
        uint32_t off = rsdp_tag(tags[i].type, tags[i].revision);
        mb2_finish();
        assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
        assert_int_equal(bi.rsdp_phys, MB2_AT + off + 8);
        char err[ACPI_MSG_MAX];
        assert_int_equal(acpi_check_rsdp(bi.rsdp_phys, err, sizeof(err)), 0);
        assert_memory_equal(at(bi.rsdp_phys), rsdp, tags[i].revision < 2 ? 20 : 36);
    }
}

// Both tags: tag 15's copy wins whichever comes first.
static void tag_15_wins_over_tag_14_in_either_order(void **state)
{
    struct boot_info bi;
    mb2_begin();
    rsdp_tag(14, 0);
    uint32_t new_off = rsdp_tag(15, 2);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.rsdp_phys, MB2_AT + new_off + 8);

    mb2_begin();
    new_off = rsdp_tag(15, 2);
    rsdp_tag(14, 0);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.rsdp_phys, MB2_AT + new_off + 8);
}

// A tag longer than its copy is fine (an ACPI 2.0 RSDP may be longer than 36 bytes; padding).
static void tags_longer_than_their_copy_are_read(void **state)
{
    struct boot_info bi;
    uint8_t longer[48] = {0};
    mb2_begin();
    rsdp_copy(0);
    memcpy(longer, rsdp, 20);
    uint32_t off = mb2_tag(14, longer, 24);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.rsdp_phys, MB2_AT + off + 8);
    mb2_begin();
    rsdp_copy(2);
    memcpy(longer, rsdp, 36);
    off = mb2_tag(15, longer, 48);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.rsdp_phys, MB2_AT + off + 8);
}

// The parser checks only that the copy fits its tag; a copy that is not an RSDP is core/acpi's to
// reject, with its own message.
static void the_copy_itself_is_left_to_acpi(void **state)
{
    struct boot_info bi;
    mb2_begin();
    uint32_t off = mb2_tag(15, "not an RSDP, but 36 bytes of text..", 36);
    mb2_finish();
    assert_ok(&bi, bootinfo_parse_multiboot2(&bi, MB2_AT));
    assert_int_equal(bi.rsdp_phys, MB2_AT + off + 8);
    char err[ACPI_MSG_MAX];
    assert_int_equal(acpi_check_rsdp(bi.rsdp_phys, err, sizeof(err)), E_FORMAT);
    assert_non_null(strstr(err, "signature"));
}

// ---- bad blocks, one named test each -----------------------------------------------------------

static void rsdp_v1_tag_of_19_bytes(void)
{
    mb2_begin();
    mb2_tag(14, "RSD PTR 0123456789a", 19);
    mb2_finish();
}

static void rsdp_v2_tag_of_35_bytes(void)
{
    mb2_begin();
    rsdp_copy(2);
    mb2_tag(15, rsdp, 35);
    mb2_finish();
}

static void rsdp_v2_tag_of_20_bytes(void)
{
    mb2_begin();
    rsdp_copy(0);
    mb2_tag(15, rsdp, 20);
    mb2_finish();
}

static void rsdp_v1_tag_twice(void)
{
    mb2_begin();
    rsdp_tag(14, 0);
    rsdp_tag(14, 0);
    mb2_finish();
}

static void rsdp_v2_tag_twice(void)
{
    mb2_begin();
    rsdp_tag(15, 2);
    rsdp_tag(14, 0);
    rsdp_tag(15, 2);
    mb2_finish();
}

#define BAD(fn, code, ...)                                                                         \
    BAD_CASE(fn, BOOTINFO_MB2_MAGIC, MB2_AT, BOOT_MULTIBOOT2, code, __VA_ARGS__)

static const struct bad_case bad_cases[] = {
    BAD(rsdp_v1_tag_of_19_bytes, E_FORMAT,
        "tag 14 (ACPI 1.0 RSDP) at offset 0x8 has size 0x1b, too short for its 20-byte RSDP"),
    BAD(rsdp_v2_tag_of_35_bytes, E_FORMAT,
        "tag 15 (ACPI 2.0 RSDP) at offset 0x8 has size 0x2b, too short for its 36-byte RSDP"),
    BAD(rsdp_v2_tag_of_20_bytes, E_FORMAT, "tag 15 (ACPI 2.0 RSDP)", "size 0x1c"),
    BAD(rsdp_v1_tag_twice, E_FORMAT, "tag 14 (ACPI 1.0 RSDP) at offset 0x28",
        "repeats the one at offset 0x8"),
    BAD(rsdp_v2_tag_twice, E_FORMAT, "tag 15 (ACPI 2.0 RSDP) at offset 0x58",
        "repeats the one at offset 0x8"),
};

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(no_rsdp_tag_gives_0),
        TEST(either_tag_alone_gives_its_copy),
        TEST(tag_15_wins_over_tag_14_in_either_order),
        TEST(tags_longer_than_their_copy_are_read),
        TEST(the_copy_itself_is_left_to_acpi),
    };
    return run_bootinfo_tests("bootinfo_rsdp", tests, COUNT(tests), bad_cases, COUNT(bad_cases));
}
