// Tests for core/cmdline.c: key look-up, bare keys, truncation, numbers and bad calls.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/cmdline.h"
#include "core/err.h"
#include "platform/host/mock_hw.h"

static void finds_a_value_anywhere_in_the_line(void **state)
{
    char buf[32];
    const char *line = "quiet alloc=bump timer_hz=1000";
    assert_int_equal(cmdline_get(line, "alloc", buf, sizeof(buf)), 4);
    assert_string_equal(buf, "bump");
    assert_int_equal(cmdline_get(line, "timer_hz", buf, sizeof(buf)), 4);
    assert_string_equal(buf, "1000");
}

static void bare_key_has_an_empty_value(void **state)
{
    char buf[8] = "x";
    assert_int_equal(cmdline_get("quiet alloc=bump", "quiet", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
}

static void key_must_match_the_whole_key(void **state)
{
    char buf[8];
    assert_int_equal(cmdline_get("allocator=x alloc_x=y", "alloc", buf, sizeof(buf)), E_NOENT);
    assert_int_equal(cmdline_get("", "alloc", buf, sizeof(buf)), E_NOENT);
    assert_int_equal(cmdline_get("   ", "alloc", buf, sizeof(buf)), E_NOENT);
}

static void first_occurrence_wins_and_spaces_repeat(void **state)
{
    char buf[8];
    assert_int_equal(cmdline_get("  a=1   a=2 ", "a", buf, sizeof(buf)), 1);
    assert_string_equal(buf, "1");
}

static void value_too_long_is_cut_and_reported(void **state)
{
    char buf[4];
    assert_int_equal(cmdline_get("k=abcdef", "k", buf, sizeof(buf)), E_TOOBIG);
    assert_string_equal(buf, "abc");
    assert_int_equal(cmdline_get("k=abc", "k", NULL, 0), E_TOOBIG);
    assert_int_equal(cmdline_get("k=", "k", NULL, 0), E_TOOBIG);
}

static void numbers_parse_and_bad_ones_are_reported(void **state)
{
    uint32_t v = 7;
    assert_int_equal(cmdline_get_u32("hz=100", "hz", &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(cmdline_get_u32("hz=4294967295", "hz", &v), 0);
    assert_int_equal(v, UINT32_MAX);
    v = 7;
    assert_int_equal(cmdline_get_u32("hz=4294967296", "hz", &v), E_RANGE);
    assert_int_equal(cmdline_get_u32("hz=99999999999999999999999999999999999", "hz", &v), E_RANGE);
    assert_int_equal(cmdline_get_u32("hz=12a", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz=-1", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz=", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("hz=abcdefghijklmnopqrstuvwxyzabcdefghij", "hz", &v), E_INVAL);
    assert_int_equal(cmdline_get_u32("x=1", "hz", &v), E_NOENT);
    assert_int_equal(v, 7); // untouched by every failure
}

static void null_arguments_are_caller_bugs(void **state)
{
    char buf[4];
    uint32_t v;
    mock_hw_reset();
    expect_assert_failure(cmdline_get(NULL, "k", buf, sizeof(buf)));
    expect_assert_failure(cmdline_get("k=1", NULL, buf, sizeof(buf)));
    expect_assert_failure(cmdline_get("k=1", "", buf, sizeof(buf)));
    expect_assert_failure(cmdline_get("k=1", "k", NULL, 4));
    expect_assert_failure(cmdline_get_u32("k=1", "k", NULL));
    (void)v;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_a_value_anywhere_in_the_line),
        cmocka_unit_test(bare_key_has_an_empty_value),
        cmocka_unit_test(key_must_match_the_whole_key),
        cmocka_unit_test(first_occurrence_wins_and_spaces_repeat),
        cmocka_unit_test(value_too_long_is_cut_and_reported),
        cmocka_unit_test(numbers_parse_and_bad_ones_are_reported),
        cmocka_unit_test(null_arguments_are_caller_bugs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
