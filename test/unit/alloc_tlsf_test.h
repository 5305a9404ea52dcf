// Shared by the TLSF allocator's tests (test_alloc_tlsf_*.c): the heap under test and make(),
// which builds it over a region of the arena and makes every alloc, free and grow through it
// assert tlsf.h's bound of TLSF_MAX_STEPS steps; the block decoding tlsf.h documents (header
// XOR TLSF_TAG, size and two flags); LAYOUT, which asserts an area block by block; the class
// tlsf.h gives a block size; snapshots for "nothing changed"; and assert_whole (the heap is one
// free block of the whole usable span again). Header-only; every function is static (and may be
// unused in one program).
#pragma once

#include "core/alloc/alloc.h"
#include "core/alloc/tlsf.h"
#include "platform/host/mock_hw.h"
#include "test/unit/alloc_test.h"

#include <sanitizer/asan_interface.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static struct tlsf_heap heap;

// ---- the step bound ----------------------------------------------------------------------------

// The heap's own alloc, free and grow; make() puts the bounded ones below in their place, so that
// every call a test makes through the interface asserts the bound.
static struct allocator tlsf_own;

AT void assert_steps_bounded(const struct allocator *a, unsigned long before, const char *what)
{
    if (a->steps - before > TLSF_MAX_STEPS)
        fail_msg("tlsf: %s took %lu steps, more than TLSF_MAX_STEPS (%u)", what, a->steps - before,
                 TLSF_MAX_STEPS);
}

AT void *bounded_alloc(struct allocator *a, size_t size, size_t align)
{
    unsigned long before = a->steps;
    void *p = tlsf_own.alloc(a, size, align);
    assert_steps_bounded(a, before, "alloc");
    return p;
}

AT int bounded_free(struct allocator *a, void *ptr, size_t size, size_t align)
{
    unsigned long before = a->steps;
    int rc = tlsf_own.free(a, ptr, size, align);
    assert_steps_bounded(a, before, "free");
    return rc;
}

AT int bounded_grow(struct allocator *a, size_t extra)
{
    unsigned long before = a->steps;
    int rc = tlsf_own.grow(a, extra);
    assert_steps_bounded(a, before, "grow");
    return rc;
}

// Makes the heap's interface calls assert the step bound.
AT struct allocator *bound_steps(void)
{
    tlsf_own = heap.base;
    heap.base.alloc = bounded_alloc;
    heap.base.free = bounded_free;
    heap.base.grow = bounded_grow;
    return &heap.base;
}

// A heap over size bytes at offset past a 4096-aligned address.
AT struct allocator *make(size_t offset, size_t size)
{
    mock_hw_reset();
    assert_int_equal(tlsf_init(&heap, at_region(offset, size), size), 0);
    at_check(&heap.base);
    return bound_steps();
}

// ---- blocks, as tlsf.h lays them out -----------------------------------------------------------

AT size_t hdr_at(uintptr_t b)
{
    return *(const size_t *)b ^ TLSF_TAG;
}

AT size_t size_at(uintptr_t b)
{
    return hdr_at(b) & ~(size_t)(TLSF_GRAIN - 1);
}

AT bool free_at(uintptr_t b)
{
    return (hdr_at(b) & 1) != 0;
}

AT bool prev_free_at(uintptr_t b)
{
    return (hdr_at(b) & 2) != 0;
}

// Writes a header: size and flags (1 free, 2 the block before is free).
AT void set_hdr(uintptr_t b, size_t size, size_t flags)
{
    *(size_t *)b = (size | flags) ^ TLSF_TAG;
}

// The header of the block whose pointer alloc returned.
AT uintptr_t block_of(const void *p)
{
    return (uintptr_t)p - TLSF_HEADER;
}

// An address as an offset from the region's first byte (at_base()), and back.
AT size_t off(uintptr_t b)
{
    return (size_t)(b - at_base());
}

AT uintptr_t at_off(size_t offset)
{
    return at_base() + offset;
}

// A free block's links (next, prev), right after its header.
AT uintptr_t *links_at(uintptr_t b)
{
    return (uintptr_t *)(b + TLSF_HEADER);
}

// A free block's boundary tag: a copy of its size in its last word.
AT size_t *tag_at(uintptr_t b)
{
    return (size_t *)(b + size_at(b) - sizeof(size_t));
}

enum { USED, FREE };

struct blk {
    size_t off, size; // the block's header, as an offset from at_base(), and its size
    int state;        // USED or FREE
};

// Area `area` holds exactly these blocks, in order, then its sentinel; each block's
// previous-is-free flag agrees with the block before it.
AT void assert_layout(unsigned area, const struct blk *want, size_t n)
{
    assert_true(area < heap.nareas);
    const struct tlsf_area *ar = &heap.areas[area];
    uintptr_t b = ar->lo;
    bool prev_free = false;
    for (size_t i = 0; i < n; i++, b += size_at(b)) {
        if (b >= ar->end)
            fail_msg("area %u: %zu blocks, expected %zu", area, i, n);
        if (off(b) != want[i].off || size_at(b) != want[i].size ||
            free_at(b) != (want[i].state == FREE))
            fail_msg("area %u block %zu: +%zu size %zu %s, expected +%zu size %zu %s", area, i,
                     off(b), size_at(b), free_at(b) ? "free" : "used", want[i].off, want[i].size,
                     want[i].state == FREE ? "free" : "used");
        if (prev_free_at(b) != prev_free)
            fail_msg("area %u block %zu: previous-is-free flag %d", area, i, prev_free_at(b));
        if (free_at(b) && *tag_at(b) != size_at(b))
            fail_msg("area %u block %zu: boundary tag %zu", area, i, *tag_at(b));
        prev_free = free_at(b);
    }
    if (b != ar->end)
        fail_msg("area %u: more than %zu blocks", area, n);
    assert_int_equal(size_at(b), 0);
    assert_false(free_at(b));
    assert_int_equal(prev_free_at(b), prev_free);
}

#define LAYOUT_OF(area, ...)                                                                       \
    do {                                                                                           \
        const struct blk want_[] = {__VA_ARGS__};                                                  \
        assert_layout(area, want_, sizeof(want_) / sizeof(want_[0]));                              \
    } while (0)

#define LAYOUT(...) LAYOUT_OF(0, __VA_ARGS__)

// ---- classes -----------------------------------------------------------------------------------

// The class tlsf.h gives a free block of `size` bytes: one per 16 bytes under 512, then fl from
// the highest set bit and sl from the TLSF_SL_LOG2 bits below it.
AT void class_of(size_t size, unsigned *fl, unsigned *sl)
{
    if (size < 512) {
        *fl = 0;
        *sl = (unsigned)(size / 16);
        return;
    }
    int m = 63 - __builtin_clzll((unsigned long long)size);
    *fl = (unsigned)(m - 8);
    *sl = (unsigned)(size >> (m - TLSF_SL_LOG2)) & (TLSF_SL - 1);
}

// The first block on the list of `size`'s class (0 when it is empty).
AT uintptr_t list_head(size_t size)
{
    unsigned fl, sl;
    class_of(size, &fl, &sl);
    return heap.lists[fl][sl];
}

// ---- snapshots ---------------------------------------------------------------------------------

// The heap struct and the bytes of the arena window, to assert a call changed nothing (the step
// counter aside: a failed search still counts its steps).
static struct tlsf_heap snap_heap;
static unsigned char snap_bytes[AT_ARENA_SIZE];

AT void snapshot(void)
{
    snap_heap = heap;
    memcpy(snap_bytes, at_arena + at_win_lo, at_win_hi - at_win_lo);
}

// The heap struct and the window's bytes are as snapshot() saw them.
AT void assert_same(void)
{
    snap_heap.base.steps = heap.base.steps;
    if (memcmp(&snap_heap, &heap, sizeof(heap)) != 0)
        fail_msg("the heap struct changed");
    if (memcmp(snap_bytes, at_arena + at_win_lo, at_win_hi - at_win_lo) != 0)
        fail_msg("the region's bytes changed");
}

// Nothing changed, and the heap is sound.
AT void assert_unchanged(void)
{
    assert_same();
    at_check(&heap.base);
}

// free must answer rc and change nothing (on a heap a test may have corrupted).
AT void assert_free_answers(struct allocator *a, void *p, size_t size, size_t align, int rc)
{
    snapshot();
    int got = alloc_free(a, p, size, align);
    if (got != rc)
        fail_msg("free(%p, %zu, %zu) = %d, expected %d", p, size, align, got, rc);
    assert_same();
}

// assert_free_answers with [lo, lo + len) poisoned for the address sanitizer during the call:
// free must not read those bytes.
AT void assert_free_answers_unread(struct allocator *a, void *p, size_t size, size_t align, int rc,
                                   uintptr_t lo, size_t len)
{
    snapshot();
    ASAN_POISON_MEMORY_REGION((void *)lo, len);
    int got = alloc_free(a, p, size, align);
    ASAN_UNPOISON_MEMORY_REGION((void *)lo, len);
    if (got != rc)
        fail_msg("free(%p, %zu, %zu) = %d, expected %d", p, size, align, got, rc);
    assert_same();
}

// free must answer rc and change nothing; the heap is sound afterwards.
AT void assert_free_fails(struct allocator *a, void *p, size_t size, size_t align, int rc)
{
    assert_free_answers(a, p, size, align, rc);
    at_check(&heap.base);
}

// ---- the whole heap ----------------------------------------------------------------------------

// Nothing live, and area 0 one free block of its whole usable span [lo, end): stats say so, and
// alloc takes all of it at once, at lo.
AT void assert_whole(struct allocator *a)
{
    const struct tlsf_area *ar = &heap.areas[0];
    size_t span = ar->end - ar->lo;
    assert_true(span >= TLSF_MIN_BLOCK);
    LAYOUT({off(ar->lo), span, FREE});
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 0);
    assert_int_equal(st.allocations, 0);
    assert_int_equal(st.free, span - TLSF_HEADER);
    assert_int_equal(st.largest_free, span - TLSF_HEADER);
    void *p = at_alloc_ok(a, span - TLSF_HEADER, 1);
    assert_int_equal(block_of(p), ar->lo);
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, p, span - TLSF_HEADER, 1);
    LAYOUT({off(ar->lo), span, FREE});
}

// Four 48-byte blocks A B C D (allocated with size 40) at 8, 56, 104, 152 in a 1024-byte region,
// and the free rest from 200 to the sentinel at 1016.
static void *blk[4];

AT struct allocator *four_blocks(void)
{
    struct allocator *a = make(0, 1024);
    at_alloc_blocks(a, blk, 4, 40);
    LAYOUT({8, 48, USED}, {56, 48, USED}, {104, 48, USED}, {152, 48, USED}, {200, 816, FREE});
    return a;
}
