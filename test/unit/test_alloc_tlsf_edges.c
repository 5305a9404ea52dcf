// Tests for two edges of core/alloc/tlsf.c found while fixed_block moved onto it: tiny regions (0
// to 63 bytes, at every offset past a 16-byte boundary), where check() passes as made (the first
// header position may lie past the end of a region of a few bytes), alloc serves what stats say
// and a grow makes them usable; and grow(0), a no-op (core/alloc/alloc.h) even when bytes a
// smaller grow left pending could now join a free last block.
#include "core/alloc/alloc.h"
#include "core/alloc/tlsf.h"
#include "core/err.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static _Alignas(4096) unsigned char arena[4096];
static struct tlsf_heap heap;

static void expect_sound(size_t offset, size_t size)
{
    char msg[160];
    int rc = alloc_check(&heap.base, msg, sizeof(msg));
    if (rc != 0)
        fail_msg("region of %zu bytes at offset %zu: %s", size, offset, msg);
}

// A block takes 32 bytes, the sentinel 8 more, and the first header sits 8 below a multiple of 16:
// under 40 bytes no region holds a block, and at 4096-aligned ones under 48 none does.
static void tiny_regions_pass_check_and_serve_what_stats_say(void **state)
{
    for (size_t offset = 0; offset < 16; offset++) {
        for (size_t size = 0; size < 64; size++) {
            mock_hw_reset();
            assert_int_equal(tlsf_init(&heap, arena + offset, size), 0);
            expect_sound(offset, size);
            struct alloc_stats st;
            alloc_stats(&heap.base, &st);
            if (size < 40 || (offset == 0 && size < 48))
                assert_int_equal(st.free, 0);
            void *p = alloc_alloc(&heap.base, 1, 1);
            assert_true((p != NULL) == (st.largest_free > 0));
            expect_sound(offset, size);
            if (p != NULL)
                assert_int_equal(alloc_free(&heap.base, p, 1, 1), 0);
        }
    }
}

static void a_grown_tiny_region_serves(void **state)
{
    for (size_t offset = 0; offset < 16; offset++) {
        mock_hw_reset();
        assert_int_equal(tlsf_init(&heap, arena + offset, 0), 0);
        assert_int_equal(alloc_grow(&heap.base, 1024), 0);
        expect_sound(offset, 1024);
        void *p = alloc_alloc(&heap.base, 900, 1);
        assert_non_null(p);
        assert_int_equal(alloc_free(&heap.base, p, 900, 1), 0);
        expect_sound(offset, 1024);
    }
}

// A full heap grown by 16 bytes (too few for a block after a live one: pending), then its block
// freed: grow(0) changes nothing; the next grow takes the pending bytes along.
static void grow_by_zero_is_a_no_op_with_bytes_pending(void **state)
{
    mock_hw_reset();
    assert_int_equal(tlsf_init(&heap, arena, 1024), 0);
    void *p = alloc_alloc(&heap.base, 1000, 1); // the 1008-byte block, whole
    assert_non_null(p);
    assert_int_equal(alloc_grow(&heap.base, 16), 0);
    assert_int_equal(alloc_free(&heap.base, p, 1000, 1), 0);
    static struct tlsf_heap before;
    memcpy(&before, &heap, sizeof(heap));
    assert_int_equal(alloc_grow(&heap.base, 0), 0);
    assert_memory_equal(&before, &heap, sizeof(heap));
    expect_sound(0, 1040);
    assert_int_equal(alloc_grow(&heap.base, 16), 0);
    struct alloc_stats st;
    alloc_stats(&heap.base, &st);
    assert_int_equal(st.free, 1008 + 32 - 8);
    expect_sound(0, 1056);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tiny_regions_pass_check_and_serve_what_stats_say),
        cmocka_unit_test(a_grown_tiny_region_serves),
        cmocka_unit_test(grow_by_zero_is_a_no_op_with_bytes_pending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
