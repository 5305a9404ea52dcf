// Tests for core/paging.c: pt_unmap for every page size (the frame it returns, the flush, the
// tables it frees and keeps, flush before the tables go back) and its errors.
#include "test/unit/paging_test.h"

// ---- pt_unmap -----------------------------------------------------------------------------------

static void unmap_4k_returns_its_frame_and_flushes(void **state)
{
    map_ok(0x400000, 0x9000, K4, W);
    map_ok(0x401000, 0xa000, K4, W);
    uint64_t phys = 0;
    assert_int_equal(pt_unmap(&pt, 0x401000, &phys), 0);
    assert_int_equal(phys, 0xa000);
    assert_unmapped(0x401000);
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(mock_invlpg_last(), 0x401000);
    assert_int_equal(translate_ok(0x400000).phys, 0x9000);
}

static void unmap_2m_at_its_base_removes_the_whole_page(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    map_ok(0x600000, 0xe00000, M2, 0);
    uint64_t phys = 0;
    assert_int_equal(pt_unmap(&pt, 0x600000, &phys), 0);
    assert_int_equal(phys, 0xe00000);
    assert_unmapped(0x7ff000);
    assert_int_equal(mock_invlpg_last(), 0x600000);
}

static void unmap_1g_at_its_base_removes_the_whole_page(void **state)
{
    map_ok(KERNEL_BASE, 0x40000000, G1, 0);
    uint64_t phys = 0;
    assert_int_equal(pt_unmap(&pt, KERNEL_BASE, &phys), 0);
    assert_int_equal(phys, 0x40000000);
    assert_unmapped(KERNEL_BASE + 0x3ffff000);
    assert_int_equal(mock_invlpg_last(), KERNEL_BASE);
}

static void unmap_frees_the_tables_it_empties(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(src.live, 4);
    size_t frees = src.frees;
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    assert_int_equal(src.live, 1);
    assert_int_equal(src.frees, frees + 3);
    for (unsigned i = 0; i < 512; i++)
        assert_int_equal(table(pt.root)[i], 0);
}

static void unmap_flushes_before_handing_tables_back(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(src.flushes_before_last_free, 1);
}

static void unmap_keeps_tables_still_in_use(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    map_ok(0x600000, 0xa000, K4, 0); // another PT under the same PD
    assert_int_equal(src.live, 5);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    assert_int_equal(src.live, 4); // only the first PT went
    assert_int_equal(translate_ok(0x600000).phys, 0xa000);
}

static void unmap_of_a_huge_page_frees_its_emptied_tables(void **state)
{
    map_ok(0x40000000, 0x40000000, M2, 0);
    assert_int_equal(pt_unmap(&pt, 0x40000000, NULL), 0);
    assert_int_equal(src.live, 1);
}

static void unmap_inside_a_huge_page_gives_ehuge_and_keeps_it(void **state)
{
    map_ok(0x400000, 0x200000, M2, 0);
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(pt_unmap(&pt, 0x401000, NULL), E_HUGE);
    assert_int_equal(pt_unmap(&pt, 0x40200000, NULL), E_HUGE);
    assert_int_equal(translate_ok(0x400000).page_size, M2);
    assert_int_equal(translate_ok(0x40200000).page_size, G1);
    assert_int_equal(mock_invlpg_count(), 0);
}

static void unmap_of_nothing_gives_enoent(void **state)
{
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), E_NOENT);
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_unmap(&pt, 0x401000, NULL), E_NOENT);
    assert_int_equal(pt_unmap(&pt, KERNEL_BASE, NULL), E_NOENT);
    assert_int_equal(mock_invlpg_count(), 0);
    assert_int_equal(src.live, 4);
}

static void unmap_unaligned_address_gives_ealign(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    uint64_t phys = 0x77;
    assert_int_equal(pt_unmap(&pt, 0x400010, &phys), E_ALIGN);
    assert_int_equal(phys, 0x77);
    assert_int_equal(translate_ok(0x400000).phys, 0x9000);
}

static void unmap_then_map_again_works(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    map_ok(0x400000, 0x200000, M2, 0);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    map_ok(0, 0, G1, 0);
    assert_int_equal(translate_ok(0x400000).page_size, G1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(unmap_4k_returns_its_frame_and_flushes),
        T(unmap_2m_at_its_base_removes_the_whole_page),
        T(unmap_1g_at_its_base_removes_the_whole_page),
        T(unmap_frees_the_tables_it_empties),
        T(unmap_flushes_before_handing_tables_back),
        T(unmap_keeps_tables_still_in_use),
        T(unmap_of_a_huge_page_frees_its_emptied_tables),
        T(unmap_inside_a_huge_page_gives_ehuge_and_keeps_it),
        T(unmap_of_nothing_gives_enoent),
        T(unmap_unaligned_address_gives_ealign),
        T(unmap_then_map_again_works),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
