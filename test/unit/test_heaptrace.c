// Tests for core/heaptrace.c: each op's record line, exactly as docs/heap-trace.md describes it,
// the longest line fitting HTRACE_LINE_MAX, and the caller bugs that panic.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/heaptrace.h"

static char line[HTRACE_LINE_MAX];

static void each_op_has_its_word(void **state)
{
    assert_string_equal(htrace_op_name(HTRACE_ALLOC), "alloc");
    assert_string_equal(htrace_op_name(HTRACE_FREE), "free");
    assert_string_equal(htrace_op_name(HTRACE_GROW), "grow");
    assert_null(htrace_op_name((enum htrace_op)3));
}

static void an_alloc_line_holds_the_block_or_0x0(void **state)
{
    assert_int_equal(htrace_format(line, sizeof(line), HTRACE_ALLOC, 24, 8, 0xffffa00000000020, 0),
                     strlen("alloc 24 8 0xffffa00000000020 0\n"));
    assert_string_equal(line, "alloc 24 8 0xffffa00000000020 0\n");
    htrace_format(line, sizeof(line), HTRACE_ALLOC, 16, 3, 0, 0);
    assert_string_equal(line, "alloc 16 3 0x0 0\n");
}

static void a_free_line_holds_its_answer(void **state)
{
    htrace_format(line, sizeof(line), HTRACE_FREE, 116, 16, 0xABC0, -1);
    assert_string_equal(line, "free 116 16 0xabc0 -1\n");
}

static void a_grow_line_holds_the_bytes_gained(void **state)
{
    htrace_format(line, sizeof(line), HTRACE_GROW, 0, 0, 0xffffa00000000000, 102400);
    assert_string_equal(line, "grow 0 0 0xffffa00000000000 102400\n");
}

static void the_longest_line_fits(void **state)
{
    const char *want = "alloc 18446744073709551615 18446744073709551615 0xffffffffffffffff "
                       "-9223372036854775808\n";
    assert_int_equal(htrace_format(line, sizeof(line), HTRACE_ALLOC, UINT64_MAX, UINT64_MAX,
                                   UINT64_MAX, INT64_MIN),
                     strlen(want));
    assert_string_equal(line, want);
    assert_true(strlen(want) < HTRACE_LINE_MAX);
}

static void a_bigger_buffer_takes_the_same_line(void **state)
{
    char big[HTRACE_LINE_MAX + 32];
    assert_int_equal(htrace_format(big, sizeof(big), HTRACE_GROW, 1, 2, 3, 4), 15);
    assert_string_equal(big, "grow 1 2 0x3 4\n");
}

static void the_header_names_format_and_version(void **state)
{
    assert_string_equal(HTRACE_HEADER, "heaptrace 1\n");
    assert_int_equal(HTRACE_VERSION, 1);
}

static void caller_bugs_panic(void **state)
{
    expect_assert_failure(htrace_format(NULL, 96, HTRACE_ALLOC, 8, 8, 0, 0));
    expect_assert_failure(htrace_format(line, HTRACE_LINE_MAX - 1, HTRACE_ALLOC, 8, 8, 0, 0));
    expect_assert_failure(htrace_format(line, sizeof(line), (enum htrace_op)3, 8, 8, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_op_has_its_word),
        cmocka_unit_test(an_alloc_line_holds_the_block_or_0x0),
        cmocka_unit_test(a_free_line_holds_its_answer),
        cmocka_unit_test(a_grow_line_holds_the_bytes_gained),
        cmocka_unit_test(the_longest_line_fits),
        cmocka_unit_test(a_bigger_buffer_takes_the_same_line),
        cmocka_unit_test(the_header_names_format_and_version),
        cmocka_unit_test(caller_bugs_panic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
