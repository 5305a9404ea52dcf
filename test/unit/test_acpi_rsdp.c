// core/acpi: the RSDP's checks (signature, both checksums, length, reachability) and the scan of
// the BIOS areas (EBDA first KiB, 0xE0000-0xFFFFF, 16-byte slots).
#include "test/unit/acpi_test.h"

static void check_rsdp_fails(int code, const char *needle)
{
    char err[ACPI_MSG_MAX] = "";
    assert_int_equal(acpi_check_rsdp(RSDP_AT, err, sizeof(err)), code);
    if (strstr(err, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err, needle);
    assert_parse_fails(code, needle);
}

static void revision_0_is_20_bytes_and_uses_the_rsdt(void **state)
{
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    at(RSDP_AT)[20] = 0x77; // past the 20 bytes: not looked at
    put_root(ROOT_AT, false, NULL, 0);
    assert_int_equal(acpi_check_rsdp(RSDP_AT, NULL, 0), 0);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_int_equal(info.revision, 0);
    assert_false(info.xsdt);
    assert_int_equal(info.root_phys, ROOT_AT);
    assert_string_equal(info.oem_id, "BOCHS ");
    assert_string_equal(info.error, "");
}

static void revision_2_prefers_the_xsdt(void **state)
{
    put_rsdp(RSDP_AT, 2, ROOT_AT, ROOT_AT + 0x100);
    put_root(ROOT_AT, false, NULL, 0);
    put_root(ROOT_AT + 0x100, true, NULL, 0);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_int_equal(info.revision, 2);
    assert_true(info.xsdt);
    assert_int_equal(info.root_phys, ROOT_AT + 0x100);
    assert_string_equal(info.oem_id, "BOCHS ");
}

static void revision_3_prefers_the_xsdt(void **state)
{
    put_rsdp(RSDP_AT, 3, ROOT_AT, ROOT_AT + 0x100);
    put_root(ROOT_AT + 0x100, true, NULL, 0);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_true(info.xsdt);
}

static void revision_2_without_xsdt_uses_the_rsdt(void **state)
{
    put_rsdp(RSDP_AT, 2, ROOT_AT, 0);
    put_root(ROOT_AT, false, NULL, 0);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_false(info.xsdt);
    assert_int_equal(info.root_phys, ROOT_AT);
}

static void revision_1_is_read_as_revision_0(void **state)
{
    put_rsdp(RSDP_AT, 1, ROOT_AT, 0);
    put32(RSDP_AT + 20, 5); // a revision 2 length this small would be refused
    put64(RSDP_AT + 24, FAR_AWAY);
    put_root(ROOT_AT, false, NULL, 0);
    assert_int_equal(acpi_parse(&info, RSDP_AT), 0);
    assert_false(info.xsdt);
}

static void revision_3_is_checked_as_revision_2(void **state)
{
    put_rsdp(RSDP_AT, 3, ROOT_AT, ROOT_AT);
    at(RSDP_AT)[32]++;
    check_rsdp_fails(E_FORMAT, "bad extended checksum");
}

static void rsdp_unreachable(void **state)
{
    char err[ACPI_MSG_MAX];
    assert_int_equal(acpi_check_rsdp(FAR_AWAY, err, sizeof(err)), E_RANGE);
    assert_int_equal(acpi_parse(&info, FAR_AWAY), E_RANGE);
    assert_non_null(strstr(info.error, "not reachable"));
    assert_int_equal(info.rsdp_phys, FAR_AWAY);
}

static void rsdp_bad_signature(void **state)
{
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    at(RSDP_AT)[7] = 'X';
    fix_sum(RSDP_AT, 20, 8);
    check_rsdp_fails(E_FORMAT, "no RSDP signature");
}

static void rsdp_bad_checksum(void **state)
{
    put_rsdp(RSDP_AT, 0, ROOT_AT, 0);
    at(RSDP_AT)[8]++;
    check_rsdp_fails(E_FORMAT, "bad checksum over its first 20");
}

static void rsdp_v2_bad_extended_checksum(void **state)
{
    put_rsdp(RSDP_AT, 2, ROOT_AT, ROOT_AT);
    at(RSDP_AT)[32]++;
    check_rsdp_fails(E_FORMAT, "bad extended checksum");
}

static void rsdp_v2_length_below_36(void **state)
{
    put_rsdp(RSDP_AT, 2, ROOT_AT, ROOT_AT);
    put32(RSDP_AT + 20, 35);
    fix_sum(RSDP_AT, 20, 8);
    check_rsdp_fails(E_FORMAT, "has length 35");
}

static void rsdp_v2_length_36_is_enough(void **state)
{
    put_rsdp(RSDP_AT, 2, ROOT_AT, 0);
    put_root(ROOT_AT, false, NULL, 0);
    assert_int_equal(acpi_check_rsdp(RSDP_AT, NULL, 0), 0);
}

static void rsdp_v2_longer_length_is_summed_whole(void **state)
{
    put_rsdp(RSDP_AT, 2, ROOT_AT, 0);
    put32(RSDP_AT + 20, 40);
    at(RSDP_AT)[39] = 1;
    fix_sum(RSDP_AT, 20, 8);
    fix_sum(RSDP_AT, 40, 32);
    assert_int_equal(acpi_check_rsdp(RSDP_AT, NULL, 0), 0);
    at(RSDP_AT)[39] = 2;
    assert_int_equal(acpi_check_rsdp(RSDP_AT, NULL, 0), E_FORMAT);
}

static void rsdp_v2_tail_unreachable(void **state)
{
    uint64_t a = ARENA_SIZE - 32; // 20 bytes reachable, not 36
    put_rsdp(a, 0, ROOT_AT, 0);
    at(a)[15] = 2;
    fix_sum(a, 20, 8);
    char err[ACPI_MSG_MAX];
    assert_int_equal(acpi_check_rsdp(a, err, sizeof(err)), E_RANGE);
    assert_non_null(strstr(err, "(revision 2) is not reachable"));
}

static void rsdp_v2_length_unreachable(void **state)
{
    uint64_t a = ARENA_SIZE - 48;
    put_rsdp(a, 2, ROOT_AT, 0);
    put32(a + 20, 64);
    fix_sum(a, 20, 8);
    char err[ACPI_MSG_MAX];
    assert_int_equal(acpi_check_rsdp(a, err, sizeof(err)), E_RANGE);
    assert_non_null(strstr(err, "its 64 bytes are not reachable"));
}

// ---- the scan -------------------------------------------------------------------------------

static void scan_finds_nothing_in_zeroed_memory(void **state)
{
    uint64_t phys = 123;
    assert_int_equal(acpi_find_rsdp(&phys), E_NOENT);
    assert_int_equal(phys, 123);
}

static void scan_hits_the_first_rom_slot(void **state)
{
    put_rsdp(ACPI_BIOS_ROM, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), 0);
    assert_int_equal(phys, 0xE0000);
}

static void scan_hits_the_last_rom_slot(void **state)
{
    put_rsdp(0xFFFF0, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), 0);
    assert_int_equal(phys, 0xFFFF0);
}

static void scan_skips_unaligned_and_outside_slots(void **state)
{
    put_rsdp(0xE0008, 0, ROOT_AT, 0);  // not on a 16-byte boundary
    put_rsdp(0xDFFF0, 0, ROOT_AT, 0);  // just below the area
    put_rsdp(0x100000, 0, ROOT_AT, 0); // just past it
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), E_NOENT);
}

static void scan_passes_over_an_invalid_rsdp(void **state)
{
    put_rsdp(0xE0000, 0, ROOT_AT, 0);
    at(0xE0000)[8]++; // bad checksum
    put_rsdp(0xE0010, 2, ROOT_AT, 0);
    at(0xE0010 + 32)[0]++; // bad extended checksum
    put_rsdp(0xF0000, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), 0);
    assert_int_equal(phys, 0xF0000);
}

static void scan_looks_in_the_ebda_first(void **state)
{
    put16(ACPI_EBDA_PTR, 0x9FC0);             // EBDA at 0x9FC00, as SeaBIOS sets it
    put_rsdp(0x9FC00 + 0x3F0, 0, ROOT_AT, 0); // the last slot of its first KiB
    put_rsdp(0xE0000, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), 0);
    assert_int_equal(phys, 0x9FFF0);
}

static void scan_ebda_first_slot(void **state)
{
    put16(ACPI_EBDA_PTR, 0x9FC0);
    put_rsdp(0x9FC00, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), 0);
    assert_int_equal(phys, 0x9FC00);
}

static void scan_ebda_only_its_first_kib(void **state)
{
    put16(ACPI_EBDA_PTR, 0x9FC0);
    put_rsdp(0x9FC00 + 0x400, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), E_NOENT);
}

static void scan_ignores_ebda_segment_0(void **state)
{
    put_rsdp(0, 0, ROOT_AT, 0); // what an EBDA at segment 0 would find
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), E_NOENT);
}

static void scan_without_bios_areas(void **state)
{
    mock_phys_arena(0x100000, 0x1000); // neither the BDA nor the ROM area is reachable
    uint64_t phys = 7;
    assert_int_equal(acpi_find_rsdp(&phys), E_NOENT);
    assert_int_equal(phys, 7);
}

static void scan_passes_over_ebda_slots_past_memory(void **state)
{
    arena = mock_phys_arena(0, 0x100000); // memory ends where the ROM area does
    put16(ACPI_EBDA_PTR, 0xFFFF);         // EBDA at 0xFFFF0: all but its first slot unreachable
    put_rsdp(0xE0000, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), 0);
    assert_int_equal(phys, 0xE0000);
}

static void scan_ebda_at_segment_1(void **state)
{
    put16(ACPI_EBDA_PTR, 1); // EBDA at 0x10: odd, but a nonzero segment is followed
    put_rsdp(0x10, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), 0);
    assert_int_equal(phys, 0x10);
}

static void scan_ebda_pointer_ending_memory(void **state)
{
    arena = mock_phys_arena(0, 0x410); // memory ends right after the segment word
    put16(ACPI_EBDA_PTR, 0x30);        // EBDA at 0x300, its slots up to 0x400 reachable
    put_rsdp(0x300, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), 0);
    assert_int_equal(phys, 0x300);
}

static void scan_ebda_pointer_half_reachable(void **state)
{
    arena = mock_phys_arena(0, 0x40F); // only the segment word's first byte is memory
    at(ACPI_EBDA_PTR)[0] = 0x30;
    put_rsdp(0x300, 0, ROOT_AT, 0);
    uint64_t phys = 0;
    assert_int_equal(acpi_find_rsdp(&phys), E_NOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(revision_0_is_20_bytes_and_uses_the_rsdt),
        T(revision_2_prefers_the_xsdt),
        T(revision_3_prefers_the_xsdt),
        T(revision_2_without_xsdt_uses_the_rsdt),
        T(revision_1_is_read_as_revision_0),
        T(revision_3_is_checked_as_revision_2),
        T(rsdp_unreachable),
        T(rsdp_bad_signature),
        T(rsdp_bad_checksum),
        T(rsdp_v2_bad_extended_checksum),
        T(rsdp_v2_length_below_36),
        T(rsdp_v2_length_36_is_enough),
        T(rsdp_v2_longer_length_is_summed_whole),
        T(rsdp_v2_tail_unreachable),
        T(rsdp_v2_length_unreachable),
        T(scan_finds_nothing_in_zeroed_memory),
        T(scan_hits_the_first_rom_slot),
        T(scan_hits_the_last_rom_slot),
        T(scan_skips_unaligned_and_outside_slots),
        T(scan_passes_over_an_invalid_rsdp),
        T(scan_looks_in_the_ebda_first),
        T(scan_ebda_first_slot),
        T(scan_ebda_only_its_first_kib),
        T(scan_ignores_ebda_segment_0),
        T(scan_without_bios_areas),
        T(scan_passes_over_ebda_slots_past_memory),
        T(scan_ebda_at_segment_1),
        T(scan_ebda_pointer_ending_memory),
        T(scan_ebda_pointer_half_reachable),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
