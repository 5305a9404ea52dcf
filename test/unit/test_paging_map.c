// Tests for core/paging.c: pt_init, then pt_map and pt_translate for 4 KiB, 2 MiB and 1 GiB pages
// (the frame and offset translated to, the tables created, zeroed, reused and their flags, no
// flush when nothing was cached), the higher half and non-canonical addresses.
#include "test/unit/paging_test.h"

// ---- pt_init ------------------------------------------------------------------------------------

static void init_allocates_one_zeroed_root(void **state)
{
    assert_int_equal(src.live, 1);
    assert_int_equal(pt.root % 4096, 0);
    const pte_t *root = table(pt.root);
    for (unsigned i = 0; i < 512; i++)
        assert_int_equal(root[i], 0);
}

static void init_without_a_frame_gives_enomem(void **state)
{
    struct page_table other;
    src.fail_after = 0;
    assert_int_equal(pt_init(&other, frames), E_NOMEM);
    assert_int_equal(other.root, 0);
}

static void init_with_unreachable_frame_gives_erange_and_returns_it(void **state)
{
    struct page_table other;
    src.give_outside = true;
    size_t frees = src.frees;
    assert_int_equal(pt_init(&other, frames), E_RANGE);
    assert_int_equal(other.root, 0);
    assert_int_equal(src.frees, frees + 1);
    assert_false(src.outside_live);
}

// ---- map and translate, one page size at a time -------------------------------------------------

static void map_4k_translates_to_its_frame(void **state)
{
    map_ok(0x400000, 0x12345000, K4, W);
    struct pt_translation t = translate_ok(0x400000);
    assert_int_equal(t.phys, 0x12345000);
    assert_int_equal(t.page_size, K4);
    assert_int_equal(t.flags, P | W);
    assert_int_equal(*entry(0x400000, 1), 0x12345000 | P | W);
    assert_unmapped(0x401000);
    assert_unmapped(0x3ff000);
}

static void map_2m_translates_to_its_frame(void **state)
{
    map_ok(0x40000000 + 0x600000, 0x80000000, M2, W);
    struct pt_translation t = translate_ok(0x40600000);
    assert_int_equal(t.phys, 0x80000000);
    assert_int_equal(t.page_size, M2);
    assert_int_equal(t.flags, P | W | PTE_HUGE);
    assert_int_equal(*entry(0x40600000, 2), 0x80000000 | P | W | PTE_HUGE);
    assert_unmapped(0x40800000);
    assert_int_equal(src.live, 3); // root, PDPT, PD: no PT for a 2 MiB page
}

static void map_1g_translates_to_its_frame(void **state)
{
    map_ok(0x80000000, 0x1c0000000, G1, PTE_NX);
    struct pt_translation t = translate_ok(0x80000000);
    assert_int_equal(t.phys, 0x1c0000000);
    assert_int_equal(t.page_size, G1);
    assert_int_equal(t.flags, P | PTE_NX | PTE_HUGE);
    assert_int_equal(*entry(0x80000000, 3), 0x1c0000000 | P | PTE_NX | PTE_HUGE);
    assert_unmapped(0xc0000000);
    assert_int_equal(src.live, 2); // root and PDPT only
}

static void translate_adds_the_offset_inside_each_page_size(void **state)
{
    map_ok(0x1000, 0x7000, K4, 0);
    map_ok(0x200000, 0x40000000, M2, 0);
    map_ok(0x40000000, 0x100000000, G1, 0);
    assert_int_equal(translate_ok(0x1abc).phys, 0x7abc);
    assert_int_equal(translate_ok(0x1fff).phys, 0x7fff);
    assert_int_equal(translate_ok(0x3fffff).phys, 0x401fffff);
    assert_int_equal(translate_ok(0x2abcde).phys, 0x400abcde);
    assert_int_equal(translate_ok(0x7fffffff).phys, 0x13fffffff);
    assert_int_equal(translate_ok(0x5a5a5a5a).phys, 0x11a5a5a5a);
}

static void translate_with_null_out_only_reports(void **state)
{
    map_ok(0x5000, 0x9000, K4, 0);
    assert_int_equal(pt_translate(&pt, 0x5123, NULL), 0);
}

static void map_creates_tables_present_and_writable(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0); // even for a read-only page
    for (int level = 4; level > 1; level--)
        assert_int_equal(*entry(0x400000, level) & ~PTE_ADDR_MASK, P | W);
    assert_int_equal(translate_ok(0x400000).flags, P);
    assert_int_equal(src.live, 4);
}

static void map_user_page_creates_user_tables(void **state)
{
    map_ok(0x400000, 0x9000, K4, U);
    for (int level = 4; level > 1; level--)
        assert_int_equal(*entry(0x400000, level) & ~PTE_ADDR_MASK, P | W | U);
    assert_int_equal(translate_ok(0x400000).flags, P | U);
}

static void map_zeroes_new_tables_from_dirty_frames(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    for (int level = 3; level >= 1; level--) {
        const pte_t *t = entry(0x400000, level) - idx(0x400000, level);
        for (unsigned i = 0; i < 512; i++)
            assert_int_equal(t[i], i == idx(0x400000, level) ? t[i] : 0);
    }
}

static void map_next_to_a_page_reuses_its_tables(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    size_t allocs = src.allocs;
    map_ok(0x401000, 0xa000, K4, 0);
    map_ok(0x5ff000, 0xb000, K4, 0);
    assert_int_equal(src.allocs, allocs);
    assert_int_equal(translate_ok(0x401000).phys, 0xa000);
}

static void map_keeps_os_and_cache_bits_in_the_leaf(void **state)
{
    uint64_t flags = W | PTE_WRITE_THROUGH | PTE_CACHE_DISABLE | PTE_ACCESSED | PTE_DIRTY |
                     PTE_GLOBAL | (1ull << 9) | (1ull << 11) | (1ull << 52) | (1ull << 62);
    map_ok(0x400000, 0x9000, K4, flags);
    assert_int_equal(*entry(0x400000, 1), 0x9000 | P | flags);
    assert_int_equal(translate_ok(0x400000).flags, P | flags);
    map_ok(0x600000, 0x200000, M2, flags);
    assert_int_equal(translate_ok(0x600000).flags, P | PTE_HUGE | flags);
}

static void map_does_not_flush_when_nothing_was_cached(void **state)
{
    map_ok(0x400000, 0x9000, K4, W | U);
    map_ok(0x401000, 0xa000, K4, W | U);
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(mock_invlpg_count(), 0);
}

// ---- the higher half and canonical addresses ----------------------------------------------------

static void kernel_base_maps_through_the_last_pml4_slot(void **state)
{
    map_ok(KERNEL_BASE, 0x100000 + 0x1000, K4, W);
    assert_int_equal(idx(KERNEL_BASE, 4), 511);
    assert_int_equal(idx(KERNEL_BASE, 3), 510);
    assert_true(table(pt.root)[511] & P);
    assert_int_equal(translate_ok(KERNEL_BASE + 0x123).phys, 0x101123);
    map_ok(0xffffffffffe00000, 0x200000, M2, 0); // the very last 2 MiB of the address space
    assert_int_equal(translate_ok(0xffffffffffffffff).phys, 0x3fffff);
}

static void direct_map_base_maps_through_pml4_slot_256(void **state)
{
    map_ok(DIRECT_BASE, 0, G1, W | PTE_NX);
    assert_true(table(pt.root)[256] & P);
    assert_int_equal(translate_ok(DIRECT_BASE + 0xb8000).phys, 0xb8000);
    assert_unmapped(DIRECT_BASE + G1);
}

static void highest_lower_half_page_maps(void **state)
{
    map_ok(0x00007ffffffff000, 0x9000, K4, 0);
    assert_int_equal(translate_ok(0x00007fffffffffff).phys, 0x9fff);
    assert_true(table(pt.root)[255] & P);
}

static const uint64_t noncanonical[] = {0x0000800000000000, 0x0000fffffffff000, 0xffff7ffffffff000,
                                        0x8000000000000000, 0x0001000000000000, 0x7ffffffffffff000};

static void noncanonical_addresses_give_einval_everywhere(void **state)
{
    for (size_t i = 0; i < LEN(noncanonical); i++) {
        uint64_t v = noncanonical[i];
        assert_int_equal(pt_map(&pt, v, 0x9000, K4, 0), E_INVAL);
        assert_int_equal(pt_translate(&pt, v, NULL), E_INVAL);
        assert_int_equal(pt_unmap(&pt, v, NULL), E_INVAL);
        assert_int_equal(pt_protect(&pt, v, 0), E_INVAL);
        assert_int_equal(pt_map_range(&pt, v, 0, K4, 0, K4), E_INVAL);
    }
    assert_int_equal(src.live, 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_allocates_one_zeroed_root),
        T(init_without_a_frame_gives_enomem),
        T(init_with_unreachable_frame_gives_erange_and_returns_it),
        T(map_4k_translates_to_its_frame),
        T(map_2m_translates_to_its_frame),
        T(map_1g_translates_to_its_frame),
        T(translate_adds_the_offset_inside_each_page_size),
        T(translate_with_null_out_only_reports),
        T(map_creates_tables_present_and_writable),
        T(map_user_page_creates_user_tables),
        T(map_zeroes_new_tables_from_dirty_frames),
        T(map_next_to_a_page_reuses_its_tables),
        T(map_keeps_os_and_cache_bits_in_the_leaf),
        T(map_does_not_flush_when_nothing_was_cached),
        T(kernel_base_maps_through_the_last_pml4_slot),
        T(direct_map_base_maps_through_pml4_slot_256),
        T(highest_lower_half_page_maps),
        T(noncanonical_addresses_give_einval_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
