// Tests for core/frame.c's invariant checker (each broken invariant caught, frame_alloc panicking
// when the count disagrees with the bitmap) and a randomized run of allocs, frees and queries
// against a shadow model and the independent per-frame reference (its fixed seed in every failure).
#include "test/unit/frame_test.h"

#define SEED 20240611u

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(check_catches_each_broken_invariant),
        T(alloc_panics_when_the_count_disagrees_with_the_bitmap),
        T(random_alloc_free_matches_a_shadow_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
