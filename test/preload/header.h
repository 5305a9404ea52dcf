// The header in front of every block the preloaded malloc hands out (test/preload/): where the
// caller's pointer sits in the design's block, and the word that gives free, realloc and
// malloc_usable_size back the size and alignment that the design's sized free needs.
//
// For a request of `size` bytes aligned to `align` (a power of two):
//
//   the design's block   b = alloc(block_size, block_align), block_align = max(align, 16),
//                        block_size = block_align + size
//   the caller's pointer u = b + block_align (so u is aligned to block_align as b is)
//   the header           the 16 bytes [u - 16, u): two words {check, word}
//                          word  = size << 6 | log2(block_align)
//                          check = word ^ u ^ PRELOAD_HDR_TAG
//
// Why 16 bytes: malloc's pointers must be 16-aligned, and no design hands out a block at 8 mod 16,
// so 16 is the smallest distance from b that keeps u aligned. The size and alignment fit one word;
// the other word, free anyway, holds the check, which lets free tell a block it handed out from
// anything else: a pointer never returned by malloc, into the middle of a block, or freed already
// (free clears the check). A larger alignment costs `align` bytes in front of the block instead
// of 16: the header must sit before u, and u - b must be a multiple of the alignment.
//
// Header-only; every function is static inline and touches no global state.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRELOAD_HDR_BYTES  16u // the header's slot in front of u, and malloc's alignment
#define PRELOAD_ALIGN_BITS 6u  // log2(block_align) takes the low 6 bits of the word
#define PRELOAD_HDR_TAG    ((uint64_t)0x6d616c6c6f63a110ull)
// The largest size the word holds; every request above it fails (the region is far smaller).
#define PRELOAD_SIZE_MAX (SIZE_MAX >> PRELOAD_ALIGN_BITS)

struct preload_block {
    size_t size;        // the caller's request (what malloc_usable_size answers)
    size_t block_align; // the design's alignment: max(align, 16), a power of two
    size_t block_size;  // the design's size: block_align + size
};

// The block for a request of size bytes aligned to align into *out. Returns false (out
// untouched) when align is 0 or not a power of two, or size is above PRELOAD_SIZE_MAX.
// block_size cannot overflow: size < 2^58 and block_align <= 2^63.
static inline bool preload_layout(size_t size, size_t align, struct preload_block *out)
{
    if (align == 0 || (align & (align - 1)) != 0 || size > PRELOAD_SIZE_MAX)
        return false;
    size_t block_align = align < PRELOAD_HDR_BYTES ? PRELOAD_HDR_BYTES : align;
    *out = (struct preload_block){
        .size = size, .block_align = block_align, .block_size = block_align + size};
    return true;
}

// The caller's pointer for the design's block b: b + block_align.
static inline void *preload_user(void *b, const struct preload_block *blk)
{
    return (char *)b + blk->block_align;
}

// The design's block for the caller's pointer u: u - block_align.
static inline void *preload_design_block(void *u, const struct preload_block *blk)
{
    return (char *)u - blk->block_align;
}

// The header word for blk: size << 6 | log2(block_align).
static inline uint64_t preload_hdr_word(const struct preload_block *blk)
{
    return (uint64_t)blk->size << PRELOAD_ALIGN_BITS | (uint64_t)__builtin_ctzll(blk->block_align);
}

// Writes blk's header into the 16 bytes in front of u (a pointer layout blk gave).
static inline void preload_hdr_write(void *u, const struct preload_block *blk)
{
    uint64_t *h = (uint64_t *)u - 2, word = preload_hdr_word(blk);
    h[1] = word;
    h[0] = word ^ (uint64_t)(uintptr_t)u ^ PRELOAD_HDR_TAG;
}

// Spoils the check word in front of u, so that reading the header there fails from now on.
static inline void preload_hdr_clear(void *u)
{
    uint64_t *h = (uint64_t *)u - 2;
    h[0] = ~(h[1] ^ (uint64_t)(uintptr_t)u ^ PRELOAD_HDR_TAG);
}

// Reads the header in front of u (the caller makes sure those 16 bytes can be read) into *out.
// Returns false (out untouched) when the check word does not match u and the word, or the word
// does not decode to a layout preload_layout gives (an alignment below 16 or a size too large).
static inline bool preload_hdr_read(const void *u, struct preload_block *out)
{
    const uint64_t *h = (const uint64_t *)u - 2;
    uint64_t word = h[1];
    if ((h[0] ^ word ^ (uint64_t)(uintptr_t)u) != PRELOAD_HDR_TAG)
        return false;
    unsigned lg = (unsigned)(word & ((1u << PRELOAD_ALIGN_BITS) - 1));
    if (lg < 4 || lg >= sizeof(size_t) * 8)
        return false;
    struct preload_block blk;
    if (!preload_layout((size_t)(word >> PRELOAD_ALIGN_BITS), (size_t)1 << lg, &blk))
        return false;
    *out = blk;
    return true;
}
