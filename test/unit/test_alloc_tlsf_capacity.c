// Tests for how much core/alloc/tlsf.c serves: growth (of empty, full, fragmented and tiny heaps,
// by a few bytes that stay pending, by zero, past the end of the address space), running out,
// large alignments and what an aligned request searches for, an area larger than TLSF_MAX_AREA or
// reaching the last byte of the address space, and the statistics: free exact, and largest_free
// the largest request that succeeds, also where the search's rounding up to a class boundary
// matters.
#define _GNU_SOURCE // mmap flags under -std=c11

#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_tlsf_test.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

// ---- growth ------------------------------------------------------------------------------------

static void grow_an_empty_heap_makes_one_block(void **state)
{
    struct allocator *a = make(0, 0);
    assert_int_equal(heap.areas[0].end, 0);
    at_grow_an_empty_heap(a);
    LAYOUT({8, 4080, FREE});
    assert_whole(a);
}

static void grow_a_full_heap_adds_a_block_behind_the_last(void **state)
{
    struct allocator *a = make(0, 1024); // blocks in [8, 1016)
    void *p = at_alloc_ok(a, 1000, 1);
    LAYOUT({8, 1008, USED});
    at_grow(a, 512);
    LAYOUT({8, 1008, USED}, {1016, 512, FREE});
    void *q = at_alloc_ok(a, 504, 1);
    assert_int_equal(block_of(q), at_off(1016));
    at_free_ok(a, p, 1000, 1);
    at_free_ok(a, q, 504, 1);
    assert_whole(a);
    assert_int_equal(heap.areas[0].end, at_off(1528));
}

static void grow_merges_with_a_free_last_block(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 40, 1);
    at_grow(a, 1024);
    LAYOUT({8, 48, USED}, {56, 48, FREE}, {104, 48, USED}, {152, 48, USED}, {200, 1840, FREE});
    at_free_ok(a, blk[3], 40, 1);
    LAYOUT({8, 48, USED}, {56, 48, FREE}, {104, 48, USED}, {152, 1888, FREE});
    at_free_ok(a, blk[0], 40, 1);
    at_free_ok(a, blk[2], 40, 1);
    assert_whole(a);
}

// Behind a live last block, bytes too few for a block stay pending, counted in region_size only,
// until a later grow makes them a block.
static void grow_of_a_few_bytes_stays_pending_until_a_later_grow(void **state)
{
    struct allocator *a = make(0, 1024);
    void *p = at_alloc_ok(a, 1000, 1);
    at_grow(a, 16); // the sentinel could move to 1032: 16 bytes, no block
    LAYOUT({8, 1008, USED});
    assert_int_equal(at_stats(a).free, 0);
    assert_int_equal(at_stats(a).region_size, 1040);
    at_grow(a, 8); // 1048: still not past 1032
    LAYOUT({8, 1008, USED});
    at_grow(a, 8); // 1056: the sentinel moves to 1048, past a 32-byte block
    LAYOUT({8, 1008, USED}, {1016, 32, FREE});
    void *q = at_alloc_ok(a, 24, 1);
    assert_int_equal(block_of(q), at_off(1016));
    assert_null(alloc_alloc(a, 1, 1));
    at_free_ok(a, p, 1000, 1);
    at_free_ok(a, q, 24, 1);
    assert_whole(a);
}

// Behind a free last block even 16 bytes join it at once.
static void grow_of_a_few_bytes_joins_a_free_last_block(void **state)
{
    struct allocator *a = make(0, 1024);
    at_grow(a, 16);
    LAYOUT({8, 1024, FREE});
    unsigned long before = a->steps;
    at_grow(a, 15); // 1055: the sentinel stays at 1032, and no list is touched
    LAYOUT({8, 1024, FREE});
    assert_int_equal(a->steps, before);
    assert_whole(a);
}

// grow(0) changes nothing, even with bytes pending behind a last block freed since.
static void grow_by_zero_changes_nothing_with_bytes_pending(void **state)
{
    struct allocator *a = make(0, 1024);
    void *p = at_alloc_ok(a, 1000, 1);
    at_grow(a, 16);
    at_free_ok(a, p, 1000, 1);
    LAYOUT({8, 1008, FREE});
    snapshot();
    assert_int_equal(alloc_grow(a, 0), 0);
    assert_unchanged();
    at_grow(a, 16); // the pending bytes and these join the free last block
    LAYOUT({8, 1040, FREE});
    assert_whole(a);
}

// A region too small for a block holds none (nor a sentinel while it is under 8 bytes past the
// first header position) until it grows.
static void grow_of_a_region_too_small_for_a_block(void **state)
{
    struct allocator *a = make(9, 0); // the first header would be at 24 past the page
    at_grow(a, 20);                   // [9, 29): no room for a sentinel
    assert_int_equal(heap.areas[0].end, 0);
    at_grow(a, 3); // [9, 32): a sentinel at 24, no block
    assert_int_equal(heap.areas[0].end, heap.areas[0].lo);
    assert_null(alloc_alloc(a, 1, 1));
    assert_int_equal(at_stats(a).largest_free, 0);
    at_grow(a, 31); // [9, 63): the last sentinel position, 40, leaves 16 bytes
    assert_null(alloc_alloc(a, 1, 1));
    assert_int_equal(heap.areas[0].end, heap.areas[0].lo);
    at_grow(a, 1); // [9, 64): the sentinel at 56, one 32-byte block
    LAYOUT({24 - 9, 32, FREE});
    assert_null(alloc_alloc(a, 25, 1));
    assert_whole(a);
}

static void grow_past_the_end_of_the_address_space_is_erange(void **state)
{
    struct allocator *a = make(0, 1024);
    snapshot();
    at_grow_past_the_end_of_the_address_space_is_erange(a);
    assert_unchanged();
    assert_int_equal(alloc_grow(a, UINTPTR_MAX - heap.areas[0].raw_end + 1), E_RANGE);
    assert_unchanged();
    assert_whole(a);
}

// ---- running out, alignment --------------------------------------------------------------------

static void out_of_memory_returns_null_and_the_heap_stays_usable(void **state)
{
    struct allocator *a = make(0, 4096); // [8, 4088): 85 blocks of 48 bytes
    void *p[85];
    at_fill(a, p, 85, 40);
    at_free_ok(a, p[11], 40, 1);
    snapshot();
    assert_null(alloc_alloc(a, 41, 1));
    assert_null(alloc_alloc(a, 8, 32)); // an aligned request wants 8 + 32 + 32 bytes
    assert_unchanged();
    assert_ptr_equal(at_alloc_ok(a, 40, 16), p[11]);
    for (int i = 0; i < 85; i++)
        at_free_ok(a, p[i], 40, 1);
    assert_whole(a);
}

static void large_alignments_are_served_where_the_region_allows(void **state)
{
    struct allocator *a = make(16, 128 * 1024);
    at_large_alignments_are_served(a);
    assert_whole(a);
}

// An alignment above 16 searches for size + align + TLSF_MIN_BLOCK, even where the block found
// would already be aligned.
static void an_aligned_request_searches_for_size_plus_align_plus_a_block(void **state)
{
    struct allocator *a = make(4080, 200); // lo at 4088 past the page: lo + 8 is 4096-aligned
    LAYOUT({8, 176, FREE});
    assert_null(alloc_alloc(a, 16, 4096));
    assert_null(alloc_alloc(a, 105, 32)); // 128 + 32 + 32 > 176
    void *p = at_alloc_ok(a, 104, 32);    // 112 + 32 + 32 = 176: no padding needed
    assert_int_equal(block_of(p), heap.areas[0].lo);
    LAYOUT({8, 112, USED}, {120, 64, FREE});
    at_free_ok(a, p, 104, 32);
    assert_whole(a);
}

// ---- an area beyond TLSF_MAX_AREA --------------------------------------------------------------

// Two pages TLSF_MAX_AREA apart, far from everything else (and below the sanitizer's allocator);
// on i386 at 2 GiB, above the program and the sanitizer's shadow, below the shared libraries.
#define HUGE_AT ((uintptr_t)(sizeof(uintptr_t) >= 8 ? 0x180000000000ull : 0x80000000u))
// A small part of TLSF_MAX_AREA: 1 GiB on x86_64, 16 KiB on i386.
#define HUGE_STEP (TLSF_MAX_AREA >> 16)

static void *map_page(uintptr_t at)
{
    void *p = mmap((void *)at, 4096, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)at)
        fail_msg("mmap at %#lx failed", (unsigned long)at);
    return p;
}

// An area of more than TLSF_MAX_AREA bytes uses its first TLSF_MAX_AREA: one free block of that
// size (the top classes), the rest counted in region_size and never touched; so does one reaching
// the last byte of the address space.
static void an_area_beyond_tlsf_max_area_uses_its_first_max_area_bytes(void **state)
{
    assert_int_equal(sysconf(_SC_PAGESIZE), 4096);
    void *lo_page = map_page(HUGE_AT);
    void *hi_page = map_page(HUGE_AT + TLSF_MAX_AREA);
    struct tlsf_heap *h = &heap;
    size_t size = TLSF_MAX_AREA + HUGE_STEP;
    mock_hw_reset();
    assert_int_equal(tlsf_init(h, (void *)HUGE_AT, size), 0);
    struct allocator *a = bound_steps();
    at_check(a);
    uintptr_t lo = HUGE_AT + 8;
    assert_int_equal(heap.areas[0].end, lo + TLSF_MAX_AREA);
    assert_int_equal(size_at(lo), TLSF_MAX_AREA);
    assert_true(free_at(lo));
    assert_int_equal(list_head(TLSF_MAX_AREA), lo);
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.region_size, size);
    assert_int_equal(st.free, TLSF_MAX_AREA - 8);
    assert_int_equal(st.largest_free, TLSF_MAX_AREA - 8);
    at_largest_free_is_exact(a);
    void *p = at_alloc_ok(a, 100, 1);
    assert_int_equal(at_stats(a).largest_free, TLSF_MAX_AREA - 112 - 8);
    at_largest_free_is_exact(a);
    void *q = at_alloc_ok(a, TLSF_MAX_AREA - 112 - 8, 1);
    assert_int_equal(at_stats(a).free, 0);
    at_free_ok(a, p, 100, 1);
    at_free_ok(a, q, TLSF_MAX_AREA - 112 - 8, 1);
    assert_int_equal(size_at(lo), TLSF_MAX_AREA);
    assert_int_equal(alloc_grow(a, 4096), 0); // nothing to add past the cap
    assert_int_equal(heap.areas[0].end, lo + TLSF_MAX_AREA);
    assert_int_equal(alloc_grow(a, UINTPTR_MAX - heap.areas[0].raw_end), 0); // up to the last byte
    assert_int_equal(alloc_grow(a, 1), E_RANGE);
    assert_int_equal(heap.areas[0].raw_end, UINTPTR_MAX);
    at_check(a);
    // All the rest of the address space at once, as init's region and as an added area.
    mock_hw_reset();
    assert_int_equal(tlsf_init(h, (void *)HUGE_AT, UINTPTR_MAX - HUGE_AT), 0);
    at_check(a);
    assert_int_equal(size_at(lo), TLSF_MAX_AREA);
    void *below = map_page(HUGE_AT - HUGE_STEP); // area 0, below the added one
    mock_hw_reset();
    assert_int_equal(tlsf_init(h, below, 4096), 0);
    assert_int_equal(tlsf_add_area(h, (void *)HUGE_AT, UINTPTR_MAX - HUGE_AT), 0);
    assert_int_equal(heap.areas[1].end, lo + TLSF_MAX_AREA);
    at_check(a);
    munmap(below, 4096);
    munmap(lo_page, 4096);
    munmap(hi_page, 4096);
}

// ---- stats -------------------------------------------------------------------------------------

static void stats_count_free_blocks_less_their_headers(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 1000, 1); // [8, 1016)
    void *q = at_alloc_ok(a, 10, 1);   // [1016, 1048)
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.used, 1010);
    assert_int_equal(st.peak_used, 1010);
    assert_int_equal(st.allocations, 2);
    assert_int_equal(st.free, 4088 - 1048 - 8);
    at_free_ok(a, p, 1000, 1);
    st = at_stats(a);
    assert_int_equal(st.used, 10);
    assert_int_equal(st.peak_used, 1010);
    assert_int_equal(st.allocations, 1);
    assert_int_equal(st.free, 1008 - 8 + 3040 - 8);
    assert_int_equal(st.largest_free, 3040 - 8); // 3040 is no class boundary (3008, 3072)
    assert_int_equal(st.region_size, 4096);
    at_largest_free_is_exact(a);
    at_free_ok(a, q, 10, 1);
    at_largest_free_is_exact(a);
    assert_whole(a);
}

// One free block of 1040 bytes, between the class boundaries 1024 and 1056: the rounded search
// finds no class, the look at its own class's first block serves 1032 bytes, no more.
static void largest_free_of_one_block_off_a_class_boundary_is_exact(void **state)
{
    struct allocator *a = make(0, 1064);
    LAYOUT({8, 1040, FREE});
    assert_int_equal(at_stats(a).largest_free, 1032);
    assert_null(alloc_alloc(a, 1033, 1));
    void *p = at_alloc_ok(a, 1032, 1);
    at_free_ok(a, p, 1032, 1);
    at_largest_free_is_exact(a);
    assert_whole(a);
}

// Free blocks of 1040 and 1024 bytes share a class; only its first block is looked at, so which
// was freed last decides largest_free: 1016 while the 1024-byte block is first, though the
// 1040-byte one could hold 1032.
static void largest_free_follows_the_first_block_of_the_top_class(void **state)
{
    struct allocator *a = make(0, 4096);
    void *x = at_alloc_ok(a, 1032, 1); // [8, 1048)
    void *s1 = at_alloc_ok(a, 8, 1);   // [1048, 1080)
    void *y = at_alloc_ok(a, 1016, 1); // [1080, 2104)
    void *s2 = at_alloc_ok(a, 8, 1);   // [2104, 2136)
    void *z = at_alloc_ok(a, 1944, 1); // [2136, 4088): the rest
    at_free_ok(a, x, 1032, 1);
    at_free_ok(a, y, 1016, 1);
    assert_int_equal(list_head(1040), block_of(y));
    assert_int_equal(at_stats(a).largest_free, 1016);
    assert_null(alloc_alloc(a, 1017, 1));
    at_largest_free_is_exact(a); // takes y and gives it back: y first again
    void *y2 = at_alloc_ok(a, 1016, 1);
    assert_ptr_equal(y2, y);
    assert_int_equal(at_stats(a).largest_free, 1032);
    at_largest_free_is_exact(a);
    at_free_ok(a, y2, 1016, 1);
    at_free_ok(a, s1, 8, 1);
    at_free_ok(a, s2, 8, 1);
    at_free_ok(a, z, 1944, 1);
    assert_whole(a);
}

// Exact in every state of a fragmenting run: after each alloc and free, largest_free succeeds
// and one more byte fails (at_largest_free_is_exact), with blocks across many classes.
static void largest_free_is_exact_while_the_heap_fragments(void **state)
{
    struct allocator *a = make(0, 64 * 1024);
    void *p[64];
    size_t n = 0, sizes[64];
    for (size_t i = 0; i < 64; i++) {
        sizes[n] = 24 + i * i * 13 % 2000;
        p[n] = alloc_alloc(a, sizes[n], 1);
        if (p[n] != NULL)
            n++;
        at_largest_free_is_exact(a);
    }
    for (size_t i = 0; i < n; i += 2) {
        at_free_ok(a, p[i], sizes[i], 1);
        at_largest_free_is_exact(a);
    }
    for (size_t i = 1; i < n; i += 2) {
        at_free_ok(a, p[i], sizes[i], 1);
        at_largest_free_is_exact(a);
    }
    assert_whole(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(grow_an_empty_heap_makes_one_block),
        AT_TEST(grow_a_full_heap_adds_a_block_behind_the_last),
        AT_TEST(grow_merges_with_a_free_last_block),
        AT_TEST(grow_of_a_few_bytes_stays_pending_until_a_later_grow),
        AT_TEST(grow_of_a_few_bytes_joins_a_free_last_block),
        AT_TEST(grow_by_zero_changes_nothing_with_bytes_pending),
        AT_TEST(grow_of_a_region_too_small_for_a_block),
        AT_TEST(grow_past_the_end_of_the_address_space_is_erange),
        AT_TEST(out_of_memory_returns_null_and_the_heap_stays_usable),
        AT_TEST(large_alignments_are_served_where_the_region_allows),
        AT_TEST(an_aligned_request_searches_for_size_plus_align_plus_a_block),
        AT_TEST(an_area_beyond_tlsf_max_area_uses_its_first_max_area_bytes),
        AT_TEST(stats_count_free_blocks_less_their_headers),
        AT_TEST(largest_free_of_one_block_off_a_class_boundary_is_exact),
        AT_TEST(largest_free_follows_the_first_block_of_the_top_class),
        AT_TEST(largest_free_is_exact_while_the_heap_fragments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
