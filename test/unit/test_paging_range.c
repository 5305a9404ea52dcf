// Tests for core/paging.c: pt_map_range's choice of page sizes (stepping up and down with the
// alignment, only the allowed sizes), its argument errors, and its rollback when a page is in
// the way or frames run out.
#include "test/unit/paging_test.h"

// ---- pt_map_range -------------------------------------------------------------------------------

static void assert_pages(const uint64_t *virt, const uint64_t *size, size_t n)
{
    struct seen s = walk_all();
    assert_int_equal(s.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(s.virt[i], virt[i]);
        assert_int_equal(s.size[i], size[i]);
    }
}

static void map_range_aligned_uses_1g_pages(void **state)
{
    assert_int_equal(pt_map_range(&pt, KERNEL_BASE - G1, 0x40000000, 2 * G1, W, K4 | M2 | G1), 0);
    assert_pages((const uint64_t[]){KERNEL_BASE - G1, KERNEL_BASE}, (const uint64_t[]){G1, G1}, 2);
    assert_int_equal(translate_ok(KERNEL_BASE + 0x1234).phys, 0x80001234);
}

static void map_range_2m_aligned_uses_2m_pages(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x200000, 0x600000, 3 * M2, 0, K4 | M2 | G1), 0);
    assert_pages((const uint64_t[]){0x200000, 0x400000, 0x600000}, (const uint64_t[]){M2, M2, M2},
                 3);
}

// From 8 KiB below a 2 MiB boundary (2 MiB below a 1 GiB one), through the 1 GiB page after that,
// to 2 MiB + 4 KiB past its end: the sizes step up 4K, 4K, 2M, 1G and down 2M, 4K.
static void map_range_steps_up_and_down_with_alignment(void **state)
{
    uint64_t virt = 0x3fdfe000, len = 0x2000 + 0x200000 + G1 + M2 + K4;
    assert_int_equal(pt_map_range(&pt, virt, virt, len, 0, K4 | M2 | G1), 0);
    assert_pages(
        (const uint64_t[]){0x3fdfe000, 0x3fdff000, 0x3fe00000, 0x40000000, 0x80000000, 0x80200000},
        (const uint64_t[]){K4, K4, M2, G1, M2, K4}, 6);
}

static void map_range_with_differently_aligned_phys_uses_4k(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x400000, 0x9000, 8 * K4, 0, K4 | M2 | G1), 0);
    struct seen s = walk_all();
    assert_int_equal(s.n, 8);
    for (size_t i = 0; i < s.n; i++) {
        assert_int_equal(s.size[i], K4);
        assert_int_equal(s.phys[i], 0x9000 + i * K4);
    }
}

static void map_range_uses_only_the_allowed_sizes(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0, 0, G1 + M2, 0, K4 | M2), 0);
    struct seen s = walk_all();
    assert_int_equal(s.n, 513);
    assert_int_equal(s.size[0], M2);
    pt_destroy(&pt);
    assert_int_equal(pt_init(&pt, frames), 0);
    assert_int_equal(pt_map_range(&pt, 0x200000, 0x200000, 4 * K4, 0, K4), 0);
    assert_int_equal(walk_all().size[0], K4);
    assert_int_equal(pt_map_range(&pt, 0x40000000, 0, G1, 0, G1 | K4), 0);
    assert_int_equal(translate_ok(0x40000000).page_size, G1);
}

static void map_range_of_length_0_maps_nothing(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x400000, 0, 0, 0, K4), 0);
    assert_int_equal(walk_all().n, 0);
    assert_int_equal(src.live, 1);
}

static void map_range_length_not_a_multiple_of_4k_gives_ealign(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x400000, 0, 0x1800, 0, K4 | M2), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0x400001, 0, K4, 0, K4), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0x400000, 1, K4, 0, K4), E_ALIGN);
    assert_int_equal(src.live, 1);
}

static void map_range_not_aligned_to_the_smallest_allowed_size_gives_ealign(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x401000, 0, M2, 0, M2 | G1), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0x400000, 0x1000, M2, 0, M2), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0x400000, 0, M2 + K4, 0, M2), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0, 0, M2, 0, G1), E_ALIGN);
    assert_int_equal(src.live, 1);
}

static void map_range_bad_page_sizes_give_einval(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, 0, 0), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, 0, K4 | 0x2000), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, 0, 512 * G1), E_INVAL);
}

static void map_range_bad_flags_give_einval(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, PTE_HUGE, K4), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, 0x3000, K4), E_INVAL);
}

static void map_range_crossing_the_canonical_hole_gives_einval(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0xffffffff00000000, 0, 1ull << 33, 0, G1), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0x00007ffffffff000, 0, 2 * K4, 0, K4), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0xfffffffffffff000, 0, 2 * K4, 0, K4), E_INVAL); // wraps
    assert_int_equal(pt_map_range(&pt, 0, 0, 0x0000800000000000 + G1, 0, G1), E_INVAL);
    assert_int_equal(src.live, 1);
}

static void map_range_may_end_at_the_top_of_either_half(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0xffffffffffffe000, 0, 2 * K4, 0, K4), 0);
    assert_int_equal(pt_map_range(&pt, 0x00007fffffffe000, 0, 2 * K4, 0, K4), 0);
    assert_int_equal(translate_ok(0xffffffffffffffff).phys, 0x1fff);
    assert_int_equal(translate_ok(0x00007fffffffffff).phys, 0x1fff);
}

static void map_range_phys_beyond_52_bits_gives_einval(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0, PT_PHYS_LIMIT - K4, 2 * K4, 0, K4), E_INVAL);
    assert_int_equal(src.allocs, 1); // refused before mapping anything
    assert_int_equal(mock_invlpg_count(), 0);
    assert_int_equal(pt_map_range(&pt, 0, PT_PHYS_LIMIT, K4, 0, K4), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0, PT_PHYS_LIMIT - K4, K4, 0, K4), 0);
}

static void map_range_rolls_back_when_a_page_is_in_the_way(void **state)
{
    map_ok(0x80000000 + 0x3ff000, 0x9000, K4, 0);
    size_t live = src.live;
    assert_int_equal(pt_map_range(&pt, 0x3ff000, 0x3ff000, 0x80400000 - 0x3ff000, W, K4 | M2 | G1),
                     E_EXIST);
    assert_int_equal(src.live, live);
    struct seen s = walk_all();
    assert_int_equal(s.n, 1);
    assert_int_equal(s.virt[0], 0x803ff000);
    assert_unmapped(0x3ff000);
    assert_unmapped(0x40000000);
}

static void map_range_rolls_back_when_a_huge_page_is_in_the_way(void **state)
{
    map_ok(0x600000, 0x600000, M2, 0);
    assert_int_equal(pt_map_range(&pt, 0x3fe000, 0, 0x400000, 0, K4), E_HUGE);
    assert_int_equal(walk_all().n, 1);
    assert_int_equal(src.live, 3);
}

static void map_range_rolls_back_when_frames_run_out(void **state)
{
    src.fail_after = 5; // root is there; PDPT, PD, PT, then 2 more PTs, then nothing
    assert_int_equal(pt_map_range(&pt, 0x1ff000, 0x1ff000, 4 * M2, 0, K4), E_NOMEM);
    assert_int_equal(src.live, 1);
    assert_int_equal(walk_all().n, 0);
    assert_true(mock_invlpg_count() > 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(map_range_aligned_uses_1g_pages),
        T(map_range_2m_aligned_uses_2m_pages),
        T(map_range_steps_up_and_down_with_alignment),
        T(map_range_with_differently_aligned_phys_uses_4k),
        T(map_range_uses_only_the_allowed_sizes),
        T(map_range_of_length_0_maps_nothing),
        T(map_range_length_not_a_multiple_of_4k_gives_ealign),
        T(map_range_not_aligned_to_the_smallest_allowed_size_gives_ealign),
        T(map_range_bad_page_sizes_give_einval),
        T(map_range_bad_flags_give_einval),
        T(map_range_crossing_the_canonical_hole_gives_einval),
        T(map_range_may_end_at_the_top_of_either_half),
        T(map_range_phys_beyond_52_bits_gives_einval),
        T(map_range_rolls_back_when_a_page_is_in_the_way),
        T(map_range_rolls_back_when_a_huge_page_is_in_the_way),
        T(map_range_rolls_back_when_frames_run_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
