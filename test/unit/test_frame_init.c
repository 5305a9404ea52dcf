// Tests for core/frame.c's frame_init: where the bitmaps go (past a run too small for them, up to
// the limit, in reachable memory) and the init errors (no room below the limit, unreachable
// memory, no usable memory, a span too big for any bitmap, bad arguments), a failed init emptying
// a working allocator, and the panics on a NULL allocator.
#include "test/unit/frame_test.h"

// What a failed init leaves: nothing managed, nothing to allocate or free.
static void expect_empty(void)
{
    expect_counts(0, 0);
    assert_int_equal(frame_alloc(&fa), 0);
    assert_int_equal(frame_free(&fa, 2 * MIB), E_RANGE);
    assert_false(frame_is_free(&fa, 2 * MIB));
}

// ---- where the bitmaps go, and init errors ----------------------------------------------------

// Span [1 MiB, 129 MiB): 32768 frames, 512 words, 8 KiB: two frames, more than the first run has.
static const struct boot_mmap_entry small_first_run[] = {
    {1 * MIB, FRAME_SIZE, U}, {2 * MIB, 1 * MIB, U}, {128 * MIB, 1 * MIB, U}};

static void bitmap_skips_a_run_too_small_for_it(void **state)
{
    init_ok(small_first_run, 3, NULL, 0, NO_LIMIT);
    assert_int_equal(fa.bitmap_phys, 2 * MIB);
    assert_int_equal(fa.bitmap_frames, 2);
    expect_counts(511, 511);
    assert_int_equal(alloc_ok(), 1 * MIB); // the small run is still managed
    assert_int_equal(alloc_ok(), 2 * MIB + 2 * FRAME_SIZE);
}

static void bitmap_may_end_exactly_at_the_limit(void **state)
{
    init_ok(small_first_run, 3, NULL, 0, 2 * MIB + 2 * FRAME_SIZE);
    assert_int_equal(fa.bitmap_phys, 2 * MIB);
    init_ok(small_first_run, 3, NULL, 0, 2 * MIB + 3 * FRAME_SIZE - 1);
    assert_int_equal(fa.bitmap_phys, 2 * MIB);
}

static void no_room_below_the_limit_is_enomem(void **state)
{
    assert_int_equal(frame_init(&fa, small_first_run, 3, NULL, 0, 2 * MIB + 2 * FRAME_SIZE - 1),
                     E_NOMEM);
    expect_empty();
    assert_int_equal(frame_init(&fa, small_first_run, 3, NULL, 0, 0), E_NOMEM);
    expect_empty();
}

static void unreachable_run_is_skipped_for_a_reachable_one(void **state)
{
    static const struct boot_mmap_entry map[] = {{1 * MIB, 1 * MIB, U}, {8 * MIB, 1 * MIB, U}};
    mock_phys_arena(8 * MIB, 8 * MIB);
    init_ok(map, N(map), NULL, 0, NO_LIMIT);
    assert_int_equal(fa.bitmap_phys, 8 * MIB);
    expect_counts(511, 511);
    assert_int_equal(alloc_ok(), 1 * MIB);
}

static void unreachable_bitmap_is_erange(void **state)
{
    mock_phys_arena(64 * MIB, 1 * MIB);
    assert_int_equal(frame_init(&fa, one_region, 1, NULL, 0, NO_LIMIT), E_RANGE);
    expect_empty();
    mock_hw_reset(); // no arena at all
    assert_int_equal(frame_init(&fa, one_region, 1, NULL, 0, NO_LIMIT), E_RANGE);
    expect_empty();
}

// Frames from 1 MiB to 2^46 + 1 MiB + 4 KiB need bitmaps of 4 GiB and 16 bytes, which no 32-bit
// address space (nor this arena) reaches: the run at 1 MiB that would hold them is skipped. (A
// 32-bit size_t once cut their size to 16 bytes, which the arena held.)
static void bitmaps_larger_than_the_address_space_are_erange(void **state)
{
    static const struct boot_mmap_entry map[] = {{1 * MIB, 4 * GIB + 16 * MIB, U},
                                                 {(1ull << 46) + 1 * MIB, FRAME_SIZE, U}};
    assert_int_equal(frame_init(&fa, map, N(map), NULL, 0, NO_LIMIT), E_RANGE);
    expect_empty();
}

static void no_usable_memory_is_enomem(void **state)
{
    static const struct boot_mmap_entry reserved_only[] = {{1 * MIB, 16 * MIB, R}};
    static const struct boot_mmap_entry low_only[] = {{0, 0x9fc00, U}, {0xf0000, 0x10000, R}};
    static const struct boot_mmap_entry covered[] = {{2 * MIB, 1 * MIB, U}, {1 * MIB, 4 * MIB, 3}};
    static const struct boot_mmap_entry sub_frame[] = {{0x100800, 0x1000, U}};
    static const struct frame_range all[] = {{0, UINT64_MAX}};
    assert_int_equal(frame_init(&fa, NULL, 0, NULL, 0, NO_LIMIT), E_NOMEM);
    expect_empty();
    assert_int_equal(frame_init(&fa, reserved_only, 1, NULL, 0, NO_LIMIT), E_NOMEM);
    assert_int_equal(frame_init(&fa, low_only, 2, NULL, 0, NO_LIMIT), E_NOMEM);
    assert_int_equal(frame_init(&fa, covered, 2, NULL, 0, NO_LIMIT), E_NOMEM);
    assert_int_equal(frame_init(&fa, sub_frame, 1, NULL, 0, NO_LIMIT), E_NOMEM);
    assert_int_equal(frame_init(&fa, one_region, 1, all, 1, NO_LIMIT), E_NOMEM);
    expect_empty();
}

static void room_for_the_bitmap_alone_is_enomem(void **state)
{
    static const struct boot_mmap_entry map[] = {{1 * MIB, FRAME_SIZE, U}};
    assert_int_equal(frame_init(&fa, map, 1, NULL, 0, NO_LIMIT), E_NOMEM);
    expect_empty();
}

static void span_too_big_for_any_bitmap_is_enomem(void **state)
{
    // Frames up to 2^64: the bitmaps would need 2^50 bytes; nothing overflows on the way.
    static const struct boot_mmap_entry map[] = {{1 * MIB, 1 * MIB, U},
                                                 {UINT64_MAX - 0xffff, 0xffff, U}};
    assert_int_equal(frame_init(&fa, map, N(map), NULL, 0, NO_LIMIT), E_NOMEM);
    expect_empty();
}

static void bad_arguments_are_einval(void **state)
{
    static const struct boot_mmap_entry wraps[] = {{1 * MIB, 1 * MIB, U}, {UINT64_MAX - 9, 11, R}};
    static const struct frame_range backwards[] = {{3 * MIB, 2 * MIB}};
    assert_int_equal(frame_init(&fa, NULL, 1, NULL, 0, NO_LIMIT), E_INVAL);
    expect_empty();
    assert_int_equal(frame_init(&fa, one_region, 1, NULL, 1, NO_LIMIT), E_INVAL);
    expect_empty();
    assert_int_equal(frame_init(&fa, wraps, N(wraps), NULL, 0, NO_LIMIT), E_INVAL);
    expect_empty();
    assert_int_equal(frame_init(&fa, one_region, 1, backwards, 1, NO_LIMIT), E_INVAL);
    expect_empty();
}

static void failed_init_empties_a_working_allocator(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    alloc_ok();
    assert_int_equal(frame_init(&fa, one_region, 1, NULL, 0, 0), E_NOMEM);
    expect_empty();
}

static void null_allocator_panics(void **state)
{
    expect_assert_failure(frame_init(NULL, one_region, 1, NULL, 0, NO_LIMIT));
    assert_non_null(strstr(mock_panic_message(), "frame_init"));
    expect_assert_failure(frame_alloc(NULL));
    expect_assert_failure(frame_free(NULL, 2 * MIB));
    assert_non_null(strstr(mock_panic_message(), "frame_free"));
    expect_assert_failure(frame_is_free(NULL, 2 * MIB));
    expect_assert_failure(frame_total(NULL));
    expect_assert_failure(frame_free_count(NULL));
    expect_assert_failure(frame_check(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(bitmap_skips_a_run_too_small_for_it),
        T(bitmap_may_end_exactly_at_the_limit),
        T(no_room_below_the_limit_is_enomem),
        T(unreachable_run_is_skipped_for_a_reachable_one),
        T(unreachable_bitmap_is_erange),
        T(bitmaps_larger_than_the_address_space_are_erange),
        T(no_usable_memory_is_enomem),
        T(room_for_the_bitmap_alone_is_enomem),
        T(span_too_big_for_any_bitmap_is_enomem),
        T(bad_arguments_are_einval),
        T(failed_init_empties_a_working_allocator),
        T(null_allocator_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
