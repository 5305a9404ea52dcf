// The bump allocator: hands out memory by moving `next` up through the region and counts live
// allocations; memory comes back all at once when the count returns to zero. O(1) everything,
// no per-block overhead beyond alignment padding — and a single long-lived block keeps the whole
// region in use (the many_boxes_long_lived test fails by nature: alloc returns NULL once `next`
// reaches the end).
//
// Beyond core/alloc/alloc.h's common answers:
//   * `next` moves back only at a reset: when the allocation count returns to 0 it goes back to
//     the start of the region. Freeing the most recent block does not move it back either. (That
//     undo would make a stack-like alloc/free pair free of cost and let bump pass
//     many_boxes_long_lived; it is left out on purpose, to keep the design and its limit as the
//     series' "Allocator Designs" post describes them.)
//   * free detects (E_INVAL, heap unchanged): no live allocation at all; a pointer at or beyond
//     `next` (never handed out, or handed out before the last reset — e.g. a double free of the
//     last live block); a block that would end past `next`; a size larger than the sum of live
//     sizes. Not detected: a double free or a mismatched size while other blocks are live — the
//     count and the `used` statistic go wrong, and a reset can come early with a block still in
//     use (undefined).
//   * stats: free = largest_free = end - next.
//   * walk_free: one span, [next, end), none when next == end; E_FORMAT (nothing reported) when
//     next lies outside the region. The blocks freed below `next` are not free memory: nothing
//     reuses them until the reset. The span adds up to stats().free.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/alloc/alloc.h"

struct bump_heap {
    struct allocator base; // first: a struct allocator * to it is a struct bump_heap *
    uintptr_t start, end;  // the region [start, end)
    uintptr_t next;        // first byte not handed out; start <= next <= end
    size_t used, peak_used, allocations;
};

// Makes h an empty bump heap over [region, region + size), which the caller owns and keeps
// mapped for the heap's lifetime; size may be 0 (every alloc fails until a grow). Returns 0.
// Panics if h or region is NULL, or if region + size wraps around the address space: a caller
// bug. The region's bytes are never read or written.
int bump_init(struct bump_heap *h, void *region, size_t size);
