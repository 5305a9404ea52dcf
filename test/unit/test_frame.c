// Tests for core/frame.c: which frames a memory map yields (unsorted, overlapping, touching and
// unaligned regions, non-usable entries, the first MiB, reserved ranges), where the bitmaps go
// (low, below the limit, reachable), the init errors, the allocation order (bottom-up next fit,
// above 4 GiB only after the low frames), exhaustion, the answers to bad frees, and a randomized
// run against a shadow model and an independent per-frame reference.
#define _POSIX_C_SOURCE 199309L // clock_gettime under -std=c11
#include "core/err.h"
#include "core/frame.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define SEED 20240611u

#define KIB      1024ull
#define MIB      (1024 * KIB)
#define GIB      (1024 * MIB)
#define U        BOOT_MEM_USABLE
#define R        BOOT_MEM_RESERVED
#define NO_LIMIT UINT64_MAX
#define N(a)     (sizeof(a) / sizeof((a)[0]))

#define ARENA_SIZE (16 * MIB) // "physical memory" [0, 16 MiB): where every bitmap lands

static struct frame_allocator fa;
static uint8_t *arena;

static int setup(void **state)
{
    mock_hw_reset();
    arena = mock_phys_arena(0, ARENA_SIZE);
    memset(&fa, 0xa5, sizeof(fa)); // garbage: frame_init must not rely on a zeroed struct
    return 0;
}

// ---- helpers ----------------------------------------------------------------------------------

static void expect_counts(uint64_t total, uint64_t nfree)
{
    assert_int_equal(frame_total(&fa), total);
    assert_int_equal(frame_free_count(&fa), nfree);
    assert_true(frame_check(&fa));
}

static void init_ok(const struct boot_mmap_entry *map, size_t n, const struct frame_range *res,
                    size_t nres, uint64_t limit)
{
    assert_int_equal(frame_init(&fa, map, n, res, nres, limit), 0);
    assert_true(frame_check(&fa));
    assert_int_equal(frame_free_count(&fa), frame_total(&fa));
}

static uint64_t alloc_ok(void)
{
    uint64_t before = frame_free_count(&fa);
    uint64_t p = frame_alloc(&fa);
    assert_int_not_equal(p, 0);
    assert_int_equal(p % FRAME_SIZE, 0);
    assert_false(frame_is_free(&fa, p));
    assert_int_equal(frame_free_count(&fa), before - 1);
    return p;
}

static void free_ok(uint64_t p)
{
    uint64_t before = frame_free_count(&fa);
    assert_int_equal(frame_free(&fa, p), 0);
    assert_true(frame_is_free(&fa, p));
    assert_int_equal(frame_free_count(&fa), before + 1);
}

// frame_free(p) returns `code` and changes neither the struct nor a single bitmap bit.
static void expect_refused(uint64_t p, int code)
{
    struct frame_allocator before = fa;
    size_t bytes = (size_t)(2 * fa.words * sizeof(uint64_t));
    uint8_t *bits = malloc(bytes + 1);
    assert_non_null(bits);
    memcpy(bits, fa.free_bits, bytes);
    assert_int_equal(frame_free(&fa, p), code);
    assert_memory_equal(&fa, &before, sizeof(fa));
    assert_memory_equal(fa.free_bits, bits, bytes);
    assert_true(frame_check(&fa));
    free(bits);
}

static void expect_empty(void)
{
    expect_counts(0, 0);
    assert_int_equal(frame_alloc(&fa), 0);
    assert_int_equal(frame_free(&fa, 2 * MIB), E_RANGE);
    assert_false(frame_is_free(&fa, 2 * MIB));
}

static bool overlaps(uint64_t base, uint64_t end, uint64_t a, uint64_t b)
{
    return base < b && a < end;
}

// The reference: whether the frame at a may be managed, straight from the definition (every
// byte covered by the usable entries' union, none by another entry, a reserved range or the
// first MiB), without the allocator's sweep.
static bool ref_frame(const struct boot_mmap_entry *map, size_t n, const struct frame_range *res,
                      size_t nres, uint64_t a)
{
    uint64_t b = a + FRAME_SIZE, pos = a;
    if (a < FRAME_LOW)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (map[i].type != U && overlaps(map[i].base, map[i].base + map[i].length, a, b))
            return false;
    }
    for (size_t i = 0; i < nres; i++) {
        if (overlaps(res[i].base, res[i].end, a, b))
            return false;
    }
    for (bool moved = true; pos < b && moved;) {
        moved = false;
        for (size_t i = 0; i < n; i++) {
            uint64_t end = map[i].base + map[i].length;
            if (map[i].type == U && map[i].base <= pos && pos < end) {
                pos = end;
                moved = true;
            }
        }
    }
    return pos >= b;
}

static bool in_bitmap(uint64_t p)
{
    return p >= fa.bitmap_phys && p < fa.bitmap_phys + fa.bitmap_frames * FRAME_SIZE;
}

// ---- fixtures ---------------------------------------------------------------------------------

static const struct boot_mmap_entry one_region[] = {{1 * MIB, 16 * MIB, U}};

// Everything at once: unsorted, overlapping, touching across a frame, unaligned, empty and
// non-usable entries, below and above the first MiB.
static const struct boot_mmap_entry mixed_map[] = {
    {0x3000000, 0x200000, U},                       // [48 MiB, 50 MiB)
    {0x0, 0x9fc00, U},                              // below the first MiB
    {0x9fc00, 0x400, R},                            // EBDA
    {0xf0000, 0x10000, R},                          // BIOS ROM
    {0x100000, 0x700800, U},                        // [1 MiB, 8 MiB + 2 KiB)
    {0x400000, 0x100000, U},                        // inside the one above
    {0x600100, 0x200, BOOT_MEM_ACPI_NVS},           // takes frame 0x600000
    {0x800800, 0x1000, U},                          // touches: frame 0x800000 is whole
    {0x2000000, 0x0, U},                            // empty
    {0x2800400, 0x3000, U},                         // unaligned: frames 0x2801000, 0x2802000
    {0x3100000, 0x1000, BOOT_MEM_ACPI_RECLAIMABLE}, // inside [48 MiB, 50 MiB)
};
static const struct frame_range mixed_reserved[] = {
    {0x100000, 0x180abc}, // kernel image: frames 0x100000..0x180000
    {0x7000, 0x7100},     // boot info below the first MiB
    {0x500010, 0x500020}, // boot info: frame 0x500000
};
// Frames of mixed_map: [0x181000, 0x801000) = 1664, minus 0x500000 and 0x600000, plus 0x2801000
// and 0x2802000, plus [48 MiB, 50 MiB) minus 0x3100000 = 511: 2175; the bitmaps take one.
#define MIXED_USABLE 2175u

static void init_mixed(void)
{
    init_ok(mixed_map, N(mixed_map), mixed_reserved, N(mixed_reserved), NO_LIMIT);
}

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

// ---- the QEMU map and 5 GiB -------------------------------------------------------------------

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

// ---- bad frees ----------------------------------------------------------------------------------

static void double_free_is_einval_and_changes_nothing(void **state)
{
    init_mixed();
    uint64_t p = alloc_ok();
    free_ok(p);
    expect_refused(p, E_INVAL);
    expect_refused(0x700000, E_INVAL); // free, never allocated
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void misaligned_free_is_ealign_and_changes_nothing(void **state)
{
    init_mixed();
    uint64_t p = alloc_ok();
    expect_refused(p + 1, E_ALIGN);
    expect_refused(p + FRAME_SIZE / 2, E_ALIGN);
    expect_refused(UINT64_MAX, E_ALIGN); // checked before the range
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 2);
}

static void free_of_a_reserved_frame_is_erange(void **state)
{
    init_mixed();
    expect_refused(0x500000, E_RANGE);  // a reserved range inside the span
    expect_refused(0x600000, E_RANGE);  // an ACPI NVS entry
    expect_refused(0x3100000, E_RANGE); // an ACPI reclaimable entry
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void free_in_the_first_mib_is_erange(void **state)
{
    init_mixed();
    expect_refused(0, E_RANGE);
    expect_refused(0x9f000, E_RANGE);
    expect_refused(0x7000, E_RANGE);
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void free_of_a_bitmap_frame_is_erange(void **state)
{
    init_mixed();
    expect_refused(fa.bitmap_phys, E_RANGE);
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void free_in_a_hole_or_partial_frame_is_erange(void **state)
{
    init_mixed();
    expect_refused(0x1000000, E_RANGE); // between the regions
    expect_refused(0x2800000, E_RANGE); // partly usable
    expect_refused(0x180000, E_RANGE);  // partly the kernel image
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
}

static void free_outside_the_span_is_erange(void **state)
{
    init_mixed();
    expect_refused(50 * MIB, E_RANGE); // the first frame past the span
    expect_refused(64 * GIB, E_RANGE);
    expect_refused(UINT64_MAX & ~(uint64_t)(FRAME_SIZE - 1), E_RANGE);
    expect_counts(MIXED_USABLE - 1, MIXED_USABLE - 1);
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

static void is_free_is_false_for_addresses_free_refuses(void **state)
{
    init_mixed();
    assert_true(frame_is_free(&fa, 0x700000));
    assert_false(frame_is_free(&fa, 0x700001)); // misaligned, though in a free frame
    assert_false(frame_is_free(&fa, 0x500000)); // reserved
    assert_false(frame_is_free(&fa, fa.bitmap_phys));
    assert_false(frame_is_free(&fa, 0x1000000)); // hole
    assert_false(frame_is_free(&fa, 0x9f000));   // first MiB
    assert_false(frame_is_free(&fa, 64 * GIB));  // outside the span
}

// ---- the invariant checker ---------------------------------------------------------------------

static void check_catches_each_broken_invariant(void **state)
{
    init_ok(one_region, 1, NULL, 0, NO_LIMIT); // 4096 frames: 64 full words, bit 0 the bitmap
    struct frame_allocator good = fa;
    fa.free_bits[5] ^= 1; // a free frame missing from the bitmap
    assert_false(frame_check(&fa));
    fa = good; // the struct; the bitmap lives in the arena and is restored by hand
    fa.free_bits[5] ^= 1;
    fa.free_bits[0] |= 1; // a free bit on an unmanaged frame
    fa.nfree++;
    assert_false(frame_check(&fa));
    fa = good;
    fa.free_bits[0] &= ~1ull;
    fa.managed_bits[0] |= 1; // the bitmap's own frame managed
    fa.total++;
    assert_false(frame_check(&fa));
    fa = good;
    fa.managed_bits[0] &= ~1ull;
    fa.cursor = fa.words; // the cursor past the bitmap
    assert_false(frame_check(&fa));
    fa = good;
    assert_true(frame_check(&fa));
    fa.nframes--; // the last managed bit now lies past the span
    assert_false(frame_check(&fa));
}

static void alloc_panics_when_the_count_disagrees_with_the_bitmap(void **state)
{
    static const struct boot_mmap_entry map[] = {{1 * MIB, 16 * FRAME_SIZE, U}};
    init_ok(map, 1, NULL, 0, NO_LIMIT);
    while (frame_alloc(&fa) != 0)
        ;
    fa.nfree = 1;
    expect_assert_failure(frame_alloc(&fa));
    assert_non_null(strstr(mock_panic_message(), "frame_alloc"));
}

// ---- randomized ---------------------------------------------------------------------------------

enum { UNMANAGED, FREE, TAKEN };

static uint64_t xorshift64(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

#define RANDOM_STEPS 100000

// Random allocs, frees (good and bad) and queries against a shadow array of frame states taken
// from the reference. Also checks the bottom-up guarantee: no allocation lies above the lowest
// managed frame never handed out.
static void random_alloc_free_matches_a_shadow_set(void **state)
{
    init_mixed();
    uint64_t nframes = fa.nframes, first = fa.first, seed = SEED, nfree = 0, fresh = 0;
    uint8_t *shadow = calloc(nframes, 1), *used = calloc(nframes, 1);
    assert_non_null(shadow);
    assert_non_null(used);
    for (uint64_t i = 0; i < nframes; i++) {
        uint64_t p = (first + i) * FRAME_SIZE;
        shadow[i] = ref_frame(mixed_map, N(mixed_map), mixed_reserved, N(mixed_reserved), p) &&
                            !in_bitmap(p)
                        ? FREE
                        : UNMANAGED;
        nfree += shadow[i] == FREE;
    }
    for (int step = 0; step < RANDOM_STEPS; step++) {
        uint64_t r = xorshift64(&seed), i = (r >> 8) % nframes, p = (first + i) * FRAME_SIZE;
        while (fresh < nframes && (shadow[fresh] == UNMANAGED || used[fresh]))
            fresh++;
        if (r % 8 < 3) { // allocate
            uint64_t got = frame_alloc(&fa), k = (got >> FRAME_SHIFT) - first;
            bool ok =
                nfree == 0 ? got == 0 : got != 0 && k < nframes && shadow[k] == FREE && k <= fresh;
            if (!ok)
                fail_msg("step %d: alloc gave 0x%llx (seed %u)", step, (unsigned long long)got,
                         SEED);
            if (got != 0) {
                shadow[k] = TAKEN;
                used[k] = 1;
                nfree--;
            }
        } else if (r % 8 < 6) { // free some frame: taken, free or unmanaged
            int want = shadow[i] == TAKEN ? 0 : shadow[i] == FREE ? E_INVAL : E_RANGE;
            int rc = frame_free(&fa, p);
            if (rc != want)
                fail_msg("step %d: free 0x%llx gave %d, expected %d (seed %u)", step,
                         (unsigned long long)p, rc, want, SEED);
            if (rc == 0) {
                shadow[i] = FREE;
                nfree++;
            }
        } else if (frame_is_free(&fa, p) != (shadow[i] == FREE)) {
            fail_msg("step %d: is_free 0x%llx wrong (seed %u)", step, (unsigned long long)p, SEED);
        }
        if (!frame_check(&fa) || frame_free_count(&fa) != nfree)
            fail_msg("step %d: invariants or count broken (seed %u)", step, SEED);
    }
    free(shadow);
    free(used);
}

#define T(name) cmocka_unit_test_setup(name, setup)

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
        T(frames_above_4_gib_come_after_all_low_frames),
        T(bitmap_skips_a_run_too_small_for_it),
        T(bitmap_may_end_exactly_at_the_limit),
        T(no_room_below_the_limit_is_enomem),
        T(unreachable_run_is_skipped_for_a_reachable_one),
        T(unreachable_bitmap_is_erange),
        T(no_usable_memory_is_enomem),
        T(room_for_the_bitmap_alone_is_enomem),
        T(span_too_big_for_any_bitmap_is_enomem),
        T(bad_arguments_are_einval),
        T(failed_init_empties_a_working_allocator),
        T(null_allocator_panics),
        T(alloc_until_exhausted_then_zero),
        T(allocated_frames_are_distinct_aligned_usable_and_unreserved),
        T(freed_frame_is_allocated_again),
        T(frame_freed_in_the_current_group_is_reused_at_once),
        T(frame_freed_below_the_current_group_waits_for_the_wrap),
        T(double_free_is_einval_and_changes_nothing),
        T(misaligned_free_is_ealign_and_changes_nothing),
        T(free_of_a_reserved_frame_is_erange),
        T(free_in_the_first_mib_is_erange),
        T(free_of_a_bitmap_frame_is_erange),
        T(free_in_a_hole_or_partial_frame_is_erange),
        T(free_outside_the_span_is_erange),
        T(is_free_follows_alloc_and_free),
        T(is_free_is_false_for_addresses_free_refuses),
        T(check_catches_each_broken_invariant),
        T(alloc_panics_when_the_count_disagrees_with_the_bitmap),
        T(random_alloc_free_matches_a_shadow_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
