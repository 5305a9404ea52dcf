// Tests for core/alloc/tlsf.c's check(): each broken invariant it claims found and named (a
// header, a previous-is-free flag, a boundary tag, links, two free neighbours, bitmap bits, a list
// holding a block of another class or no block, a list member whose prev link is not the member
// before it, lists missing blocks, counters, area bounds, the sentinel), restored to a sound heap
// after each; a block on the list of another class whose first or second level is higher or
// lower, found by check() and walk_free alike, and a list member running into the sentinel; every
// word of the region and of the heap's lists, bitmaps and counters corrupted in turn without a
// crash (the unit build's sanitizers abort on a bad read), the lists, bitmaps and counters always
// caught; the message truncated to its buffer; the panics on NULL arguments and a region that
// wraps the address space or starts too near its top, and one that reaches its top.
#include "test/unit/alloc_cases.h"
#include "test/unit/alloc_tlsf_test.h"

#include <sanitizer/asan_interface.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// Four 48-byte blocks A B C D, then the free rest [200, 1016); A and C freed: the list of 48-byte
// blocks holds C then A, the rest (816 bytes) is alone on its list.
static uintptr_t A, B, C, D, R;

static struct allocator *listed(void)
{
    struct allocator *a = four_blocks();
    at_free_ok(a, blk[0], 40, 1);
    at_free_ok(a, blk[2], 40, 1);
    A = block_of(blk[0]), B = block_of(blk[1]), C = block_of(blk[2]), D = block_of(blk[3]);
    R = at_off(200);
    LAYOUT({8, 48, FREE}, {56, 48, USED}, {104, 48, FREE}, {152, 48, USED}, {200, 816, FREE});
    assert_int_equal(list_head(48), C);
    assert_int_equal(list_head(816), R);
    return a;
}

// The corrupted word is put back: the heap is sound again.
#define RESTORE(lvalue, value)                                                                     \
    do {                                                                                           \
        (lvalue) = (value);                                                                        \
        at_check(a);                                                                               \
    } while (0)

// ---- blocks ------------------------------------------------------------------------------------

static void check_finds_a_bad_header(void **state)
{
    struct allocator *a = listed();
    size_t saved = *(size_t *)B;
    set_hdr(B, 48, 2 | 4); // a flag bit tlsf.h does not define
    at_expect_check_fails(a, "bad header");
    set_hdr(B, 16, 2); // under TLSF_MIN_BLOCK
    at_expect_check_fails(a, "bad header");
    set_hdr(B, 2048, 2); // past the sentinel
    at_expect_check_fails(a, "bad header");
    set_hdr(B, 0, 2);
    at_expect_check_fails(a, "bad header");
    RESTORE(*(size_t *)B, saved);
    set_hdr(R, 832, 1); // the last block runs over the sentinel
    at_expect_check_fails(a, "bad header");
    set_hdr(R, 800, 1); // stops short of it (where its tag is not)
    at_expect_check_fails(a, "boundary tag");
    set_hdr(R, 816, 1);
    at_check(a);
}

static void check_finds_a_wrong_previous_is_free_flag(void **state)
{
    struct allocator *a = listed();
    set_hdr(B, 48, 0); // A is free
    at_expect_check_fails(a, "says the block before is in use");
    RESTORE(*(size_t *)B, (48 | 2) ^ TLSF_TAG);
    set_hdr(C, 48, 1 | 2); // B is in use
    at_expect_check_fails(a, "says the block before is free");
    RESTORE(*(size_t *)C, (48 | 1) ^ TLSF_TAG);
    set_hdr(heap.areas[0].end, 0, 0); // the rest is free
    at_expect_check_fails(a, "does not end in its sentinel");
    RESTORE(*(size_t *)heap.areas[0].end, 2 ^ TLSF_TAG);
}

static void check_finds_a_bad_sentinel(void **state)
{
    struct allocator *a = listed();
    uintptr_t e = heap.areas[0].end;
    set_hdr(e, 0, 1 | 2);
    at_expect_check_fails(a, "does not end in its sentinel");
    set_hdr(e, 32, 2);
    at_expect_check_fails(a, "does not end in its sentinel");
    set_hdr(e, 0, 2 | 8); // a flag bit tlsf.h does not define
    at_expect_check_fails(a, "does not end in its sentinel");
    RESTORE(*(size_t *)e, 2 ^ TLSF_TAG);
    void *r = at_alloc_ok(a, 808, 1); // the last block in use: the sentinel must say so
    set_hdr(e, 0, 2);
    at_expect_check_fails(a, "does not end in its sentinel");
    set_hdr(e, 0, 0);
    at_free_ok(a, r, 808, 1);
}

static void check_finds_a_bad_boundary_tag(void **state)
{
    struct allocator *a = listed();
    *tag_at(A) = 32;
    at_expect_check_fails(a, "boundary tag 32, not 48");
    RESTORE(*tag_at(A), 48);
    *tag_at(R) = 0;
    at_expect_check_fails(a, "boundary tag 0, not 816");
    RESTORE(*tag_at(R), 816);
}

static void check_finds_two_free_neighbours(void **state)
{
    struct allocator *a = listed();
    set_hdr(B, 48, 1 | 2); // free, unmerged with A
    set_hdr(C, 48, 1 | 2);
    at_expect_check_fails(a, "follows a free block");
    set_hdr(C, 48, 1);
    RESTORE(*(size_t *)B, (48 | 2) ^ TLSF_TAG);
}

// ---- links -------------------------------------------------------------------------------------

static void check_finds_a_block_missing_from_its_list(void **state)
{
    struct allocator *a = listed();
    links_at(A)[1] = 0; // A says it heads its list; C does
    at_expect_check_fails(a, "free block at");
    at_expect_check_fails(a, "is not linked from its list (0, 3)");
    RESTORE(links_at(A)[1], C);
    links_at(C)[0] = 0; // C's list ends before A
    at_expect_check_fails(a, "is not linked from its list");
    RESTORE(links_at(C)[0], A);
    links_at(C)[0] = R; // C's list goes on to R instead
    at_expect_check_fails(a, "is not linked from its list (0, 3)");
    RESTORE(links_at(C)[0], A);
}

static void check_finds_a_link_that_does_not_link_back(void **state)
{
    struct allocator *a = listed();
    links_at(A)[0] = R; // R's prev is 0, not A
    at_expect_check_fails(a, "which does not link back");
    RESTORE(links_at(A)[0], 0);
    links_at(R)[0] = C;
    at_expect_check_fails(a, "which does not link back");
    RESTORE(links_at(R)[0], 0);
    links_at(A)[0] = A; // A's prev is C, above it
    at_expect_check_fails(a, "which does not link back");
    RESTORE(links_at(A)[0], 0);
}

// Links to memory outside every area, or inside one but off a header position, are not followed.
static void check_does_not_follow_a_link_outside_the_areas_or_misaligned(void **state)
{
    struct allocator *a = listed();
    static _Alignas(16) uintptr_t elsewhere[8];
    uintptr_t bad[] = {
        (uintptr_t)&elsewhere[1], 1,     at_off(1016),   at_off(1000), at_off(1020), at_off(61),
        at_off(64) + 1,           A + 4, UINTPTR_MAX - 7};
    ASAN_POISON_MEMORY_REGION((void *)at_off(1024), 64); // past the region: never read
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        links_at(A)[1] = bad[i];
        at_expect_check_fails(a, "is not linked from its list");
        RESTORE(links_at(A)[1], C);
        links_at(R)[0] = bad[i];
        at_expect_check_fails(a, "which does not link back");
        RESTORE(links_at(R)[0], 0);
        heap.lists[0][3] = bad[i];
        at_expect_check_fails(a, "is not linked from its list");
        RESTORE(heap.lists[0][3], C);
    }
    ASAN_UNPOISON_MEMORY_REGION((void *)at_off(1024), 64);
}

// A list member 16 bytes before the sentinel, marked free, whose 32 bytes would run into it:
// walk_free stops there without reporting it.
static void walk_free_stops_at_a_block_running_into_the_sentinel(void **state)
{
    struct allocator *a = listed();
    uintptr_t f = heap.areas[0].end - 16;
    set_hdr(f, 32, 1); // in R's data
    heap.lists[0][2] = f;
    at_walk_n = 0;
    assert_int_equal(alloc_walk_free(a, at_walk_collect, NULL), E_FORMAT);
    assert_int_equal(at_walk_n, 0);
}

// ---- lists and bitmaps -------------------------------------------------------------------------

static void check_finds_a_bitmap_bit_that_disagrees(void **state)
{
    struct allocator *a = listed();
    heap.sl_map[0] |= 1u << 5;
    at_expect_check_fails(a, "bitmap bit (0, 5) disagrees with its list");
    RESTORE(heap.sl_map[0], 1u << 3);
    heap.sl_map[0] = 0;
    at_expect_check_fails(a, "first-level bit 0 disagrees");
    RESTORE(heap.sl_map[0], 1u << 3);
    heap.fl_map |= 1ull << 7;
    at_expect_check_fails(a, "first-level bit 7 disagrees");
    RESTORE(heap.fl_map, 3);
    heap.sl_map[39] = 1;
    at_expect_check_fails(a, "first-level bit 39 disagrees");
    RESTORE(heap.sl_map[39], 0);
    heap.lists[0][5] = R; // a list holding a block, its bit clear
    at_expect_check_fails(a, "bitmap bit (0, 5) disagrees with its list");
    RESTORE(heap.lists[0][5], 0);
    heap.lists[2][0] = R; // the first list of a level with none
    at_expect_check_fails(a, "bitmap bit (2, 0) disagrees with its list");
    RESTORE(heap.lists[2][0], 0);
}

// fl_map has 64 bits for TLSF_FL first levels: one above them is as broken as any (stats and the
// search would index past sl_map by it).
static void check_finds_a_first_level_bit_above_tlsf_fl(void **state)
{
    struct allocator *a = listed();
    for (unsigned bit = TLSF_FL; bit < 64; bit++) {
        heap.fl_map |= 1ull << bit;
        at_expect_check_fails(a, "first-level bit set above level 39");
        RESTORE(heap.fl_map, 3);
    }
}

// R (816 bytes, class (1, 19)) linked into the list of 48-byte blocks between C and A, its own
// list emptied: every link agrees, but a list holds a block of another class.
static void check_finds_a_list_holding_a_block_of_another_class(void **state)
{
    struct allocator *a = listed();
    links_at(C)[0] = R;
    links_at(R)[1] = C;
    links_at(R)[0] = A;
    links_at(A)[1] = R;
    heap.lists[1][19] = 0;
    heap.sl_map[1] = 0;
    heap.fl_map = 1;
    at_expect_check_fails(a, "of 816 bytes is on list (0, 3)");
}

// A list member whose prev link is not the member before it, where the walk of the blocks cannot
// tell: the link leads to a live block whose first word of data points back at the member.
static void check_finds_a_list_member_whose_prev_link_is_not_the_member_before(void **state)
{
    struct allocator *a = listed();
    char what[80];
    links_at(C)[1] = B; // C heads its list, yet says B is before it
    links_at(B)[0] = C;
    snprintf(what, sizeof(what), "list (0, 3) holds %#lx,", (unsigned long)C);
    at_expect_check_fails(a, what);
    RESTORE(links_at(C)[1], 0);
    // A forged free block F of 48 bytes in D's data, listed between C and A: F's links agree
    // with C's, and A says B (below F) is before it. The walk of the blocks never meets F, and
    // finds A's prev link answered by B's data; the free-block counts still agree up to A.
    uintptr_t F = D + 16;
    set_hdr(F, 48, 1);
    links_at(F)[0] = A;
    links_at(F)[1] = C;
    links_at(C)[0] = F;
    links_at(A)[1] = B;
    links_at(B)[0] = A;
    snprintf(what, sizeof(what), "list (0, 3) holds %#lx,", (unsigned long)A);
    at_expect_check_fails(a, what);
}

// Free blocks W (32 bytes, class (0, 2)), X and Z (48, class (0, 3)), Y and V (560, class (1, 3)),
// each followed by a live 32-byte block, and the free rest: the lists (0, 2) W, (0, 3) Z X,
// (1, 3) V Y. classes[] below moves one block onto another list of the same first or second
// level.
static uintptr_t W, X, Y, Z, V;

static struct allocator *five_classes(void)
{
    struct allocator *a = make(0, 4096);
    static const size_t sizes[] = {24, 40, 40, 552, 552};
    void *p[5];
    for (size_t i = 0; i < 5; i++) {
        p[i] = at_alloc_ok(a, sizes[i], 1);
        at_alloc_ok(a, 8, 1);
    }
    for (size_t i = 0; i < 5; i++)
        at_free_ok(a, p[i], sizes[i], 1);
    W = block_of(p[0]), X = block_of(p[1]), Z = block_of(p[2]), Y = block_of(p[3]);
    V = block_of(p[4]);
    assert_int_equal(list_head(32), W);
    assert_int_equal(list_head(48), Z);
    assert_int_equal(list_head(560), V);
    assert_int_equal(links_at(Z)[0], X);
    assert_int_equal(links_at(V)[0], Y);
    return a;
}

// Links b after `after` on its list (after's next moves behind b) and takes it off its own, where
// it is last (and first when it is alone).
static void relink(uintptr_t b, uintptr_t after)
{
    uintptr_t prev = links_at(b)[1];
    if (prev != 0) {
        links_at(prev)[0] = 0;
    } else {
        unsigned fl, sl;
        class_of(size_at(b), &fl, &sl);
        heap.lists[fl][sl] = 0;
        heap.sl_map[fl] &= ~(1u << sl);
        heap.fl_map &= heap.sl_map[fl] != 0 ? ~0ull : ~(1ull << fl);
    }
    uintptr_t next = links_at(after)[0];
    links_at(b)[0] = next;
    links_at(b)[1] = after;
    links_at(after)[0] = b;
    if (next != 0)
        links_at(next)[1] = b;
}

static const struct {
    const char *what;
    uintptr_t *b, *after;
    size_t walked; // spans walk_free reports before b
} classes[] = {
    {"of 560 bytes is on list (0, 3)", &Y, &Z, 2}, // a higher first level
    {"of 48 bytes is on list (1, 3)", &X, &Y, 4},  // a lower one (V Y X)
    {"of 32 bytes is on list (0, 3)", &W, &Z, 1},  // a lower second level
    {"of 48 bytes is on list (0, 2)", &X, &W, 1},  // a higher one
};

// A block on the list of another class whose links all agree: check() names it, walk_free stops
// there, whichever level differs and in whichever direction.
static void a_block_on_a_list_of_another_class_is_found_at_either_level(void **state)
{
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        struct allocator *a = five_classes();
        relink(*classes[i].b, *classes[i].after);
        char what[80];
        snprintf(what, sizeof(what), "block at %#lx %s", (unsigned long)*classes[i].b,
                 classes[i].what);
        at_expect_check_fails(a, what);
        at_walk_n = 0;
        assert_int_equal(alloc_walk_free(a, at_walk_collect, NULL), E_FORMAT);
        assert_int_equal(at_walk_n, classes[i].walked);
    }
}

static void check_finds_a_list_holding_no_free_block(void **state)
{
    struct allocator *a = listed();
    static _Alignas(16) uintptr_t elsewhere[8];
    uintptr_t bad[] = {B, D, (uintptr_t)&elsewhere[1], at_off(1016)};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        heap.lists[0][5] = bad[i];
        heap.sl_map[0] |= 1u << 5;
        at_expect_check_fails(a, "tlsf: list (0, 5) holds");
        heap.lists[0][5] = 0;
        RESTORE(heap.sl_map[0], 1u << 3);
    }
}

// A and C linked only to each other, in a ring no list reaches: the walk finds their links
// agree, the lists hold one block fewer than the areas.
static void check_finds_free_blocks_no_list_holds(void **state)
{
    struct allocator *a = listed();
    links_at(A)[0] = links_at(A)[1] = C;
    links_at(C)[0] = links_at(C)[1] = A;
    heap.lists[0][3] = 0;
    heap.sl_map[0] = 0;
    heap.fl_map = 2;
    at_expect_check_fails(a, "the lists hold 1 blocks, the areas 3 free ones");
}

// ---- counters, areas ---------------------------------------------------------------------------

static void check_finds_counters_that_disagree(void **state)
{
    struct allocator *a = listed();
    heap.free_blocks++;
    at_expect_check_fails(a, "counters say 4 free blocks");
    RESTORE(heap.free_blocks, 3);
    heap.free_bytes += 16;
    at_expect_check_fails(a, "counters say");
    RESTORE(heap.free_bytes, 912);
    heap.in_use -= 48;
    at_expect_check_fails(a, "counters say");
    RESTORE(heap.in_use, 96);
    heap.allocations = 3;
    at_expect_check_fails(a, "counters say");
    RESTORE(heap.allocations, 2);
    heap.used = 97; // more than the bytes of the live blocks
    at_expect_check_fails(a, "disagree");
    RESTORE(heap.used, 80);
    heap.peak_used = 79;
    at_expect_check_fails(a, "disagree");
    RESTORE(heap.peak_used, 160);
    heap.used = 1; // fewer bytes than allocations
    heap.peak_used = 1;
    at_expect_check_fails(a, "disagree");
}

static void check_finds_bad_area_bounds(void **state)
{
    struct allocator *a = listed();
    struct tlsf_area saved = heap.areas[0];
    heap.areas[0].lo += 8;
    at_expect_check_fails(a, "area 0 has bad bounds");
    heap.areas[0].lo = saved.lo + 1;
    at_expect_check_fails(a, "area 0 has bad bounds");
    heap.areas[0] = saved;
    heap.areas[0].end -= 15;
    at_expect_check_fails(a, "area 0 has bad bounds");
    heap.areas[0] = saved;
    heap.areas[0].end -= 8;
    at_expect_check_fails(a, "area 0 has bad bounds");
    heap.areas[0] = saved;
    heap.areas[0].raw_end = saved.end + 7; // the sentinel runs past the area
    at_expect_check_fails(a, "area 0 has bad bounds");
    heap.areas[0] = saved;
    heap.areas[0].end = saved.lo - 16;
    at_expect_check_fails(a, "area 0 has bad bounds");
    heap.areas[0] = saved;
    heap.areas[0].raw_end = saved.start - 1;
    at_expect_check_fails(a, "area 0 has bad bounds");
    heap.areas[0] = saved;
    heap.areas[0].end -= 16; // a sound position, but no sentinel there
    at_expect_check_fails(a, "tlsf:");
    RESTORE(heap.areas[0], saved);
    heap.nareas = 0;
    at_expect_check_fails(a, "tlsf: 0 areas");
    heap.nareas = TLSF_MAX_AREAS + 1;
    at_expect_check_fails(a, "areas");
    heap.nareas = 2; // an area never set up
    at_expect_check_fails(a, "area 1 has bad bounds");
    RESTORE(heap.nareas, 1);
}

// ---- every word --------------------------------------------------------------------------------

// What a word becomes: bit flips in the flags and the size, a block's step, zero, all ones, and
// links: misaligned into the area, a used block, a free block's links, another free block.
static size_t corrupted(size_t w, unsigned k)
{
    switch (k) {
    case 0: return w ^ 1;
    case 1: return w ^ 2;
    case 2: return w ^ 8;
    case 3: return w ^ 16;
    case 4: return w + 48;
    case 5: return w - 48;
    case 6: return w ^ (TLSF_MAX_AREA >> 6); // 2^40 (2^24 where size_t has 32 bits)
    case 7: return 0;
    case 8: return ~w;
    case 9: return at_off(61);
    case 10: return B;
    case 11: return R + 8;
    default: return C;
    }
}

#define CORRUPTIONS 13

// Every word of the region, corrupted each way in turn: check() never crashes (a bad read
// would abort the program), and a corrupted header of a block, free block's tag or link, is found.
static void check_survives_any_word_of_the_region_corrupted(void **state)
{
    struct allocator *a = listed();
    // A free block's header, next and prev links, boundary tag (the last word); used ones' headers.
    const size_t next = TLSF_HEADER, prev = TLSF_HEADER + sizeof(uintptr_t), tag = sizeof(size_t);
    uintptr_t watched[] = {A, A + next, A + prev, A + 48 - tag,  B,
                           C, C + next, C + prev, C + 48 - tag,  D,
                           R, R + next, R + prev, R + 816 - tag, heap.areas[0].end};
    for (uintptr_t p = heap.areas[0].lo; p <= heap.areas[0].end; p += sizeof(size_t)) {
        size_t saved = *(size_t *)p;
        bool must_find = false;
        for (size_t i = 0; i < sizeof(watched) / sizeof(watched[0]); i++)
            must_find |= watched[i] == p;
        for (unsigned k = 0; k < CORRUPTIONS; k++) {
            if (corrupted(saved, k) == saved)
                continue;
            *(size_t *)p = corrupted(saved, k);
            char msg[200];
            int rc = alloc_check(a, msg, sizeof(msg));
            if (must_find && rc != E_FORMAT)
                fail_msg("+%zu: %#zx -> %#zx not found", off(p), saved, corrupted(saved, k));
            assert_true(rc == 0 || rc == E_FORMAT);
            *(size_t *)p = saved;
        }
    }
    at_check(a);
}

// *word corrupted in each of the ways given, in turn, is found.
static void assert_found(struct allocator *a, size_t *word, const unsigned *ways, size_t n)
{
    size_t saved = *word;
    for (size_t i = 0; i < n; i++) {
        *word = corrupted(saved, ways[i]);
        char msg[200];
        if (*word != saved && alloc_check(a, msg, sizeof(msg)) != E_FORMAT)
            fail_msg("%#zx -> %#zx not found", saved, *word);
        *word = saved;
    }
}

// Every word of the counters and of the lists (each way that makes a link wrong), and every
// bitmap bit, corrupted in turn, is found.
static void check_finds_any_word_of_the_lists_bitmaps_and_counters_corrupted(void **state)
{
    struct allocator *a = listed();
    static const unsigned every_way[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    static const unsigned link_ways[] = {0, 9, 10, 12};
    size_t *counters[] = {&heap.free_bytes, &heap.free_blocks, &heap.in_use, &heap.allocations};
    for (size_t i = 0; i < 4; i++)
        assert_found(a, counters[i], every_way, CORRUPTIONS);
    for (unsigned fl = 0; fl < TLSF_FL; fl++) {
        for (unsigned sl = 0; sl < TLSF_SL; sl++)
            assert_found(a, (size_t *)&heap.lists[fl][sl], link_ways, 4);
    }
    for (unsigned bit = 0; bit < 64; bit++) {
        heap.fl_map ^= 1ull << bit;
        at_expect_check_fails(a, "first-level bit");
        heap.fl_map ^= 1ull << bit;
    }
    for (unsigned fl = 0; fl < TLSF_FL; fl++) {
        for (unsigned bit = 0; bit < 32; bit++) {
            heap.sl_map[fl] ^= 1u << bit;
            at_expect_check_fails(a, "tlsf:");
            heap.sl_map[fl] ^= 1u << bit;
        }
    }
    at_check(a);
}

// ---- the message, panics -----------------------------------------------------------------------

static void check_truncates_its_message_to_cap(void **state)
{
    struct allocator *a = listed();
    *tag_at(A) = 32;
    at_expect_check_truncates(a);
    *tag_at(A) = 48;
    assert_int_equal(alloc_check(a, NULL, 0), 0);
    char msg[2] = "##";
    assert_int_equal(alloc_check(a, msg, 1), 0);
    assert_memory_equal(msg, "\0#", 2);
}

static void null_arguments_and_a_wrapping_region_panic(void **state)
{
    struct tlsf_heap h;
    expect_assert_failure(tlsf_init(NULL, at_region(0, 64), 64));
    expect_assert_failure(tlsf_init(&h, NULL, 64));
    expect_assert_failure(tlsf_init(&h, (void *)(UINTPTR_MAX - 100), 200));
    assert_non_null(strstr(mock_panic_message(), "tlsf_init"));
    struct allocator *a = make(0, 64);
    at_null_allocator_panics(a);
    expect_assert_failure(tlsf_fits(NULL, 1, 1));
}

// A region may end at the last address: at the top of the address space, an empty one is taken
// (it holds no block, so nothing is written); one more byte wraps, and one starting a byte higher
// lies in the last TLSF_GRAIN + TLSF_HEADER bytes, which tlsf.h refuses.
static void a_region_may_reach_the_top_of_the_address_space(void **state)
{
    struct tlsf_heap h;
    uintptr_t top = UINTPTR_MAX - TLSF_GRAIN - TLSF_HEADER;
    mock_hw_reset();
    assert_int_equal(tlsf_init(&h, (void *)top, 0), 0);
    assert_int_equal(h.areas[0].end, 0);
    assert_int_equal(alloc_check(&h.base, NULL, 0), 0);
    assert_null(alloc_alloc(&h.base, 1, 1));
    assert_int_equal(alloc_grow(&h.base, UINTPTR_MAX - top + 1), E_RANGE);
    expect_assert_failure(tlsf_init(&h, (void *)top, UINTPTR_MAX - top + 1));
    expect_assert_failure(tlsf_init(&h, (void *)(top + 1), 0));
    make(0, 4096);
    assert_int_equal(tlsf_add_area(&heap, (void *)top, 0), 0);
    at_check(&heap.base);
    assert_int_equal(tlsf_add_area(&heap, (void *)top, UINTPTR_MAX - top + 1), E_RANGE);
    assert_int_equal(tlsf_add_area(&heap, (void *)(top + 1), 0), E_RANGE);
    assert_int_equal(heap.nareas, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        AT_TEST(check_finds_a_bad_header),
        AT_TEST(check_finds_a_wrong_previous_is_free_flag),
        AT_TEST(check_finds_a_bad_sentinel),
        AT_TEST(check_finds_a_bad_boundary_tag),
        AT_TEST(check_finds_two_free_neighbours),
        AT_TEST(check_finds_a_block_missing_from_its_list),
        AT_TEST(check_finds_a_link_that_does_not_link_back),
        AT_TEST(check_does_not_follow_a_link_outside_the_areas_or_misaligned),
        AT_TEST(walk_free_stops_at_a_block_running_into_the_sentinel),
        AT_TEST(check_finds_a_bitmap_bit_that_disagrees),
        AT_TEST(check_finds_a_first_level_bit_above_tlsf_fl),
        AT_TEST(check_finds_a_list_holding_a_block_of_another_class),
        AT_TEST(check_finds_a_list_member_whose_prev_link_is_not_the_member_before),
        AT_TEST(a_block_on_a_list_of_another_class_is_found_at_either_level),
        AT_TEST(check_finds_a_list_holding_no_free_block),
        AT_TEST(check_finds_free_blocks_no_list_holds),
        AT_TEST(check_finds_counters_that_disagree),
        AT_TEST(check_finds_bad_area_bounds),
        AT_TEST(check_survives_any_word_of_the_region_corrupted),
        AT_TEST(check_finds_any_word_of_the_lists_bitmaps_and_counters_corrupted),
        AT_TEST(check_truncates_its_message_to_cap),
        AT_TEST(null_arguments_and_a_wrapping_region_panic),
        AT_TEST(a_region_may_reach_the_top_of_the_address_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
