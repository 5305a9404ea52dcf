// The fixed-size-block allocator: nine size classes of 8, 16, 32, ... 2048 bytes, each a list of
// free blocks whose size is also their alignment, in front of a TLSF heap (the fallback, embedded,
// over the same region: core/alloc/tlsf.h).
//
//   * A request goes to the smallest class whose block size is >= max(size, align); anything
//     larger than FSB_MAX_BLOCK, in size or alignment, goes straight to the fallback.
//   * An empty class is refilled with one fallback allocation aligned to the block size and
//     carved into a batch of blocks, the lowest handed out first. The batch grows with the
//     class's use: the first refill of a class carves FSB_BATCH_FIRST bytes of blocks, each
//     later one twice as many blocks as the refill before, up to FSB_BATCH_MAX bytes (one block
//     at least): a class used a little holds little, a busy one refills rarely and in long runs
//     (fewer alignment gaps in the fallback). A batch the fallback cannot serve whole is halved
//     until it fits, down to one block, so the heap still fills to its last bytes; the next batch
//     is then twice what fitted. The 8-byte class carves an odd number of blocks, at least three
//     (the fallback's 8-byte header and n x 8 bytes fill its 16-byte grain: its smallest block
//     holds three); every other class leaves the fallback block's last 8 bytes unused, and so
//     does a rest under 32 bytes that the fallback does not split off.
//   * A freed class block goes back on its class list, never to the fallback: memory that went
//     into a class stays in that class (at most the unused rest of one batch per class beyond
//     what the class ever held live at once).
//
// The heap's region, for free's E_RANGE, is the one given to init (and grown), as given.
// Beyond core/alloc/alloc.h's common answers, free of a class block detects (E_INVAL, heap
// unchanged): a pointer not aligned to its class's block size, or whose block does not lie where
// the fallback's blocks do (from the first pointer it can hand out to its sentinel); no live
// allocation; size larger than the sum of live sizes; and a double free — the block is already
// on its class list. Detection is cheap: a free block's link word is stored XORed with FSB_TAG,
// and only when the first word of the block being freed decodes to a plausible link (NULL, or an
// address where a block of the class can lie, aligned to it) is the class list walked to
// confirm, so user data never causes a false E_INVAL, only, rarely, a walk. Frees of larger
// blocks: E_INVAL when no large block is live, else the fallback's detection (core/alloc/tlsf.h;
// a pointer inside the region that the fallback finds outside its blocks is E_INVAL too). Not
// detected (undefined): a pointer never handed out that is aligned to its class; a size or align
// that selects another class than the alloc did (a smaller class leaks the rest of the block; a
// larger one that the pointer happens to be aligned to hands out too many bytes later); a class
// block freed as a large one while a large block is live, or the other way round.
//
// stats: free = the fallback's free bytes + the bytes on the class lists; largest_free is the
// largest size s for which alloc(s, 1) would succeed (which, unlike the other designs, is not
// always the largest contiguous free span). used/peak/allocations count what this heap handed
// out, class and fallback blocks alike, as requested sizes.
//
// walk_free reports the fallback's free spans (core/alloc/tlsf.h), then every block on the
// class lists, one span each (8 << c bytes), list by list; together they add up to stats().free.
// It stops (E_FORMAT) where the fallback's walk does, at a class node outside the region or
// misaligned for its class, or at a list longer or shorter than its count.
//
// Steps (base.steps): one per block put on or taken off a class list (a refill's batch counts
// one per block carved), one per node the double-free confirmation walk visits, plus every step
// the fallback takes on this heap's behalf.
//
// Time: O(1) for everything but the double-free confirmation walk (O(class list)): alloc and
// free of a class block are a list pop or push; a refill adds one fallback alloc per batch size
// tried (at most 1 + log2(FSB_BATCH_MAX / 8)) and one push per block carved (at most
// FSB_BATCH_MAX / 8); larger blocks and grow are the fallback's O(1) (TLSF_MAX_STEPS); stats is
// the fallback's stats plus nine fits tests; check and walk_free O(class lists + fallback blocks).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/alloc/alloc.h"
#include "core/alloc/tlsf.h"

#define FSB_CLASSES     9
#define FSB_MIN_BLOCK   8u
#define FSB_MAX_BLOCK   2048u                              // FSB_MIN_BLOCK << (FSB_CLASSES - 1)
#define FSB_TAG         ((uintptr_t)0xa110c8ed5afeb10cull) // XORed into free-block links
#define FSB_BATCH_FIRST 256u  // bytes of blocks a class's first refill carves
#define FSB_BATCH_MAX   8192u // bytes of blocks a refill carves at most

struct fsb_node {
    uintptr_t link; // the next free block of the class, XOR FSB_TAG (NULL is stored as FSB_TAG)
};

struct fsb_heap {
    struct allocator base;               // first: a struct allocator * to it is a fsb_heap *
    struct fsb_node *lists[FSB_CLASSES]; // free blocks of 8 << i bytes, most recently freed first
    size_t counts[FSB_CLASSES];          // blocks on each list
    size_t used, peak_used, allocations; // everything handed out, as in struct alloc_stats
    size_t large_allocs;                 // live blocks served by the fallback directly
    size_t small_bytes;                  // block bytes of live class blocks
    size_t refills, refill_bytes;        // fallback allocations carved into class blocks
    size_t batch[FSB_CLASSES];           // blocks the next refill of each class carves
    struct tlsf_heap fallback;           // owns the region; last, after the fields every call uses
};

// Makes h an empty heap over [region, region + size) (all of it in the fallback, empty class
// lists). The caller owns the region and keeps it mapped and otherwise unused for the heap's
// lifetime. Returns 0. Panics as tlsf_init does: h or region NULL, or a region that wraps.
int fsb_init(struct fsb_heap *h, void *region, size_t size);

// The class index (0 for 8 bytes ... 8 for 2048) that serves alloc(size, align), or -1 when the
// fallback serves it. size and align as passed to alloc (align a power of two).
int fsb_class(size_t size, size_t align);
