// libFuzzer target for core/alloc/bump.c through the shared driver (test/fuzz/fuzz_alloc.h), with
// a model of `next`: bump is deterministic, so every alloc must answer exactly
// align_up(next, align) when that fits and NULL when not, and `next` must come back to the
// region's start whenever no block is live. Bad frees: the ones bump.h lists as detected; a
// double free only where bump.h says it is seen (nothing live, or at or past `next`).
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alloc/bump.h"
#include "test/fuzz/fuzz_alloc.h"

static struct bump_heap heap;
static uintptr_t model_next; // bump's `next` while a block is live

static struct allocator *init(void *region, size_t size)
{
    FA_CHECK(bump_init(&heap, region, size) == 0, "bump_init");
    return &heap.base;
}

static uintptr_t expected_next(void)
{
    return fa.live == 0 ? fa.start : model_next;
}

static size_t extent(size_t size, size_t align)
{
    return size;
}

static void on_alloc(const void *p, size_t size, size_t align)
{
    uintptr_t at;
    bool fits = alloc_align_up(expected_next(), align, &at) && at <= fa.end && size <= fa.end - at;
    FA_CHECK(fits ? (uintptr_t)p == at : p == NULL, "alloc(%zu, %zu) = %p, expected %#lx", size,
             align, p, fits ? (unsigned long)at : 0ul);
    if (p != NULL)
        model_next = at + size;
}

static void verify(void)
{
    FA_CHECK(heap.next == expected_next(), "next %#lx, expected %#lx", (unsigned long)heap.next,
             (unsigned long)expected_next());
}

// bump.h's detected bad frees: a pointer at or past `next`; a block ending past `next`.
static int bad_free(struct fa_in *in, struct fa_call *c)
{
    uint8_t sel = fa_byte(in), k = fa_byte(in);
    uintptr_t next = expected_next();
    if (sel % 2 == 0) {
        if (next == fa.end)
            return FA_SKIP;
        *c = (struct fa_call){(void *)(next + k % (fa.end - next)), 1, 1};
        return E_INVAL;
    }
    const struct fa_block *b = fa_live_block(k);
    if (b == NULL)
        return FA_SKIP;
    *c = (struct fa_call){b->p, next - (uintptr_t)b->p + 1, b->align};
    return c->size > fa.end - (uintptr_t)b->p ? E_RANGE : E_INVAL;
}

// A second free is seen only when nothing is live or the block cannot be below `next` (it was
// handed out before the last reset); with other blocks live it is undefined (bump.h).
static int ghost_expect(const struct fa_block *g)
{
    uintptr_t p = (uintptr_t)g->p, next = expected_next();
    if (fa.live == 0 || p >= next || g->size > next - p || g->size > fa.used)
        return E_INVAL;
    return FA_SKIP;
}

// Everything freed: `next` is back at the start and the whole region goes in one block there.
static void finish(void)
{
    FA_CHECK(heap.next == heap.start, "after freeing all: next +%lu",
             (unsigned long)(heap.next - heap.start));
    fa_check_whole(fa.start, fa.region_size);
}

static const struct fa_design design = {
    .init = init,
    .state = &heap,
    .state_size = sizeof(heap),
    .grain = 1,
    .exact_largest = true,
    .poison = false, // blocks share 8-byte granules; bump never touches memory anyway
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
