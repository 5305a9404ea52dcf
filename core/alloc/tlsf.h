// The two-level segregated fit allocator (TLSF; M. Masmano, I. Ripoll, A. Crespo, J. Real, "TLSF: a
// New Dynamic Memory Allocator for Real-Time Systems", ECRTS 2004): alloc and free take a bounded
// number of steps whatever the heap's state, and a block is merged with both free neighbours the
// moment it is freed.
//
// Blocks. The heap is a sequence of physical blocks, each a multiple of TLSF_GRAIN (16) bytes,
// starting at an address 8 bytes below a multiple of 16 so that the pointer handed out, right
// after the block's 8-byte header, is 16-aligned. The header holds the block's size and two flags
// (free; the previous block is free), XORed with TLSF_TAG so that a word of user data is unlikely
// to pass for a header. A free block also holds its free-list links (after the header) and a copy
// of its size in its last word (the boundary tag the next block reads to find it). So a live
// block costs 8 bytes of header; a request takes max(TLSF_MIN_BLOCK, size + 8 rounded up to 16)
// bytes (size 1..24 takes 32, size 25..40 takes 48). Each area ends in a sentinel: a 0-byte used
// header that stops every walk and merge. Where size_t has 32 bits (the Cortex-M) the layout is
// the same, the header word filling half of its 8 bytes: 16-byte alignment is more than ARM's
// EABI asks of malloc (8), and one layout keeps every figure here true on both machines.
//
// Free lists. A free block of size s is on the list of its class (fl, sl): fl from the highest set
// bit of s, sl from the TLSF_SL_LOG2 bits below it (32 linear subdivisions per power of two);
// sizes under 512 bytes have one class per 16 bytes. A bitmap of non-empty first levels and one
// of non-empty second levels per first level make finding the list to take from two
// find-first-set operations: alloc rounds the request up to the next class boundary so that any
// block of the class found is large enough (good fit), then, if that finds nothing, looks at the
// first block of the request's own class. A block larger than the request is split, the rest
// goes back on its list; an alignment above 16 searches for size + align + TLSF_MIN_BLOCK and
// splits off the padding in front as a free block of its own.
//
// Areas. grow extends the region given to init at its end (merging the new bytes with a free
// last block); tlsf_add_area gives the heap a separate area anywhere else. Up to TLSF_MAX_AREAS
// areas of at most TLSF_MAX_AREA bytes each: bytes beyond that count in region_size and are never
// used. A region too small for a block (under ~48 bytes) holds none until it grows.
//
// Beyond core/alloc/alloc.h's common answers, free detects (E_INVAL, heap unchanged): a pointer
// that is not 16-aligned; a block that is free already (a double free); a size whose block does
// not match the block's size (alloc may hand out up to 16 bytes more than it needs, so sizes
// within that slack are not told apart); a header that does not decode (a pointer into the
// middle of a block, mostly: its header word is user data); no live allocation; size larger than
// the sum of live sizes. Not detected: a pointer into the middle of a live block whose bytes
// there happen to decode as a used header of a plausible size. The align passed to free is only
// checked (ptr must be aligned to it).
//
// walk_free reports each free block less its header, [block + 8, block + size), list by list; the
// spans add up to stats().free. It stops (E_FORMAT) at the first list member outside the areas,
// not marked free, of a size outside its list's class, or past free_blocks members.
//
// stats: free = the sum over free blocks of (size - 8), the most each could hand out;
// largest_free is exact for this search: the largest s for which alloc(s, 1) succeeds now (which
// is not always the largest free block less its header, since the search rounds up).
//
// Time: alloc, free and grow take at most TLSF_MAX_STEPS steps (bitmap searches and list
// operations), counted in base.steps; the unit tests drive the heap through adversarial states
// and assert the bound. tlsf_add_area is O(areas); stats O(1); check O(blocks); walk_free O(free
// blocks).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc/alloc.h"

#define TLSF_GRAIN     16u
#define TLSF_HEADER    8u
#define TLSF_MIN_BLOCK 32u // header + two links + footer
#define TLSF_SL_LOG2   5
#define TLSF_SL        (1u << TLSF_SL_LOG2) // second-level classes per first level
#define TLSF_FL        40u                  // first levels: sizes below 2^(TLSF_FL + 8)
// Bytes of one area that can be used: 2^46 where size_t has 64 bits, 2^30 where it has 32 (so
// that the largest search, 2 TLSF_MAX_AREA + TLSF_MIN_BLOCK rounded up to its class, fits).
#define TLSF_MAX_AREA  ((size_t)1 << (sizeof(size_t) >= 8 ? 46 : 30))
#define TLSF_MAX_AREAS 8u
#define TLSF_MAX_STEPS 6u // the most steps one alloc, free or grow takes
#define TLSF_TAG       ((size_t)0x71f5b10c4ea0e5a0ull) // XORed into headers; low 4 bits 0

struct tlsf_area {
    uintptr_t start;   // the area's first byte, as given
    uintptr_t lo;      // the first block's header (8 below a multiple of 16)
    uintptr_t end;     // the sentinel's header; equal to lo with no block yet; 0 before any
    uintptr_t raw_end; // the area's end as given (plus growth)
};

struct tlsf_heap {
    struct allocator base; // first: a struct allocator * to it is a struct tlsf_heap *
    uint64_t fl_map;       // bit f: some list of first level f is not empty
    uint32_t sl_map[TLSF_FL];
    uintptr_t lists[TLSF_FL][TLSF_SL]; // the first free block of each class, 0 when empty
    struct tlsf_area areas[TLSF_MAX_AREAS];
    unsigned nareas;
    size_t free_bytes, free_blocks; // sums over the free blocks (whole block sizes)
    size_t in_use;                  // bytes in live blocks, headers included
    size_t used, peak_used, allocations, region_size;
};

// Makes h a heap over [region, region + size) (one free block of all of it, when it is large
// enough). The caller owns the region and keeps it mapped and otherwise unused for the heap's
// lifetime. Returns 0. Panics if h or region is NULL, or region + size wraps around the address
// space, or region lies in its last TLSF_GRAIN + TLSF_HEADER bytes: a caller bug.
int tlsf_init(struct tlsf_heap *h, void *region, size_t size);

// Adds [mem, mem + size) to the heap as a separate area (never merged with another). Returns 0;
// E_INVAL if mem is NULL; E_RANGE if mem + size wraps or mem lies in the address space's last
// TLSF_GRAIN + TLSF_HEADER bytes (as tlsf_init); E_EXIST if it overlaps an area the heap has;
// E_TOOBIG if the heap has TLSF_MAX_AREAS areas already. Nothing changes on an error.
int tlsf_add_area(struct tlsf_heap *h, void *mem, size_t size);

// Whether alloc(size, align) would succeed now, without changing anything (steps included).
bool tlsf_fits(const struct tlsf_heap *h, size_t size, size_t align);

// The block size alloc(size, align) takes for align <= 16, or 0 when size is 0 or too large for
// any block.
size_t tlsf_block_size(size_t size);
