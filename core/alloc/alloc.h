// The interface every heap allocator design implements (core/alloc/bump.h, linked_list.h,
// fixed_block.h, tlsf.h), so the kernel can pick one at boot and tests can run the same checks on all.
//
// Sized like Rust's GlobalAlloc and C23's free_aligned_sized: the caller passes the size and
// alignment back to free, so no design needs a header in front of each block.
//
// A design's heap is a struct whose first member is a `struct allocator`; its init function takes
// a region of memory the caller owns (the allocator never finds memory itself). Call through the
// alloc_* wrappers below. No function is thread-safe or reentrant: the caller serialises every
// call on one heap (the kernel's heap holds a lock with interrupts disabled).
//
// Answers, the same for every design (each design's header adds what it detects beyond these):
//   alloc(a, size, align)
//     returns a pointer aligned to `align` to `size` usable bytes inside the region, or NULL.
//     NULL when: size is 0 (no minimal block is handed out); align is 0 or not a power of two;
//     rounding size or the address up overflows (e.g. size SIZE_MAX, or SIZE_MAX - 8 with align
//     4096); there is no room. Never panics on any size/align; the heap is unchanged on NULL.
//     Any power-of-two alignment works (4096 and beyond) as far as the region allows.
//   free(a, ptr, size, align)
//     `size` and `align` must be those of the alloc that returned ptr. Returns:
//       0        the block was given back; or ptr is NULL (a no-op whatever size and align are).
//       E_INVAL  align is 0 or not a power of two; size is 0; ptr is not aligned to align; or the
//                design sees that ptr is not a live block of this size (a double free, a pointer
//                into the middle of a block, a mismatched size) — the heap is then unchanged.
//       E_RANGE  [ptr, ptr + size) does not lie inside the heap's region.
//     A mismatch the design cannot see is undefined (the designs list which they see).
//   grow(a, extra)
//     the caller has made the `extra` bytes right after the region's current end available too;
//     they join the heap. 0 on success (extra 0 is a no-op); E_RANGE if the region's end would
//     wrap around the address space (nothing changes).
//   stats(a, out)  fills *out (see struct alloc_stats); never fails.
//   check(a, msg, cap)
//     walks the design's structure and verifies its invariants. Returns 0 (msg becomes "") or
//     E_FORMAT with the first broken invariant described in msg (truncated to cap - 1 characters
//     and NUL-terminated; msg may be NULL when cap is 0). Never panics on a corrupt heap: every
//     walk is bounded and every pointer is range-checked before it is read.
//   walk_free(a, fn, ctx)
//     calls fn(ctx, start, size) once for each span of the heap's free memory — the bytes it could
//     still hand out, as the design keeps them (each design's header says which structures those
//     are) — so a caller can tell free memory from memory lost to rounding, padding and headers.
//     On a heap check() passes, every span is non-empty, lies inside the region, and overlaps no
//     live block and no other span; spans come in no promised order and adjacent ones are not
//     merged. Where a design's header says so, the spans add up to stats().free. Returns 0 once
//     every free block was reported, E_FORMAT when the walk stopped at the first free block it
//     cannot trust (outside the region, misaligned, a bad size, out of order, a list longer or
//     shorter than its count): the spans before it were reported, that one and the rest were
//     not. Never panics on a corrupt heap: as check(), bounded and range-checked. fn must not
//     call into this heap. O(free blocks).
// A NULL allocator, or a NULL `out` for stats or `fn` for walk_free, is a caller bug and panics.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/panic.h"

struct alloc_stats {
    size_t used;         // bytes handed out and not yet freed, as requested (sum of live sizes)
    size_t free;         // bytes the heap could still hand out (before alignment and rounding)
    size_t peak_used;    // the highest `used` since init
    size_t largest_free; // the largest size s for which alloc(s, 1) would succeed now, 0 if none
    size_t allocations;  // live allocations
    size_t region_size;  // bytes given to init plus every grow
};

struct allocator {
    const char *name; // "bump", "linked_list", "fixed_block", "tlsf"
    void *(*alloc)(struct allocator *a, size_t size, size_t align);
    int (*free)(struct allocator *a, void *ptr, size_t size, size_t align);
    int (*grow)(struct allocator *a, size_t extra);
    void (*stats)(const struct allocator *a, struct alloc_stats *out);
    int (*check)(const struct allocator *a, char *msg, size_t cap);
    int (*walk_free)(const struct allocator *a, void (*fn)(void *ctx, uintptr_t start, size_t size),
                     void *ctx);
    // Steps taken on the design's free structures since init: list nodes visited, blocks put on
    // or taken off a list, bitmap searches. A debug counter for tests and benchmarks (how the
    // cost of a call grows with the heap's state); a design that does not count leaves it 0.
    unsigned long steps;
};

static inline void *alloc_alloc(struct allocator *a, size_t size, size_t align)
{
    KASSERT(a != NULL);
    return a->alloc(a, size, align);
}

static inline int alloc_free(struct allocator *a, void *ptr, size_t size, size_t align)
{
    KASSERT(a != NULL);
    return a->free(a, ptr, size, align);
}

static inline int alloc_grow(struct allocator *a, size_t extra)
{
    KASSERT(a != NULL);
    return a->grow(a, extra);
}

static inline void alloc_stats(const struct allocator *a, struct alloc_stats *out)
{
    KASSERT(a != NULL);
    KASSERT(out != NULL);
    a->stats(a, out);
}

static inline int alloc_check(const struct allocator *a, char *msg, size_t cap)
{
    KASSERT(a != NULL);
    return a->check(a, msg, cap);
}

static inline int alloc_walk_free(const struct allocator *a,
                                  void (*fn)(void *ctx, uintptr_t start, size_t size), void *ctx)
{
    KASSERT(a != NULL);
    KASSERT(fn != NULL);
    return a->walk_free(a, fn, ctx);
}

// ---- helpers the designs share -----------------------------------------------------------------

// True when align is a power of two (0 is not).
static inline bool alloc_align_ok(size_t align)
{
    return align != 0 && (align & (align - 1)) == 0;
}

// Rounds x up to a multiple of align (a power of two) into *out; false if that overflows.
static inline bool alloc_align_up(uintptr_t x, size_t align, uintptr_t *out)
{
    uintptr_t mask = (uintptr_t)align - 1;
    if (x > UINTPTR_MAX - mask)
        return false;
    *out = (x + mask) & ~mask;
    return true;
}

// Checks the arguments of a free that every design checks the same way. Returns 1 when the
// design should go on, 0 for a NULL ptr (the no-op), E_INVAL or E_RANGE as the interface says;
// [lo, hi) is the heap's region.
static inline int alloc_free_args(const void *ptr, size_t size, size_t align, uintptr_t lo,
                                  uintptr_t hi)
{
    uintptr_t p = (uintptr_t)ptr;
    if (ptr == NULL)
        return 0;
    if (!alloc_align_ok(align) || size == 0 || (p & (align - 1)) != 0)
        return E_INVAL;
    if (p < lo || p >= hi || size > hi - p)
        return E_RANGE;
    return 1;
}

// check()'s answer to a broken invariant: writes the description (printf-style, through
// core/fmt.h) to msg, truncated to cap - 1 characters and NUL-terminated (msg may be NULL when cap
// is 0), and returns E_FORMAT. In core/alloc/alloc.c.
__attribute__((format(printf, 3, 4))) int alloc_check_fail(char *msg, size_t cap, const char *f,
                                                           ...);

// The high-water mark after used grew.
static inline void alloc_note_peak(size_t used, size_t *peak)
{
    if (used > *peak)
        *peak = used;
}
