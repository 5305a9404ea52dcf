// Tests for core/frame.c's allocation order: bottom-up next fit to exhaustion, every frame handed
// out distinct, aligned, usable and unreserved, a freed frame coming back (at once in the current
// 64-frame group, after the wrap below it), frames above 4 GiB only after all the low ones (timed
// on a 5 GiB map), and frame_is_free following alloc and free.
#define _POSIX_C_SOURCE 199309L // clock_gettime under -std=c11
#include "test/unit/frame_test.h"

#include <time.h>

// ---- allocation ---------------------------------------------------------------------------------

static void alloc_until_exhausted_then_zero(void **state)
{
    static const struct boot_mmap_entry map[] = {{1 * MIB, 16 * FRAME_SIZE, U}};
    init_ok(map, 1, NULL, 0, NO_LIMIT);
    for (uint64_t i = 0; i < 15; i++) {
        assert_int_equal(alloc_ok(), 1 * MIB + (i + 1) * FRAME_SIZE);
        expect_counts(15, 14 - i);
    }
    for (int i = 0; i < 3; i++)
        assert_int_equal(frame_alloc(&fa), 0);
    expect_counts(15, 0);
}

static void allocated_frames_are_distinct_aligned_usable_and_unreserved(void **state)
{
    init_mixed();
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
    uint64_t count = 0, prev = 0;
    for (uint64_t p; (p = frame_alloc(&fa)) != 0; prev = p, count++) {
        assert_true(p > prev); // ascending, hence distinct
        assert_int_equal(p % FRAME_SIZE, 0);
        assert_true(ref_frame(mixed_map, N(mixed_map), mixed_reserved, N(mixed_reserved), p));
        assert_false(in_bitmap(p));
    }
    assert_int_equal(count, MIXED_USABLE - 1);
    // And no frame the reference accepts was left out.
    uint64_t ref = 0;
    for (uint64_t p = 0; p < 64 * MIB; p += FRAME_SIZE)
        ref += ref_frame(mixed_map, N(mixed_map), mixed_reserved, N(mixed_reserved), p);
    assert_int_equal(ref, MIXED_USABLE);
}

static void freed_frame_is_allocated_again(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    uint64_t p = alloc_ok();
    expect_counts(4095, 4094);
    free_ok(p);
    expect_counts(4095, 4095);
    assert_int_equal(alloc_ok(), p);
    expect_counts(4095, 4094);
}

static void frame_freed_in_the_current_group_is_reused_at_once(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    uint64_t p[10];
    for (int i = 0; i < 10; i++)
        p[i] = alloc_ok();
    free_ok(p[3]);
    assert_int_equal(alloc_ok(), p[3]);
    assert_int_equal(alloc_ok(), p[9] + FRAME_SIZE);
}

static void frame_freed_below_the_current_group_waits_for_the_wrap(void **state)
{
    static const struct boot_mmap_entry map[] = {{1 * MIB, 1 * MIB, U}};
    init_ok(map, 1, NULL, 0, NO_LIMIT);
    uint64_t low = alloc_ok(), last = low;
    for (int i = 0; i < 99; i++)
        last = alloc_ok(); // now in the second 64-frame group
    free_ok(low);
    for (uint64_t p; (p = alloc_ok()) != low; last = p)
        assert_true(p > last); // everything above goes first
    assert_int_equal(last, 2 * MIB - FRAME_SIZE);
    assert_int_equal(frame_alloc(&fa), 0);
    expect_counts(255, 0);
}

// ---- above 4 GiB, on a 5 GiB map ---------------------------------------------------------------

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void frames_above_4_gib_come_after_all_low_frames(void **state)
{
    static const struct boot_mmap_entry map[] = {
        {4 * GIB, 2 * GIB, U}, {0, 0x9fc00, U}, {3 * GIB, 1 * GIB, R}, {1 * MIB, 3 * GIB, U}};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    init_ok(map, N(map), NULL, 0, 4 * GIB);
    double init_s = seconds_since(&t0);
    // Span [1 MiB, 6 GiB): 1572608 frames, 24572 words per bitmap, 384 KiB - 64: 96 frames.
    uint64_t low = 3 * GIB / FRAME_SIZE - 256 - 96, high = 2 * GIB / FRAME_SIZE;
    assert_int_equal(fa.bitmap_frames, 96);
    expect_counts(low + high, low + high);
    uint64_t prev = 0;
    for (uint64_t i = 0; i < low + high; i++) {
        uint64_t p = frame_alloc(&fa);
        if (p <= prev || (i < low) != (p < 3 * GIB) || (p >= 3 * GIB && p < 4 * GIB))
            fail_msg("allocation %llu: 0x%llx after 0x%llx", (unsigned long long)i,
                     (unsigned long long)p, (unsigned long long)prev);
        prev = p;
    }
    assert_int_equal(prev, 6 * GIB - FRAME_SIZE);
    assert_int_equal(frame_alloc(&fa), 0);
    expect_counts(low + high, 0);
    printf("frame: 5 GiB map initialised in %.3f ms, %llu frames allocated in %.3f ms\n",
           init_s * 1e3, (unsigned long long)(low + high), (seconds_since(&t0) - init_s) * 1e3);
}

static void is_free_follows_alloc_and_free(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT);
    assert_true(frame_is_free(&fa, 0x101000));
    uint64_t p = alloc_ok();
    assert_int_equal(p, 0x101000);
    assert_false(frame_is_free(&fa, p));
    assert_true(frame_is_free(&fa, p + FRAME_SIZE));
    free_ok(p);
    assert_true(frame_is_free(&fa, p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(alloc_until_exhausted_then_zero),
        T(allocated_frames_are_distinct_aligned_usable_and_unreserved),
        T(freed_frame_is_allocated_again),
        T(frame_freed_in_the_current_group_is_reused_at_once),
        T(frame_freed_below_the_current_group_waits_for_the_wrap),
        T(frames_above_4_gib_come_after_all_low_frames),
        T(is_free_follows_alloc_and_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
