// Length boundaries of the allocators' check(msg, cap) (core/alloc/alloc.h): for each design, a
// broken invariant's message at every capacity from 0 to its length + 2, always E_FORMAT; and a
// sound heap's "" at capacities 0 and 1 (msg NULL with cap 0 allowed, nothing written then).
#include "core/alloc/alloc.h"
#include "core/alloc/bump.h"
#include "core/alloc/fixed_block.h"
#include "core/alloc/linked_list.h"
#include "core/alloc/tlsf.h"
#include "core/err.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define DESIGNS 4

static _Alignas(4096) unsigned char region[8192];
static struct bump_heap bump;
static struct ll_heap ll;
static struct fsb_heap fsb;
static struct tlsf_heap tlsf;

// Design d (0 bump, 1 linked_list, 2 fixed_block, 3 tlsf) over the region, with one live 16-byte
// block.
static struct allocator *heap_with_one_block(int d)
{
    mock_hw_reset();
    struct allocator *a;
    if (d == 0) {
        assert_int_equal(bump_init(&bump, region, sizeof(region)), 0);
        a = &bump.base;
    } else if (d == 1) {
        assert_int_equal(ll_init(&ll, region, sizeof(region)), 0);
        a = &ll.base;
    } else if (d == 2) {
        assert_int_equal(fsb_init(&fsb, region, sizeof(region)), 0);
        a = &fsb.base;
    } else {
        assert_int_equal(tlsf_init(&tlsf, region, sizeof(region)), 0);
        a = &tlsf.base;
    }
    assert_non_null(alloc_alloc(a, 16, 1));
    return a;
}

// The same heap with peak_used below used: a broken invariant every design reports.
static struct allocator *broken_heap(int d)
{
    struct allocator *a = heap_with_one_block(d);
    size_t *peak = d == 0   ? &bump.peak_used
                   : d == 1 ? &ll.peak_used
                   : d == 2 ? &fsb.peak_used
                            : &tlsf.peak_used;
    *peak = 1;
    return a;
}

static void broken_heap_message_is_cut_at_every_cap(void **state)
{
    for (int d = 0; d < DESIGNS; d++) {
        struct allocator *a = broken_heap(d);
        char full[256];
        assert_int_equal(alloc_check(a, full, sizeof(full)), E_FORMAT);
        size_t len = strlen(full);
        assert_true(len > 0 && len < sizeof(full) - 1);
        assert_non_null(strstr(full, "peak"));
        assert_int_equal(alloc_check(a, NULL, 0), E_FORMAT);
        for (size_t cap = 1; cap <= len + 2; cap++) {
            char *msg = malloc(cap); // exactly cap bytes: the address sanitizer sees a write past
            memset(msg, '#', cap);
            assert_int_equal(alloc_check(a, msg, cap), E_FORMAT);
            size_t kept = cap - 1 < len ? cap - 1 : len;
            assert_memory_equal(msg, full, kept);
            assert_int_equal(msg[kept], '\0');
            free(msg);
        }
    }
}

static void sound_heap_gives_an_empty_message_at_caps_0_and_1(void **state)
{
    for (int d = 0; d < DESIGNS; d++) {
        struct allocator *a = heap_with_one_block(d);
        char msg[2] = "##";
        assert_int_equal(alloc_check(a, NULL, 0), 0);
        assert_int_equal(alloc_check(a, msg, 0), 0);
        assert_memory_equal(msg, "##", 2);
        assert_int_equal(alloc_check(a, msg, 1), 0);
        assert_memory_equal(msg, "\0#", 2);
    }
}

static void broken_heap_writes_nothing_at_cap_0(void **state)
{
    for (int d = 0; d < DESIGNS; d++) {
        struct allocator *a = broken_heap(d);
        char msg[2] = "##";
        assert_int_equal(alloc_check(a, msg, 0), E_FORMAT);
        assert_memory_equal(msg, "##", 2);
        assert_int_equal(alloc_check(a, msg, 1), E_FORMAT);
        assert_memory_equal(msg, "\0#", 2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(broken_heap_message_is_cut_at_every_cap),
        cmocka_unit_test(sound_heap_gives_an_empty_message_at_caps_0_and_1),
        cmocka_unit_test(broken_heap_writes_nothing_at_cap_0),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
