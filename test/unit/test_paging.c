// Tests for core/paging.c over a 4 MiB "physical memory" arena: map, translate, unmap and protect
// for 4 KiB, 2 MiB and 1 GiB pages, effective flags across levels, every error of every function,
// TLB flushes, table creation and freeing (every test ends with no table leaked and no empty
// table left), pt_map_range's choice of page sizes and its rollback, pt_walk, pt_destroy, and a
// randomized run against a model with a fixed seed.
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

#define ARENA_BASE 0x100000ull // frame 0 is never handed out: 0 means "no frame"
#define ARENA_SIZE (4u << 20)
#define NFRAMES    (ARENA_SIZE / 4096)
#define POISON     0xa5          // fills fresh and freed frames, so unzeroed tables show
#define OUTSIDE    0x40000000ull // a frame outside the arena: unreachable
#define SEED       20240612u

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

static uint64_t src_alloc(void *ctx)
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
            return ARENA_BASE + i * 4096;
        }
    }
    fail_msg("the test arena is out of frames");
    return 0;
}

static void src_free(void *ctx, uint64_t phys)
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

static unsigned idx(uint64_t virt, int level)
{
    return (unsigned)(virt >> (12 + 9 * (level - 1))) & 511;
}

static pte_t *table(uint64_t phys)
{
    pte_t *t = hw_phys_to_virt(phys, 4096);
    assert_non_null(t);
    return t;
}

// The entry of `level` on virt's path; every entry above it must be a present table.
static pte_t *entry(uint64_t virt, int level)
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
static size_t check_tables(uint64_t phys, int level)
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

static void assert_tables_consistent(void)
{
    assert_int_equal(check_tables(pt.root, 4), src.live);
}

static int setup(void **state)
{
    mock_hw_reset();
    memset(&src, 0, sizeof(src));
    src.fail_after = -1;
    src.arena = mock_phys_arena(ARENA_BASE, ARENA_SIZE);
    memset(src.arena, POISON, ARENA_SIZE);
    assert_int_equal(pt_init(&pt, frames), 0);
    return 0;
}

// Every test ends leak-free: no empty table left, and pt_destroy returns every frame.
static int teardown(void **state)
{
    if (pt.root != 0) {
        assert_tables_consistent();
        pt_destroy(&pt);
    }
    assert_int_equal(src.live, 0);
    return 0;
}

static void map_ok(uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags)
{
    int rc = pt_map(&pt, virt, phys, size, flags);
    if (rc != 0)
        fail_msg("pt_map(0x%llx, 0x%llx, 0x%llx) = %d", (unsigned long long)virt,
                 (unsigned long long)phys, (unsigned long long)size, rc);
}

static struct pt_translation translate_ok(uint64_t virt)
{
    struct pt_translation t = {0};
    assert_int_equal(pt_translate(&pt, virt, &t), 0);
    return t;
}

static void assert_unmapped(uint64_t virt)
{
    assert_int_equal(pt_translate(&pt, virt, NULL), E_NOENT);
}

// ---- pt_init ------------------------------------------------------------------------------------

static void init_allocates_one_zeroed_root(void **state)
{
    assert_int_equal(src.live, 1);
    assert_int_equal(pt.root % 4096, 0);
    const pte_t *root = table(pt.root);
    for (unsigned i = 0; i < 512; i++)
        assert_int_equal(root[i], 0);
}

static void init_without_a_frame_gives_enomem(void **state)
{
    struct page_table other;
    src.fail_after = 0;
    assert_int_equal(pt_init(&other, frames), E_NOMEM);
    assert_int_equal(other.root, 0);
}

static void init_with_unreachable_frame_gives_erange_and_returns_it(void **state)
{
    struct page_table other;
    src.give_outside = true;
    size_t frees = src.frees;
    assert_int_equal(pt_init(&other, frames), E_RANGE);
    assert_int_equal(other.root, 0);
    assert_int_equal(src.frees, frees + 1);
    assert_false(src.outside_live);
}

// ---- map and translate, one page size at a time -------------------------------------------------

static void map_4k_translates_to_its_frame(void **state)
{
    map_ok(0x400000, 0x12345000, K4, W);
    struct pt_translation t = translate_ok(0x400000);
    assert_int_equal(t.phys, 0x12345000);
    assert_int_equal(t.page_size, K4);
    assert_int_equal(t.flags, P | W);
    assert_int_equal(*entry(0x400000, 1), 0x12345000 | P | W);
    assert_unmapped(0x401000);
    assert_unmapped(0x3ff000);
}

static void map_2m_translates_to_its_frame(void **state)
{
    map_ok(0x40000000 + 0x600000, 0x80000000, M2, W);
    struct pt_translation t = translate_ok(0x40600000);
    assert_int_equal(t.phys, 0x80000000);
    assert_int_equal(t.page_size, M2);
    assert_int_equal(t.flags, P | W | PTE_HUGE);
    assert_int_equal(*entry(0x40600000, 2), 0x80000000 | P | W | PTE_HUGE);
    assert_unmapped(0x40800000);
    assert_int_equal(src.live, 3); // root, PDPT, PD: no PT for a 2 MiB page
}

static void map_1g_translates_to_its_frame(void **state)
{
    map_ok(0x80000000, 0x1c0000000, G1, PTE_NX);
    struct pt_translation t = translate_ok(0x80000000);
    assert_int_equal(t.phys, 0x1c0000000);
    assert_int_equal(t.page_size, G1);
    assert_int_equal(t.flags, P | PTE_NX | PTE_HUGE);
    assert_int_equal(*entry(0x80000000, 3), 0x1c0000000 | P | PTE_NX | PTE_HUGE);
    assert_unmapped(0xc0000000);
    assert_int_equal(src.live, 2); // root and PDPT only
}

static void translate_adds_the_offset_inside_each_page_size(void **state)
{
    map_ok(0x1000, 0x7000, K4, 0);
    map_ok(0x200000, 0x40000000, M2, 0);
    map_ok(0x40000000, 0x100000000, G1, 0);
    assert_int_equal(translate_ok(0x1abc).phys, 0x7abc);
    assert_int_equal(translate_ok(0x1fff).phys, 0x7fff);
    assert_int_equal(translate_ok(0x3fffff).phys, 0x401fffff);
    assert_int_equal(translate_ok(0x2abcde).phys, 0x400abcde);
    assert_int_equal(translate_ok(0x7fffffff).phys, 0x13fffffff);
    assert_int_equal(translate_ok(0x5a5a5a5a).phys, 0x11a5a5a5a);
}

static void translate_with_null_out_only_reports(void **state)
{
    map_ok(0x5000, 0x9000, K4, 0);
    assert_int_equal(pt_translate(&pt, 0x5123, NULL), 0);
}

static void map_creates_tables_present_and_writable(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0); // even for a read-only page
    for (int level = 4; level > 1; level--)
        assert_int_equal(*entry(0x400000, level) & ~PTE_ADDR_MASK, P | W);
    assert_int_equal(translate_ok(0x400000).flags, P);
    assert_int_equal(src.live, 4);
}

static void map_user_page_creates_user_tables(void **state)
{
    map_ok(0x400000, 0x9000, K4, U);
    for (int level = 4; level > 1; level--)
        assert_int_equal(*entry(0x400000, level) & ~PTE_ADDR_MASK, P | W | U);
    assert_int_equal(translate_ok(0x400000).flags, P | U);
}

static void map_zeroes_new_tables_from_dirty_frames(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    for (int level = 3; level >= 1; level--) {
        const pte_t *t = entry(0x400000, level) - idx(0x400000, level);
        for (unsigned i = 0; i < 512; i++)
            assert_int_equal(t[i], i == idx(0x400000, level) ? t[i] : 0);
    }
}

static void map_next_to_a_page_reuses_its_tables(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    size_t allocs = src.allocs;
    map_ok(0x401000, 0xa000, K4, 0);
    map_ok(0x5ff000, 0xb000, K4, 0);
    assert_int_equal(src.allocs, allocs);
    assert_int_equal(translate_ok(0x401000).phys, 0xa000);
}

static void map_keeps_os_and_cache_bits_in_the_leaf(void **state)
{
    uint64_t flags = W | PTE_WRITE_THROUGH | PTE_CACHE_DISABLE | PTE_ACCESSED | PTE_DIRTY |
                     PTE_GLOBAL | (1ull << 9) | (1ull << 11) | (1ull << 52) | (1ull << 62);
    map_ok(0x400000, 0x9000, K4, flags);
    assert_int_equal(*entry(0x400000, 1), 0x9000 | P | flags);
    assert_int_equal(translate_ok(0x400000).flags, P | flags);
    map_ok(0x600000, 0x200000, M2, flags);
    assert_int_equal(translate_ok(0x600000).flags, P | PTE_HUGE | flags);
}

static void map_does_not_flush_when_nothing_was_cached(void **state)
{
    map_ok(0x400000, 0x9000, K4, W | U);
    map_ok(0x401000, 0xa000, K4, W | U);
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(mock_invlpg_count(), 0);
}

// ---- effective flags across levels --------------------------------------------------------------

static void effective_writable_needs_every_level(void **state)
{
    map_ok(0x400000, 0x9000, K4, W);
    *entry(0x400000, 3) &= ~W;
    assert_int_equal(translate_ok(0x400000).flags, P);
    *entry(0x400000, 3) |= W;
    *entry(0x400000, 1) &= ~W;
    assert_int_equal(translate_ok(0x400000).flags, P);
}

static void effective_user_needs_every_level(void **state)
{
    map_ok(0x400000, 0x9000, K4, U);
    *entry(0x400000, 4) &= ~U;
    assert_int_equal(translate_ok(0x400000).flags, P);
    *entry(0x400000, 4) |= U;
    assert_int_equal(translate_ok(0x400000).flags, P | U);
}

static void effective_nx_comes_from_any_level(void **state)
{
    map_ok(0x400000, 0x9000, K4, W);
    map_ok(0x40000000, 0x40000000, M2, W);
    *entry(0x400000, 2) |= PTE_NX;
    *entry(0x40000000, 4) |= PTE_NX;
    assert_int_equal(translate_ok(0x400000).flags, P | W | PTE_NX);
    assert_int_equal(translate_ok(0x40000000).flags, P | W | PTE_HUGE | PTE_NX);
}

static void effective_flags_of_huge_pages_combine_the_levels_above(void **state)
{
    map_ok(0x40000000, 0x40000000, G1, W | U);
    *entry(0x40000000, 4) &= ~W;
    assert_int_equal(translate_ok(0x40000000).flags, P | U | PTE_HUGE);
}

static void map_widens_an_existing_parent_and_flushes(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0); // kernel-only tables
    map_ok(0x401000, 0xa000, K4, U | W);
    for (int level = 4; level > 1; level--)
        assert_true(*entry(0x400000, level) & U);
    assert_int_equal(translate_ok(0x401000).flags, P | U | W);
    assert_int_equal(translate_ok(0x400000).flags, P); // the leaf still decides
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(mock_invlpg_last(), 0x401000);
}

static void map_widens_a_read_only_parent_for_a_writable_page(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    *entry(0x400000, 2) &= ~W;
    map_ok(0x401000, 0xa000, K4, W);
    assert_true(*entry(0x400000, 2) & W);
    assert_int_equal(mock_invlpg_last(), 0x401000);
}

static void map_leaves_nx_on_a_parent_alone(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    *entry(0x400000, 3) |= PTE_NX;
    map_ok(0x401000, 0xa000, K4, 0);
    assert_true(*entry(0x400000, 3) & PTE_NX);
    assert_int_equal(translate_ok(0x401000).flags, P | PTE_NX);
}

// ---- bits that are not what they seem -----------------------------------------------------------

static void translate_ignores_the_pat_bit_of_a_huge_page(void **state)
{
    map_ok(0x400000, 0x600000, M2, 0);
    *entry(0x400000, 2) |= 1ull << 12; // PAT in a 2 MiB entry, not an address bit
    assert_int_equal(translate_ok(0x400000).phys, 0x600000);
    uint64_t phys = 0;
    assert_int_equal(pt_unmap(&pt, 0x400000, &phys), 0);
    assert_int_equal(phys, 0x600000);
}

static void map_builds_a_table_under_a_non_present_entry_with_bit_7(void **state)
{
    map_ok(0x40000000, 0x9000, K4, 0);
    *entry(0, 3) = PTE_HUGE | (1ull << 9); // not present: the OS's own bits, not a 1 GiB page
    map_ok(0x1000, 0xa000, K4, 0);
    assert_int_equal(translate_ok(0x1000).phys, 0xa000);
}

static void pml4_entry_with_bit_7_is_still_a_table(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    *entry(0x400000, 4) |= PTE_HUGE; // reserved in a PML4 entry: never a 512 GiB page
    assert_int_equal(translate_ok(0x400000).page_size, K4);
    *entry(0x400000, 4) &= ~PTE_HUGE;
}

// ---- the higher half and canonical addresses ----------------------------------------------------

static void kernel_base_maps_through_the_last_pml4_slot(void **state)
{
    map_ok(KERNEL_BASE, 0x100000 + 0x1000, K4, W);
    assert_int_equal(idx(KERNEL_BASE, 4), 511);
    assert_int_equal(idx(KERNEL_BASE, 3), 510);
    assert_true(table(pt.root)[511] & P);
    assert_int_equal(translate_ok(KERNEL_BASE + 0x123).phys, 0x101123);
    map_ok(0xffffffffffe00000, 0x200000, M2, 0); // the very last 2 MiB of the address space
    assert_int_equal(translate_ok(0xffffffffffffffff).phys, 0x3fffff);
}

static void direct_map_base_maps_through_pml4_slot_256(void **state)
{
    map_ok(DIRECT_BASE, 0, G1, W | PTE_NX);
    assert_true(table(pt.root)[256] & P);
    assert_int_equal(translate_ok(DIRECT_BASE + 0xb8000).phys, 0xb8000);
    assert_unmapped(DIRECT_BASE + G1);
}

static void highest_lower_half_page_maps(void **state)
{
    map_ok(0x00007ffffffff000, 0x9000, K4, 0);
    assert_int_equal(translate_ok(0x00007fffffffffff).phys, 0x9fff);
    assert_true(table(pt.root)[255] & P);
}

static const uint64_t noncanonical[] = {0x0000800000000000, 0x0000fffffffff000, 0xffff7ffffffff000,
                                        0x8000000000000000, 0x0001000000000000, 0x7ffffffffffff000};

static void noncanonical_addresses_give_einval_everywhere(void **state)
{
    for (size_t i = 0; i < LEN(noncanonical); i++) {
        uint64_t v = noncanonical[i];
        assert_int_equal(pt_map(&pt, v, 0x9000, K4, 0), E_INVAL);
        assert_int_equal(pt_translate(&pt, v, NULL), E_INVAL);
        assert_int_equal(pt_unmap(&pt, v, NULL), E_INVAL);
        assert_int_equal(pt_protect(&pt, v, 0), E_INVAL);
        assert_int_equal(pt_map_range(&pt, v, 0, K4, 0, K4), E_INVAL);
    }
    assert_int_equal(src.live, 1);
}

// ---- pt_map errors ------------------------------------------------------------------------------

static void map_misaligned_virt_gives_ealign(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400800, 0x9000, K4, 0), E_ALIGN);
    assert_int_equal(pt_map(&pt, 0x401000, 0x200000, M2, 0), E_ALIGN);
    assert_int_equal(pt_map(&pt, 0x40200000, 0x40000000, G1, 0), E_ALIGN);
    assert_int_equal(src.live, 1);
}

static void map_misaligned_phys_gives_ealign(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400000, 0x9001, K4, 0), E_ALIGN);
    assert_int_equal(pt_map(&pt, 0x400000, 0x201000, M2, 0), E_ALIGN);
    assert_int_equal(pt_map(&pt, 0x40000000, 0x40200000, G1, 0), E_ALIGN);
    assert_int_equal(src.live, 1);
}

static void map_bad_page_size_gives_einval(void **state)
{
    static const uint64_t bad[] = {0, 1, 0x2000, 0x400000, 512 * G1, K4 | M2, ~0ull};
    for (size_t i = 0; i < LEN(bad); i++)
        assert_int_equal(pt_map(&pt, 0, 0, bad[i], 0), E_INVAL);
    assert_int_equal(src.live, 1);
}

static void map_phys_beyond_52_bits_gives_einval(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400000, PT_PHYS_LIMIT, K4, 0), E_INVAL);
    assert_int_equal(pt_map(&pt, 0x400000, 1ull << 63, M2, 0), E_INVAL);
    map_ok(0x400000, PT_PHYS_LIMIT - K4, K4, 0); // the last frame is fine
    assert_int_equal(translate_ok(0x400fff).phys, PT_PHYS_LIMIT - 1);
}

static void map_flags_with_address_bits_give_einval(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, 0x1000), E_INVAL);
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, 1ull << 51), E_INVAL);
    assert_int_equal(pt_map(&pt, 0x400000, 0, M2, 0x200000), E_INVAL);
    assert_int_equal(src.live, 1);
}

static void map_flags_with_huge_give_einval(void **state)
{
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, PTE_HUGE), E_INVAL);
    assert_int_equal(pt_map(&pt, 0x400000, 0, M2, PTE_HUGE | W), E_INVAL);
    assert_int_equal(src.live, 1);
}

static void map_over_a_page_of_the_same_size_gives_eexist(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    map_ok(0x600000, 0x200000, M2, 0);
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(pt_map(&pt, 0x400000, 0xa000, K4, W), E_EXIST);
    assert_int_equal(pt_map(&pt, 0x600000, 0x400000, M2, W), E_EXIST);
    assert_int_equal(pt_map(&pt, 0x40000000, 0x80000000, G1, W), E_EXIST);
    assert_int_equal(translate_ok(0x400000).phys, 0x9000); // the old mappings are untouched
    assert_int_equal(translate_ok(0x600000).flags, P | PTE_HUGE);
    assert_int_equal(translate_ok(0x40000000).phys, 0x40000000);
}

static void map_2m_over_a_table_of_4k_pages_gives_eexist(void **state)
{
    map_ok(0x5ff000, 0x9000, K4, 0);
    size_t live = src.live;
    assert_int_equal(pt_map(&pt, 0x400000, 0x200000, M2, 0), E_EXIST);
    assert_int_equal(src.live, live);
    assert_int_equal(translate_ok(0x5ff000).phys, 0x9000);
}

static void map_1g_over_a_table_of_2m_pages_gives_eexist(void **state)
{
    map_ok(0x7fe00000, 0x200000, M2, 0);
    assert_int_equal(pt_map(&pt, 0x40000000, 0x40000000, G1, 0), E_EXIST);
    map_ok(0xc0001000, 0x9000, K4, 0); // and over a table of tables of 4 KiB pages
    assert_int_equal(pt_map(&pt, 0xc0000000, 0x40000000, G1, 0), E_EXIST);
    assert_int_equal(translate_ok(0x7fe00000).page_size, M2);
}

static void map_4k_inside_a_2m_page_gives_ehuge(void **state)
{
    map_ok(0x400000, 0x200000, M2, 0);
    size_t live = src.live;
    assert_int_equal(pt_map(&pt, 0x401000, 0x9000, K4, 0), E_HUGE);
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, 0), E_HUGE);
    assert_int_equal(src.live, live);
    assert_int_equal(translate_ok(0x401000).phys, 0x201000);
}

static void map_inside_a_1g_page_gives_ehuge(void **state)
{
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(pt_map(&pt, 0x40001000, 0x9000, K4, 0), E_HUGE);
    assert_int_equal(pt_map(&pt, 0x7fe00000, 0x200000, M2, 0), E_HUGE);
    assert_int_equal(src.live, 2);
}

// A fresh address space needs three tables for a 4 KiB page; failing the first, second or third
// allocation must leave no table behind, the PML4 empty, and the next map working.
static void map_enomem_at_each_level_leaves_nothing(void **state)
{
    for (long ok = 0; ok < 3; ok++) {
        src.fail_after = ok;
        size_t frees = src.frees;
        assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, W), E_NOMEM);
        assert_int_equal(src.live, 1);
        assert_int_equal(src.frees, frees + (size_t)ok);
        for (unsigned i = 0; i < 512; i++)
            assert_int_equal(table(pt.root)[i], 0);
        assert_unmapped(0x400000);
    }
    src.fail_after = -1;
    map_ok(0x400000, 0x9000, K4, W);
}

static void map_enomem_keeps_the_tables_that_were_there(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    size_t live = src.live;
    src.fail_after = 0;
    assert_int_equal(pt_map(&pt, 0x600000, 0xa000, K4, 0), E_NOMEM); // needs only a PT
    assert_int_equal(src.live, live);
    assert_int_equal(translate_ok(0x400000).phys, 0x9000);
    assert_unmapped(0x600000);
}

static void map_enomem_flushes_after_unlinking_its_tables(void **state)
{
    src.fail_after = 1;
    assert_int_equal(pt_map(&pt, 0x400000, 0x9000, K4, 0), E_NOMEM);
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(mock_invlpg_last(), 0x400000);
}

static void map_enomem_does_not_widen_parents(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    src.fail_after = 0;
    assert_int_equal(pt_map(&pt, 0x600000, 0xa000, K4, U), E_NOMEM);
    assert_false(*entry(0x600000, 4) & U);
    assert_false(*entry(0x600000, 3) & U);
}

static void map_unreachable_new_table_gives_erange_and_frees_it(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    src.give_outside = true;
    size_t live = src.live;
    assert_int_equal(pt_map(&pt, 0x600000, 0xa000, K4, 0), E_RANGE);
    assert_int_equal(src.live, live);
    assert_false(src.outside_live);
}

static void map_through_an_unreachable_table_gives_erange(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    pte_t *pde = entry(0x400000, 2);
    pte_t saved = *pde;
    *pde = OUTSIDE | P | W;
    assert_int_equal(pt_map(&pt, 0x401000, 0xa000, K4, 0), E_RANGE);
    assert_int_equal(pt_translate(&pt, 0x400000, NULL), E_RANGE);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), E_RANGE);
    assert_int_equal(pt_protect(&pt, 0x400000, 0), E_RANGE);
    *pde = saved;
    assert_int_equal(translate_ok(0x400000).phys, 0x9000);
}

// ---- pt_unmap -----------------------------------------------------------------------------------

static void unmap_4k_returns_its_frame_and_flushes(void **state)
{
    map_ok(0x400000, 0x9000, K4, W);
    map_ok(0x401000, 0xa000, K4, W);
    uint64_t phys = 0;
    assert_int_equal(pt_unmap(&pt, 0x401000, &phys), 0);
    assert_int_equal(phys, 0xa000);
    assert_unmapped(0x401000);
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(mock_invlpg_last(), 0x401000);
    assert_int_equal(translate_ok(0x400000).phys, 0x9000);
}

static void unmap_2m_at_its_base_removes_the_whole_page(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    map_ok(0x600000, 0xe00000, M2, 0);
    uint64_t phys = 0;
    assert_int_equal(pt_unmap(&pt, 0x600000, &phys), 0);
    assert_int_equal(phys, 0xe00000);
    assert_unmapped(0x7ff000);
    assert_int_equal(mock_invlpg_last(), 0x600000);
}

static void unmap_1g_at_its_base_removes_the_whole_page(void **state)
{
    map_ok(KERNEL_BASE, 0x40000000, G1, 0);
    uint64_t phys = 0;
    assert_int_equal(pt_unmap(&pt, KERNEL_BASE, &phys), 0);
    assert_int_equal(phys, 0x40000000);
    assert_unmapped(KERNEL_BASE + 0x3ffff000);
    assert_int_equal(mock_invlpg_last(), KERNEL_BASE);
}

static void unmap_frees_the_tables_it_empties(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(src.live, 4);
    size_t frees = src.frees;
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    assert_int_equal(src.live, 1);
    assert_int_equal(src.frees, frees + 3);
    for (unsigned i = 0; i < 512; i++)
        assert_int_equal(table(pt.root)[i], 0);
}

static void unmap_flushes_before_handing_tables_back(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(src.flushes_before_last_free, 1);
}

static void unmap_keeps_tables_still_in_use(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    map_ok(0x600000, 0xa000, K4, 0); // another PT under the same PD
    assert_int_equal(src.live, 5);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    assert_int_equal(src.live, 4); // only the first PT went
    assert_int_equal(translate_ok(0x600000).phys, 0xa000);
}

static void unmap_of_a_huge_page_frees_its_emptied_tables(void **state)
{
    map_ok(0x40000000, 0x40000000, M2, 0);
    assert_int_equal(pt_unmap(&pt, 0x40000000, NULL), 0);
    assert_int_equal(src.live, 1);
}

static void unmap_inside_a_huge_page_gives_ehuge_and_keeps_it(void **state)
{
    map_ok(0x400000, 0x200000, M2, 0);
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(pt_unmap(&pt, 0x401000, NULL), E_HUGE);
    assert_int_equal(pt_unmap(&pt, 0x40200000, NULL), E_HUGE);
    assert_int_equal(translate_ok(0x400000).page_size, M2);
    assert_int_equal(translate_ok(0x40200000).page_size, G1);
    assert_int_equal(mock_invlpg_count(), 0);
}

static void unmap_of_nothing_gives_enoent(void **state)
{
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), E_NOENT);
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_unmap(&pt, 0x401000, NULL), E_NOENT);
    assert_int_equal(pt_unmap(&pt, KERNEL_BASE, NULL), E_NOENT);
    assert_int_equal(mock_invlpg_count(), 0);
    assert_int_equal(src.live, 4);
}

static void unmap_unaligned_address_gives_ealign(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    uint64_t phys = 0x77;
    assert_int_equal(pt_unmap(&pt, 0x400010, &phys), E_ALIGN);
    assert_int_equal(phys, 0x77);
    assert_int_equal(translate_ok(0x400000).phys, 0x9000);
}

static void unmap_then_map_again_works(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    map_ok(0x400000, 0x200000, M2, 0);
    assert_int_equal(pt_unmap(&pt, 0x400000, NULL), 0);
    map_ok(0, 0, G1, 0);
    assert_int_equal(translate_ok(0x400000).page_size, G1);
}

// ---- pt_protect ---------------------------------------------------------------------------------

static void protect_4k_replaces_flags_and_flushes(void **state)
{
    map_ok(0x400000, 0x9000, K4, W | PTE_GLOBAL);
    assert_int_equal(pt_protect(&pt, 0x400000, PTE_NX | PTE_ACCESSED), 0);
    assert_int_equal(*entry(0x400000, 1), 0x9000 | P | PTE_NX | PTE_ACCESSED);
    assert_int_equal(mock_invlpg_count(), 1);
    assert_int_equal(mock_invlpg_last(), 0x400000);
}

static void protect_2m_keeps_address_and_huge(void **state)
{
    map_ok(0x400000, 0x600000, M2, 0);
    assert_int_equal(pt_protect(&pt, 0x400000, W), 0);
    assert_int_equal(*entry(0x400000, 2), 0x600000 | P | W | PTE_HUGE);
    assert_int_equal(mock_invlpg_last(), 0x400000);
}

static void protect_1g_keeps_address_and_huge(void **state)
{
    map_ok(KERNEL_BASE, 0x40000000, G1, W);
    assert_int_equal(pt_protect(&pt, KERNEL_BASE, PTE_NX), 0);
    struct pt_translation t = translate_ok(KERNEL_BASE + 5);
    assert_int_equal(t.phys, 0x40000005);
    assert_int_equal(t.flags, P | PTE_HUGE | PTE_NX);
    assert_int_equal(mock_invlpg_last(), KERNEL_BASE);
}

static void protect_to_user_widens_the_parents(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_protect(&pt, 0x400000, U | W), 0);
    assert_int_equal(translate_ok(0x400000).flags, P | U | W);
}

static void protect_inside_a_huge_page_gives_ehuge(void **state)
{
    map_ok(0x400000, 0x200000, M2, 0);
    map_ok(0x40000000, 0x40000000, G1, 0);
    assert_int_equal(pt_protect(&pt, 0x5ff000, W), E_HUGE);
    assert_int_equal(pt_protect(&pt, 0x40200000, W), E_HUGE);
    assert_int_equal(translate_ok(0x400000).flags, P | PTE_HUGE);
    assert_int_equal(mock_invlpg_count(), 0);
}

static void protect_of_nothing_gives_enoent(void **state)
{
    assert_int_equal(pt_protect(&pt, 0x400000, W), E_NOENT);
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_protect(&pt, 0x401000, W), E_NOENT);
    assert_int_equal(mock_invlpg_count(), 0);
}

static void protect_with_bad_flags_or_address_fails(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    assert_int_equal(pt_protect(&pt, 0x400000, PTE_HUGE), E_INVAL);
    assert_int_equal(pt_protect(&pt, 0x400000, 0x5000), E_INVAL);
    assert_int_equal(pt_protect(&pt, 0x400001, W), E_ALIGN);
    assert_int_equal(*entry(0x400000, 1), 0x9000 | P);
    assert_int_equal(mock_invlpg_count(), 0);
}

// ---- pt_map_range -------------------------------------------------------------------------------

struct seen {
    size_t n; // pages visited; the first 64 are recorded
    uint64_t virt[64], phys[64], size[64], flags[64];
};

static int record(void *ctx, uint64_t virt, const struct pt_translation *t)
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

static struct seen walk_all(void)
{
    struct seen s = {0};
    assert_int_equal(pt_walk(&pt, record, &s), 0);
    return s;
}

static void assert_pages(const uint64_t *virt, const uint64_t *size, size_t n)
{
    struct seen s = walk_all();
    assert_int_equal(s.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(s.virt[i], virt[i]);
        assert_int_equal(s.size[i], size[i]);
    }
}

static void map_range_aligned_uses_1g_pages(void **state)
{
    assert_int_equal(pt_map_range(&pt, KERNEL_BASE - G1, 0x40000000, 2 * G1, W, K4 | M2 | G1), 0);
    assert_pages((const uint64_t[]){KERNEL_BASE - G1, KERNEL_BASE}, (const uint64_t[]){G1, G1}, 2);
    assert_int_equal(translate_ok(KERNEL_BASE + 0x1234).phys, 0x80001234);
}

static void map_range_2m_aligned_uses_2m_pages(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x200000, 0x600000, 3 * M2, 0, K4 | M2 | G1), 0);
    assert_pages((const uint64_t[]){0x200000, 0x400000, 0x600000}, (const uint64_t[]){M2, M2, M2},
                 3);
}

// From 8 KiB below a 2 MiB boundary to 4 KiB past the next 1 GiB boundary + 2 MiB: the sizes
// step up 4K, 4K, 2M..., 1G, 2M, 4K.
static void map_range_steps_up_and_down_with_alignment(void **state)
{
    uint64_t virt = 0x3fdfe000, len = 0x2000 + 0x200000 + G1 + M2 + K4;
    assert_int_equal(pt_map_range(&pt, virt, virt, len, 0, K4 | M2 | G1), 0);
    assert_pages(
        (const uint64_t[]){0x3fdfe000, 0x3fdff000, 0x3fe00000, 0x40000000, 0x80000000, 0x80200000},
        (const uint64_t[]){K4, K4, M2, G1, M2, K4}, 6);
}

static void map_range_with_differently_aligned_phys_uses_4k(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x400000, 0x9000, 8 * K4, 0, K4 | M2 | G1), 0);
    struct seen s = walk_all();
    assert_int_equal(s.n, 8);
    for (size_t i = 0; i < s.n; i++) {
        assert_int_equal(s.size[i], K4);
        assert_int_equal(s.phys[i], 0x9000 + i * K4);
    }
}

static void map_range_uses_only_the_allowed_sizes(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0, 0, G1 + M2, 0, K4 | M2), 0);
    struct seen s = walk_all();
    assert_int_equal(s.n, 513);
    assert_int_equal(s.size[0], M2);
    pt_destroy(&pt);
    assert_int_equal(pt_init(&pt, frames), 0);
    assert_int_equal(pt_map_range(&pt, 0x200000, 0x200000, 4 * K4, 0, K4), 0);
    assert_int_equal(walk_all().size[0], K4);
    assert_int_equal(pt_map_range(&pt, 0x40000000, 0, G1, 0, G1 | K4), 0);
    assert_int_equal(translate_ok(0x40000000).page_size, G1);
}

static void map_range_of_length_0_maps_nothing(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x400000, 0, 0, 0, K4), 0);
    assert_int_equal(walk_all().n, 0);
    assert_int_equal(src.live, 1);
}

static void map_range_length_not_a_multiple_of_4k_gives_ealign(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x400000, 0, 0x1800, 0, K4 | M2), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0x400001, 0, K4, 0, K4), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0x400000, 1, K4, 0, K4), E_ALIGN);
    assert_int_equal(src.live, 1);
}

static void map_range_not_aligned_to_the_smallest_allowed_size_gives_ealign(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x401000, 0, M2, 0, M2 | G1), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0x400000, 0x1000, M2, 0, M2), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0x400000, 0, M2 + K4, 0, M2), E_ALIGN);
    assert_int_equal(pt_map_range(&pt, 0, 0, M2, 0, G1), E_ALIGN);
    assert_int_equal(src.live, 1);
}

static void map_range_bad_page_sizes_give_einval(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, 0, 0), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, 0, K4 | 0x2000), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, 0, 512 * G1), E_INVAL);
}

static void map_range_bad_flags_give_einval(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, PTE_HUGE, K4), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0, 0, K4, 0x3000, K4), E_INVAL);
}

static void map_range_crossing_the_canonical_hole_gives_einval(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0xffffffff00000000, 0, 1ull << 33, 0, G1), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0x00007ffffffff000, 0, 2 * K4, 0, K4), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0xfffffffffffff000, 0, 2 * K4, 0, K4), E_INVAL); // wraps
    assert_int_equal(pt_map_range(&pt, 0, 0, 0x0000800000000000 + G1, 0, G1), E_INVAL);
    assert_int_equal(src.live, 1);
}

static void map_range_may_end_at_the_top_of_either_half(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0xffffffffffffe000, 0, 2 * K4, 0, K4), 0);
    assert_int_equal(pt_map_range(&pt, 0x00007fffffffe000, 0, 2 * K4, 0, K4), 0);
    assert_int_equal(translate_ok(0xffffffffffffffff).phys, 0x1fff);
    assert_int_equal(translate_ok(0x00007fffffffffff).phys, 0x1fff);
}

static void map_range_phys_beyond_52_bits_gives_einval(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0, PT_PHYS_LIMIT - K4, 2 * K4, 0, K4), E_INVAL);
    assert_int_equal(src.allocs, 1); // refused before mapping anything
    assert_int_equal(mock_invlpg_count(), 0);
    assert_int_equal(pt_map_range(&pt, 0, PT_PHYS_LIMIT, K4, 0, K4), E_INVAL);
    assert_int_equal(pt_map_range(&pt, 0, PT_PHYS_LIMIT - K4, K4, 0, K4), 0);
}

static void map_range_rolls_back_when_a_page_is_in_the_way(void **state)
{
    map_ok(0x80000000 + 0x3ff000, 0x9000, K4, 0);
    size_t live = src.live;
    assert_int_equal(pt_map_range(&pt, 0x3ff000, 0x3ff000, 0x80400000 - 0x3ff000, W, K4 | M2 | G1),
                     E_EXIST);
    assert_int_equal(src.live, live);
    struct seen s = walk_all();
    assert_int_equal(s.n, 1);
    assert_int_equal(s.virt[0], 0x803ff000);
    assert_unmapped(0x3ff000);
    assert_unmapped(0x40000000);
}

static void map_range_rolls_back_when_a_huge_page_is_in_the_way(void **state)
{
    map_ok(0x600000, 0x600000, M2, 0);
    assert_int_equal(pt_map_range(&pt, 0x3fe000, 0, 0x400000, 0, K4), E_HUGE);
    assert_int_equal(walk_all().n, 1);
    assert_int_equal(src.live, 3);
}

static void map_range_rolls_back_when_frames_run_out(void **state)
{
    src.fail_after = 5; // root is there; PDPT, PD, PT, then 2 more PTs, then nothing
    assert_int_equal(pt_map_range(&pt, 0x1ff000, 0x1ff000, 4 * M2, 0, K4), E_NOMEM);
    assert_int_equal(src.live, 1);
    assert_int_equal(walk_all().n, 0);
    assert_true(mock_invlpg_count() > 0);
}

// ---- pt_walk and pt_destroy ---------------------------------------------------------------------

static void walk_visits_every_page_in_address_order(void **state)
{
    map_ok(KERNEL_BASE, 0x100000, K4, W);
    map_ok(DIRECT_BASE, 0, G1, W | PTE_NX);
    map_ok(0x400000, 0x200000, M2, U);
    map_ok(0x1000, 0x9000, K4, U | W);
    struct seen s = walk_all();
    assert_int_equal(s.n, 4);
    static const uint64_t virt[] = {0x1000, 0x400000, DIRECT_BASE, KERNEL_BASE};
    static const uint64_t phys[] = {0x9000, 0x200000, 0, 0x100000};
    static const uint64_t flags[] = {P | U | W, P | U | PTE_HUGE, P | W | PTE_NX | PTE_HUGE, P | W};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(s.virt[i], virt[i]);
        assert_int_equal(s.phys[i], phys[i]);
        assert_int_equal(s.flags[i], flags[i]);
    }
}

static int stop_at_second(void *ctx, uint64_t virt, const struct pt_translation *t)
{
    int *calls = ctx;
    return ++*calls == 2 ? 42 : 0;
}

static void walk_stops_at_the_first_non_zero_return(void **state)
{
    for (uint64_t v = 0; v < 5 * K4; v += K4)
        map_ok(v, v, K4, 0);
    int calls = 0;
    assert_int_equal(pt_walk(&pt, stop_at_second, &calls), 42);
    assert_int_equal(calls, 2);
}

static void walk_of_an_unreachable_table_gives_erange(void **state)
{
    map_ok(0x400000, 0x9000, K4, 0);
    pte_t *pdpte = entry(0x400000, 3);
    pte_t saved = *pdpte;
    *pdpte = OUTSIDE | P | W;
    struct seen s = {0};
    assert_int_equal(pt_walk(&pt, record, &s), E_RANGE);
    *pdpte = saved;
}

static void destroy_frees_every_table_but_no_mapped_frame(void **state)
{
    assert_int_equal(pt_map_range(&pt, 0x3fe000, 0x3fe000, G1, W, K4 | M2 | G1), 0);
    map_ok(KERNEL_BASE, 0x100000, K4, 0);
    map_ok(DIRECT_BASE, 0, G1, 0);
    size_t tables = src.live;
    size_t frees = src.frees;
    pt_destroy(&pt);
    assert_int_equal(pt.root, 0);
    assert_int_equal(src.live, 0);
    assert_int_equal(src.frees, frees + tables); // only tables came back
    pt_destroy(&pt);                             // a second time does nothing
    assert_int_equal(src.frees, frees + tables);
}

// ---- caller bugs --------------------------------------------------------------------------------

static uint64_t bad_alloc(void *ctx)
{
    return ARENA_BASE + 0x800; // not page aligned
}

static void null_arguments_panic(void **state)
{
    struct pt_frames no_free = {src_alloc, NULL, &src};
    struct page_table other;
    expect_assert_failure(pt_init(NULL, frames));
    assert_non_null(strstr(mock_panic_message(), "pt_init"));
    expect_assert_failure(pt_init(&other, no_free));
    expect_assert_failure(pt_map(NULL, 0, 0, K4, 0));
    assert_non_null(strstr(mock_panic_message(), "pt_map"));
    expect_assert_failure(pt_translate(NULL, 0, NULL));
    expect_assert_failure(pt_unmap(NULL, 0, NULL));
    expect_assert_failure(pt_protect(NULL, 0, 0));
    expect_assert_failure(pt_map_range(NULL, 0, 0, K4, 0, K4));
    expect_assert_failure(pt_walk(NULL, record, NULL));
    expect_assert_failure(pt_walk(&pt, NULL, NULL));
    expect_assert_failure(pt_destroy(NULL));
}

static void uninitialised_table_panics(void **state)
{
    struct page_table zero = {0};
    expect_assert_failure(pt_map(&zero, 0, 0, K4, 0));
    assert_non_null(strstr(mock_panic_message(), "root"));
    expect_assert_failure(pt_translate(&zero, 0, NULL));
    expect_assert_failure(pt_unmap(&zero, 0, NULL));
    expect_assert_failure(pt_protect(&zero, 0, 0));
    expect_assert_failure(pt_map_range(&zero, 0, 0, K4, 0, K4));
    expect_assert_failure(pt_walk(&zero, record, NULL));
}

static void misaligned_frame_from_the_allocator_panics(void **state)
{
    struct pt_frames misaligned = {bad_alloc, src_free, &src};
    struct page_table other;
    expect_assert_failure(pt_init(&other, misaligned));
    assert_non_null(strstr(mock_panic_message(), "0x100800"));
}

// ---- randomized run against a model -------------------------------------------------------------

// 16 regions of 2 MiB, four at each of: both sides of a 1 GiB boundary, the kernel base, the top
// of the lower half, the direct-map base. Each holds a 2 MiB page or up to 512 4 KiB pages.
#define REGIONS 16
static const uint64_t area[4] = {0x3fc00000, KERNEL_BASE, 0x7fffff800000, DIRECT_BASE};

struct page {
    bool mapped;
    uint64_t phys, flags;
};

static struct {
    bool big[REGIONS];
    struct page big_page[REGIONS];
    unsigned small[REGIONS];
    struct page page[REGIONS][512];
} model;

static uint32_t rng = SEED;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint64_t region_base(unsigned r)
{
    return area[r / 4] + (r % 4) * M2;
}

static uint64_t random_flags(void)
{
    static const uint64_t bits[] = {W, U, PTE_NX, PTE_GLOBAL, PTE_CACHE_DISABLE, 1ull << 9};
    uint64_t f = 0;
    for (size_t i = 0; i < LEN(bits); i++)
        f |= next_rand() % 2 ? bits[i] : 0;
    return f;
}

static size_t model_tables(void)
{
    size_t n = 1;
    uint64_t pds[REGIONS], pdpts[REGIONS];
    size_t npd = 0, npdpt = 0;
    for (unsigned r = 0; r < REGIONS; r++) {
        if (!model.big[r] && model.small[r] == 0)
            continue;
        n += model.small[r] > 0; // a PT
        uint64_t pd = region_base(r) >> 30, pdpt = region_base(r) >> 39;
        bool seen_pd = false, seen_pdpt = false;
        for (size_t i = 0; i < npd; i++)
            seen_pd |= pds[i] == pd;
        for (size_t i = 0; i < npdpt; i++)
            seen_pdpt |= pdpts[i] == pdpt;
        if (!seen_pd)
            pds[npd++] = pd;
        if (!seen_pdpt)
            pdpts[npdpt++] = pdpt;
    }
    return n + npd + npdpt;
}

// What the model says about the 4 KiB page q of region r, and the result an operation at its
// address should have (0, E_NOENT or E_HUGE).
static struct page *model_at(unsigned r, unsigned q, int *rc)
{
    if (model.big[r]) {
        *rc = q == 0 ? 0 : E_HUGE;
        return &model.big_page[r];
    }
    *rc = model.page[r][q].mapped ? 0 : E_NOENT;
    return &model.page[r][q];
}

static void check_page(unsigned r, unsigned q, unsigned step)
{
    int expect;
    struct page *m = model_at(r, q, &expect);
    uint64_t virt = region_base(r) + q * K4;
    struct pt_translation t;
    int rc = pt_translate(&pt, virt + 0x10, &t);
    bool ok = m->mapped ? rc == 0 : rc == E_NOENT;
    if (ok && m->mapped) {
        uint64_t off = model.big[r] ? q * K4 : 0;
        ok = t.phys == m->phys + off + 0x10 && t.page_size == (model.big[r] ? M2 : K4) &&
             t.flags == (m->flags | P | (model.big[r] ? PTE_HUGE : 0));
    }
    if (!ok)
        fail_msg("seed %u step %u: translate 0x%llx = %d, model says %s", SEED, step,
                 (unsigned long long)virt, rc, m->mapped ? "mapped" : "unmapped");
}

static int random_op(unsigned r, unsigned q, unsigned op, int *expect)
{
    uint64_t virt = region_base(r) + q * K4;
    struct page *m = model_at(r, q, expect);
    uint64_t flags = random_flags();
    uint64_t phys = (uint64_t)(next_rand() % 4096) * M2;
    if (op < 40) { // map 4 KiB
        *expect = model.big[r] ? E_HUGE : m->mapped ? E_EXIST : 0;
        if (*expect == 0) {
            *m = (struct page){true, phys + q * K4, flags};
            model.small[r]++;
        }
        return pt_map(&pt, virt, phys + q * K4, K4, flags);
    }
    if (op < 50) { // map 2 MiB at the region's base
        virt = region_base(r);
        *expect = model.big[r] || model.small[r] > 0 ? E_EXIST : 0;
        if (*expect == 0) {
            model.big[r] = true;
            model.big_page[r] = (struct page){true, phys, flags};
        }
        return pt_map(&pt, virt, phys, M2, flags);
    }
    if (op < 85) { // unmap
        uint64_t got = 0, want = m->phys;
        int rc = pt_unmap(&pt, virt, &got);
        if (*expect == 0) {
            m->mapped = false;
            if (model.big[r])
                model.big[r] = false;
            else
                model.small[r]--;
            if (got != want)
                fail_msg("seed %u: unmap 0x%llx gave frame 0x%llx", SEED, (unsigned long long)virt,
                         (unsigned long long)got);
        }
        return rc;
    }
    if (*expect == 0) // protect
        m->flags = flags;
    return pt_protect(&pt, virt, flags);
}

static void random_operations_match_a_model(void **state)
{
    memset(&model, 0, sizeof(model));
    rng = SEED;
    for (unsigned step = 0; step < 20000; step++) {
        unsigned r = next_rand() % REGIONS, op = next_rand() % 100;
        unsigned q = next_rand() % 4 == 0 ? 0 : next_rand() % 512;
        int expect = 0;
        int rc = random_op(r, q, op, &expect);
        if (rc != expect)
            fail_msg("seed %u step %u: op %u at region %u page %u returned %d, expected %d", SEED,
                     step, op, r, q, rc, expect);
        check_page(r, q, step);
        if (src.live != model_tables())
            fail_msg("seed %u step %u: %zu tables, the model needs %zu", SEED, step, src.live,
                     model_tables());
        if (step % 2000 == 0) {
            for (unsigned rr = 0; rr < REGIONS; rr++)
                for (unsigned qq = 0; qq < 512; qq++)
                    check_page(rr, qq, step);
            assert_tables_consistent();
        }
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_allocates_one_zeroed_root),
        T(init_without_a_frame_gives_enomem),
        T(init_with_unreachable_frame_gives_erange_and_returns_it),
        T(map_4k_translates_to_its_frame),
        T(map_2m_translates_to_its_frame),
        T(map_1g_translates_to_its_frame),
        T(translate_adds_the_offset_inside_each_page_size),
        T(translate_with_null_out_only_reports),
        T(map_creates_tables_present_and_writable),
        T(map_user_page_creates_user_tables),
        T(map_zeroes_new_tables_from_dirty_frames),
        T(map_next_to_a_page_reuses_its_tables),
        T(map_keeps_os_and_cache_bits_in_the_leaf),
        T(map_does_not_flush_when_nothing_was_cached),
        T(effective_writable_needs_every_level),
        T(effective_user_needs_every_level),
        T(effective_nx_comes_from_any_level),
        T(effective_flags_of_huge_pages_combine_the_levels_above),
        T(map_widens_an_existing_parent_and_flushes),
        T(map_widens_a_read_only_parent_for_a_writable_page),
        T(map_leaves_nx_on_a_parent_alone),
        T(translate_ignores_the_pat_bit_of_a_huge_page),
        T(map_builds_a_table_under_a_non_present_entry_with_bit_7),
        T(pml4_entry_with_bit_7_is_still_a_table),
        T(kernel_base_maps_through_the_last_pml4_slot),
        T(direct_map_base_maps_through_pml4_slot_256),
        T(highest_lower_half_page_maps),
        T(noncanonical_addresses_give_einval_everywhere),
        T(map_misaligned_virt_gives_ealign),
        T(map_misaligned_phys_gives_ealign),
        T(map_bad_page_size_gives_einval),
        T(map_phys_beyond_52_bits_gives_einval),
        T(map_flags_with_address_bits_give_einval),
        T(map_flags_with_huge_give_einval),
        T(map_over_a_page_of_the_same_size_gives_eexist),
        T(map_2m_over_a_table_of_4k_pages_gives_eexist),
        T(map_1g_over_a_table_of_2m_pages_gives_eexist),
        T(map_4k_inside_a_2m_page_gives_ehuge),
        T(map_inside_a_1g_page_gives_ehuge),
        T(map_enomem_at_each_level_leaves_nothing),
        T(map_enomem_keeps_the_tables_that_were_there),
        T(map_enomem_flushes_after_unlinking_its_tables),
        T(map_enomem_does_not_widen_parents),
        T(map_unreachable_new_table_gives_erange_and_frees_it),
        T(map_through_an_unreachable_table_gives_erange),
        T(unmap_4k_returns_its_frame_and_flushes),
        T(unmap_2m_at_its_base_removes_the_whole_page),
        T(unmap_1g_at_its_base_removes_the_whole_page),
        T(unmap_frees_the_tables_it_empties),
        T(unmap_flushes_before_handing_tables_back),
        T(unmap_keeps_tables_still_in_use),
        T(unmap_of_a_huge_page_frees_its_emptied_tables),
        T(unmap_inside_a_huge_page_gives_ehuge_and_keeps_it),
        T(unmap_of_nothing_gives_enoent),
        T(unmap_unaligned_address_gives_ealign),
        T(unmap_then_map_again_works),
        T(protect_4k_replaces_flags_and_flushes),
        T(protect_2m_keeps_address_and_huge),
        T(protect_1g_keeps_address_and_huge),
        T(protect_to_user_widens_the_parents),
        T(protect_inside_a_huge_page_gives_ehuge),
        T(protect_of_nothing_gives_enoent),
        T(protect_with_bad_flags_or_address_fails),
        T(map_range_aligned_uses_1g_pages),
        T(map_range_2m_aligned_uses_2m_pages),
        T(map_range_steps_up_and_down_with_alignment),
        T(map_range_with_differently_aligned_phys_uses_4k),
        T(map_range_uses_only_the_allowed_sizes),
        T(map_range_of_length_0_maps_nothing),
        T(map_range_length_not_a_multiple_of_4k_gives_ealign),
        T(map_range_not_aligned_to_the_smallest_allowed_size_gives_ealign),
        T(map_range_bad_page_sizes_give_einval),
        T(map_range_bad_flags_give_einval),
        T(map_range_crossing_the_canonical_hole_gives_einval),
        T(map_range_may_end_at_the_top_of_either_half),
        T(map_range_phys_beyond_52_bits_gives_einval),
        T(map_range_rolls_back_when_a_page_is_in_the_way),
        T(map_range_rolls_back_when_a_huge_page_is_in_the_way),
        T(map_range_rolls_back_when_frames_run_out),
        T(walk_visits_every_page_in_address_order),
        T(walk_stops_at_the_first_non_zero_return),
        T(walk_of_an_unreachable_table_gives_erange),
        T(destroy_frees_every_table_but_no_mapped_frame),
        T(null_arguments_panic),
        T(uninitialised_table_panics),
        T(misaligned_frame_from_the_allocator_panics),
        T(random_operations_match_a_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
