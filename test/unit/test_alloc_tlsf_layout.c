// Tests for core/alloc/tlsf.c's layout: the free block init makes (first header 8 below a multiple
// of 16 at every region offset, the last sentinel position), regions too small for a block, block
// sizes per tlsf_block_size, splitting, the front padding of an aligned request, the class of a
// free block, good fit (the smallest class that surely fits, then the first block of the
// request's own class), LIFO within a class, merging with the previous, the next and both
// neighbours, and the steps a call takes (TLSF_MAX_STEPS at most, reached by an aligned request).
#include "test/unit/alloc_tlsf_test.h"

#include <stdint.h>
#include <string.h>

// The first header position (8 below a multiple of 16) in a region starting at p, and the last
// sentinel position whose 8 bytes end by its end e (0 when there is none from lo on).
static uintptr_t first_header(uintptr_t p)
{
    return ((p + 8 + 15) & ~(uintptr_t)15) - 8;
}

static uintptr_t last_sentinel(uintptr_t lo, uintptr_t e)
{
    if (e < lo + 8)
        return 0;
    uintptr_t sentinel = e - 8;
    return sentinel - (sentinel - 8) % 16;
}

// Between the heaps of one test, all in the first page past the guard: nothing outside the
// window written, and the page filled again for the next.
static void next_region(void)
{
    at_expect_fill(AT_GUARD - 64, at_win_lo);
    at_expect_fill(at_win_hi, AT_GUARD + 4096 + 64);
    memset(at_arena + AT_GUARD, AT_FILL, 4096);
}

// ---- init --------------------------------------------------------------------------------------

static void init_makes_one_free_block_of_the_region(void **state)
{
    struct allocator *a = make(0, 4096);
    assert_string_equal(a->name, "tlsf");
    LAYOUT({8, 4080, FREE});
    assert_int_equal(heap.nareas, 1);
    assert_int_equal(heap.areas[0].start, at_base());
    assert_int_equal(heap.areas[0].lo, at_off(8));
    assert_int_equal(heap.areas[0].end, at_off(4088));
    assert_int_equal(heap.areas[0].raw_end, at_off(4096));
    struct alloc_stats st = at_stats(a);
    assert_int_equal(st.free, 4072);
    assert_int_equal(st.largest_free, 4072);
    assert_int_equal(st.region_size, 4096);
    assert_int_equal(st.used + st.allocations + st.peak_used, 0);
    assert_int_equal(list_head(4080), at_off(8));
    assert_int_equal(a->steps, 1); // init put the block on its list
}

// At every offset the first header is 8 below a multiple of 16 (so pointers are 16-aligned) and
// the block reaches the last sentinel position.
static void every_region_offset_puts_the_first_header_8_below_16(void **state)
{
    for (size_t offset = 0; offset < 32; offset++) {
        struct allocator *a = make(offset, 1000);
        uintptr_t lo = first_header(at_base()), end = last_sentinel(lo, at_base() + 1000);
        assert_int_equal(lo % 16, 8);
        assert_true(lo >= at_base() && lo < at_base() + 16);
        assert_true(end + 8 <= at_base() + 1000 && end + 24 > at_base() + 1000);
        LAYOUT({off(lo), end - lo, FREE});
        void *p = at_alloc_ok(a, 1, 1);
        assert_int_equal((uintptr_t)p, lo + 8);
        at_free_ok(a, p, 1, 1);
        assert_whole(a);
        next_region();
    }
}

// Under about 48 bytes (what depends on the offset) a region holds no block: nothing is served,
// stats say so, check() is content. From the first size with a block on, the block is all of it.
static void region_smaller_than_a_block_holds_none(void **state)
{
    for (size_t offset = 0; offset < 16; offset++) {
        size_t smallest = 0;
        for (size_t size = 0; size <= 64; size++) {
            struct allocator *a = make(offset, size);
            uintptr_t lo = first_header(at_base());
            uintptr_t end = last_sentinel(lo, at_base() + size);
            if (end == 0 || end - lo < TLSF_MIN_BLOCK) {
                assert_null(alloc_alloc(a, 1, 1));
                assert_int_equal(at_stats(a).free, 0);
                assert_int_equal(at_stats(a).largest_free, 0);
                assert_int_equal(at_stats(a).region_size, size);
            } else {
                smallest = smallest != 0 ? smallest : size;
                LAYOUT({off(lo), end - lo, FREE});
                assert_int_equal(at_stats(a).largest_free, end - lo - 8);
                if (size == smallest)
                    assert_whole(a);
            }
            next_region();
        }
        assert_true(smallest >= 40 && smallest <= 55);
    }
}

// ---- block sizes, splitting --------------------------------------------------------------------

static void tlsf_block_size_is_the_header_plus_size_in_16s_at_least_32(void **state)
{
    assert_int_equal(tlsf_block_size(0), 0);
    for (size_t s = 1; s <= 24; s++)
        assert_int_equal(tlsf_block_size(s), 32);
    for (size_t s = 25; s <= 40; s++)
        assert_int_equal(tlsf_block_size(s), 48);
    assert_int_equal(tlsf_block_size(41), 64);
    for (size_t s = 1; s < 5000; s++)
        assert_int_equal(tlsf_block_size(s), s <= 24 ? 32 : (s + 8 + 15) / 16 * 16);
    assert_int_equal(tlsf_block_size(TLSF_MAX_AREA - 8), TLSF_MAX_AREA);
    assert_int_equal(tlsf_block_size(TLSF_MAX_AREA - 7), 0); // no area holds a larger block
    assert_int_equal(tlsf_block_size(SIZE_MAX), 0);
    assert_int_equal(tlsf_block_size(SIZE_MAX - 8), 0);
}

// Consecutive requests sit tlsf_block_size apart, for every alignment up to 16.
static void blocks_take_tlsf_block_size(void **state)
{
    struct allocator *a = make(0, 8192);
    for (size_t s = 1; s <= 700; s++) {
        size_t align = (size_t)1 << s % 5;
        void *p = alloc_alloc(a, s, align);
        void *q = alloc_alloc(a, 1, 1);
        assert_int_equal(block_of(p), at_off(8));
        assert_int_equal((uintptr_t)q - (uintptr_t)p, tlsf_block_size(s));
        assert_int_equal(at_stats(a).free, 8176 - tlsf_block_size(s) - 32 - 8);
        assert_int_equal(alloc_free(a, q, 1, 1), 0);
        assert_int_equal(alloc_free(a, p, s, align), 0);
    }
    assert_whole(a);
}

static void the_rest_of_a_block_is_split_off_and_stays_free(void **state)
{
    struct allocator *a = make(0, 4096);
    at_alloc_ok(a, 100, 1);
    LAYOUT({8, 112, USED}, {120, 3968, FREE});
    assert_int_equal(list_head(3968), at_off(120));
    assert_int_equal(at_stats(a).free, 3968 - 8);
}

// A rest of TLSF_MIN_BLOCK is split off; one of 16 stays with the block.
static void a_rest_under_tlsf_min_block_stays_with_the_block(void **state)
{
    struct allocator *a = make(0, 128); // [8, 120)
    void *p = at_alloc_ok(a, 72, 1);    // 80: a 32-byte rest
    LAYOUT({8, 80, USED}, {88, 32, FREE});
    at_free_ok(a, p, 72, 1);
    p = at_alloc_ok(a, 88, 1); // 96: a 16-byte rest
    LAYOUT({8, 112, USED});
    assert_int_equal(at_stats(a).free, 0);
    at_free_ok(a, p, 88, 1);
    assert_whole(a);
}

// ---- aligned requests --------------------------------------------------------------------------

static void the_front_padding_of_an_aligned_request_becomes_a_free_block(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 16, 256);
    assert_int_equal((uintptr_t)p, at_off(256));
    LAYOUT({8, 240, FREE}, {248, 32, USED}, {280, 4088 - 280, FREE});
    assert_int_equal(list_head(240), at_off(8));
    void *q = at_alloc_ok(a, 200, 1); // good fit: the padding's class is the smallest that fits
    assert_int_equal(block_of(q), at_off(8));
    LAYOUT({8, 208, USED}, {216, 32, FREE}, {248, 32, USED}, {280, 4088 - 280, FREE});
    at_free_ok(a, p, 16, 256);
    LAYOUT({8, 208, USED}, {216, 4088 - 216, FREE});
    at_free_ok(a, q, 200, 1);
    assert_whole(a);
}

// Padding under TLSF_MIN_BLOCK cannot be a block: the next aligned spot is taken instead.
static void a_padding_under_tlsf_min_block_moves_to_the_next_aligned_spot(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 1, 1);  // [8, 40)
    void *q = at_alloc_ok(a, 1, 64); // 48 would leave 16 bytes in front: 128
    assert_int_equal((uintptr_t)q, at_off(128));
    LAYOUT({8, 32, USED}, {40, 80, FREE}, {120, 32, USED}, {152, 4088 - 152, FREE});
    void *r = at_alloc_ok(a, 8, 32); // 32 + 32 + 32 > 80: from the rest, already aligned
    assert_int_equal((uintptr_t)r, at_off(160));
    LAYOUT({8, 32, USED}, {40, 80, FREE}, {120, 32, USED}, {152, 32, USED},
           {184, 4088 - 184, FREE});
    at_free_ok(a, r, 8, 32);
    at_free_ok(a, q, 1, 64);
    at_free_ok(a, p, 1, 1);
    assert_whole(a);
}

// ---- classes and good fit ----------------------------------------------------------------------

// A free block of each size lands on its class's list, with both bitmap bits set.
static void a_free_block_is_on_the_list_of_its_class(void **state)
{
    static const struct {
        size_t size;
        unsigned fl, sl;
    } cls[] = {
        {32, 0, 2},    {48, 0, 3},    {496, 0, 31}, {512, 1, 0},    {528, 1, 1},
        {1008, 1, 31}, {1024, 2, 0},  {1056, 2, 1}, {2032, 2, 31},  {2048, 3, 0},
        {4224, 4, 1},  {8176, 4, 31}, {8192, 5, 0}, {12288, 5, 16},
    };
    for (size_t i = 0; i < sizeof(cls) / sizeof(cls[0]); i++) {
        struct allocator *a = make(0, 16384);
        size_t s = cls[i].size;
        void *x = at_alloc_ok(a, s - 8, 1);
        void *sep = at_alloc_ok(a, 8, 1);
        void *rest = at_alloc_ok(a, 16384 - 16 - s - 32 - 8, 1);
        at_free_ok(a, x, s - 8, 1);
        unsigned fl, sl;
        class_of(s, &fl, &sl);
        assert_int_equal(fl, cls[i].fl);
        assert_int_equal(sl, cls[i].sl);
        assert_int_equal(heap.lists[fl][sl], at_off(8));
        assert_int_equal(heap.fl_map, 1ull << fl);
        assert_int_equal(heap.sl_map[fl], 1u << sl);
        assert_int_equal(links_at(at_off(8))[0], 0);
        assert_int_equal(links_at(at_off(8))[1], 0);
        assert_int_equal(at_stats(a).largest_free, s - 8);
        at_free_ok(a, sep, 8, 1);
        at_free_ok(a, rest, 16384 - 16 - s - 32 - 8, 1);
        assert_whole(a);
    }
}

// Free blocks of 1040 (class 1024..1055) and 1072 (1056..1087) bytes: a 1032-byte request needs
// 1040, rounded up to the class boundary 1056, so it takes the 1072-byte block, not the exact fit;
// the next one finds no class at or above 1056 and takes the first block of its own class.
static void a_request_takes_the_smallest_class_that_surely_fits(void **state)
{
    struct allocator *a = make(0, 4096);
    void *x = at_alloc_ok(a, 1032, 1); // [8, 1048)
    void *s1 = at_alloc_ok(a, 8, 1);   // [1048, 1080)
    void *y = at_alloc_ok(a, 1064, 1); // [1080, 2152)
    void *s2 = at_alloc_ok(a, 8, 1);   // [2152, 2184)
    void *z = at_alloc_ok(a, 1896, 1); // [2184, 4088)
    at_free_ok(a, y, 1064, 1);
    at_free_ok(a, x, 1032, 1);
    void *p = at_alloc_ok(a, 1032, 1);
    assert_ptr_equal(p, y);
    LAYOUT({8, 1040, FREE}, {1048, 32, USED}, {1080, 1040, USED}, {2120, 32, FREE},
           {2152, 32, USED}, {2184, 1904, USED});
    void *q = at_alloc_ok(a, 1032, 1);
    assert_ptr_equal(q, x);
    assert_null(alloc_alloc(a, 41, 1));
    at_free_ok(a, p, 1032, 1);
    at_free_ok(a, q, 1032, 1);
    at_free_ok(a, s1, 8, 1);
    at_free_ok(a, s2, 8, 1);
    at_free_ok(a, z, 1896, 1);
    assert_whole(a);
}

// Within a class the block freed last is handed out first.
static void blocks_of_one_class_are_handed_out_last_freed_first(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 40, 1);
    at_free_ok(a, blk[2], 40, 1);
    assert_int_equal(list_head(48), block_of(blk[2]));
    assert_int_equal(links_at(block_of(blk[2]))[0], block_of(blk[0]));
    assert_int_equal(links_at(block_of(blk[0]))[1], block_of(blk[2]));
    assert_ptr_equal(at_alloc_ok(a, 33, 1), blk[2]);
    assert_ptr_equal(at_alloc_ok(a, 40, 1), blk[0]);
}

// ---- free next to neighbours -------------------------------------------------------------------

static void free_between_live_neighbours_makes_a_free_block(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 40, 1);
    LAYOUT({8, 48, USED}, {56, 48, FREE}, {104, 48, USED}, {152, 48, USED}, {200, 816, FREE});
    assert_int_equal(list_head(48), at_off(56));
}

static void free_after_a_free_block_merges_with_it(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 40, 1);
    at_free_ok(a, blk[1], 40, 1);
    LAYOUT({8, 96, FREE}, {104, 48, USED}, {152, 48, USED}, {200, 816, FREE});
    assert_int_equal(list_head(48), 0);
    assert_int_equal(list_head(96), at_off(8));
}

static void free_before_a_free_block_merges_with_it(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[2], 40, 1);
    at_free_ok(a, blk[1], 40, 1);
    LAYOUT({8, 48, USED}, {56, 96, FREE}, {152, 48, USED}, {200, 816, FREE});
    assert_int_equal(list_head(96), at_off(56));
    at_free_ok(a, blk[3], 40, 1); // before the free rest, after B + C
    LAYOUT({8, 48, USED}, {56, 960, FREE});
}

static void free_between_two_free_blocks_merges_all_three(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 40, 1);
    at_free_ok(a, blk[2], 40, 1);
    LAYOUT({8, 48, FREE}, {56, 48, USED}, {104, 48, FREE}, {152, 48, USED}, {200, 816, FREE});
    at_free_ok(a, blk[1], 40, 1);
    LAYOUT({8, 144, FREE}, {152, 48, USED}, {200, 816, FREE});
    assert_int_equal(list_head(48), 0);
    at_free_ok(a, blk[3], 40, 1);
    assert_whole(a);
}

// ---- steps -------------------------------------------------------------------------------------

// The longest alloc: the rounded search finds nothing in the first level nor above it, the first
// block of the request's own class fits, it leaves its list, and both the padding in front and the
// rest behind go on lists: TLSF_MAX_STEPS.
static void an_aligned_request_from_its_own_class_takes_tlsf_max_steps(void **state)
{
    struct allocator *a = make(24, 1048); // one 1040-byte block at 24 past the page
    LAYOUT({0, 1040, FREE});
    unsigned long before = a->steps;
    void *p = at_alloc_ok(a, 936, 64); // 944 + 64 + 32 = 1040: no rounding up fits
    assert_int_equal(a->steps - before, TLSF_MAX_STEPS);
    assert_int_equal((uintptr_t)p % 64, 0);
    LAYOUT({0, 32, FREE}, {32, 944, USED}, {976, 64, FREE});
    before = a->steps;
    at_free_ok(a, p, 936, 64); // two neighbours off their lists, the whole block on one
    assert_int_equal(a->steps - before, 3);
    assert_whole(a);
}

static void a_grow_merging_with_the_free_last_block_takes_two_steps(void **state)
{
    struct allocator *a = make(0, 1024);
    unsigned long before = a->steps;
    at_grow(a, 1024);
    assert_int_equal(a->steps - before, 2);
    before = a->steps;
    assert_int_equal(alloc_grow(a, 0), 0);
    assert_int_equal(a->steps, before);
    assert_whole(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(init_makes_one_free_block_of_the_region),
        AT_TEST(every_region_offset_puts_the_first_header_8_below_16),
        AT_TEST(region_smaller_than_a_block_holds_none),
        AT_TEST(tlsf_block_size_is_the_header_plus_size_in_16s_at_least_32),
        AT_TEST(blocks_take_tlsf_block_size),
        AT_TEST(the_rest_of_a_block_is_split_off_and_stays_free),
        AT_TEST(a_rest_under_tlsf_min_block_stays_with_the_block),
        AT_TEST(the_front_padding_of_an_aligned_request_becomes_a_free_block),
        AT_TEST(a_padding_under_tlsf_min_block_moves_to_the_next_aligned_spot),
        AT_TEST(a_free_block_is_on_the_list_of_its_class),
        AT_TEST(a_request_takes_the_smallest_class_that_surely_fits),
        AT_TEST(blocks_of_one_class_are_handed_out_last_freed_first),
        AT_TEST(free_between_live_neighbours_makes_a_free_block),
        AT_TEST(free_after_a_free_block_merges_with_it),
        AT_TEST(free_before_a_free_block_merges_with_it),
        AT_TEST(free_between_two_free_blocks_merges_all_three),
        AT_TEST(an_aligned_request_from_its_own_class_takes_tlsf_max_steps),
        AT_TEST(a_grow_merging_with_the_free_last_block_takes_two_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
