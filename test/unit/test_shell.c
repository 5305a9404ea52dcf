// Tests for core/shell: splitting, finding, argument counts and the messages of bad lines, and the
// number and word parsers.
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/shell.h"
#include "platform/host/mock_hw.h"

// ---- a table of commands that record how they were called -----------------------------------

static struct call {
    void *ctx;
    size_t argc;
    char argv[SHELL_ARGS_MAX][80];
    int calls;
} last;

static int record(void *ctx, size_t argc, const char *const *argv)
{
    last.ctx = ctx;
    last.argc = argc;
    for (size_t i = 0; i < argc; i++)
        snprintf(last.argv[i], sizeof(last.argv[i]), "%s", argv[i]);
    last.calls++;
    return (int)argc == 3 ? E_IO : 0; // a failing command: its code comes back
}

static const struct shell_cmd cmds[] = {
    {"help", "", "lists the commands", 0, 0, record},
    {"pt", "ADDR", "translates an address", 1, 1, record},
    {"heap", "[check | bench N]", "the heap", 0, 2, record},
    {"fault", "KIND", "raises an exception", 1, 1, record},
    {"x", "", "", 0, 7, record},
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static int setup(void **state)
{
    mock_hw_reset();
    memset(&last, 0, sizeof(last));
    return 0;
}

static int run(const char *text, char *msg)
{
    static char line[256];
    snprintf(line, sizeof(line), "%s", text);
    memset(msg, '#', SHELL_MSG_MAX);
    return shell_run(cmds, NCMDS, line, (void *)&last, msg, SHELL_MSG_MAX);
}

// ---- splitting ------------------------------------------------------------------------------

static void split_finds_the_words_between_spaces(void **state)
{
    char line[] = "  heap   bench 1000 ";
    const char *argv[4];
    assert_int_equal(shell_split(line, argv, 4), 3);
    assert_string_equal(argv[0], "heap");
    assert_string_equal(argv[1], "bench");
    assert_string_equal(argv[2], "1000");
    char empty[] = "", spaces[] = "    ";
    assert_int_equal(shell_split(empty, argv, 4), 0);
    assert_int_equal(shell_split(spaces, argv, 4), 0);
    assert_int_equal(shell_split(spaces, NULL, 0), 0);
}

static void only_spaces_separate_words(void **state)
{
    char line[] = "a\tb \xe9t\xe9 \x01\xff"; // a tab, UTF-8 and control bytes are word bytes
    const char *argv[4];
    assert_int_equal(shell_split(line, argv, 4), 3);
    assert_string_equal(argv[0], "a\tb");
    assert_string_equal(argv[1], "\xe9t\xe9");
    assert_string_equal(argv[2], "\x01\xff");
}

static void split_past_max_is_too_big_and_keeps_the_first(void **state)
{
    char line[] = "a b c d";
    const char *argv[3];
    assert_int_equal(shell_split(line, argv, 3), E_TOOBIG);
    assert_string_equal(argv[0], "a");
    assert_string_equal(argv[2], "c");
    assert_memory_equal(line, "a\0b\0c\0\0", 8); // cut after "c": "d" is gone
    char exact[] = "a b c ";
    assert_int_equal(shell_split(exact, argv, 3), 3); // trailing spaces are no word
    char one[] = "  a";
    assert_int_equal(shell_split(one, NULL, 0), E_TOOBIG);
    assert_string_equal(one, "  "); // cut after no word at all
}

// ---- running lines --------------------------------------------------------------------------

static void a_line_runs_its_command_with_the_words(void **state)
{
    char msg[SHELL_MSG_MAX];
    assert_int_equal(run("  pt   0x1000  ", msg), 0);
    assert_string_equal(msg, "");
    assert_int_equal(last.calls, 1);
    assert_ptr_equal(last.ctx, &last);
    assert_int_equal(last.argc, 2);
    assert_string_equal(last.argv[0], "pt");
    assert_string_equal(last.argv[1], "0x1000");
}

static void an_empty_line_runs_nothing(void **state)
{
    char msg[SHELL_MSG_MAX];
    assert_int_equal(run("", msg), 0);
    assert_int_equal(run("     ", msg), 0);
    assert_string_equal(msg, "");
    assert_int_equal(last.calls, 0);
}

static void a_failing_command_returns_its_code_and_no_message(void **state)
{
    char msg[SHELL_MSG_MAX];
    assert_int_equal(run("heap bench 5", msg), E_IO);
    assert_string_equal(msg, "");
    assert_int_equal(last.calls, 1);
}

static void unknown_commands_are_named(void **state)
{
    char msg[SHELL_MSG_MAX];
    assert_int_equal(run("hepl me", msg), E_NOENT);
    assert_string_equal(msg, "unknown command \"hepl\" (help lists them)");
    assert_int_equal(run("HELP", msg), E_NOENT); // case matters
    assert_int_equal(run("hel", msg), E_NOENT);  // a prefix is not the name
    assert_int_equal(last.calls, 0);
}

static void a_long_unknown_name_is_cut_and_the_message_fits(void **state)
{
    char name[81], msg[SHELL_MSG_MAX];
    memset(name, 'n', 80);
    name[80] = '\0';
    assert_int_equal(run(name, msg), E_NOENT);
    assert_true(strlen(msg) < SHELL_MSG_MAX - 1); // not cut by the buffer
    assert_non_null(strstr(msg, "nnnn...\" (help lists them)"));
    name[40] = '\0'; // exactly NAME_SHOWN: shown whole, no "..."
    assert_int_equal(run(name, msg), E_NOENT);
    assert_null(strstr(msg, "..."));
    name[41] = '\0';
    memset(name, 'n', 41);
    assert_int_equal(run(name, msg), E_NOENT);
    assert_non_null(strstr(msg, "..."));
}

static void wrong_argument_counts_show_the_usage(void **state)
{
    char msg[SHELL_MSG_MAX];
    assert_int_equal(run("pt", msg), E_INVAL);
    assert_string_equal(msg, "usage: pt ADDR");
    assert_int_equal(run("pt 1 2", msg), E_INVAL);
    assert_string_equal(msg, "usage: pt ADDR");
    assert_int_equal(run("help me", msg), E_INVAL);
    assert_string_equal(msg, "usage: help"); // no usage: no trailing space
    assert_int_equal(run("heap a b c", msg), E_INVAL);
    assert_string_equal(msg, "usage: heap [check | bench N]");
    assert_int_equal(last.calls, 0);
    assert_int_equal(run("heap", msg), 0); // 0..2 arguments
    assert_int_equal(run("heap check", msg), 0);
    assert_int_equal(last.calls, 2);
}

static void too_many_words_are_refused(void **state)
{
    char msg[SHELL_MSG_MAX];
    assert_int_equal(run("x 1 2 3 4 5 6 7", msg), 0); // eight words: the most
    assert_int_equal(last.argc, 8);
    assert_int_equal(run("x 1 2 3 4 5 6 7 8", msg), E_TOOBIG);
    assert_string_equal(msg, "too many words: at most 8");
}

static void messages_are_cut_to_the_buffer(void **state)
{
    char line[] = "hepl", msg[8] = "#######";
    assert_int_equal(shell_run(cmds, NCMDS, line, NULL, msg, sizeof(msg)), E_NOENT);
    assert_string_equal(msg, "unknown");
    char line2[] = "pt";
    assert_int_equal(shell_run(cmds, NCMDS, line2, NULL, NULL, 0), E_INVAL);
    char line3[] = "zz";
    assert_int_equal(shell_run(NULL, 0, line3, NULL, NULL, 0), E_NOENT); // an empty table
}

static void a_one_byte_buffer_gets_the_empty_message(void **state)
{
    char line[] = "", ok[] = "help", msg[1] = {'#'};
    assert_int_equal(shell_run(cmds, NCMDS, line, NULL, msg, 1), 0);
    assert_int_equal(msg[0], '\0');
    msg[0] = '#';
    assert_int_equal(shell_run(cmds, NCMDS, ok, NULL, msg, 1), 0);
    assert_int_equal(msg[0], '\0');
}

static void a_usage_in_utf8_is_shown_after_a_space(void **state)
{
    static const struct shell_cmd utf8[] = {{"en", "\xc3\xa9t\xc3\xa9", "", 1, 1, record}};
    char line[] = "en", msg[SHELL_MSG_MAX];
    assert_int_equal(shell_run(utf8, 1, line, NULL, msg, sizeof(msg)), E_INVAL);
    assert_string_equal(msg, "usage: en \xc3\xa9t\xc3\xa9");
}

static void find_compares_whole_names(void **state)
{
    assert_ptr_equal(shell_find(cmds, NCMDS, "heap"), &cmds[2]);
    assert_null(shell_find(cmds, NCMDS, "hea"));
    assert_null(shell_find(cmds, NCMDS, "heaps"));
    assert_null(shell_find(cmds, NCMDS, ""));
    assert_null(shell_find(NULL, 0, "heap"));
}

// ---- arguments ------------------------------------------------------------------------------

static void numbers_in_decimal_and_hex(void **state)
{
    static const struct {
        const char *s;
        uint64_t v;
    } ok[] = {
        {"0", 0},
        {"42", 42},
        {"000017", 17},
        {"0x0", 0},
        {"0X1f", 31},
        {"0xdeadBEEF", 0xdeadbeef},
        {"0xAbC", 0xabc},
        {"0XA", 10},
        {"18446744073709551615", UINT64_MAX},
        {"0xffffffffffffffff", UINT64_MAX},
        {"0x0000000000000000000001", 1},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        uint64_t v = 7;
        assert_int_equal(shell_parse_u64(ok[i].s, &v), 0);
        assert_true(v == ok[i].v);
    }
}

static void bad_numbers_are_invalid_or_out_of_range(void **state)
{
    static const char *const invalid[] = {
        "",    "0x",  "-1",  "+1",  "12a", "0x1g", " 1",  "1 ",    "x10",
        "0b1", "1e3", "9x1", "0y5", "1:",  "0x:",  "0x@", "1\xff", "99999999999999999999x"};
    static const char *const range[] = {"18446744073709551616", "0x10000000000000000",
                                        "99999999999999999999999"};
    uint64_t v = 7;
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
        assert_int_equal(shell_parse_u64(invalid[i], &v), E_INVAL);
    for (size_t i = 0; i < sizeof(range) / sizeof(range[0]); i++)
        assert_int_equal(shell_parse_u64(range[i], &v), E_RANGE);
    assert_true(v == 7); // written only on success
}

static void choices_are_found_by_whole_word(void **state)
{
    static const char *const kinds[] = {"breakpoint", "read", "write", "exec"};
    assert_int_equal(shell_parse_choice("breakpoint", kinds, 4), 0);
    assert_int_equal(shell_parse_choice("read", kinds, 4), 1);
    assert_int_equal(shell_parse_choice("exec", kinds, 4), 3);
    assert_int_equal(shell_parse_choice("rea", kinds, 4), E_NOENT);
    assert_int_equal(shell_parse_choice("", kinds, 4), E_NOENT);
    assert_int_equal(shell_parse_choice("read", NULL, 0), E_NOENT);
}

static void null_arguments_are_caller_bugs(void **state)
{
    char line[] = "x";
    const char *argv[2];
    uint64_t v;
    static const struct shell_cmd no_run[] = {{"y", "", "", 0, 0, NULL}};
    static const struct shell_cmd no_name[] = {{NULL, "", "", 0, 0, record}};
    static const char *const with_null[] = {"a", NULL};
    expect_assert_failure(shell_split(NULL, argv, 2));
    expect_assert_failure(shell_split(line, NULL, 2));
    expect_assert_failure(shell_find(cmds, NCMDS, NULL));
    expect_assert_failure(shell_find(NULL, 1, "x"));
    expect_assert_failure(shell_find(no_name, 1, "x"));
    expect_assert_failure(shell_run(cmds, NCMDS, NULL, NULL, NULL, 0));
    expect_assert_failure(shell_run(NULL, 1, line, NULL, NULL, 0));
    expect_assert_failure(shell_run(cmds, NCMDS, line, NULL, NULL, 1));
    char y[] = "y";
    expect_assert_failure(shell_run(no_run, 1, y, NULL, NULL, 0));
    expect_assert_failure(shell_parse_u64(NULL, &v));
    expect_assert_failure(shell_parse_u64("1", NULL));
    expect_assert_failure(shell_parse_choice(NULL, with_null, 2));
    expect_assert_failure(shell_parse_choice("b", NULL, 1));
    expect_assert_failure(shell_parse_choice("b", with_null, 2));
}

#define TEST(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(split_finds_the_words_between_spaces),
        TEST(only_spaces_separate_words),
        TEST(split_past_max_is_too_big_and_keeps_the_first),
        TEST(a_line_runs_its_command_with_the_words),
        TEST(an_empty_line_runs_nothing),
        TEST(a_failing_command_returns_its_code_and_no_message),
        TEST(unknown_commands_are_named),
        TEST(a_long_unknown_name_is_cut_and_the_message_fits),
        TEST(wrong_argument_counts_show_the_usage),
        TEST(too_many_words_are_refused),
        TEST(messages_are_cut_to_the_buffer),
        TEST(a_one_byte_buffer_gets_the_empty_message),
        TEST(a_usage_in_utf8_is_shown_after_a_space),
        TEST(find_compares_whole_names),
        TEST(numbers_in_decimal_and_hex),
        TEST(bad_numbers_are_invalid_or_out_of_range),
        TEST(choices_are_found_by_whole_word),
        TEST(null_arguments_are_caller_bugs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
