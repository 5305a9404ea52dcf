// Shared helpers for the allocator tests (test_alloc_*.c): a guarded arena the heaps live in, a
// shadow model that checks every block the heap hands out, the size x alignment sweep and the
// randomized run (both smaller in the fast tier, test/unit/sweep.h), and AT_TEST, which lists a
// test with the arena's setup and teardown. The model checks walk_free after every operation in
// the long tier and after every AT_WALK_EVERY-th in the fast one (test/unit/alloc_walk_test.h). Header-only; every function is static (and may be
// unused in one program). The bodies of the tests every design runs are in
// test/unit/alloc_cases.h; each design's own fixture is in test/unit/alloc_<design>_test.h.
#pragma once

#include "core/alloc/alloc.h"
#include "core/err.h"
#include "test/unit/alloc_walk_test.h"
#include "test/unit/sweep.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define AT static __attribute__((unused))

// The top bit of a size_t, the largest alignment there is: 2^63 on x86_64, 2^31 on i386.
#define AT_TOP_BIT ((SIZE_MAX >> 1) + 1)

// ---- the arena ---------------------------------------------------------------------------------

// Heaps live in [at_arena + AT_GUARD + offset, ... + size). Everything outside the window the
// test gave the heap (through at_region and at_grow) must still hold AT_FILL at teardown.
#define AT_ARENA_SIZE (1u << 20)
#define AT_GUARD      4096u
#define AT_FILL       0xa5

static _Alignas(4096) unsigned char at_arena[AT_GUARD + AT_ARENA_SIZE + AT_GUARD];
static size_t at_win_lo, at_win_hi; // the window given to the heap, as offsets in at_arena

AT int at_setup(void **state)
{
    memset(at_arena, AT_FILL, sizeof(at_arena));
    at_win_lo = at_win_hi = AT_GUARD;
    return 0;
}

// Fails the test if a byte of at_arena[from, to) is not AT_FILL. Compares a page at a time with
// memcmp, and byte by byte only a page that differs: every test checks the whole 1 MiB arena.
AT void at_expect_fill(size_t from, size_t to)
{
    static unsigned char fill[AT_GUARD];
    memset(fill, AT_FILL, sizeof(fill));
    for (size_t page = from; page < to; page += sizeof(fill)) {
        size_t n = to - page < sizeof(fill) ? to - page : sizeof(fill);
        if (memcmp(at_arena + page, fill, n) == 0)
            continue;
        for (size_t i = page; i < page + n; i++) {
            if (at_arena[i] != AT_FILL)
                fail_msg("the heap wrote outside its region: arena byte %zd from the region start",
                         (ptrdiff_t)i - (ptrdiff_t)at_win_lo);
        }
    }
}

// Fails the test if a byte outside the heap's window changed.
AT int at_teardown(void **state)
{
    at_expect_fill(0, at_win_lo);
    at_expect_fill(at_win_hi, sizeof(at_arena));
    return 0;
}

// Lists a test with at_setup and at_teardown: a freshly filled arena, checked for stray writes.
#define AT_TEST(name) cmocka_unit_test_setup_teardown(name, at_setup, at_teardown)

// A region of size bytes at offset bytes past a 4096-aligned address.
AT unsigned char *at_region(size_t offset, size_t size)
{
    assert_true(offset + size <= AT_ARENA_SIZE);
    at_win_lo = AT_GUARD + offset;
    at_win_hi = at_win_lo + size;
    return at_arena + at_win_lo;
}

// The first byte of the region at_region gave out.
AT uintptr_t at_base(void)
{
    return (uintptr_t)(at_arena + at_win_lo);
}

// Grows the heap by extra bytes and widens the window; the grow must succeed.
AT void at_grow(struct allocator *a, size_t extra)
{
    assert_true(at_win_hi + extra <= AT_GUARD + AT_ARENA_SIZE);
    assert_int_equal(alloc_grow(a, extra), 0);
    at_win_hi += extra;
}

// ---- small checks ------------------------------------------------------------------------------

// Fails with the heap's own description if check() finds a broken invariant.
AT void at_check(const struct allocator *a)
{
    char msg[200];
    int rc = alloc_check(a, msg, sizeof(msg));
    if (rc != 0)
        fail_msg("%s check: %d: %s", a->name, rc, msg);
    assert_string_equal(msg, "");
}

AT struct alloc_stats at_stats(const struct allocator *a)
{
    struct alloc_stats st;
    alloc_stats(a, &st);
    return st;
}

// Allocates, asserts success and alignment, checks the heap.
AT void *at_alloc_ok(struct allocator *a, size_t size, size_t align)
{
    void *p = alloc_alloc(a, size, align);
    if (p == NULL)
        fail_msg("%s: alloc(%zu, %zu) failed", a->name, size, align);
    assert_int_equal((uintptr_t)p % align, 0);
    at_check(a);
    return p;
}

AT void at_free_ok(struct allocator *a, void *p, size_t size, size_t align)
{
    int rc = alloc_free(a, p, size, align);
    if (rc != 0)
        fail_msg("%s: free(%p, %zu, %zu) = %d", a->name, p, size, align, rc);
    at_check(a);
}

// check() must fail with a message containing `what`.
AT void at_expect_check_fails(const struct allocator *a, const char *what)
{
    char msg[200];
    assert_int_equal(alloc_check(a, msg, sizeof(msg)), E_FORMAT);
    if (strstr(msg, what) == NULL)
        fail_msg("check said \"%s\", expected \"%s\"", msg, what);
}

// With a broken invariant, check() truncates its message to the buffer and takes a NULL one.
AT void at_expect_check_truncates(const struct allocator *a)
{
    char msg[8];
    memset(msg, 'x', sizeof(msg));
    assert_int_equal(alloc_check(a, msg, sizeof(msg)), E_FORMAT);
    assert_int_equal(strlen(msg), 7);
    assert_int_equal(alloc_check(a, NULL, 0), E_FORMAT);
}

// Allocates n blocks of size bytes (alignment 1) into b[0..n).
AT void at_alloc_blocks(struct allocator *a, void **b, size_t n, size_t size)
{
    for (size_t i = 0; i < n; i++)
        b[i] = at_alloc_ok(a, size, 1);
}

// largest_free is exact: a request of that size succeeds, one byte more fails. Leaves the heap as
// it was for designs where an alloc and free of the same block undo each other (bump, list).
AT void at_largest_free_is_exact(struct allocator *a)
{
    size_t largest = at_stats(a).largest_free;
    if (largest > 0) {
        void *p = at_alloc_ok(a, largest, 1);
        at_free_ok(a, p, largest, 1);
    }
    assert_null(alloc_alloc(a, largest + 1, 1));
    at_check(a);
}

// ---- the shadow model --------------------------------------------------------------------------

#define AT_MAX_BLOCKS 4096

struct at_block {
    unsigned char *p; // NULL once freed
    size_t size, align;
    unsigned tag; // seeds the pattern written into the block
};

struct at_shadow {
    struct allocator *a;
    uintptr_t lo, hi;   // the heap's region, as the model knows it
    bool largest_exact; // alloc(s, 1) succeeds exactly when s <= largest_free
    bool free_walked;   // walk_free's spans add up to stats().free (true unless a test says not)
    size_t n, live;     // blocks[0..n) used, `live` of them not freed
    size_t used, peak, region_size;
    unsigned next_tag;
    unsigned verifies; // at_shadow_verify calls since at_shadow_init
    uint32_t seed;     // printed with every failure of a random run, 0 otherwise
    struct at_block blocks[AT_MAX_BLOCKS];
};

static struct at_shadow at_model;

// The model of heap a over the region at_region gave out.
AT struct at_shadow *at_shadow_init(struct allocator *a, bool exact)
{
    struct at_shadow *s = &at_model;
    memset(s, 0, sizeof(*s));
    s->a = a;
    s->lo = at_base();
    s->region_size = at_win_hi - at_win_lo;
    s->hi = s->lo + s->region_size;
    s->largest_exact = exact;
    s->free_walked = true;
    s->next_tag = 1;
    return s;
}

AT unsigned char at_pattern(unsigned tag, size_t i)
{
    return (unsigned char)(tag * 151u + i * 7u + (i >> 8));
}

// The fast tier checks the free spans after every AT_WALK_EVERY-th operation of the model (the
// first included): a walk and its sort cost O(free blocks), and fixed_block's class lists hold
// thousands. The long tier checks after every one.
#define AT_WALK_EVERY 8u

// The model and the heap's statistics and invariants agree; and, after every operation in the
// long tier and every AT_WALK_EVERY-th in the fast one, its free spans.
AT void at_shadow_verify(struct at_shadow *s)
{
    struct alloc_stats st = at_stats(s->a);
    if (st.used != s->used || st.allocations != s->live || st.peak_used != s->peak ||
        st.region_size != s->region_size || st.free > st.region_size || st.largest_free > st.free)
        fail_msg("seed %u: stats used %zu/%zu live %zu/%zu peak %zu/%zu region %zu/%zu free %zu "
                 "largest %zu",
                 s->seed, st.used, s->used, st.allocations, s->live, st.peak_used, s->peak,
                 st.region_size, s->region_size, st.free, st.largest_free);
    char msg[200];
    if (alloc_check(s->a, msg, sizeof(msg)) != 0)
        fail_msg("seed %u: %s check: %s", s->seed, s->a->name, msg);
    static int long_tier = -1;
    if (long_tier < 0)
        long_tier = sweep_long();
    if (!long_tier && s->verifies++ % AT_WALK_EVERY != 0)
        return;
    at_walk(s->a);
    for (size_t i = 0; i < s->n; i++) {
        if (s->blocks[i].p != NULL)
            at_walk_add_live((uintptr_t)s->blocks[i].p, s->blocks[i].size);
    }
    at_walk_verify(s->a, s->lo, s->hi, s->free_walked, s->seed);
}

// A new block is aligned, inside the region and overlaps no live block.
AT void at_shadow_place(const struct at_shadow *s, uintptr_t p, size_t size, size_t align)
{
    if (p % align != 0 || p < s->lo || p > s->hi || size > s->hi - p)
        fail_msg("seed %u: alloc(%zu, %zu) = %#lx: misaligned or outside [%#lx, %#lx)", s->seed,
                 size, align, (unsigned long)p, (unsigned long)s->lo, (unsigned long)s->hi);
    for (size_t i = 0; i < s->n; i++) {
        uintptr_t q = (uintptr_t)s->blocks[i].p;
        if (q != 0 && p < q + s->blocks[i].size && q < p + size)
            fail_msg("seed %u: alloc(%zu, %zu) = %#lx overlaps the live block %#lx + %zu", s->seed,
                     size, align, (unsigned long)p, (unsigned long)q, s->blocks[i].size);
    }
}

// Allocates through the model; returns the block's index, or -1 when the heap said NULL.
AT int at_shadow_alloc(struct at_shadow *s, size_t size, size_t align)
{
    assert_true(s->n < AT_MAX_BLOCKS);
    size_t largest = at_stats(s->a).largest_free;
    unsigned char *p = alloc_alloc(s->a, size, align);
    if (align == 1 && (p != NULL ? size > largest : s->largest_exact && size <= largest))
        fail_msg("seed %u: alloc(%zu, 1) %s with largest_free %zu", s->seed, size,
                 p != NULL ? "succeeded" : "failed", largest);
    if (p == NULL) {
        at_shadow_verify(s);
        return -1;
    }
    at_shadow_place(s, (uintptr_t)p, size, align);
    struct at_block *b = &s->blocks[s->n];
    *b = (struct at_block){.p = p, .size = size, .align = align, .tag = s->next_tag++};
    for (size_t i = 0; i < size; i++)
        p[i] = at_pattern(b->tag, i);
    s->live++;
    s->used += size;
    s->peak = s->used > s->peak ? s->used : s->peak;
    at_shadow_verify(s);
    return (int)s->n++;
}

// Frees block i after checking its pattern; the index stays (its p becomes NULL).
AT void at_shadow_free(struct at_shadow *s, size_t i)
{
    struct at_block *b = &s->blocks[i];
    assert_non_null(b->p);
    for (size_t k = 0; k < b->size; k++) {
        if (b->p[k] != at_pattern(b->tag, k))
            fail_msg("seed %u: block %p + %zu: byte %zu overwritten while live", s->seed,
                     (void *)b->p, b->size, k);
    }
    int rc = alloc_free(s->a, b->p, b->size, b->align);
    if (rc != 0)
        fail_msg("seed %u: free(%p, %zu, %zu) = %d", s->seed, (void *)b->p, b->size, b->align, rc);
    b->p = NULL;
    s->live--;
    s->used -= b->size;
    at_shadow_verify(s);
}

// Frees block i and moves the last block into its place (for random runs).
AT void at_shadow_remove(struct at_shadow *s, size_t i)
{
    at_shadow_free(s, i);
    s->blocks[i] = s->blocks[--s->n];
}

AT void at_shadow_grow(struct at_shadow *s, size_t extra)
{
    at_grow(s->a, extra);
    s->hi += extra;
    s->region_size += extra;
    at_shadow_verify(s);
}

// ---- the sweep ---------------------------------------------------------------------------------

enum at_order { AT_FORWARD, AT_BACKWARD, AT_EVENS_THEN_ODDS, AT_OUTSIDE_IN };

#define AT_SWEEP_SIZES  512
#define AT_SWEEP_ALIGNS 10 // 1, 2, 4, ... 512

// The i-th block to free of n, in the given order.
AT size_t at_order_index(enum at_order order, size_t i, size_t n)
{
    switch (order) {
    case AT_FORWARD: return i;
    case AT_BACKWARD: return n - 1 - i;
    case AT_EVENS_THEN_ODDS: return i < (n + 1) / 2 ? 2 * i : 2 * (i - (n + 1) / 2) + 1;
    case AT_OUTSIDE_IN: return i % 2 == 0 ? i / 2 : n - 1 - i / 2;
    }
    return i;
}

// One sweep batch: sizes 1..512, size s with alignment 2^((s + shift) % 10), all allocated (they
// must all succeed), then all freed in `order`. shift 0..9 together cover every size x alignment.
AT void at_sweep_batch(struct at_shadow *s, enum at_order order, unsigned shift)
{
    s->n = 0;
    s->peak = at_stats(s->a).peak_used; // the test may have used the heap outside the model
    for (size_t size = 1; size <= AT_SWEEP_SIZES; size++) {
        size_t align = (size_t)1 << ((size + shift) % AT_SWEEP_ALIGNS);
        if (at_shadow_alloc(s, size, align) < 0)
            fail_msg("%s sweep: alloc(%zu, %zu) failed", s->a->name, size, align);
    }
    for (size_t i = 0; i < s->n; i++)
        at_shadow_free(s, at_order_index(order, i, s->n));
    assert_int_equal(s->live, 0);
    s->n = 0;
}

// The sweep over the whole region: for each shift, one at_sweep_batch freed in `order` (every
// alloc must succeed), then after_batch (the design's check that the heap is as it should be).
// The fast tier takes only the shifts equal to the order modulo 4: a program's four sweeps, one
// per order, together still cover every size x alignment.
AT void at_sweep(struct allocator *a, bool exact, enum at_order order,
                 void (*after_batch)(struct at_shadow *s, enum at_order order, unsigned shift))
{
    struct at_shadow *s = at_shadow_init(a, exact);
    bool every_shift = sweep_long();
    for (unsigned shift = 0; shift < AT_SWEEP_ALIGNS; shift++) {
        if (!every_shift && shift % 4 != (unsigned)order)
            continue;
        at_sweep_batch(s, order, shift);
        after_batch(s, order, shift);
    }
}

// ---- the randomized run ------------------------------------------------------------------------

AT uint32_t at_rand(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

// Mostly small sizes, some up to 1 KiB, a few up to 8 KiB.
AT size_t at_rand_size(uint32_t *x)
{
    uint32_t r = at_rand(x) % 16;
    size_t top = r < 10 ? 64 : r < 15 ? 1024 : 8192;
    return 1 + at_rand(x) % top;
}

// Mostly 1..16, some up to 4096.
AT size_t at_rand_align(uint32_t *x)
{
    uint32_t r = at_rand(x) % 8;
    return (size_t)1 << (r < 6 ? at_rand(x) % 5 : at_rand(x) % 13);
}

// steps random operations (alloc 55%, free 44%, grow 1% while grow_room lasts) through the model,
// which verifies the heap after each one; then frees everything. steps is the long tier's count;
// the fast tier takes a tenth. The seed (sweep_seed: fixed, or UNIT_SEED) is printed first.
AT void at_random_run(struct at_shadow *s, uint32_t fixed_seed, size_t steps, size_t grow_room)
{
    char what[64];
    snprintf(what, sizeof(what), "%s random run", s->a->name);
    uint32_t seed = (uint32_t)sweep_seed(what, fixed_seed, UINT32_MAX);
    steps = sweep_size(steps / 10, steps);
    printf("%s: %zu steps\n", what, steps);
    s->seed = seed;
    uint32_t x = seed;
    size_t fails = 0;
    for (size_t step = 0; step < steps; step++) {
        uint32_t r = at_rand(&x) % 100;
        if (r == 0 && grow_room > 0) {
            size_t g = 1 + at_rand(&x) % (grow_room < 8192 ? grow_room : 8192);
            at_shadow_grow(s, g);
            grow_room -= g;
        } else if ((r < 45 && s->live > 0) || s->n == AT_MAX_BLOCKS) {
            at_shadow_remove(s, at_rand(&x) % s->n);
        } else {
            fails += at_shadow_alloc(s, at_rand_size(&x), at_rand_align(&x)) < 0;
        }
    }
    printf("%s random run: %zu allocations failed, %zu live at the end\n", s->a->name, fails,
           s->live);
    while (s->n > 0)
        at_shadow_remove(s, s->n - 1);
    s->seed = 0;
}
