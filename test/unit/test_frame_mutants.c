// Tests for core/frame.c that `make mutate` asked for: pieces of usable memory without a whole
// frame (neither a run nor the start of the next one), a wrapping first map entry, a run crossing
// a bitmap word at bit 60, a run exactly the bitmaps' size, bitmap memory full of garbage, bitmaps
// that are the only reachable frame and fill it exactly, the lowest frame free (allocation from
// 0, the frame past the span), and frame_check finding each kind of corruption on its own.
#include "test/unit/frame_test.h"

// Two pieces inside single frames (1 KiB at 0x200800; 4 KiB from 0x280800, across a frame
// boundary) and a MiB at 3 MiB: only the MiB is managed.
static void pieces_without_a_whole_frame_are_no_runs(void **state)
{
    static const struct boot_mmap_entry map[] = {
        {0x200800, 0x400, U}, {0x280800, 0x1000, U}, {3 * MIB, 1 * MIB, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(fa.first, 0x300);
    assert_int_equal(frame_total(&fa), 255);
    assert_false(frame_is_free(&fa, 0x281000));
}

static void a_wrapping_first_map_entry_is_invalid(void **state)
{
    static const struct boot_mmap_entry map[] = {{UINT64_MAX - 0xfff, 0x2000, U},
                                                 {3 * MIB, 1 * MIB, U}};
    assert_int_equal(frame_init(&fa, map, N(map), NULL, 0, NO_LIMIT), E_INVAL);
}

// Runs at bitmap indexes [0, 10) and [60, 70): the second sets 4 bits of word 0 and 6 of word 1.
static void a_run_across_a_bitmap_word_is_managed_whole(void **state)
{
    static const struct boot_mmap_entry map[] = {{3 * MIB, 10 * 4096, U},
                                                 {3 * MIB + 60 * 4096, 10 * 4096, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(frame_total(&fa), 19);
    for (uint64_t f = 60; f < 70; f++)
        assert_true(frame_is_free(&fa, 3 * MIB + f * 4096));
}

static void a_run_of_exactly_the_bitmaps_size_takes_them(void **state)
{
    static const struct boot_mmap_entry map[] = {{3 * MIB, 4096, U}, {4 * MIB, 1 * MIB, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(fa.bitmap_phys, 3 * MIB);
    assert_int_equal(frame_alloc(&fa), 4 * MIB);
}

// Runs at bitmap indexes [0, 10) and [20, 130): garbage bits in the hole must not survive.
static void garbage_where_the_bitmaps_go_is_cleared(void **state)
{
    static const struct boot_mmap_entry map[] = {{3 * MIB, 10 * 4096, U},
                                                 {3 * MIB + 20 * 4096, 110 * 4096, U}};
    memset(arena, 0xff, ARENA_SIZE);
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(frame_total(&fa), 119);
    assert_false(frame_is_free(&fa, 3 * MIB + 15 * 4096));
    assert_false(frame_is_free(&fa, 3 * MIB + 130 * 4096));
    for (int i = 0; i < 119; i++)
        alloc_ok();
    assert_int_equal(frame_alloc(&fa), 0);
}

// 256 MiB and the frame 16383 frames above it: a span of 16384 frames needs 256 words a bitmap,
// 4096 bytes for both, exactly the one frame the arena holds. Nothing may be written past it.
static void bitmaps_filling_the_only_reachable_frame_stay_inside_it(void **state)
{
    static const struct boot_mmap_entry map[] = {{256 * MIB, 4096, U},
                                                 {256 * MIB + 16383 * 4096ull, 4096, U}};
    arena = mock_phys_arena(256 * MIB + 16383 * 4096ull, 4096);
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(fa.words, 256);
    assert_int_equal(frame_total(&fa), 1);
    assert_int_equal(frame_alloc(&fa), 256 * MIB);
}

// An unreachable frame at 2 MiB (the lowest, bitmap index 0, managed and free) and 32 frames
// from 0x220000 in the arena: the span is exactly 64 frames, one word a bitmap.
static void init_lowest_frame_free(void)
{
    static const struct boot_mmap_entry map[] = {{2 * MIB, 4096, U}, {0x220000, 32 * 4096, U}};
    arena = mock_phys_arena(0x220000, 1 * MIB);
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(fa.first, 0x200);
    assert_int_equal(fa.nframes, 64);
    assert_int_equal(fa.bitmap_phys, 0x220000);
}

static void the_lowest_frame_is_free_and_allocated_from_0(void **state)
{
    init_lowest_frame_free();
    assert_true(frame_is_free(&fa, 2 * MIB));
    assert_int_equal(frame_alloc_from(&fa, 0), 2 * MIB);
    assert_false(frame_is_free(&fa, 2 * MIB));
    free_ok(2 * MIB);
}

static void the_frame_just_past_the_span_is_not_free(void **state)
{
    init_lowest_frame_free();
    assert_false(frame_is_free(&fa, 0x240000)); // first + nframes
    assert_int_equal(frame_free(&fa, 0x240000), E_RANGE);
}

// One corruption at a time on a 10-frame allocator with one frame allocated.
static void check_finds_each_corruption_alone(void **state)
{
    static const struct boot_mmap_entry map[] = {{3 * MIB, 10 * 4096, U}};
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    alloc_ok();
    struct frame_allocator good = fa;
    fa.managed_bits[0] |= 1ull << 20; // past nframes, and counted as if it were managed and free
    fa.free_bits[0] |= 1ull << 20;
    fa.total++;
    fa.nfree++;
    assert_false(frame_check(&fa));
    fa = good;
    fa.managed_bits[0] &= ~(1ull << 20);
    fa.free_bits[0] &= ~(1ull << 20);
    fa.nfree--;
    assert_false(frame_check(&fa));
    fa = good;
    fa.total++;
    assert_false(frame_check(&fa));
    fa = good;
    fa.total--; // still >= nfree
    assert_false(frame_check(&fa));
    fa = good;
    fa.managed_bits[0] &= ~(1ull << 5); // free but no longer managed, counts adjusted
    fa.total--;
    assert_false(frame_check(&fa));
    fa.managed_bits[0] |= 1ull << 5;
    fa = good;
    fa.cursor = fa.words + 1;
    assert_false(frame_check(&fa));
    fa = good;
    assert_true(frame_check(&fa));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(pieces_without_a_whole_frame_are_no_runs),
        T(a_wrapping_first_map_entry_is_invalid),
        T(a_run_across_a_bitmap_word_is_managed_whole),
        T(a_run_of_exactly_the_bitmaps_size_takes_them),
        T(garbage_where_the_bitmaps_go_is_cleared),
        T(bitmaps_filling_the_only_reachable_frame_stay_inside_it),
        T(the_lowest_frame_is_free_and_allocated_from_0),
        T(the_frame_just_past_the_span_is_not_free),
        T(check_finds_each_corruption_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
