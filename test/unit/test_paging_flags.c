// Tests for core/paging.c: the effective flags across levels (writable and user need every level,
// NX comes from any), parents widened for a user or writable page, bits that are not what they
// seem (PAT, bit 7 in a non-present or PML4 entry), and pt_protect for every page size.
#include "test/unit/paging_test.h"

// ---- effective flags across levels --------------------------------------------------------------

static void effective_writable_needs_every_level(void **state)
{
    map_ok(0x400000, 0x9000, K4, W);
    *entry(0x400000, 3) &= ~W;
    assert_int_equal(translate_ok(0x400000).flags, P);
    *entry(0x400000, 3) |= W;
    *entry(0x400000, 1) &= ~W;
    assert_int_equal(translate_ok(0x400000).flags, P);
}

static void effective_user_needs_every_level(void **state)
{
    map_ok(0x400000, 0x9000, K4, U);
    *entry(0x400000, 4) &= ~U;
    assert_int_equal(translate_ok(0x400000).flags, P);
    *entry(0x400000, 4) |= U;
    assert_int_equal(translate_ok(0x400000).flags, P | U);
}

static void effective_nx_comes_from_any_level(void **state)
{
    map_ok(0x400000, 0x9000, K4, W);
    map_ok(0x40000000, 0x40000000, M2, W);
    *entry(0x400000, 2) |= PTE_NX;
    *entry(0x40000000, 4) |= PTE_NX;
    assert_int_equal(translate_ok(0x400000).flags, P | W | PTE_NX);
    assert_int_equal(translate_ok(0x40000000).flags, P | W | PTE_HUGE | PTE_NX);
}

static void effective_flags_of_huge_pages_combine_the_levels_above(void **state)
{
    map_ok(0x40000000, 0x40000000, G1, W | U);
    *entry(0x40000000, 4) &= ~W;
    assert_int_equal(translate_ok(0x40000000).flags, P | U | PTE_HUGE);
}

static void map_widens_an_existing_parent_and_flushes(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0); // kernel-only tables
    map_ok(0x401000, 0xa000, K4, U | W);
    for (int level = 4; level > 1; level--)
        assert_true(*entry(0x400000, level) & U);
    assert_int_equal(translate_ok(0x401000).flags, P | U | W);
    assert_int_equal(translate_ok(0x400000).flags, P); // the leaf still decides
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(mock_invlpg_last(), 0x401000);
}

static void map_widens_a_read_only_parent_for_a_writable_page(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    *entry(0x400000, 2) &= ~W;
    map_ok(0x401000, 0xa000, K4, W);
    assert_true(*entry(0x400000, 2) & W);
    assert_int_equal(mock_invlpg_last(), 0x401000);
}

static void map_leaves_nx_on_a_parent_alone(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    *entry(0x400000, 3) |= PTE_NX;
    map_ok(0x401000, 0xa000, K4, 0);
    assert_true(*entry(0x400000, 3) & PTE_NX);
    assert_int_equal(translate_ok(0x401000).flags, P | PTE_NX);
}

// ---- bits that are not what they seem -----------------------------------------------------------

static void translate_ignores_the_pat_bit_of_a_huge_page(void **state)
{
    map_ok(0x400000, 0x600000, M2, 0);
    *entry(0x400000, 2) |= 1ull << 12; // PAT in a 2 MiB entry, not an address bit
    assert_int_equal(translate_ok(0x400000).phys, 0x600000);
    uint64_t phys = 0;
    assert_int_equal(pt_unmap(&pt, 0x400000, &phys), 0);
    assert_int_equal(phys, 0x600000);
}

static void map_builds_a_table_under_a_non_present_entry_with_bit_7(void **state)
{
    map_ok(0x40000000, 0x9000, K4, 0);
    *entry(0, 3) = PTE_HUGE | (1ull << 9); // not present: the OS's own bits, not a 1 GiB page
    map_ok(0x1000, 0xa000, K4, 0);
    assert_int_equal(translate_ok(0x1000).phys, 0xa000);
}

static void pml4_entry_with_bit_7_is_still_a_table(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    *entry(0x400000, 4) |= PTE_HUGE; // reserved in a PML4 entry: never a 512 GiB page
    assert_int_equal(translate_ok(0x400000).page_size, K4);
    *entry(0x400000, 4) &= ~PTE_HUGE;
}

// ---- pt_protect ---------------------------------------------------------------------------------

static void protect_4k_replaces_flags_and_flushes(void **state)
{
    map_ok(0x400000, 0x9000, K4, W | PTE_GLOBAL);
    assert_int_equal(pt_protect(&pt, 0x400000, PTE_NX | PTE_ACCESSED), 0);
    assert_int_equal(*entry(0x400000, 1), 0x9000 | P | PTE_NX | PTE_ACCESSED);
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(mock_invlpg_last(), 0x400000);
}

static void protect_2m_keeps_address_and_huge(void **state)
{
    map_ok(0x400000, 0x600000, M2, 0);
    assert_int_equal(pt_protect(&pt, 0x400000, W), 0);
    assert_int_equal(*entry(0x400000, 2), 0x600000 | P | W | PTE_HUGE);
    assert_int_equal(mock_invlpg_last(), 0x400000);
}

static void protect_1g_keeps_address_and_huge(void **state)
{
    map_ok(KERNEL_BASE, 0x40000000, G1, W);
    assert_int_equal(pt_protect(&pt, KERNEL_BASE, PTE_NX), 0);
    struct pt_translation t = translate_ok(KERNEL_BASE + 5);
    assert_int_equal(t.phys, 0x40000005);
    assert_int_equal(t.flags, P | PTE_HUGE | PTE_NX);
    assert_int_equal(mock_invlpg_last(), KERNEL_BASE);
}

static void protect_to_user_widens_the_parents(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_protect(&pt, 0x400000, U | W), 0);
    assert_int_equal(translate_ok(0x400000).flags, P | U | W);
}

static void protect_inside_a_huge_page_gives_ehuge(void **state)
{
    map_ok(0x400000, 0x200000, M2, 0);
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(pt_protect(&pt, 0x5ff000, W), E_HUGE);
    assert_int_equal(pt_protect(&pt, 0x40200000, W), E_HUGE);
    assert_int_equal(translate_ok(0x400000).flags, P | PTE_HUGE);
    assert_int_equal(mock_invlpg_count(), 0);
}

static void protect_of_nothing_gives_enoent(void **state)
{
    assert_int_equal(pt_protect(&pt, 0x400000, W), E_NOENT);
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_protect(&pt, 0x401000, W), E_NOENT);
    assert_int_equal(mock_invlpg_count(), 0);
}

static void protect_with_bad_flags_or_address_fails(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_protect(&pt, 0x400000, PTE_HUGE), E_INVAL);
    assert_int_equal(pt_protect(&pt, 0x400000, 0x5000), E_INVAL);
    assert_int_equal(pt_protect(&pt, 0x400001, W), E_ALIGN);
    assert_int_equal(*entry(0x400000, 1), 0x9000 | P);
    assert_int_equal(mock_invlpg_count(), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(effective_writable_needs_every_level),
        T(effective_user_needs_every_level),
        T(effective_nx_comes_from_any_level),
        T(effective_flags_of_huge_pages_combine_the_levels_above),
        T(map_widens_an_existing_parent_and_flushes),
        T(map_widens_a_read_only_parent_for_a_writable_page),
        T(map_leaves_nx_on_a_parent_alone),
        T(translate_ignores_the_pat_bit_of_a_huge_page),
        T(map_builds_a_table_under_a_non_present_entry_with_bit_7),
        T(pml4_entry_with_bit_7_is_still_a_table),
        T(protect_4k_replaces_flags_and_flushes),
        T(protect_2m_keeps_address_and_huge),
        T(protect_1g_keeps_address_and_huge),
        T(protect_to_user_widens_the_parents),
        T(protect_inside_a_huge_page_gives_ehuge),
        T(protect_of_nothing_gives_enoent),
        T(protect_with_bad_flags_or_address_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
