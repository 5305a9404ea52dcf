// The fixed-size-block allocator: nine size classes of 8, 16, 32, ... 2048 bytes, each a list of
// free blocks whose size is also their alignment, in front of a linked-list heap (the fallback,
// embedded, over the same region).
//
//   * A request goes to the smallest class whose block size is >= max(size, align); anything
//     larger than FSB_MAX_BLOCK, in size or alignment, goes straight to the fallback.
//   * An empty class is refilled with one fallback allocation of max(block size, LL_GRAIN) bytes
//     aligned to the block size, carved into blocks: two for the 8-byte class (the fallback's
//     smallest block is 16 bytes, so nothing is wasted), one for every other class.
//   * A freed class block goes back on its class list, never to the fallback: memory that went
//     into a class stays in that class (the fallback's free space is not merged with it).
//
// Beyond core/alloc/alloc.h's common answers, free of a class block detects (E_INVAL, heap
// unchanged): a pointer not aligned to its class's block size, or whose block would end past the
// region; no live allocation; size larger than the sum of live sizes; and a double free — the
// block is already on its class list. Detection is cheap: a free block's link word is stored
// XORed with FSB_TAG, and only when the first word of the block being freed decodes to a
// plausible link (NULL, or an in-region address aligned to the class) is the class list walked
// to confirm, so user data never causes a false E_INVAL, only, rarely, a walk. Frees of larger
// blocks: E_INVAL when no large block is live, else the fallback's detection
// (core/alloc/linked_list.h). Not detected (undefined): a
// pointer never handed out that is aligned to its class; a size or align that selects another
// class than the alloc did (a smaller class leaks the rest of the block; a larger one that the
// pointer happens to be aligned to hands out too many bytes later); a class block freed as a
// large one or the other way round.
//
// stats: free = the fallback's free bytes + the bytes on the class lists; largest_free is the
// largest size s for which alloc(s, 1) would succeed (which, unlike the other designs, is not
// always the largest contiguous free span). used/peak/allocations count what this heap handed
// out, class and fallback blocks alike, as requested sizes.
//
// walk_free reports the fallback's free blocks (core/alloc/linked_list.h), then every block on
// the class lists, one span each (8 << c bytes), list by list; together they add up to
// stats().free. It stops (E_FORMAT) where the fallback's walk does, at a class node outside the
// region or misaligned for its class, or at a list longer or shorter than its count.
//
// Time: alloc and free of a class block are O(1) unless a refill (O(fallback free blocks)) or a
// double-free confirmation walk (O(class list)) happens; larger blocks, grow: as the fallback;
// stats O(9 x fallback free blocks); check and walk_free O(class lists + fallback free blocks).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/alloc/alloc.h"
#include "core/alloc/linked_list.h"

#define FSB_CLASSES   9
#define FSB_MIN_BLOCK 8u
#define FSB_MAX_BLOCK 2048u                              // FSB_MIN_BLOCK << (FSB_CLASSES - 1)
#define FSB_TAG       ((uintptr_t)0xa110c8ed5afeb10cull) // XORed into free-block links

struct fsb_node {
    uintptr_t link; // the next free block of the class, XOR FSB_TAG (NULL is stored as FSB_TAG)
};

struct fsb_heap {
    struct allocator base;               // first: a struct allocator * to it is a fsb_heap *
    struct ll_heap fallback;             // owns the region
    struct fsb_node *lists[FSB_CLASSES]; // free blocks of 8 << i bytes, most recently freed first
    size_t counts[FSB_CLASSES];          // blocks on each list
    size_t used, peak_used, allocations; // everything handed out, as in struct alloc_stats
    size_t large_allocs;                 // live blocks served by the fallback directly
    size_t small_bytes;                  // block bytes of live class blocks
    size_t refills, refill_bytes;        // fallback allocations carved into class blocks
};

// Makes h an empty heap over [region, region + size) (all of it in the fallback, empty class
// lists). The caller owns the region and keeps it mapped and otherwise unused for the heap's
// lifetime. Returns 0. Panics as ll_init does: h or region NULL, or a region that wraps.
int fsb_init(struct fsb_heap *h, void *region, size_t size);

// The class index (0 for 8 bytes ... 8 for 2048) that serves alloc(size, align), or -1 when the
// fallback serves it. size and align as passed to alloc (align a power of two).
int fsb_class(size_t size, size_t align);
