// libFuzzer target for core/alloc/fixed_block.c through the shared driver
// (test/fuzz/fuzz_alloc.h). Live blocks are poisoned over their class block (or the bytes the
// fallback's block holds past its header), so a link written into one crashes at once. Bad frees:
// the ones fixed_block.h lists as detected (a pointer off its class's block size, a class or
// large free with none live, a double free of a class block found on its list, the fallback's
// detection for large ones while the freed block still heads a free block). At the end, only
// what fixed_block.h guarantees: nothing lost (but a refill's overhead in the fallback), the
// fallback whole if no class was refilled, and every block on a class list allocatable again
// without a refill.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc/fixed_block.h"
#include "core/alloc/tlsf.h"
#include "test/fuzz/fuzz_alloc.h"

static struct fsb_heap heap;
static size_t seen_refills, seen_refill_bytes; // as on_alloc last saw them

static struct allocator *init(void *region, size_t size)
{
    FA_CHECK(fsb_init(&heap, region, size) == 0, "fsb_init");
    seen_refills = seen_refill_bytes = 0;
    return &heap.base;
}

static size_t extent(size_t size, size_t align)
{
    int c = fsb_class(size, align);
    return c >= 0 ? (size_t)FSB_MIN_BLOCK << c : tlsf_block_size(size) - TLSF_HEADER;
}

// A refill takes a whole batch from the fallback, its lowest block handed out first: freed
// blocks under any of it (or under the fallback block's header and its rest, up to 32 bytes past
// the batch) are no longer free.
static void on_alloc(const void *p, size_t size, size_t align)
{
    FA_CHECK((uintptr_t)p % extent(size, align) == 0 || fsb_class(size, align) < 0,
             "alloc(%zu, %zu) = %p: not aligned to its class block", size, align, p);
    if (p != NULL && heap.refills != seen_refills) {
        FA_CHECK(heap.refills == seen_refills + 1, "one alloc, %zu refills",
                 heap.refills - seen_refills);
        size_t batch = heap.refill_bytes - seen_refill_bytes;
        fa_drop_ghosts((uintptr_t)p - 2 * TLSF_HEADER, batch + 2 * TLSF_HEADER + 32);
        seen_refills = heap.refills;
        seen_refill_bytes = heap.refill_bytes;
    }
}

// The heap's counts of live class and large blocks agree with the model.
static void verify(void)
{
    size_t small = 0, large = 0;
    for (size_t i = 0; i < fa.live; i++) {
        if (fsb_class(fa.blocks[i].size, fa.blocks[i].align) >= 0)
            small += fa.blocks[i].ext;
        else
            large++;
    }
    FA_CHECK(heap.small_bytes == small && heap.large_allocs == large,
             "small_bytes %zu/%zu large_allocs %zu/%zu (heap/model)", heap.small_bytes, small,
             heap.large_allocs, large);
}

// A second free of a large block: the fallback finds it free from the header word in front of it,
// whose first flag (bit 0, under TLSF_TAG) says free while the block still heads a free block of
// its own, or has merged into a later one (tlsf.h). Otherwise (merged into the block before it,
// or a live block's user data by now) the fallback reads on through stale words of its own, and
// the answer is not the model's to predict: not made.
static int ghost_expect(const struct fa_block *g)
{
    uintptr_t h = (uintptr_t)g->p - TLSF_HEADER;
    if (fsb_class(g->size, g->align) >= 0)
        return E_INVAL;
    for (size_t i = 0; i < fa.live; i++) {
        uintptr_t q = (uintptr_t)fa.blocks[i].p;
        if (h < q + fa.blocks[i].ext && q < h + TLSF_HEADER)
            return FA_SKIP;
    }
    return ((*(const size_t *)h ^ TLSF_TAG) & 1) != 0 ? E_INVAL : FA_SKIP;
}

static int bad_free(struct fa_in *in, struct fa_call *c)
{
    uint8_t sel = fa_byte(in) % 3, k = fa_byte(in);
    uintptr_t lo = fa_lo(), hi = fa_hi();
    if (sel == 0) { // a pointer not aligned to its class's block size
        const struct fa_block *b = fa_live_block(k);
        if (b == NULL || fsb_class(b->size, b->align) < 1)
            return FA_SKIP;
        *c = (struct fa_call){b->p + 8, b->ext, 8};
        return b->ext > hi - (uintptr_t)b->p - 8 ? E_RANGE : E_INVAL;
    }
    // A class free with no class block live, or a large free with no large block live.
    bool want_large = sel == 2;
    for (size_t i = 0; i < fa.live; i++) {
        if ((fsb_class(fa.blocks[i].size, fa.blocks[i].align) < 0) == want_large)
            return FA_SKIP;
    }
    size_t size = want_large ? FSB_MAX_BLOCK + 1u + k * 16u : (size_t)FSB_MIN_BLOCK << k % 9;
    *c = (struct fa_call){(void *)lo, size, 1};
    return size > hi - lo ? E_RANGE : E_INVAL;
}

// Nothing live: every byte is on a class list, free in the fallback or in a refill's overhead
// there (its header, the grain, a rest too small to split: under 32 bytes); with no refill the
// fallback is one block of the span its blocks cover; each class gives back every block on its
// list without a refill; and the fallback's largest free block is still allocatable.
static void finish(void)
{
    const struct tlsf_area *ar = &heap.fallback.areas[0];
    size_t span = ar->end > ar->lo ? ar->end - ar->lo : 0;
    struct alloc_stats st = fa_stats(), fb;
    alloc_stats(&heap.fallback.base, &fb);
    FA_CHECK(heap.small_bytes == 0 && heap.large_allocs == 0 &&
                 st.free == fb.free + heap.refill_bytes,
             "after freeing all: small_bytes %zu large %zu free %zu (fallback %zu, refilled %zu)",
             heap.small_bytes, heap.large_allocs, st.free, fb.free, heap.refill_bytes);
    size_t in_use = heap.fallback.in_use, least = heap.refill_bytes + heap.refills * TLSF_HEADER;
    FA_CHECK(heap.fallback.allocations == heap.refills && in_use >= least &&
                 in_use - least <= heap.refills * (8 + TLSF_GRAIN) &&
                 in_use + heap.fallback.free_bytes == span,
             "fallback holds %zu blocks (%zu bytes of %zu), refills %zu (%zu bytes)",
             heap.fallback.allocations, in_use, span, heap.refills, heap.refill_bytes);
    FA_CHECK(heap.refills > 0 ||
                 (heap.fallback.free_blocks == (span > 0) && heap.fallback.free_bytes == span),
             "no refill, yet the fallback is not one block of the span");
    size_t refills = heap.refills;
    for (int c = 0; c < FSB_CLASSES; c++) {
        size_t bs = (size_t)FSB_MIN_BLOCK << c, n = heap.counts[c];
        for (size_t i = 0; i < n; i++)
            FA_CHECK(fa_alloc(bs, bs) >= 0, "class %zu: block %zu of %zu not reallocated", bs, i,
                     n);
        FA_CHECK(heap.refills == refills && heap.counts[c] == 0, "class %zu refilled", bs);
        while (fa.live > 0)
            fa_free(fa.live - 1);
    }
    size_t largest = fa_stats().largest_free;
    if (largest > FSB_MAX_BLOCK) {
        int i = fa_alloc(largest, 1);
        FA_CHECK(i >= 0, "the fallback's largest free block (%zu bytes)", largest);
        fa_free((size_t)i);
    }
}

static const struct fa_design design = {
    .init = init,
    .state = &heap,
    .state_size = sizeof(heap),
    .inner_steps = offsetof(struct fsb_heap, fallback.base.steps),
    .grain = 1,
    .exact_largest = false, // largest_free is a class size that may skip emptier classes below
    .poison = true,
    .extent = extent,
    .on_alloc = on_alloc,
    .verify = verify,
    .bad_free = bad_free,
    .ghost_expect = ghost_expect,
    .finish = finish,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fa_run(&design, data, size);
}
