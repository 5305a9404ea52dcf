// libFuzzer target for core/alloc/fixed_block.c through the shared driver
// (test/fuzz/fuzz_alloc.h). Live blocks are poisoned over their class block (or rounded fallback
// block), so a link written into one crashes at once. Bad frees: the ones fixed_block.h lists as
// detected (a pointer off its class's block size, a class or large free with none live, a double
// free of a class block found on its list, the fallback's detection for large ones). At the end,
// only what fixed_block.h guarantees: nothing lost, the fallback whole if no class was refilled,
// and every block on a class list allocatable again without a refill.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc/fixed_block.h"
#include "core/alloc/linked_list.h"
#include "test/fuzz/fuzz_alloc.h"

static struct fsb_heap heap;

static struct allocator *init(void *region, size_t size)
{
    FA_CHECK(fsb_init(&heap, region, size) == 0, "fsb_init");
    return &heap.base;
}

static size_t extent(size_t size, size_t align)
{
    int c = fsb_class(size, align);
    return c >= 0 ? (size_t)FSB_MIN_BLOCK << c : fa_round(size, LL_GRAIN);
}

static void on_alloc(const void *p, size_t size, size_t align)
{
    FA_CHECK((uintptr_t)p % extent(size, align) == 0 || fsb_class(size, align) < 0,
             "alloc(%zu, %zu) = %p: not aligned to its class block", size, align, p);
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

// Nothing live: every byte is on a class list or free in the fallback; with no refill the
// fallback is one block of the span; each class gives back every block on its list without a
// refill; and the fallback's largest free block is still allocatable.
static void finish(void)
{
    size_t span = heap.fallback.hi - heap.fallback.lo;
    struct alloc_stats st = fa_stats();
    FA_CHECK(heap.small_bytes == 0 && heap.large_allocs == 0 && st.free == span,
             "after freeing all: small_bytes %zu large %zu free %zu span %zu", heap.small_bytes,
             heap.large_allocs, st.free, span);
    FA_CHECK(heap.fallback.allocations == heap.refills && heap.fallback.in_use == heap.refill_bytes,
             "fallback holds %zu blocks (%zu bytes), refills %zu (%zu bytes)",
             heap.fallback.allocations, heap.fallback.in_use, heap.refills, heap.refill_bytes);
    FA_CHECK(heap.refills > 0 || (heap.fallback.head != NULL && heap.fallback.head->next == NULL &&
                                  heap.fallback.head->size == span),
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
    .grain = LL_GRAIN,
    .exact_largest = false, // largest_free is a class size that may skip emptier classes below
    .poison = true,
    .extent = extent,
    .on_alloc = on_alloc,
    .verify = verify,
    .bad_free = bad_free,
    .finish = finish,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fa_run(&design, data, size);
}
