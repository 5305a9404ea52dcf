// libFuzzer target for core/alloc/linked_list.c through the shared driver
// (test/fuzz/fuzz_alloc.h). Live blocks are poisoned over their LL_GRAIN-rounded extent, so a node
// written into one crashes at once. Bad frees: the ones linked_list.h lists as detected (a
// pointer off the granule, a size reaching into a free block, a pointer into free memory, a
// double free). At the end: one free block of the whole usable span, which ll_fits and alloc take.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc/linked_list.h"
#include "test/fuzz/fuzz_alloc.h"

static struct ll_heap heap;

static struct allocator *init(void *region, size_t size)
{
    FA_CHECK(ll_init(&heap, region, size) == 0, "ll_init");
    FA_CHECK(heap.lo == fa_lo() && heap.hi == fa_hi(), "span [%#lx, %#lx)", (unsigned long)heap.lo,
             (unsigned long)heap.hi);
    return &heap.base;
}

static size_t extent(size_t size, size_t align)
{
    return fa_round(size, LL_GRAIN);
}

static void on_alloc(const void *p, size_t size, size_t align)
{
    // A NULL changed nothing, so ll_fits sees the heap alloc saw.
    FA_CHECK(p != NULL || !ll_fits(&heap, size, align), "alloc(%zu, %zu) failed, ll_fits says yes",
             size, align);
    FA_CHECK((uintptr_t)p % LL_GRAIN == 0, "alloc(%zu, %zu) = %p: off the granule", size, align, p);
}

static void verify(void)
{
    FA_CHECK(heap.lo == fa_lo() && heap.hi == fa_hi(), "span [%#lx, %#lx) after grow",
             (unsigned long)heap.lo, (unsigned long)heap.hi);
}

// The live block holding [p, p + LL_GRAIN), or NULL when that granule is free.
static const struct fa_block *live_at(uintptr_t p)
{
    for (size_t i = 0; i < fa.live; i++) {
        uintptr_t b = (uintptr_t)fa.blocks[i].p;
        if (p >= b && p < b + fa.blocks[i].ext)
            return &fa.blocks[i];
    }
    return NULL;
}

static int bad_free(struct fa_in *in, struct fa_call *c)
{
    uint8_t sel = fa_byte(in) % 3, k = fa_byte(in), k2 = fa_byte(in);
    if (sel == 2) { // a pointer into free memory (freed, or never handed out)
        size_t granules = (heap.hi - heap.lo) / LL_GRAIN;
        uintptr_t q = heap.lo + ((size_t)k << 8 | k2) % granules * LL_GRAIN;
        if (live_at(q) != NULL)
            return FA_SKIP;
        *c = (struct fa_call){(void *)q, 1 + k2 % LL_GRAIN, 1};
        return E_INVAL;
    }
    const struct fa_block *b = fa_live_block(k);
    if (b == NULL)
        return FA_SKIP;
    uintptr_t p = (uintptr_t)b->p, after = p + b->ext;
    if (sel == 0) { // a pointer that is not a multiple of LL_GRAIN
        *c = (struct fa_call){b->p + 1 + k2 % (LL_GRAIN - 1), 1, 1};
        return E_INVAL;
    }
    // A size one granule too large: seen only when the granule after the block is free.
    *c = (struct fa_call){b->p, b->ext + 1 + k2 % LL_GRAIN, b->align};
    if (after == heap.hi)
        return E_RANGE;
    return live_at(after) == NULL ? E_INVAL : FA_SKIP;
}

// Everything freed: one free block of the whole usable span, all of it allocatable at once (as
// test/unit/alloc_linked_list_test.h's assert_whole).
static void finish(void)
{
    size_t span = heap.hi - heap.lo;
    FA_CHECK(heap.head != NULL && heap.head->next == NULL && (uintptr_t)heap.head == heap.lo &&
                 heap.head->size == span,
             "after freeing all, the free list is not one block of the %zu-byte span", span);
    FA_CHECK(ll_fits(&heap, span, 1) && !ll_fits(&heap, span + 1, 1), "ll_fits of the span");
    fa_check_whole(heap.lo, span);
}

static const struct fa_design design = {
    .init = init,
    .state = &heap,
    .state_size = sizeof(heap),
    .grain = LL_GRAIN,
    .exact_largest = true,
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
