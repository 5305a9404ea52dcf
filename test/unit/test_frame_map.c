// Tests for core/frame.c: which frames a memory map yields (unsorted, overlapping, touching and
// unaligned regions, non-usable entries, the first MiB, reserved ranges, entries reaching the top
// of memory), where the bitmap lives and that its frames are never handed out, and the exact
// totals of a QEMU-like map.
#include "test/unit/frame_test.h"

// ---- which frames are managed ------------------------------------------------------------------

static void single_region_manages_every_whole_frame_but_the_bitmap(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    // 4096 frames: 64 words per bitmap, 1 KiB for both, one frame.
    assert_int_equal(fa.first, 0x100);
    assert_int_equal(fa.nframes, 4096);
    assert_int_equal(fa.bitmap_frames, 1);
    expect_counts(4095, 4095);
    assert_true(frame_is_free(&fa, 0x101000));
    assert_true(frame_is_free(&fa, 17 * MIB - FRAME_SIZE));
    assert_false(frame_is_free(&fa, 17 * MIB));
}

static void bitmap_lives_at_its_phys_address_in_the_arena(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    assert_int_equal(fa.bitmap_phys, 1 * MIB);
    assert_ptr_equal(fa.free_bits, (uint64_t *)(arena + 1 * MIB));
    assert_ptr_equal(fa.managed_bits, fa.free_bits + fa.words);
    assert_int_equal(fa.managed_bits[0], ~1ull); // bit 0: the bitmap's own frame
    assert_int_equal(fa.free_bits[63], ~0ull);
}

static void bitmap_frames_are_never_handed_out(void **state)
{
    init_mixed();
    assert_int_equal(fa.bitmap_phys, 0x181000); // the lowest managed-to-be frame
    assert_false(frame_is_free(&fa, fa.bitmap_phys));
    for (uint64_t p; (p = frame_alloc(&fa)) != 0;)
        assert_false(in_bitmap(p));
    expect_counts(MIXED_USABLE - 1, 0);
}

static void unsorted_regions_are_all_managed_in_address_order(void **state)
{
    static const struct boot_mmap_entry map[] = {
        {8 * MIB, 1 * MIB, U}, {2 * MIB, 1 * MIB, U}, {5 * MIB, 1 * MIB, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(fa.bitmap_phys, 2 * MIB);
    expect_counts(767, 767);
    assert_int_equal(alloc_ok(), 2 * MIB + FRAME_SIZE);
    for (int i = 0; i < 254; i++)
        alloc_ok();
    assert_int_equal(alloc_ok(), 5 * MIB);
    for (int i = 0; i < 255; i++)
        alloc_ok();
    assert_int_equal(alloc_ok(), 8 * MIB);
}

static void overlapping_usable_regions_count_once(void **state)
{
    static const struct boot_mmap_entry map[] = {
        {1 * MIB, 2 * MIB, U}, {2 * MIB, 2 * MIB, U}, {1 * MIB, 3 * MIB, U}, {1 * MIB, 2 * MIB, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    expect_counts(767, 767); // [1 MiB, 4 MiB): 768 frames, one for the bitmaps
}

static void touching_usable_regions_join_across_a_frame(void **state)
{
    static const struct boot_mmap_entry map[] = {{0x100000, 0x80800, U}, {0x180800, 0x7f800, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    expect_counts(255, 255);
    assert_true(frame_is_free(&fa, 0x180000));
}

static void reserved_entry_wins_over_usable(void **state)
{
    static const struct boot_mmap_entry map[] = {{0x200800, 0x1000, R}, {1 * MIB, 3 * MIB, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    expect_counts(765, 765); // 768, minus the 2 frames the entry touches, minus the bitmap
    assert_false(frame_is_free(&fa, 0x200000));
    assert_false(frame_is_free(&fa, 0x201000));
    assert_true(frame_is_free(&fa, 0x1ff000));
    assert_true(frame_is_free(&fa, 0x202000));
}

static void every_non_usable_type_wins_over_usable(void **state)
{
    static const uint32_t types[] = {0,
                                     R,
                                     BOOT_MEM_ACPI_RECLAIMABLE,
                                     BOOT_MEM_ACPI_NVS,
                                     BOOT_MEM_BAD,
                                     BOOT_MEM_DISABLED,
                                     BOOT_MEM_PERSISTENT,
                                     99};
    for (size_t i = 0; i < N(types); i++) {
        struct boot_mmap_entry map[] = {{1 * MIB, 1 * MIB, U}, {0x180000, 1, types[i]}};
        init_ok(map, N(map), NULL, 0, NO_LIMIT);
        expect_counts(254, 254);
        assert_false(frame_is_free(&fa, 0x180000));
    }
}

static void unaligned_bounds_exclude_partial_frames(void **state)
{
    static const struct boot_mmap_entry map[] = {{0x100800, 0x100000, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(fa.first, 0x101);
    assert_int_equal(fa.nframes, 255); // [0x101000, 0x200000): the last frame is partial
    expect_counts(254, 254);
    assert_int_equal(alloc_ok(), 0x102000);
    assert_false(frame_is_free(&fa, 0x200000));
}

static void memory_below_the_first_mib_is_never_managed(void **state)
{
    static const struct boot_mmap_entry map[] = {{0, 2 * MIB, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(fa.first, FRAME_LOW / FRAME_SIZE);
    expect_counts(255, 255);
    assert_false(frame_is_free(&fa, 0));
    assert_false(frame_is_free(&fa, 0x9f000));
}

static void reserved_ranges_are_excluded(void **state)
{
    static const struct boot_mmap_entry map[] = {{1 * MIB, 7 * MIB, U}};
    static const struct frame_range res[] = {{0x100000, 0x123456}, {0x300100, 0x300200}};
    init_ok(map, N(map), res, N(res), NO_LIMIT);
    // 1792 frames, minus 36 of the kernel image (0x100000..0x123000), one of the boot info, one
    // of the bitmaps, which start after the kernel.
    assert_int_equal(fa.bitmap_phys, 0x124000);
    expect_counts(1754, 1754);
    for (uint64_t p; (p = frame_alloc(&fa)) != 0;) {
        assert_true(p >= 0x125000);
        assert_int_not_equal(p, 0x300000);
    }
}

static void empty_reserved_range_excludes_nothing(void **state)
{
    static const struct frame_range res[] = {{3 * MIB, 3 * MIB}};
    init_ok(one_region, 1, res, N(res), NO_LIMIT);
    expect_counts(4095, 4095);
    assert_true(frame_is_free(&fa, 3 * MIB));
}

static void entries_reaching_the_top_of_memory_are_handled(void **state)
{
    static const struct boot_mmap_entry map[] = {{1 * MIB, 1 * MIB, U},
                                                 {UINT64_MAX - 0xffff, 0xffff, R}};
    static const struct frame_range res[] = {{16 * GIB, UINT64_MAX}};
    init_ok(map, N(map), res, N(res), NO_LIMIT);
    expect_counts(255, 255);
}

// ---- the QEMU map ----------------------------------------------------------------------------

static void qemu_like_map_has_exact_totals(void **state)
{
    static const struct boot_mmap_entry map[] = {
        {0x0, 0x9fc00, U},        {0x9fc00, 0x400, R},      {0xf0000, 0x10000, R},
        {0x100000, 126 * MIB, U}, {0xfffc0000, 0x40000, R},
    };
    static const struct frame_range res[] = {{0x100000, 0x123456}, {0x10000, 0x10200}};
    init_ok(map, N(map), res, N(res), 4 * GIB);
    // Frames [0x124000, 0x7f00000): 32220, 504 words per bitmap, 8064 bytes: two frames.
    assert_int_equal(fa.nframes, 32220);
    assert_int_equal(fa.bitmap_phys, 0x124000);
    assert_int_equal(fa.bitmap_frames, 2);
    expect_counts(32218, 32218);
    assert_int_equal(alloc_ok(), 0x126000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(single_region_manages_every_whole_frame_but_the_bitmap),
        T(bitmap_lives_at_its_phys_address_in_the_arena),
        T(bitmap_frames_are_never_handed_out),
        T(unsorted_regions_are_all_managed_in_address_order),
        T(overlapping_usable_regions_count_once),
        T(touching_usable_regions_join_across_a_frame),
        T(reserved_entry_wins_over_usable),
        T(every_non_usable_type_wins_over_usable),
        T(unaligned_bounds_exclude_partial_frames),
        T(memory_below_the_first_mib_is_never_managed),
        T(reserved_ranges_are_excluded),
        T(empty_reserved_range_excludes_nothing),
        T(entries_reaching_the_top_of_memory_are_handled),
        T(qemu_like_map_has_exact_totals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
