// Tests for core/frame.c's invariant checker (each broken invariant caught, frame_alloc panicking
// when the count disagrees with the bitmap) and a randomized run of allocs (bottom-up and from an
// address), frees and queries against a shadow model and the independent per-frame reference (its
// seed in every failure; a tenth of the steps in the fast tier, test/unit/sweep.h).
#include "test/unit/frame_test.h"
#include "test/unit/sweep.h"

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

// frame_alloc_from(min_phys) must take the lowest frame the shadow has free at or above min_phys
// (rounded up to a frame), or none. Returns the index it took, or nframes.
static uint64_t alloc_from_matches(uint8_t *shadow, uint64_t nframes, uint64_t min_phys,
                                   uint64_t step, uint64_t seed)
{
    uint64_t want = (min_phys + FRAME_SIZE - 1) / FRAME_SIZE - fa.first;
    while (want < nframes && shadow[want] != FREE)
        want++;
    uint64_t got = frame_alloc_from(&fa, min_phys);
    if (got != (want < nframes ? (fa.first + want) * FRAME_SIZE : 0))
        fail_msg("step %llu: alloc from 0x%llx gave 0x%llx (seed %#llx)", (unsigned long long)step,
                 (unsigned long long)min_phys, (unsigned long long)got, (unsigned long long)seed);
    return want;
}

// Random allocs (bottom-up, and from an address), frees (good and bad) and queries against a
// shadow array of frame states taken from the reference. Also checks the bottom-up guarantee: no
// frame_alloc lies above the lowest managed frame never handed out.
static void random_alloc_free_matches_a_shadow_set(void **state)
{
    init_mixed();
    const uint64_t seed = sweep_seed("frame random run", SEED, UINT64_MAX);
    const uint64_t steps = sweep_size(10000, 100000);
    uint64_t nframes = fa.nframes, first = fa.first, x = seed, nfree = 0, fresh = 0;
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
    for (uint64_t step = 0; step < steps; step++) {
        uint64_t r = xorshift64(&x), i = (r >> 8) % nframes, p = (first + i) * FRAME_SIZE;
        while (fresh < nframes && (shadow[fresh] == UNMANAGED || used[fresh]))
            fresh++;
        if (r % 8 < 3) { // allocate
            uint64_t got = frame_alloc(&fa), k = (got >> FRAME_SHIFT) - first;
            bool ok =
                nfree == 0 ? got == 0 : got != 0 && k < nframes && shadow[k] == FREE && k <= fresh;
            if (!ok)
                fail_msg("step %llu: alloc gave 0x%llx (seed %#llx)", (unsigned long long)step,
                         (unsigned long long)got, (unsigned long long)seed);
            if (got != 0) {
                shadow[k] = TAKEN;
                used[k] = 1;
                nfree--;
            }
        } else if (r % 8 < 6) { // free some frame: taken, free or unmanaged
            int want = shadow[i] == TAKEN ? 0 : shadow[i] == FREE ? E_INVAL : E_RANGE;
            int rc = frame_free(&fa, p);
            if (rc != want)
                fail_msg("step %llu: free 0x%llx gave %d, expected %d (seed %#llx)",
                         (unsigned long long)step, (unsigned long long)p, rc, want,
                         (unsigned long long)seed);
            if (rc == 0) {
                shadow[i] = FREE;
                nfree++;
            }
        } else if (r % 8 == 6) { // allocate at or above a frame, or a byte past one
            uint64_t k = alloc_from_matches(shadow, nframes, p + (r >> 40) % 2, step, seed);
            if (k < nframes) {
                shadow[k] = TAKEN;
                used[k] = 1;
                nfree--;
            }
        } else if (frame_is_free(&fa, p) != (shadow[i] == FREE)) {
            fail_msg("step %llu: is_free 0x%llx wrong (seed %#llx)", (unsigned long long)step,
                     (unsigned long long)p, (unsigned long long)seed);
        }
        if (!frame_check(&fa) || frame_free_count(&fa) != nfree)
            fail_msg("step %llu: invariants or count broken (seed %#llx)", (unsigned long long)step,
                     (unsigned long long)seed);
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
