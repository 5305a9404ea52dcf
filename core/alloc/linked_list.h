// The linked-list allocator: first fit over a free list kept in address order inside the free
// memory itself (each free block starts with a node: its size and the next free block). Freed
// blocks are inserted in order and merged with both neighbours, so freeing everything leaves one
// block of the whole region.
//
// Granule: every block address and size is a multiple of LL_GRAIN (16 bytes, the size of a
// node; on a 32-bit machine a node takes 8, and the 16 is kept: one layout on both, and more
// than the 8-byte alignment ARM's EABI asks of malloc), so a block is at least one node and any
// leftover is too:
//   * a request takes LL_GRAIN-rounded size bytes (size 1..16 takes 16; size 17 takes 32);
//   * an alignment below LL_GRAIN is served at LL_GRAIN;
//   * the rest of a free block after the allocated part is always split off and stays free;
//   * alignment padding before an allocated block is a multiple of LL_GRAIN too, so it always
//     stays on the free list as a block of its own: no padding is ever leaked, and "padding
//     smaller than a node" cannot happen.
// The region's start is rounded up and its end down to LL_GRAIN; those few bytes are never used
// (they count in region_size, not in free). A region smaller than a node holds no free block.
//
// Beyond core/alloc/alloc.h's common answers, free detects (E_INVAL, heap unchanged): a pointer
// that is not a multiple of LL_GRAIN; a block [ptr, ptr + rounded size) that overlaps a free
// block — a double free, a pointer into freed memory, or a size too large where the next block is
// free; no live allocation; size larger than the sum of live sizes. Not detected: a pointer into
// the middle of a live block; a size too large where the next block is live (that block's bytes
// become free: undefined); a size too small in its LL_GRAIN-rounded value (the rest of the block
// is leaked and counted as in use; check() reports it once no allocation is live). The align passed to free is only checked
// (ptr must be aligned to it); the block's extent comes from the size alone.
//
// walk_free reports the free list's blocks, lowest address first (so, merged as the list is, no
// two spans touch); they add up to stats().free. It stops (E_FORMAT) at the first node outside
// the span, misaligned, of a bad size, or not above the end of the one before.
//
// Time: alloc, free and grow walk the free list (O(free blocks); each block looked at is a step in
// base.steps); stats walks it for the largest block; check and walk_free walk it once.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc/alloc.h"

#define LL_GRAIN 16u

struct ll_node {
    size_t size;          // bytes in this free block, a multiple of LL_GRAIN, >= LL_GRAIN
    struct ll_node *next; // the next free block at a higher address, or NULL
};

struct ll_heap {
    struct allocator base; // first: a struct allocator * to it is a struct ll_heap *
    struct ll_node *head;  // the free list, lowest address first
    uintptr_t lo, hi;      // the usable span [lo, hi): the region rounded inwards to LL_GRAIN
    uintptr_t raw_end;     // the region's end as given (plus growth), before rounding
    size_t region_size;    // bytes given to init plus every grow
    size_t in_use;         // bytes in live blocks, rounded; free bytes = hi - lo - in_use
    size_t used, peak_used, allocations;
};

// Makes h a heap over [region, region + size) with one free block of the whole usable span (none
// when it is under LL_GRAIN bytes). The caller owns the region and keeps it mapped and unused by
// anything else for the heap's lifetime; free blocks hold the list nodes. Returns 0. Panics if h
// or region is NULL, or if region + size wraps around the address space (or region lies in the
// last LL_GRAIN bytes of it): a caller bug.
int ll_init(struct ll_heap *h, void *region, size_t size);

// Whether alloc(size, align) would succeed now, without changing anything. O(free blocks).
bool ll_fits(const struct ll_heap *h, size_t size, size_t align);
