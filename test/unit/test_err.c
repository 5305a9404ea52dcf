// Tests for core/err.c: every error code has its own description, unknown codes a fixed one.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"

static const int codes[] = {E_OK,    E_INVAL, E_NOMEM,  E_RANGE, E_FORMAT, E_ALIGN,
                            E_EXIST, E_NOENT, E_TOOBIG, E_IO,    E_BUSY,   E_HUGE};
#define NCODES (sizeof(codes) / sizeof(codes[0]))

static void every_code_has_a_distinct_description(void **state)
{
    for (size_t i = 0; i < NCODES; i++) {
        const char *s = err_str(codes[i]);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown error");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, err_str(codes[j]));
    }
}

static void unknown_codes_say_unknown_error(void **state)
{
    assert_string_equal(err_str(1), "unknown error");
    assert_string_equal(err_str(-1000), "unknown error");
    assert_string_equal(err_str(E_HUGE - 1), "unknown error");
}

static void known_descriptions_read_as_documented(void **state)
{
    assert_string_equal(err_str(E_OK), "success");
    assert_string_equal(err_str(E_INVAL), "invalid argument");
    assert_string_equal(err_str(E_NOMEM), "out of memory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_a_distinct_description),
        cmocka_unit_test(unknown_codes_say_unknown_error),
        cmocka_unit_test(known_descriptions_read_as_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
