// The shared driver of the allocator fuzz targets (test/fuzz/fuzz_alloc_*.c): decodes a byte
// string into alloc/free/grow calls and bad calls with a documented answer, runs them through the
// shadow model (test/fuzz/fuzz_alloc_model.h), which checks every answer against
// core/alloc/alloc.h and the design's header, then frees everything in a fuzzer-chosen order and
// runs the design's end check. Header-only: a target fills a struct fa_design and calls fa_run.
//
// Input (bytes past its end read as 0):
//   header  b0 % 8, b1: region size (256 << b0 % 8) * (256 + b1) / 256, 256 B .. 64 KiB;
//           b2 b3: its offset 0..4095 past a 4096-aligned address (every region alignment);
//           b4: the order the end frees in (0: last first, else a xorshift seeded by it).
//   op      one byte, % 16: 6-9 free the live block [byte % live]; 10 free a freed block again
//           [byte]; 11 a bad call every design answers alike (selector, byte); 12 the design's
//           own bad free (its bytes); 13 grow (two bytes, big endian, within 64 KiB in all); 15
//           the design's own operation (its bytes) if it has one; anything else alloc (size,
//           align), or free [byte] when FA_MAX_LIVE blocks are live.
//   size    b < 0x60: b + 1; < 0xa0: near a class boundary, (8 << c) - 1 .. + 6; < 0xe0: 14 bits
//           with the next byte, 1 .. 16384; else largest_free + 1 - (b & 31) (b & 31 == 0: one
//           byte too many).
//   align   1 << (b % 13): 1 .. 4096.
#pragma once

#include "test/fuzz/fuzz_alloc_model.h"

// libFuzzer's entry point, which each target defines as `return fa_run(&design, data, size);`.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FA size_t fa_size(struct fa_in *in)
{
    uint8_t s = fa_byte(in);
    if (s < 0x60)
        return s + 1u;
    if (s < 0xa0)
        return ((size_t)FA_MIN_CLASS << (s - 0x60u) % 9) + (s - 0x60u) / 9 - 1;
    if (s < 0xe0)
        return ((size_t)(s & 0x3f) << 8 | fa_byte(in)) + 1;
    size_t top = fa_stats().largest_free + 1, k = s & 0x1fu;
    return top > k + 1 ? top - k : 1;
}

FA void fa_op_alloc(struct fa_in *in)
{
    size_t size = fa_size(in);
    fa_alloc(size, (size_t)1 << fa_byte(in) % 13);
}

FA void fa_op_grow(struct fa_in *in)
{
    size_t hi = fa_byte(in);
    size_t extra = (hi << 8 | fa_byte(in)) % (FA_GROW_MAX - fa.grown + 1);
    ASAN_UNPOISON_MEMORY_REGION((void *)fa.end, extra); // the heap may put a node there
    fa_snapshot();
    int rc = alloc_grow(fa.a, extra);
    FA_CHECK(rc == 0, "grow(%zu) = %d", extra, rc);
    if (extra == 0)
        fa_unchanged("grow(0)");
    fa.end += extra;
    fa.grown += extra;
    fa.region_size += extra;
}

// alloc calls that must answer NULL and change nothing.
FA void fa_bad_alloc(uint8_t k)
{
    size_t size = 1u + k, align = (size_t)1 << k % 13;
    switch (k % 6) {
    case 0: size = 0; break;
    case 1: align = 0; break;
    case 2: align = (size_t)3 << k % 12; break;
    case 3: size = SIZE_MAX; break;
    case 4: size = SIZE_MAX - 8, align = 4096; break;
    default: size = fa.region_size + 1 + k; break; // larger than the region: no room anywhere
    }
    fa_snapshot();
    void *p = alloc_alloc(fa.a, size, align);
    FA_CHECK(p == NULL, "alloc(%zu, %zu) = %p, expected NULL", size, align, p);
    fa_unchanged("a bad alloc");
}

// A call core/alloc/alloc.h answers the same way for every design.
FA void fa_op_bad_call(struct fa_in *in)
{
    uint8_t sel = fa_byte(in) % 12, k = fa_byte(in);
    const struct fa_block *b = fa_live_block(k);
    uintptr_t lo = fa_lo(), hi = fa_hi(), below = (fa.start & ~(uintptr_t)15) - 16;
    uintptr_t last = (fa.end & ~(uintptr_t)15) - 16; // >= lo: the region is >= 256 bytes
    struct fa_call c = {NULL, k, k};
    int expect = E_INVAL;
    if (sel >= 1 && sel <= 4) {
        if (b == NULL)
            return;
        c = (struct fa_call){b->p, b->size, b->align};
    }
    switch (sel) {
    case 0: expect = 0; break; // free(NULL) is a no-op whatever size and align are
    case 1: c.align = 0; break;
    case 2: c.align = (size_t)3 << k % 12; break;
    case 3: c.size = 0; break;
    case 4: c.align = ((uintptr_t)b->p & -(uintptr_t)b->p) << 1; break; // ptr not aligned to it
    case 5: c = (struct fa_call){(void *)(below - 16u * (k % 4)), 16, 16}, expect = E_RANGE; break;
    case 6:
        c = (struct fa_call){(void *)(fa_round(fa.end, 16) + 16u * (k % 4)), 16, 16};
        expect = E_RANGE;
        break;
    case 7: c = (struct fa_call){(void *)last, fa.end - last + 1 + k, 16}, expect = E_RANGE; break;
    case 8: // a size above the sum of live sizes
        if (b == NULL)
            return;
        c = (struct fa_call){b->p, fa.used + 1 + k, b->align};
        fa_span((uintptr_t)b->p, &lo, &hi); // the block's own area
        expect = c.size > hi - (uintptr_t)b->p ? E_RANGE : E_INVAL;
        break;
    case 9: // nothing is live
        if (fa.live > 0)
            return;
        c = (struct fa_call){(void *)lo, 1 + k * 64u, 1};
        expect = c.size > hi - lo ? E_RANGE : E_INVAL;
        break;
    case 10: fa_bad_alloc(k); return;
    default: // growth that would wrap the address space (k < end)
        fa_snapshot();
        FA_CHECK(alloc_grow(fa.a, UINTPTR_MAX - k) == E_RANGE, "grow(UINTPTR_MAX - %u)", k);
        fa_unchanged("a wrapping grow");
        return;
    }
    fa_bad_free(c, expect, "a bad call");
}

FA void fa_op_double_free(struct fa_in *in)
{
    uint8_t k = fa_byte(in);
    if (fa.nghost == 0)
        return;
    const struct fa_block *g = &fa.ghosts[k % fa.nghost];
    int expect = fa.d->ghost_expect != NULL ? fa.d->ghost_expect(g) : E_INVAL;
    if (expect != FA_SKIP)
        fa_bad_free((struct fa_call){g->p, g->size, g->align}, expect, "a double free");
}

FA void fa_op(struct fa_in *in)
{
    uint8_t op = fa_byte(in) % 16;
    if ((op >= 6 && op <= 9) || ((op < 6 || op > 13) && fa.live == FA_MAX_LIVE)) {
        uint8_t k = fa_byte(in);
        if (fa.live > 0)
            fa_free(k % fa.live);
        return;
    }
    struct fa_call c = {0};
    int expect;
    switch (op) {
    case 10: fa_op_double_free(in); break;
    case 11: fa_op_bad_call(in); break;
    case 12:
        expect = fa.d->bad_free != NULL ? fa.d->bad_free(in, &c) : FA_SKIP;
        if (expect != FA_SKIP)
            fa_bad_free(c, expect, "the design's bad free");
        break;
    case 13: fa_op_grow(in); break;
    case 15:
        if (fa.d->op != NULL) {
            fa.d->op(in);
            break;
        }
        fa_op_alloc(in);
        break;
    default: fa_op_alloc(in); break;
    }
}

// The bytes just around the region (ASan's poison may miss a partial 8-byte granule there)
// still hold the fill.
FA void fa_check_edges(void)
{
    ASAN_UNPOISON_MEMORY_REGION(fa_buf, sizeof(fa_buf));
    uintptr_t buf = (uintptr_t)fa_buf;
    for (uintptr_t p = fa.start >= buf + 16 ? fa.start - 16 : buf; p < fa.start; p++)
        FA_CHECK(*(uint8_t *)p == FA_FILL, "the heap wrote %ld bytes before its region",
                 (long)(fa.start - p));
    for (uintptr_t p = fa.end; p < fa.end + 16; p++)
        FA_CHECK(*(uint8_t *)p == FA_FILL, "the heap wrote %ld bytes past its region",
                 (long)(p - fa.end));
}

// Runs one input against design d; returns 0 (every failure aborts).
FA int fa_run(const struct fa_design *d, const uint8_t *data, size_t n)
{
    static bool ready;
    for (uint32_t i = 0, x = 0x2545f491u; !ready && i < sizeof(fa_ref); i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        fa_ref[i] = (uint8_t)x;
    }
    ready = true;
    struct fa_in in = {data, n};
    memset(&fa, 0, sizeof(fa));
    fa.d = d;
    FA_CHECK(d->state_size <= FA_STATE_MAX, "heap struct of %zu bytes", d->state_size);
    uint8_t b0 = fa_byte(&in), b1 = fa_byte(&in), b2 = fa_byte(&in), b3 = fa_byte(&in);
    uint32_t seed = fa_byte(&in);
    size_t size = ((size_t)256 << b0 % 8) * (256u + b1) / 256;
    fa.start = (uintptr_t)fa_buf + (b2 | (size_t)b3 << 8) % 4096;
    fa.end = fa.start + size;
    fa.region_size = size;
    fa.next_tag = 1;
    ASAN_UNPOISON_MEMORY_REGION(fa_buf, sizeof(fa_buf));
    memset(fa_buf, FA_FILL, sizeof(fa_buf));
    ASAN_POISON_MEMORY_REGION(fa_buf, sizeof(fa_buf));
    ASAN_UNPOISON_MEMORY_REGION((void *)fa.start, size);
    fa.a = d->init((void *)fa.start, size);
    fa_verify();
    while (in.n > 0) {
        fa_op(&in);
        fa_verify();
    }
    for (uint32_t x = seed * 2654435761u + 1; fa.live > 0;) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        fa_free(seed == 0 ? fa.live - 1 : x % fa.live);
        fa_verify();
    }
    if (d->finish != NULL)
        d->finish();
    fa_verify();
    fa_check_edges();
    return 0;
}
