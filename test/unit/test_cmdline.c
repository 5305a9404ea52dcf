// Tests for core/cmdline.c: key look-up, bare keys, truncation, numbers, finding the words no
// known key matches, and bad calls.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

static const char *const known[] = {"alloc", "heap_max", "quiet"};

// Collects the unknown words of line into one string, each followed by '|'.
static const char *unknown_words(const char *line, const char *const *keys, size_t n)
{
    static char out[128];
    size_t used = 0, len;
    const char *cursor = line, *word;
    while ((len = cmdline_next_unknown(&cursor, keys, n, &word)) != 0) {
        assert_true(word >= line && word + len <= line + strlen(line));
        assert_true(used + len + 2 <= sizeof(out));
        memcpy(out + used, word, len);
        out[used + len] = '|';
        used += len + 1;
    }
    out[used] = '\0';
    assert_ptr_equal(cursor, line + strlen(line)); // the scan went to the end
    return out;
}

static void unknown_words_are_found_in_order(void **state)
{
    assert_string_equal(unknown_words("alloc=bump bogus heap_max=4 x=1 quiet", known, 3),
                        "bogus|x=1|");
    assert_string_equal(unknown_words("  timer-hz=100   alloc  ", known, 3), "timer-hz=100|");
    // A key must match whole: prefixes and extensions of known keys are unknown.
    assert_string_equal(unknown_words("allocator=x alloc_x heap quiet=", known, 3),
                        "allocator=x|alloc_x|heap|");
    assert_string_equal(unknown_words("=1 =", known, 3), "=1|=|");
}

static void nothing_unknown_in_a_known_or_empty_line(void **state)
{
    assert_string_equal(unknown_words("", known, 3), "");
    assert_string_equal(unknown_words("    ", known, 3), "");
    assert_string_equal(unknown_words("quiet alloc=fixed_block heap_max=100", known, 3), "");
    const char *cursor = "", *word = "untouched";
    assert_int_equal(cmdline_next_unknown(&cursor, known, 3, &word), 0);
    assert_string_equal(word, "untouched");
}

static void with_no_known_keys_every_word_is_unknown(void **state)
{
    static const char *const empty_key[] = {""};
    assert_string_equal(unknown_words("a b=1", NULL, 0), "a|b=1|");
    assert_string_equal(unknown_words("a =1", empty_key, 1), "a|=1|");
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
    const char *cursor = "k=1", *none = NULL, *word;
    expect_assert_failure(cmdline_next_unknown(NULL, known, 3, &word));
    expect_assert_failure(cmdline_next_unknown(&none, known, 3, &word));
    expect_assert_failure(cmdline_next_unknown(&cursor, known, 3, NULL));
    expect_assert_failure(cmdline_next_unknown(&cursor, NULL, 1, &word));
    static const char *const null_key[] = {"a", NULL};
    cursor = "k=1";
    expect_assert_failure(cmdline_next_unknown(&cursor, null_key, 2, &word));
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
        cmocka_unit_test(unknown_words_are_found_in_order),
        cmocka_unit_test(nothing_unknown_in_a_known_or_empty_line),
        cmocka_unit_test(with_no_known_keys_every_word_is_unknown),
        cmocka_unit_test(null_arguments_are_caller_bugs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
