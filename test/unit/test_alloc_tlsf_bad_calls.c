// Tests for core/alloc/tlsf.c's answers to bad calls: size 0, bad alignments, overflowing sizes
// (from alloc and tlsf_fits), free(NULL), frees with bad arguments or outside the usable span,
// and every bad free tlsf.h lists as detected (a pointer off 16, a double free, a size beyond the
// 16-byte slack, a pointer into the middle of a block, no live allocation, a size above what is
// in use, flags that lie), each E_INVAL with the heap struct and the region's bytes unchanged.
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_tlsf_test.h"

#include <stdint.h>

// ---- bad calls ---------------------------------------------------------------------------------

static void size_zero_returns_null(void **state)
{
    struct allocator *a = make(0, 4096);
    at_size_zero_returns_null(a);
    assert_null(alloc_alloc(a, 0, 64)); // not even the padding of an aligned request
    assert_whole(a);
}

static void bad_alignment_returns_null(void **state)
{
    struct allocator *a = make(0, 4096);
    at_bad_alignment_returns_null(a);
    assert_whole(a);
}

static void overflowing_size_returns_null(void **state)
{
    struct allocator *a = make(0, 4096);
    at_overflowing_size_returns_null(a);
    assert_null(alloc_alloc(a, TLSF_MAX_AREA, 1));
    assert_null(alloc_alloc(a, 1, TLSF_MAX_AREA << 1)); // an alignment above TLSF_MAX_AREA
    assert_null(alloc_alloc(a, TLSF_MAX_AREA - 7, 64)); // no block that large, aligned or not
    assert_whole(a);
}

// tlsf_fits answers as alloc would: no to size 0, a bad alignment or a size no block holds, on a
// heap with free blocks in the first level's classes and above.
static void tlsf_fits_refuses_what_alloc_refuses(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 24, 1);
    void *q = at_alloc_ok(a, 8, 1);
    at_free_ok(a, p, 24, 1); // a 32-byte block, and the rest
    assert_true(tlsf_fits(&heap, 24, 1));
    assert_false(tlsf_fits(&heap, 0, 1));
    assert_false(tlsf_fits(&heap, 0, 64));
    assert_false(tlsf_fits(&heap, 1, 3));
    assert_false(tlsf_fits(&heap, 1, 0));
    assert_false(tlsf_fits(&heap, SIZE_MAX, 1));
    assert_false(tlsf_fits(&heap, TLSF_MAX_AREA - 7, 1));
    at_free_ok(a, q, 8, 1);
    assert_whole(a);
}

static void free_of_null_is_a_noop(void **state)
{
    struct allocator *a = make(0, 4096);
    at_free_of_null_is_a_noop(a);
    assert_whole(a);
}

static void free_with_bad_alignment_or_size_zero_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 32, 16);
    snapshot();
    at_free_with_bad_alignment_or_size_zero_is_einval(a, p, 32, 16);
    assert_unchanged();
    at_free_ok(a, p, 32, 16);
    assert_whole(a);
}

static void free_outside_the_region_is_erange(void **state)
{
    struct allocator *a = make(64, 4096);
    void *p = at_alloc_ok(a, 32, 16);
    snapshot();
    at_free_outside_the_region_is_erange(a);
    assert_int_equal(alloc_free(a, (void *)at_base(), SIZE_MAX, 1), E_RANGE);
    assert_unchanged();
    at_free_ok(a, p, 32, 16);
}

// The usable span is [lo, sentinel): the bytes of the region in front of the first header and
// from the sentinel on are outside it.
static void free_outside_the_usable_span_is_erange(void **state)
{
    struct allocator *a = make(3, 100); // [3, 103) past a page: blocks in [8, 88), sentinel 88
    uintptr_t page = at_base() - 3;
    LAYOUT({8 - 3, 80, FREE});
    assert_free_fails(a, (void *)page, 16, 16, E_RANGE);      // before the region
    assert_free_fails(a, (void *)(page + 4), 1, 1, E_RANGE);  // in it, before the first header
    assert_free_fails(a, (void *)(page + 88), 1, 1, E_RANGE); // the sentinel
    assert_free_fails(a, (void *)(page + 96), 16, 16, E_RANGE);
    assert_free_fails(a, (void *)(page + 80), 9, 16, E_RANGE); // runs into the sentinel
    assert_free_fails(a, (void *)(page + 80), 8, 16, E_INVAL); // inside: not a block
}

static void free_of_a_pointer_off_16_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    unsigned char *p = at_alloc_ok(a, 64, 64);
    assert_free_fails(a, p + 8, 16, 8, E_INVAL);   // a header position
    assert_free_fails(a, p + 1, 1, 1, E_INVAL);    // any byte
    assert_free_fails(a, p + 16, 16, 32, E_INVAL); // not aligned to align
    at_free_ok(a, p, 64, 64);
    assert_whole(a);
}

// A pointer to the area's first header (8 below a multiple of 16) or just past it is off 16; free
// must say so without reading the word in front of it, which lies before the region.
static void free_at_the_first_header_reads_nothing_before_the_region(void **state)
{
    struct allocator *a = make(8, 4096); // lo is the region's first byte
    LAYOUT({0, 4080, FREE});
    uintptr_t lo = heap.areas[0].lo;
    assert_int_equal(lo, at_base());
    for (uintptr_t p = lo; p < lo + 8; p++)
        assert_free_answers_unread(a, (void *)p, 1, 1, E_INVAL, lo - 8, 8);
    assert_whole(a);
}

// ---- double frees ------------------------------------------------------------------------------

static void double_free_of_a_free_block_is_einval(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 40, 1);
    assert_free_fails(a, blk[1], 40, 1, E_INVAL);
    assert_free_fails(a, blk[1], 1, 1, E_INVAL);
    LAYOUT({8, 48, USED}, {56, 48, FREE}, {104, 48, USED}, {152, 48, USED}, {200, 816, FREE});
}

static void double_free_of_a_block_merged_into_the_one_before_is_einval(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 40, 1);
    at_free_ok(a, blk[1], 40, 1); // B's header stays behind, inside A's free block
    LAYOUT({8, 96, FREE}, {104, 48, USED}, {152, 48, USED}, {200, 816, FREE});
    assert_free_fails(a, blk[1], 40, 1, E_INVAL);
    assert_free_fails(a, blk[0], 40, 1, E_INVAL);
}

static void double_free_of_a_block_merged_into_the_one_after_is_einval(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[2], 40, 1);
    at_free_ok(a, blk[1], 40, 1); // B takes C in
    LAYOUT({8, 48, USED}, {56, 96, FREE}, {152, 48, USED}, {200, 816, FREE});
    assert_free_fails(a, blk[2], 40, 1, E_INVAL);
    assert_free_fails(a, blk[1], 40, 1, E_INVAL);
    at_free_ok(a, blk[3], 40, 1); // D merges with both neighbours
    LAYOUT({8, 48, USED}, {56, 960, FREE});
    for (int i = 1; i < 4; i++)
        assert_free_fails(a, blk[i], 40, 1, E_INVAL);
}

// A and B merged, then A handed out again: B's header is a free block's header once more.
static void double_free_after_the_merged_block_is_split_again_is_einval(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 40, 1);
    at_free_ok(a, blk[1], 40, 1);
    assert_ptr_equal(at_alloc_ok(a, 40, 1), blk[0]);
    LAYOUT({8, 48, USED}, {56, 48, FREE}, {104, 48, USED}, {152, 48, USED}, {200, 816, FREE});
    assert_free_fails(a, blk[1], 40, 1, E_INVAL);
}

static void double_free_with_nothing_live_is_einval(void **state)
{
    struct allocator *a = four_blocks();
    for (int i = 0; i < 4; i++)
        at_free_ok(a, blk[i], 40, 1);
    for (int i = 0; i < 4; i++)
        assert_free_fails(a, blk[i], 40, 1, E_INVAL);
    assert_whole(a);
}

// ---- sizes -------------------------------------------------------------------------------------

// A 100-byte request takes a 112-byte block: sizes whose block is 112 or 96 bytes (73..104) are
// within the slack and not told apart; 72 (an 80-byte block) and 105 (128) are.
static void free_with_a_size_beyond_the_slack_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p[4];
    at_alloc_blocks(a, p, 4, 100);
    LAYOUT({8, 112, USED}, {120, 112, USED}, {232, 112, USED}, {344, 112, USED},
           {456, 4088 - 456, FREE});
    assert_free_fails(a, p[0], 72, 1, E_INVAL);
    assert_free_fails(a, p[0], 105, 1, E_INVAL);
    assert_free_fails(a, p[0], 1, 1, E_INVAL);
    assert_free_fails(a, p[0], 400, 1, E_INVAL);
    at_free_ok(a, p[0], 88, 1); // a 96-byte block's size: used keeps 12 bytes too many
    at_free_ok(a, p[1], 104, 1);
    at_free_ok(a, p[2], 104, 1);
    assert_int_equal(at_stats(a).used, 104);
    at_free_ok(a, p[3], 104, 1);
    assert_whole(a);
}

// The block a request did not split (its rest was under TLSF_MIN_BLOCK) is 16 bytes larger than
// the request needs: a size of either block is taken.
static void free_of_an_unsplit_block_takes_either_size(void **state)
{
    struct allocator *a = make(0, 160); // blocks in [8, 152)
    void *q = at_alloc_ok(a, 24, 1);
    void *p = at_alloc_ok(a, 88, 1); // needs 96 of the 112 left: 16 over is no block
    LAYOUT({8, 32, USED}, {40, 112, USED});
    assert_free_fails(a, p, 72, 1, E_INVAL); // an 80-byte block: 32 under
    at_free_ok(a, p, 104, 1);                // a 112-byte one
    at_free_ok(a, q, 8, 1);                  // used balances: 24 + 88 == 104 + 8
    assert_whole(a);
}

static void free_with_a_size_above_used_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    void *p = at_alloc_ok(a, 10, 1);
    void *q = at_alloc_ok(a, 10, 1);
    at_free_ok(a, q, 10, 1);
    assert_free_fails(a, p, 24, 1, E_INVAL); // the same 32-byte block, but 24 > the 10 in use
    assert_free_fails(a, p, 11, 1, E_INVAL);
    at_free_ok(a, p, 10, 1);
    assert_whole(a);
}

// ---- pointers that are no block ----------------------------------------------------------------

static void free_of_a_pointer_into_the_middle_of_a_live_block_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    unsigned char *p = at_alloc_ok(a, 200, 1);
    memset(p, 0, 200);
    for (size_t k = 16; k < 200; k += 16)
        assert_free_fails(a, p + k, 16, 16, E_INVAL);
    memset(p, 0xff, 200);
    for (size_t k = 16; k < 200; k += 16)
        assert_free_fails(a, p + k, 8, 1, E_INVAL);
    at_free_ok(a, p, 200, 1);
}

static void free_of_a_pointer_into_a_free_block_is_einval(void **state)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[1], 40, 1);
    at_free_ok(a, blk[2], 40, 1); // [56, 152) free, its links and tag inside
    for (uintptr_t p = at_off(64); p < at_off(152); p += 16)
        assert_free_fails(a, (void *)p, 16, 1, E_INVAL);
    for (uintptr_t p = at_off(208); p < at_off(1008); p += 16) // the free rest
        assert_free_fails(a, (void *)p, 8, 16, E_INVAL);
}

// A used header written into free memory passes every test of the block itself; with nothing
// live, or less in use than its size, it is still refused.
static void free_of_a_forged_block_with_nothing_live_is_einval(void **state)
{
    struct allocator *a = make(0, 4096);
    set_hdr(at_off(1000), 32, 0);
    set_hdr(at_off(1032), 32, 0);
    assert_free_fails(a, (void *)at_off(1008), 16, 1, E_INVAL);
    void *p = at_alloc_ok(a, 10, 1);
    assert_free_fails(a, (void *)at_off(1008), 16, 1, E_INVAL); // 16 > the 10 in use
    at_free_ok(a, p, 10, 1);
}

// A live block whose header says the block before it is free when it is not, or whose next block
// says it is free: the flags disagree with the heap, so free refuses.
static void free_of_a_block_whose_flags_lie_is_einval(void **state)
{
    struct allocator *a = four_blocks();
    uintptr_t b = block_of(blk[1]), c = block_of(blk[2]);
    set_hdr(b, 48, 2);
    assert_free_answers(a, blk[1], 40, 1, E_INVAL); // A is in use
    *(size_t *)(b - 8) = 48;                        // even with a tag where A's would be
    assert_free_answers(a, blk[1], 40, 1, E_INVAL);
    set_hdr(b, 48, 0);
    set_hdr(c, 48, 2);
    assert_free_answers(a, blk[1], 40, 1, E_INVAL); // C says B is free
    set_hdr(c, 48, 0);
    set_hdr(b, 48, 4); // a flag bit tlsf.h does not define
    assert_free_answers(a, blk[1], 40, 1, E_INVAL);
    set_hdr(b, 48, 0);
    // Nothing is before the area's first block: the word in front of it is not read.
    set_hdr(block_of(blk[0]), 48, 2);
    assert_free_answers_unread(a, blk[0], 40, 1, E_INVAL, at_base(), 8);
    set_hdr(block_of(blk[0]), 48, 0);
    // A tag reaching in front of the area is not followed.
    set_hdr(b, 48, 2);
    *(size_t *)(b - 8) = 1024;
    assert_free_answers_unread(a, blk[1], 40, 1, E_INVAL, (uintptr_t)at_arena, AT_GUARD);
    set_hdr(b, 48, 0);
    // A tag leading to a free block of another size is no free block before it.
    at_free_ok(a, blk[0], 40, 1);
    set_hdr(c, 48, 2);
    *(size_t *)(c - 8) = 96; // A, free, is 48 bytes
    assert_free_answers(a, blk[2], 40, 1, E_INVAL);
    set_hdr(c, 48, 0);
    at_free_ok(a, blk[1], 40, 1);
}

// A used header near the end of the area whose size runs past the sentinel: refused without
// reading past it.
static void free_of_a_forged_block_running_past_the_sentinel_is_einval(void **state)
{
    struct allocator *a = make(0, 4096); // the sentinel at 4088, the region's end at 4096
    void *p = at_alloc_ok(a, 100, 1);
    set_hdr(at_off(4056), 48, 0); // 16 bytes past the sentinel; a 24-byte size takes 32
    assert_free_answers_unread(a, (void *)at_off(4064), 24, 1, E_INVAL, at_off(4096), 64);
    at_free_ok(a, p, 100, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(size_zero_returns_null),
        AT_TEST(bad_alignment_returns_null),
        AT_TEST(overflowing_size_returns_null),
        AT_TEST(tlsf_fits_refuses_what_alloc_refuses),
        AT_TEST(free_of_null_is_a_noop),
        AT_TEST(free_with_bad_alignment_or_size_zero_is_einval),
        AT_TEST(free_outside_the_region_is_erange),
        AT_TEST(free_outside_the_usable_span_is_erange),
        AT_TEST(free_of_a_pointer_off_16_is_einval),
        AT_TEST(free_at_the_first_header_reads_nothing_before_the_region),
        AT_TEST(double_free_of_a_free_block_is_einval),
        AT_TEST(double_free_of_a_block_merged_into_the_one_before_is_einval),
        AT_TEST(double_free_of_a_block_merged_into_the_one_after_is_einval),
        AT_TEST(double_free_after_the_merged_block_is_split_again_is_einval),
        AT_TEST(double_free_with_nothing_live_is_einval),
        AT_TEST(free_with_a_size_beyond_the_slack_is_einval),
        AT_TEST(free_of_an_unsplit_block_takes_either_size),
        AT_TEST(free_with_a_size_above_used_is_einval),
        AT_TEST(free_of_a_pointer_into_the_middle_of_a_live_block_is_einval),
        AT_TEST(free_of_a_pointer_into_a_free_block_is_einval),
        AT_TEST(free_of_a_forged_block_with_nothing_live_is_einval),
        AT_TEST(free_of_a_block_whose_flags_lie_is_einval),
        AT_TEST(free_of_a_forged_block_running_past_the_sentinel_is_einval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
