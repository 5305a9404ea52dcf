// Tests for core/cmdline.c found by test/fuzz/fuzz_cmdline.c: a key that holds '=' is no word's
// key (a word's key ends at its first '='), for every accessor. Before the fix, the key "a=b"
// matched the word "a=b=c" (whose key is "a") and read "c", and the word "a=b" as a bare key.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/cmdline.h"
#include "core/err.h"

static void a_key_with_an_equals_sign_is_found_nowhere(void **state)
{
    char buf[16] = "untouched";
    assert_int_equal(cmdline_get("console=ttyS0", "console=ttyS0", buf, sizeof(buf)), E_NOENT);
    assert_int_equal(cmdline_get("a=b=c", "a=b", buf, sizeof(buf)), E_NOENT);
    assert_int_equal(cmdline_get("x= a=b", "x=", buf, sizeof(buf)), E_NOENT);
    assert_int_equal(cmdline_get("=1", "=", buf, sizeof(buf)), E_NOENT);
    // The word's own key still finds it, with everything after the first '=' as its value.
    assert_int_equal(cmdline_get("a=b=c", "a", buf, sizeof(buf)), 3);
    assert_string_equal(buf, "b=c");
}

static void u32_with_an_equals_sign_in_the_key_is_not_found(void **state)
{
    uint32_t v = 7;
    assert_int_equal(cmdline_get_u32("hz=x=100", "hz=x", &v), E_NOENT);
    assert_int_equal(v, 7);
}

static void a_known_key_with_an_equals_sign_knows_no_word(void **state)
{
    static const char *const known[] = {"a=b", "k=1"};
    const char *cursor = "a=b k=1 a=b=c", *word = NULL;
    assert_int_equal(cmdline_next_unknown(&cursor, known, 2, &word), 3);
    assert_memory_equal(word, "a=b", 3);
    assert_int_equal(cmdline_next_unknown(&cursor, known, 2, &word), 3);
    assert_memory_equal(word, "k=1", 3);
    assert_int_equal(cmdline_next_unknown(&cursor, known, 2, &word), 5);
    assert_memory_equal(word, "a=b=c", 5);
    assert_int_equal(cmdline_next_unknown(&cursor, known, 2, &word), 0);
}

// The key ends where the word's character after it is '=' or the word ends; a longer key whose
// next character sorts below '=' (a digit, '.') is another key.
static void a_longer_key_whose_next_character_sorts_below_equals_is_another_key(void **state)
{
    char buf[8];
    assert_int_equal(cmdline_get("hz1=5 hz.=6", "hz", buf, sizeof(buf)), E_NOENT);
    assert_int_equal(cmdline_get("hz1=5 hz=6", "hz", buf, sizeof(buf)), 1);
    assert_string_equal(buf, "6");
}

// A key that starts with '=' matches no word, not even one written the same.
static void a_key_starting_with_equals_matches_no_word(void **state)
{
    char buf[16] = "untouched";
    assert_int_equal(cmdline_get("=a", "=a", buf, sizeof(buf)), E_NOENT);
    assert_string_equal(buf, "untouched");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_key_with_an_equals_sign_is_found_nowhere),
        cmocka_unit_test(u32_with_an_equals_sign_in_the_key_is_not_found),
        cmocka_unit_test(a_known_key_with_an_equals_sign_knows_no_word),
        cmocka_unit_test(a_longer_key_whose_next_character_sorts_below_equals_is_another_key),
        cmocka_unit_test(a_key_starting_with_equals_matches_no_word),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
