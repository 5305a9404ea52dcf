// Tests for core/paging.c: every error pt_map returns (alignment, bad size, flags or address,
// E_EXIST, E_HUGE, E_NOMEM at each level with nothing leaked, unreachable tables) and the caller
// bugs that panic (NULL arguments, an uninitialised table, a misaligned frame from the allocator).
#include "test/unit/paging_test.h"

// ---- pt_map errors ------------------------------------------------------------------------------

static void map_misaligned_virt_gives_ealign(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400800, 0x9000, K4, 0), E_ALIGN);
    assert_int_equal(pt_map(&pt, 0x401000, 0x200000, M2, 0), E_ALIGN);
    assert_int_equal(pt_map(&pt, 0x40200000, 0x40000000, G1, 0), E_ALIGN);
    assert_int_equal(src.live, 1);
}

static void map_misaligned_phys_gives_ealign(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400000, 0x9001, K4, 0), E_ALIGN);
    assert_int_equal(pt_map(&pt, 0x400000, 0x201000, M2, 0), E_ALIGN);
    assert_int_equal(pt_map(&pt, 0x40000000, 0x40200000, G1, 0), E_ALIGN);
    assert_int_equal(src.live, 1);
}

static void map_bad_page_size_gives_einval(void **state)
{
    static const uint64_t bad[] = {0, 1, 0x2000, 0x400000, 512 * G1, K4 | M2, ~0ull};
    for (size_t i = 0; i < LEN(bad); i++)
        assert_int_equal(pt_map(&pt, 0, 0, bad[i], 0), E_INVAL);
    assert_int_equal(src.live, 1);
}

static void map_phys_beyond_52_bits_gives_einval(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400000, PT_PHYS_LIMIT, K4, 0), E_INVAL);
    assert_int_equal(pt_map(&pt, 0x400000, 1ull << 63, M2, 0), E_INVAL);
    map_ok(0x400000, PT_PHYS_LIMIT - K4, K4, 0); // the last frame is fine
    assert_int_equal(translate_ok(0x400fff).phys, PT_PHYS_LIMIT - 1);
}

static void map_flags_with_address_bits_give_einval(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, 0x1000), E_INVAL);
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, 1ull << 51), E_INVAL);
    assert_int_equal(pt_map(&pt, 0x400000, 0, M2, 0x200000), E_INVAL);
    assert_int_equal(src.live, 1);
}

static void map_flags_with_huge_give_einval(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, PTE_HUGE), E_INVAL);
    assert_int_equal(pt_map(&pt, 0x400000, 0, M2, PTE_HUGE | W), E_INVAL);
    assert_int_equal(src.live, 1);
}

static void map_over_a_page_of_the_same_size_gives_eexist(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    map_ok(0x600000, 0x200000, M2, 0);
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(pt_map(&pt, 0x400000, 0xa000, K4, W), E_EXIST);
    assert_int_equal(pt_map(&pt, 0x600000, 0x400000, M2, W), E_EXIST);
    assert_int_equal(pt_map(&pt, 0x40000000, 0x80000000, G1, W), E_EXIST);
    assert_int_equal(translate_ok(0x400000).phys, 0x9000); // the old mappings are untouched
    assert_int_equal(translate_ok(0x600000).flags, P | PTE_HUGE);
    assert_int_equal(translate_ok(0x40000000).phys, 0x40000000);
}

static void map_2m_over_a_table_of_4k_pages_gives_eexist(void **state)
{
    map_ok(0x5ff000, 0x9000, K4, 0);
    size_t live = src.live;
    assert_int_equal(pt_map(&pt, 0x400000, 0x200000, M2, 0), E_EXIST);
    assert_int_equal(src.live, live);
    assert_int_equal(translate_ok(0x5ff000).phys, 0x9000);
}

static void map_1g_over_a_table_of_2m_pages_gives_eexist(void **state)
{
    map_ok(0x7fe00000, 0x200000, M2, 0);
    assert_int_equal(pt_map(&pt, 0x40000000, 0x40000000, G1, 0), E_EXIST);
    map_ok(0xc0001000, 0x9000, K4, 0); // and over a table of tables of 4 KiB pages
    assert_int_equal(pt_map(&pt, 0xc0000000, 0x40000000, G1, 0), E_EXIST);
    assert_int_equal(translate_ok(0x7fe00000).page_size, M2);
}

static void map_4k_inside_a_2m_page_gives_ehuge(void **state)
{
    map_ok(0x400000, 0x200000, M2, 0);
    size_t live = src.live;
    assert_int_equal(pt_map(&pt, 0x401000, 0x9000, K4, 0), E_HUGE);
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, 0), E_HUGE);
    assert_int_equal(src.live, live);
    assert_int_equal(translate_ok(0x401000).phys, 0x201000);
}

static void map_inside_a_1g_page_gives_ehuge(void **state)
{
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(pt_map(&pt, 0x40001000, 0x9000, K4, 0), E_HUGE);
    assert_int_equal(pt_map(&pt, 0x7fe00000, 0x200000, M2, 0), E_HUGE);
    assert_int_equal(src.live, 2);
}

// A fresh address space needs three tables for a 4 KiB page; failing the first, second or third
// allocation must leave no table behind, the PML4 empty, and the next map working.
static void map_enomem_at_each_level_leaves_nothing(void **state)
{
    for (long ok = 0; ok < 3; ok++) {
        src.fail_after = ok;
        size_t frees = src.frees;
        assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, W), E_NOMEM);
        assert_int_equal(src.live, 1);
        assert_int_equal(src.frees, frees + (size_t)ok);
        for (unsigned i = 0; i < 512; i++)
            assert_int_equal(table(pt.root)[i], 0);
        assert_unmapped(0x400000);
    }
    src.fail_after = -1;
    map_ok(0x400000, 0x9000, K4, W);
}

static void map_enomem_keeps_the_tables_that_were_there(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    size_t live = src.live;
    src.fail_after = 0;
    assert_int_equal(pt_map(&pt, 0x600000, 0xa000, K4, 0), E_NOMEM); // needs only a PT
    assert_int_equal(src.live, live);
    assert_int_equal(translate_ok(0x400000).phys, 0x9000);
    assert_unmapped(0x600000);
}

static void map_enomem_flushes_after_unlinking_its_tables(void **state)
{
    src.fail_after = 1;
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, 0), E_NOMEM);
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(mock_invlpg_last(), 0x400000);
}

static void map_enomem_does_not_widen_parents(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    src.fail_after = 0;
    assert_int_equal(pt_map(&pt, 0x600000, 0xa000, K4, U), E_NOMEM);
    assert_false(*entry(0x600000, 4) & U);
    assert_false(*entry(0x600000, 3) & U);
}

static void map_unreachable_new_table_gives_erange_and_frees_it(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    src.give_outside = true;
    size_t live = src.live;
    assert_int_equal(pt_map(&pt, 0x600000, 0xa000, K4, 0), E_RANGE);
    assert_int_equal(src.live, live);
    assert_false(src.outside_live);
}

static void map_through_an_unreachable_table_gives_erange(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    pte_t *pde = entry(0x400000, 2);
    pte_t saved = *pde;
    *pde = OUTSIDE | P | W;
    assert_int_equal(pt_map(&pt, 0x401000, 0xa000, K4, 0), E_RANGE);
    assert_int_equal(pt_translate(&pt, 0x400000, NULL), E_RANGE);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), E_RANGE);
    assert_int_equal(pt_protect(&pt, 0x400000, 0), E_RANGE);
    *pde = saved;
    assert_int_equal(translate_ok(0x400000).phys, 0x9000);
}

// ---- caller bugs --------------------------------------------------------------------------------

static uint64_t bad_alloc(void *ctx)
{
    return ARENA_BASE + 0x800; // not page aligned
}

static void null_arguments_panic(void **state)
{
    struct pt_frames no_free = {src_alloc, NULL, &src};
    struct page_table other;
    expect_assert_failure(pt_init(NULL, frames));
    assert_non_null(strstr(mock_panic_message(), "pt_init"));
    expect_assert_failure(pt_init(&other, no_free));
    expect_assert_failure(pt_map(NULL, 0, 0, K4, 0));
    assert_non_null(strstr(mock_panic_message(), "pt_map"));
    expect_assert_failure(pt_translate(NULL, 0, NULL));
    expect_assert_failure(pt_unmap(NULL, 0, NULL));
    expect_assert_failure(pt_protect(NULL, 0, 0));
    expect_assert_failure(pt_map_range(NULL, 0, 0, K4, 0, K4));
    expect_assert_failure(pt_walk(NULL, record, NULL));
    expect_assert_failure(pt_walk(&pt, NULL, NULL));
    expect_assert_failure(pt_destroy(NULL));
}

static void uninitialised_table_panics(void **state)
{
    struct page_table zero = {0};
    expect_assert_failure(pt_map(&zero, 0, 0, K4, 0));
    assert_non_null(strstr(mock_panic_message(), "root"));
    expect_assert_failure(pt_translate(&zero, 0, NULL));
    expect_assert_failure(pt_unmap(&zero, 0, NULL));
    expect_assert_failure(pt_protect(&zero, 0, 0));
    expect_assert_failure(pt_map_range(&zero, 0, 0, K4, 0, K4));
    expect_assert_failure(pt_walk(&zero, record, NULL));
}

static void misaligned_frame_from_the_allocator_panics(void **state)
{
    struct pt_frames misaligned = {bad_alloc, src_free, &src};
    struct page_table other;
    expect_assert_failure(pt_init(&other, misaligned));
    assert_non_null(strstr(mock_panic_message(), "0x100800"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(map_misaligned_virt_gives_ealign),
        T(map_misaligned_phys_gives_ealign),
        T(map_bad_page_size_gives_einval),
        T(map_phys_beyond_52_bits_gives_einval),
        T(map_flags_with_address_bits_give_einval),
        T(map_flags_with_huge_give_einval),
        T(map_over_a_page_of_the_same_size_gives_eexist),
        T(map_2m_over_a_table_of_4k_pages_gives_eexist),
        T(map_1g_over_a_table_of_2m_pages_gives_eexist),
        T(map_4k_inside_a_2m_page_gives_ehuge),
        T(map_inside_a_1g_page_gives_ehuge),
        T(map_enomem_at_each_level_leaves_nothing),
        T(map_enomem_keeps_the_tables_that_were_there),
        T(map_enomem_flushes_after_unlinking_its_tables),
        T(map_enomem_does_not_widen_parents),
        T(map_unreachable_new_table_gives_erange_and_frees_it),
        T(map_through_an_unreachable_table_gives_erange),
        T(null_arguments_panic),
        T(uninitialised_table_panics),
        T(misaligned_frame_from_the_allocator_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
