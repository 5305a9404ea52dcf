// Shared by the test_paging_*.c programs (tests for core/paging.c): a 4 MiB "physical memory"
// arena behind the mock hardware, a frame source over it that counts, fails or hands out an
// unreachable frame on demand, the page table under test, helpers that look at the tables
// directly, and the per-test setup and teardown (every test ends with no table leaked and no
// empty table left). Header-only; every function is static (and may be unused in one program).
#pragma once

#include "core/err.h"
#include "core/hw.h"
#include "core/paging.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define PGT static __attribute__((unused))

#define ARENA_BASE 0x100000ull // frame 0 is never handed out: 0 means "no frame"
#define ARENA_SIZE (4u << 20)
#define NFRAMES    (ARENA_SIZE / 4096)
#define POISON     0xa5          // fills fresh and freed frames, so unzeroed tables show
#define OUTSIDE    0x40000000ull // a frame outside the arena: unreachable

#define K4 PAGE_SIZE_4K
#define M2 PAGE_SIZE_2M
#define G1 PAGE_SIZE_1G
#define W  PTE_WRITABLE
#define U  PTE_USER
#define P  PTE_PRESENT

#define KERNEL_BASE 0xffffffff80000000ull
#define DIRECT_BASE 0xffff800000000000ull
#define LEN(a)      (sizeof(a) / sizeof((a)[0]))

// ---- a frame source over the arena --------------------------------------------------------------

static struct {
    uint8_t *arena;
    bool used[NFRAMES];
    size_t live, allocs, frees;
    long fail_after;   // allocations that still succeed; -1 never fails
    bool give_outside; // the next allocation returns OUTSIDE
    bool outside_live;
    size_t flushes_before_last_free; // mock_invlpg_count() when a frame last came back
} src;

PGT uint64_t src_alloc(void *ctx)
{
    assert_ptr_equal(ctx, &src);
    if (src.fail_after == 0)
        return 0;
    if (src.fail_after > 0)
        src.fail_after--;
    src.allocs++;
    src.live++;
    if (src.give_outside) {
        src.give_outside = false;
        src.outside_live = true;
        return OUTSIDE;
    }
    for (size_t i = 0; i < NFRAMES; i++) {
        if (!src.used[i]) {
            src.used[i] = true;
            memset(src.arena + i * 4096, POISON, 4096);
            return ARENA_BASE + i * 4096;
        }
    }
    fail_msg("the test arena is out of frames");
    return 0;
}

PGT void src_free(void *ctx, uint64_t phys)
{
    assert_ptr_equal(ctx, &src);
    if (phys == OUTSIDE && src.outside_live) {
        src.outside_live = false;
    } else {
        uint64_t i = (phys - ARENA_BASE) / 4096;
        if (phys < ARENA_BASE || phys % 4096 != 0 || i >= NFRAMES || !src.used[i])
            fail_msg("free of 0x%llx, which is not an allocated frame", (unsigned long long)phys);
        src.used[i] = false;
        memset(src.arena + i * 4096, POISON, 4096);
    }
    src.frees++;
    src.live--;
    src.flushes_before_last_free = mock_invlpg_count();
}

static const struct pt_frames frames = {src_alloc, src_free, &src};
static struct page_table pt;

// ---- looking at the tables directly -------------------------------------------------------------

PGT unsigned idx(uint64_t virt, int level)
{
    return (unsigned)(virt >> (12 + 9 * (level - 1))) & 511;
}

PGT pte_t *table(uint64_t phys)
{
    pte_t *t = hw_phys_to_virt(phys, 4096);
    assert_non_null(t);
    return t;
}

// The entry of `level` on virt's path; every entry above it must be a present table.
PGT pte_t *entry(uint64_t virt, int level)
{
    pte_t *t = table(pt.root);
    for (int l = 4; l > level; l--) {
        pte_t e = t[idx(virt, l)];
        assert_true(e & P);
        t = table(e & PTE_ADDR_MASK);
    }
    return &t[idx(virt, level)];
}

// Fails when a table other than the root has no present entry; returns the number of tables.
PGT size_t check_tables(uint64_t phys, int level)
{
    const pte_t *t = table(phys);
    size_t n = 1, present = 0;
    for (unsigned i = 0; i < 512; i++) {
        if (!(t[i] & P))
            continue;
        present++;
        if (level > 1 && !(level < 4 && (t[i] & PTE_HUGE)))
            n += check_tables(t[i] & PTE_ADDR_MASK, level - 1);
    }
    if (level < 4 && present == 0)
        fail_msg("an empty level-%d table at 0x%llx was left behind", level,
                 (unsigned long long)phys);
    return n;
}

PGT void assert_tables_consistent(void)
{
    assert_int_equal(check_tables(pt.root, 4), src.live);
}

PGT int setup(void **state)
{
    mock_hw_reset();
    memset(&src, 0, sizeof(src));
    src.fail_after = -1;
    src.arena = mock_phys_arena(ARENA_BASE, ARENA_SIZE); // frames are poisoned as handed out
    assert_int_equal(pt_init(&pt, frames), 0);
    return 0;
}

// Every test ends leak-free: no empty table left, and pt_destroy returns every frame.
PGT int teardown(void **state)
{
    if (pt.root != 0) {
        assert_tables_consistent();
        pt_destroy(&pt);
    }
    assert_int_equal(src.live, 0);
    return 0;
}

PGT void map_ok(uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags)
{
    int rc = pt_map(&pt, virt, phys, size, flags);
    if (rc != 0)
        fail_msg("pt_map(0x%llx, 0x%llx, 0x%llx) = %d", (unsigned long long)virt,
                 (unsigned long long)phys, (unsigned long long)size, rc);
}

PGT struct pt_translation translate_ok(uint64_t virt)
{
    struct pt_translation t = {0};
    assert_int_equal(pt_translate(&pt, virt, &t), 0);
    return t;
}

PGT void assert_unmapped(uint64_t virt)
{
    assert_int_equal(pt_translate(&pt, virt, NULL), E_NOENT);
}

// ---- pt_walk callbacks --------------------------------------------------------------------------

struct seen {
    size_t n; // pages visited; the first 64 are recorded
    uint64_t virt[64], phys[64], size[64], flags[64];
};

PGT int record(void *ctx, uint64_t virt, const struct pt_translation *t)
{
    struct seen *s = ctx;
    if (s->n < LEN(s->virt)) { // the rest are only counted
        s->virt[s->n] = virt;
        s->phys[s->n] = t->phys;
        s->size[s->n] = t->page_size;
        s->flags[s->n] = t->flags;
    }
    s->n++;
    return 0;
}

PGT struct seen walk_all(void)
{
    struct seen s = {0};
    assert_int_equal(pt_walk(&pt, record, &s), 0);
    return s;
}
