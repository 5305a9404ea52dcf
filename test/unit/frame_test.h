// Shared by the frame allocator tests (test_frame_*.c): the "physical memory" arena every bitmap
// lands in, the allocator under test and its setup, the checks on counts, init, alloc and free,
// the memory map with everything at once (mixed_map) and the reference that says from the
// definition alone whether a frame may be managed. Header-only; every function and fixture is
// static (and may be unused in one program).
#pragma once

#include "core/err.h"
#include "core/frame.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define FT static __attribute__((unused))

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

FT int setup(void **state)
{
    mock_hw_reset();
    arena = mock_phys_arena(0, ARENA_SIZE);
    memset(&fa, 0xa5, sizeof(fa)); // garbage: frame_init must not rely on a zeroed struct
    return 0;
}

#define T(name) cmocka_unit_test_setup(name, setup)

// ---- helpers ----------------------------------------------------------------------------------

FT void expect_counts(uint64_t total, uint64_t nfree)
{
    assert_int_equal(frame_total(&fa), total);
    assert_int_equal(frame_free_count(&fa), nfree);
    assert_true(frame_check(&fa));
}

FT void init_ok(const struct boot_mmap_entry *map, size_t n, const struct frame_range *res,
                size_t nres, uint64_t limit)
{
    assert_int_equal(frame_init(&fa, map, n, res, nres, limit), 0);
    assert_true(frame_check(&fa));
    assert_int_equal(frame_free_count(&fa), frame_total(&fa));
}

FT uint64_t alloc_ok(void)
{
    uint64_t before = frame_free_count(&fa);
    uint64_t p = frame_alloc(&fa);
    assert_int_not_equal(p, 0);
    assert_int_equal(p % FRAME_SIZE, 0);
    assert_false(frame_is_free(&fa, p));
    assert_int_equal(frame_free_count(&fa), before - 1);
    return p;
}

FT void free_ok(uint64_t p)
{
    uint64_t before = frame_free_count(&fa);
    assert_int_equal(frame_free(&fa, p), 0);
    assert_true(frame_is_free(&fa, p));
    assert_int_equal(frame_free_count(&fa), before + 1);
}

FT bool overlaps(uint64_t base, uint64_t end, uint64_t a, uint64_t b)
{
    return base < b && a < end;
}

// The reference: whether the frame at a may be managed, straight from the definition (every
// byte covered by the usable entries' union, none by another entry, a reserved range or the
// first MiB), without the allocator's sweep.
FT bool ref_frame(const struct boot_mmap_entry *map, size_t n, const struct frame_range *res,
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

FT bool in_bitmap(uint64_t p)
{
    return p >= fa.bitmap_phys && p < fa.bitmap_phys + fa.bitmap_frames * FRAME_SIZE;
}

// ---- fixtures ---------------------------------------------------------------------------------

FT const struct boot_mmap_entry one_region[] = {{1 * MIB, 16 * MIB, U}};

// Everything at once: unsorted, overlapping, touching across a frame, unaligned, empty and
// non-usable entries, below and above the first MiB.
FT const struct boot_mmap_entry mixed_map[] = {
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
FT const struct frame_range mixed_reserved[] = {
    {0x100000, 0x180abc}, // kernel image: frames 0x100000..0x180000
    {0x7000, 0x7100},     // boot info below the first MiB
    {0x500010, 0x500020}, // boot info: frame 0x500000
};
// Frames of mixed_map: [0x181000, 0x801000) = 1664, minus 0x500000 and 0x600000, plus 0x2801000
// and 0x2802000, plus [48 MiB, 50 MiB) minus 0x3100000 = 511: 2175; the bitmaps take one.
#define MIXED_USABLE 2175u

FT void init_mixed(void)
{
    init_ok(mixed_map, N(mixed_map), mixed_reserved, N(mixed_reserved), NO_LIMIT);
}
