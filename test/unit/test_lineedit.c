// Tests for core/lineedit: the editor drawn on a model terminal (one row, a cursor, the rows
// scrolled away), its exact operations for the basic edits, history, completion, the full-line
// refusal, a seeded random run against a model of the line, the serial-terminal key decoder, the
// PS/2 key mapping and the terminal bytes of the operations.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/lineedit.h"
#include "platform/host/mock_hw.h"
#include "test/unit/sweep.h"

// ---- a model terminal -------------------------------------------------------------------------

#define ROWS_KEPT 8

static struct term {
    char row[LE_COLS + 1]; // the current row, blanks as spaces
    size_t col;
    char rows[ROWS_KEPT][LE_COLS + 1]; // rows ended by NEWLINE, the newest last
    size_t nrows;
    size_t bells;
    char ops[4096]; // every op, as text: T"ab" L2 E N B
    size_t ops_len;
} term;

static void log_op(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(term.ops + term.ops_len, sizeof(term.ops) - term.ops_len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof(term.ops) - term.ops_len);
    term.ops_len += (size_t)n;
}

static void term_op(void *ctx, const struct le_op *op)
{
    assert_ptr_equal(ctx, &term);
    switch (op->kind) {
    case LE_OP_TEXT:
        assert_true(op->len > 0);
        for (size_t i = 0; i < op->len; i++) {
            assert_true(op->text[i] >= 0x20 && op->text[i] <= 0x7e);
            assert_true(term.col < LE_COLS); // never past the row
            term.row[term.col++] = op->text[i];
        }
        log_op("T\"%.*s\" ", (int)op->len, op->text);
        break;
    case LE_OP_LEFT:
        assert_true(op->len >= 1 && op->len <= term.col);
        term.col -= op->len;
        log_op("L%zu ", op->len);
        break;
    case LE_OP_ERASE:
        memset(term.row + term.col, ' ', LE_COLS - term.col);
        log_op("E ");
        break;
    case LE_OP_NEWLINE:
        if (term.nrows == ROWS_KEPT) {
            memmove(term.rows[0], term.rows[1], sizeof(term.rows[0]) * (ROWS_KEPT - 1));
            term.nrows--;
        }
        memcpy(term.rows[term.nrows++], term.row, sizeof(term.row));
        memset(term.row, ' ', LE_COLS);
        term.col = 0;
        log_op("N ");
        break;
    case LE_OP_BELL:
        term.bells++;
        log_op("B ");
        break;
    default: fail_msg("unknown op %d", op->kind);
    }
}

static const char *const names[] = {"help", "heap", "mem", "pt", "poweroff", "ticks", "tasks"};

static struct lineedit le;

static int setup(void **state)
{
    mock_hw_reset();
    memset(&term, 0, sizeof(term));
    memset(term.row, ' ', LE_COLS);
    struct le_sink sink = {term_op, &term};
    le_init(&le, &sink, names, sizeof(names) / sizeof(names[0]));
    le_start(&le, "> ");
    return 0;
}

// le_start on a fresh row, as the shell calls it after a line's output.
static void restart(const char *prompt)
{
    if (term.col != 0) {
        struct le_op nl = {LE_OP_NEWLINE, NULL, 0};
        term_op(&term, &nl);
    }
    le_start(&le, prompt);
}

static void clear_ops(void)
{
    term.ops_len = 0;
    term.ops[0] = '\0';
}

// The row with its trailing blanks cut, into a static buffer.
static const char *shown(const char *row)
{
    static char out[LE_COLS + 1];
    size_t n = LE_COLS;
    while (n > 0 && row[n - 1] == ' ')
        n--;
    memcpy(out, row, n);
    out[n] = '\0';
    return out;
}

static const char *last_row(size_t back)
{
    assert_true(back < term.nrows);
    return shown(term.rows[term.nrows - 1 - back]);
}

// The screen agrees with the editor: the row is prompt + line, the cursor where the editor's is.
static void assert_drawn(void)
{
    char want[LE_COLS + 1];
    snprintf(want, sizeof(want), "%s%s", le.prompt, le_line(&le));
    // A line ending in spaces shows them as blanks: compare with both trimmed.
    size_t n = strlen(want);
    while (n > 0 && want[n - 1] == ' ')
        want[--n] = '\0';
    assert_string_equal(shown(term.row), want);
    assert_int_equal(term.col, strlen(le.prompt) + le.cursor);
}

static enum le_result press(enum le_key_kind kind)
{
    struct le_key k = {kind, 0};
    return le_feed(&le, &k);
}

static void type(const char *s)
{
    for (; *s != '\0'; s++) {
        struct le_key k = {LE_KEY_CHAR, *s};
        assert_int_equal(le_feed(&le, &k), LE_EDITING);
        assert_drawn();
    }
}

// ---- drawing the basic edits ----------------------------------------------------------------

static void the_prompt_is_drawn_and_typing_appends(void **state)
{
    assert_string_equal(term.ops, "T\"> \" ");
    clear_ops();
    type("ab");
    assert_string_equal(term.ops, "T\"a\" T\"b\" ");
    assert_string_equal(le_line(&le), "ab");
    assert_int_equal(term.bells, 0);
}

static void insert_in_the_middle_redraws_the_tail(void **state)
{
    type("ac");
    press(LE_KEY_LEFT);
    clear_ops();
    type("b");
    assert_string_equal(term.ops, "T\"bc\" L1 ");
    assert_string_equal(le_line(&le), "abc");
    assert_int_equal(le.cursor, 2);
}

static void backspace_and_delete_redraw_and_blank_the_end(void **state)
{
    type("abcd");
    press(LE_KEY_LEFT);
    press(LE_KEY_LEFT);
    clear_ops();
    press(LE_KEY_BACKSPACE); // "a|cd"
    assert_string_equal(term.ops, "L1 T\"cd\" E L2 ");
    assert_drawn();
    clear_ops();
    press(LE_KEY_DELETE); // "a|d"
    assert_string_equal(term.ops, "T\"d\" E L1 ");
    assert_drawn();
    assert_string_equal(le_line(&le), "ad");
    press(LE_KEY_END);
    clear_ops();
    press(LE_KEY_BACKSPACE); // at the end: nothing to redraw but the blank
    assert_string_equal(term.ops, "L1 E ");
    assert_drawn();
}

static void moves_print_or_step_back(void **state)
{
    type("abc");
    clear_ops();
    press(LE_KEY_HOME);
    assert_string_equal(term.ops, "L3 ");
    clear_ops();
    press(LE_KEY_RIGHT);
    assert_string_equal(term.ops, "T\"a\" ");
    clear_ops();
    press(LE_KEY_END);
    assert_string_equal(term.ops, "T\"bc\" ");
    clear_ops();
    press(LE_KEY_LEFT);
    assert_string_equal(term.ops, "L1 ");
    assert_drawn();
    assert_int_equal(term.bells, 0);
}

static void keys_at_the_edges_ring_the_bell_and_change_nothing(void **state)
{
    static const enum le_key_kind at_start[] = {LE_KEY_BACKSPACE, LE_KEY_LEFT, LE_KEY_HOME,
                                                LE_KEY_KILL};
    static const enum le_key_kind at_end[] = {LE_KEY_DELETE, LE_KEY_RIGHT, LE_KEY_END};
    for (size_t i = 0; i < sizeof(at_start) / sizeof(at_start[0]); i++) {
        clear_ops();
        assert_int_equal(press(at_start[i]), LE_EDITING);
        assert_string_equal(term.ops, "B ");
    }
    type("xy");
    for (size_t i = 0; i < sizeof(at_end) / sizeof(at_end[0]); i++) {
        clear_ops();
        press(at_end[i]);
        assert_string_equal(term.ops, "B ");
    }
    press(LE_KEY_HOME);
    for (size_t i = 0; i < sizeof(at_start) / sizeof(at_start[0]); i++) {
        clear_ops();
        press(at_start[i]);
        assert_string_equal(term.ops, "B ");
    }
    assert_string_equal(le_line(&le), "xy");
    assert_drawn();
    assert_int_equal(term.bells, 4 + 3 + 4);
}

static void kill_deletes_up_to_the_cursor(void **state)
{
    type("mem 123");
    press(LE_KEY_LEFT);
    press(LE_KEY_LEFT);
    clear_ops();
    press(LE_KEY_KILL);
    assert_string_equal(term.ops, "L5 T\"23\" E L2 ");
    assert_string_equal(le_line(&le), "23");
    assert_int_equal(le.cursor, 0);
    assert_drawn();
}

static void unprintable_chars_and_unknown_keys_are_ignored(void **state)
{
    static const char bad[] = {0, 0x1f, 0x7f, (char)0x80, (char)0xff};
    for (size_t i = 0; i < sizeof(bad); i++) {
        struct le_key k = {LE_KEY_CHAR, bad[i]};
        assert_int_equal(le_feed(&le, &k), LE_EDITING);
    }
    struct le_key none = {LE_KEY_NONE, 'x'}, odd = {(enum le_key_kind)99, 'x'};
    clear_ops();
    assert_int_equal(le_feed(&le, &none), LE_EDITING);
    assert_int_equal(le_feed(&le, &odd), LE_EDITING);
    assert_string_equal(term.ops, "");
    assert_string_equal(le_line(&le), "");
}

// ---- ending a line --------------------------------------------------------------------------

static void enter_shows_the_whole_line_and_ends_it(void **state)
{
    type("heap check");
    press(LE_KEY_HOME);
    clear_ops();
    assert_int_equal(press(LE_KEY_ENTER), LE_DONE);
    assert_string_equal(term.ops, "T\"heap check\" N ");
    assert_string_equal(last_row(0), "> heap check");
    assert_string_equal(le_line(&le), "heap check");
    assert_string_equal(le_history(&le, 0), "heap check");
}

static void cancel_shows_caret_c_and_drops_the_line(void **state)
{
    type("poweroff");
    press(LE_KEY_LEFT);
    assert_int_equal(press(LE_KEY_CANCEL), LE_CANCELLED);
    assert_string_equal(last_row(0), "> poweroff^C");
    assert_string_equal(le_line(&le), "");
    assert_int_equal(le.len, 0); // the state says so too: an empty line, the cursor at 0
    assert_int_equal(le.cursor, 0);
    assert_null(le_history(&le, 0));
}

static void a_full_line_refuses_with_a_message_once(void **state)
{
    char full[LE_LINE_MAX + 1];
    memset(full, 'x', LE_LINE_MAX);
    full[LE_LINE_MAX] = '\0';
    type(full);
    press(LE_KEY_LEFT);
    press(LE_KEY_LEFT);
    clear_ops();
    struct le_key k = {LE_KEY_CHAR, 'y'};
    assert_int_equal(le_feed(&le, &k), LE_EDITING);
    char want[256];
    snprintf(want, sizeof(want),
             "B T\"xx\" N T\"line full: at most 70 characters\" N T\"> \" T\"%s\" L2 ", full);
    assert_string_equal(term.ops, want); // the rest of the row first, so it stays whole
    assert_int_equal(term.bells, 1);
    assert_string_equal(last_row(0), "line full: at most 70 characters");
    assert_string_equal(last_row(1), shown(term.row)); // the row as it was, whole
    assert_drawn();                                    // drawn again, cursor in place
    size_t rows = term.nrows;
    clear_ops();
    assert_int_equal(le_feed(&le, &k), LE_EDITING);
    assert_string_equal(term.ops, "B ");
    assert_int_equal(term.nrows, rows);
    assert_string_equal(le_line(&le), full);
    // A new line may show the message again.
    press(LE_KEY_ENTER);
    restart("> ");
    type(full);
    assert_int_equal(le_feed(&le, &k), LE_EDITING);
    assert_string_equal(last_row(0), "line full: at most 70 characters");
}

static void the_longest_prompt_and_line_fit_the_row(void **state)
{
    restart("12345678abc"); // cut to LE_PROMPT_MAX bytes
    assert_string_equal(le.prompt, "12345678");
    char full[LE_LINE_MAX + 1];
    memset(full, 'z', LE_LINE_MAX);
    full[LE_LINE_MAX] = '\0';
    type(full);
    press(LE_KEY_HOME);
    assert_int_equal(press(LE_KEY_CANCEL), LE_CANCELLED); // the model terminal checks the row
    restart("a\tb\x01");
    assert_string_equal(le.prompt, "a?b?");
    restart("\x1f ~\x7f"); // the edges of 0x20..0x7e
    assert_string_equal(le.prompt, "? ~?");
    restart("\xe9>"); // a byte above 0x7f is one too
    assert_string_equal(le.prompt, "?>");
}

static void a_full_line_takes_every_deletion(void **state)
{
    char full[LE_LINE_MAX + 1];
    memset(full, 'x', LE_LINE_MAX);
    full[LE_LINE_MAX] = '\0';
    static const enum le_key_kind deletions[] = {LE_KEY_BACKSPACE, LE_KEY_DELETE, LE_KEY_KILL};
    for (size_t i = 0; i < sizeof(deletions) / sizeof(deletions[0]); i++) {
        restart("> ");
        type(full);
        if (deletions[i] != LE_KEY_BACKSPACE)
            press(LE_KEY_LEFT);
        assert_int_equal(press(deletions[i]), LE_EDITING);
        assert_drawn();
        size_t left = deletions[i] == LE_KEY_KILL ? 1 : LE_LINE_MAX - 1;
        assert_int_equal(strlen(le_line(&le)), left);
        assert_int_equal(le.len, left);
        assert_memory_equal(le_line(&le), full, left);
    }
}

// ---- history --------------------------------------------------------------------------------

static void enter_line(const char *s)
{
    restart("> ");
    type(s);
    assert_int_equal(press(LE_KEY_ENTER), LE_DONE);
}

static void history_goes_back_and_forth_and_keeps_the_draft(void **state)
{
    enter_line("mem");
    enter_line("ticks");
    restart("> ");
    type("he");
    press(LE_KEY_UP);
    assert_string_equal(le_line(&le), "ticks");
    assert_drawn();
    press(LE_KEY_UP);
    assert_string_equal(le_line(&le), "mem");
    assert_drawn(); // "ticks" was longer: its end is blanked
    clear_ops();
    press(LE_KEY_UP);
    assert_string_equal(term.ops, "B ");
    press(LE_KEY_DOWN);
    press(LE_KEY_DOWN);
    assert_string_equal(le_line(&le), "he");
    assert_drawn();
    clear_ops();
    press(LE_KEY_DOWN);
    assert_string_equal(term.ops, "B ");
    // A shorter draft on the next line comes back whole, not over the end of the last one.
    press(LE_KEY_CANCEL);
    restart("> ");
    type("h");
    press(LE_KEY_UP);
    press(LE_KEY_DOWN);
    assert_string_equal(le_line(&le), "h");
    assert_drawn();
}

static void history_skips_empty_lines_and_repeats(void **state)
{
    enter_line("mem");
    enter_line("");
    enter_line("mem");
    enter_line("ticks");
    enter_line("mem");
    assert_string_equal(le_history(&le, 0), "mem");
    assert_string_equal(le_history(&le, 1), "ticks");
    assert_string_equal(le_history(&le, 2), "mem");
    assert_null(le_history(&le, 3));
    assert_null(le_history(&le, 4)); // and everything further
    assert_null(le_history(&le, SIZE_MAX));
}

static void every_line_browses_from_the_newest(void **state)
{
    enter_line("a");
    enter_line("b");
    enter_line("c");
    restart("> ");
    press(LE_KEY_UP);
    press(LE_KEY_UP);
    assert_int_equal(press(LE_KEY_ENTER), LE_DONE); // "b" again, from the history
    restart("> ");
    press(LE_KEY_UP);
    assert_string_equal(le_line(&le), "b");
    press(LE_KEY_UP);
    assert_string_equal(le_line(&le), "c");
}

static void full_lines_in_the_history_and_the_draft(void **state)
{
    char full[LE_LINE_MAX + 1], line[16];
    memset(full, 'f', LE_LINE_MAX);
    full[LE_LINE_MAX] = '\0';
    for (int i = 0; i < LE_HISTORY_MAX; i++) {
        snprintf(line, sizeof(line), "cmd%d", i);
        enter_line(line);
    }
    enter_line(full); // into the oldest's slot: the next oldest stays whole
    assert_string_equal(le_history(&le, 0), full);
    assert_string_equal(le_history(&le, LE_HISTORY_MAX - 1), "cmd1");
    // A full draft, kept while browsing, comes back as it was: its first refusal still says why.
    restart("> ");
    type(full);
    press(LE_KEY_UP);
    press(LE_KEY_DOWN);
    assert_string_equal(le_line(&le), full);
    struct le_key k = {LE_KEY_CHAR, 'y'};
    le_feed(&le, &k);
    assert_string_equal(last_row(0), "line full: at most 70 characters");
}

static void history_keeps_the_newest_lines(void **state)
{
    char line[16];
    for (int i = 0; i < LE_HISTORY_MAX + 5; i++) {
        snprintf(line, sizeof(line), "cmd%d", i);
        enter_line(line);
    }
    for (size_t k = 0; k < LE_HISTORY_MAX; k++) {
        snprintf(line, sizeof(line), "cmd%zu", LE_HISTORY_MAX + 4 - k);
        assert_string_equal(le_history(&le, k), line);
    }
    assert_null(le_history(&le, LE_HISTORY_MAX));
    enter_line("x"); // into the slot "cmd5" had: nothing of it shows
    assert_string_equal(le_history(&le, 0), "x");
    assert_string_equal(le_history(&le, 1), "cmd20");
}

static void an_edited_history_line_is_entered_as_new(void **state)
{
    enter_line("pt 0x1000");
    restart("> ");
    press(LE_KEY_UP);
    type("0");
    assert_int_equal(press(LE_KEY_ENTER), LE_DONE);
    assert_string_equal(le_line(&le), "pt 0x10000");
    assert_string_equal(le_history(&le, 0), "pt 0x10000");
    assert_string_equal(le_history(&le, 1), "pt 0x1000");
}

// ---- completion -----------------------------------------------------------------------------

static void tab_completes_a_unique_name_with_a_space(void **state)
{
    type("ti");
    clear_ops();
    press(LE_KEY_TAB);
    assert_string_equal(term.ops, "T\"cks \" ");
    assert_string_equal(le_line(&le), "ticks ");
}

static void tab_adds_the_common_prefix_then_lists(void **state)
{
    type("p");
    press(LE_KEY_TAB); // pt, poweroff: nothing shared past "p"
    assert_string_equal(last_row(0), "pt  poweroff");
    assert_drawn();
    restart("> ");
    type("t");
    press(LE_KEY_TAB); // ticks, tasks: nothing shared past "t" either
    assert_string_equal(last_row(0), "ticks  tasks");
    restart("> ");
    type("h");
    press(LE_KEY_TAB);
    assert_string_equal(le_line(&le), "he"); // help, heap
    assert_drawn();
}

static void tab_completes_in_front_of_arguments(void **state)
{
    type("hea 5");
    for (int i = 0; i < 2; i++)
        press(LE_KEY_LEFT);
    press(LE_KEY_TAB);
    assert_string_equal(le_line(&le), "heap 5");
    assert_int_equal(le.cursor, 4);
    assert_drawn();
}

static void tab_rings_where_it_cannot_complete(void **state)
{
    type("zz");
    clear_ops();
    press(LE_KEY_TAB); // no name
    assert_string_equal(term.ops, "B ");
    restart("> ");
    type("mem x");
    clear_ops();
    press(LE_KEY_TAB); // not in the first word
    assert_string_equal(term.ops, "B ");
    restart("> ");
    type("hel");
    press(LE_KEY_LEFT);
    clear_ops();
    press(LE_KEY_TAB); // inside the word
    assert_string_equal(term.ops, "B ");
    restart("> ");
    type("help");
    clear_ops();
    press(LE_KEY_TAB); // complete already: the space
    assert_string_equal(le_line(&le), "help ");
}

static void completion_that_would_overflow_the_line_is_refused(void **state)
{
    static const char *const longer[] = {
        "a123456789012345678901234567890123456789012345678901234567890123456789"};
    struct le_sink sink = {term_op, &term};
    le_init(&le, &sink, longer, 1);
    restart("> ");
    type("a");
    clear_ops();
    press(LE_KEY_TAB); // 70 bytes and a space: one too many
    assert_string_equal(term.ops, "B ");
    assert_string_equal(le_line(&le), "a");
}

static void the_list_of_matches_is_cut_to_the_row(void **state)
{
    static char many[40][16];
    static const char *ptrs[40];
    for (int i = 0; i < 40; i++) {
        snprintf(many[i], sizeof(many[i]), "cmd%02d", i);
        ptrs[i] = many[i];
    }
    struct le_sink sink = {term_op, &term};
    le_init(&le, &sink, ptrs, 40);
    restart("> ");
    type("cmd");
    press(LE_KEY_TAB);
    // Eleven names take 75 columns, the most that leaves room for "  ...".
    assert_string_equal(last_row(0), "cmd00  cmd01  cmd02  cmd03  cmd04  cmd05  cmd06  cmd07  "
                                     "cmd08  cmd09  cmd10  ...");
    assert_drawn();
    snprintf(many[10], sizeof(many[10]), "cmd10x"); // 76 columns: it goes
    restart("> ");
    type("cmd");
    press(LE_KEY_TAB);
    assert_string_equal(last_row(0), "cmd00  cmd01  cmd02  cmd03  cmd04  cmd05  cmd06  cmd07  "
                                     "cmd08  cmd09  ...");
}

static void a_list_keeps_the_row_and_the_cursor(void **state)
{
    type("p 5");
    press(LE_KEY_LEFT);
    press(LE_KEY_LEFT);
    clear_ops();
    press(LE_KEY_TAB);
    assert_string_equal(term.ops, "T\" 5\" N T\"pt  poweroff\" N T\"> \" T\"p 5\" L2 ");
    assert_string_equal(last_row(1), "> p 5");
    assert_drawn();
}

static void a_listed_one_letter_name_is_followed_by_the_gap(void **state)
{
    static const char *const short_names[] = {"x", "xy", "xz"};
    struct le_sink sink = {term_op, &term};
    le_init(&le, &sink, short_names, 3);
    restart("> ");
    type("x");
    press(LE_KEY_TAB);
    assert_string_equal(last_row(0), "x  xy  xz");
}

static void tab_completes_a_first_word_after_leading_spaces(void **state)
{
    type("  ti");
    press(LE_KEY_TAB);
    assert_string_equal(le_line(&le), "  ticks ");
    assert_drawn();
    restart("> ");
    type(" p");
    press(LE_KEY_TAB);
    assert_string_equal(last_row(0), "pt  poweroff");
    restart("> ");
    type("    ");
    press(LE_KEY_LEFT);
    press(LE_KEY_LEFT);
    press(LE_KEY_TAB); // an empty first word before more spaces: every name
    assert_string_equal(last_row(0), "help  heap  mem  pt  poweroff  ticks  tasks");
    assert_drawn();
}

static void tab_completes_only_the_first_word(void **state)
{
    static const char *const spaced[] = {"mem stats"}; // the editor takes any name
    struct le_sink sink = {term_op, &term};
    le_init(&le, &sink, spaced, 1);
    restart("> ");
    type("mem s");
    clear_ops();
    press(LE_KEY_TAB); // in the second word, though the name goes on
    assert_string_equal(term.ops, "B ");
    assert_string_equal(le_line(&le), "mem s");
}

static void completion_may_fill_the_line_exactly(void **state)
{
    static char name70[LE_LINE_MAX + 1], name69[LE_LINE_MAX];
    memset(name70, 'a', LE_LINE_MAX);
    memset(name69, 'b', LE_LINE_MAX - 1);
    static const char *const only70[] = {name70}, *const only69[] = {name69};
    struct le_sink sink = {term_op, &term};
    le_init(&le, &sink, only70, 1);
    restart("> ");
    clear_ops();
    press(LE_KEY_TAB); // the whole name fills the line: no room for the space
    char want[LE_LINE_MAX + 8];
    snprintf(want, sizeof(want), "T\"%s\" ", name70);
    assert_string_equal(term.ops, want);
    assert_string_equal(le_line(&le), name70);
    le_init(&le, &sink, only69, 1);
    restart("> ");
    type("b");
    press(LE_KEY_TAB); // the rest of it and the space: 70 bytes
    assert_int_equal(strlen(le_line(&le)), LE_LINE_MAX);
    assert_memory_equal(le_line(&le), name69, LE_LINE_MAX - 1);
    assert_int_equal(le_line(&le)[LE_LINE_MAX - 1], ' ');
    assert_int_equal(term.bells, 0);
    assert_drawn();
}

static void a_name_longer_than_a_line_is_never_completed(void **state)
{
    static char name100[101];
    memset(name100, 'c', 100);
    static const char *const only[] = {name100};
    struct le_sink sink = {term_op, &term};
    le_init(&le, &sink, only, 1);
    static const char *const typed[] = {"", "c"};
    for (size_t i = 0; i < 2; i++) {
        restart("> ");
        type(typed[i]);
        clear_ops();
        press(LE_KEY_TAB);
        assert_string_equal(term.ops, "B ");
        assert_string_equal(le_line(&le), typed[i]);
    }
}

// ---- a random run against a model of the line -------------------------------------------------

static uint64_t rng;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void random_keys_keep_screen_and_model_in_step(void **state)
{
    rng = sweep_seed("lineedit random keys", 0x1e1e, UINT64_MAX);
    uint64_t steps = sweep_size(3000, 300000);
    char model[LE_LINE_MAX + 1] = "";
    size_t len = 0, cur = 0;
    for (uint64_t i = 0; i < steps; i++) {
        clear_ops();
        static const enum le_key_kind kinds[] = {
            LE_KEY_CHAR, LE_KEY_CHAR,  LE_KEY_CHAR, LE_KEY_CHAR, LE_KEY_BACKSPACE, LE_KEY_DELETE,
            LE_KEY_LEFT, LE_KEY_RIGHT, LE_KEY_HOME, LE_KEY_END,  LE_KEY_KILL,      LE_KEY_ENTER};
        struct le_key k = {kinds[next() % (sizeof(kinds) / sizeof(kinds[0]))],
                           (char)(0x20 + next() % 95)};
        switch (k.kind) {
        case LE_KEY_CHAR:
            if (len < LE_LINE_MAX) {
                memmove(model + cur + 1, model + cur, len - cur + 1);
                model[cur++] = k.ch;
                len++;
            }
            break;
        case LE_KEY_BACKSPACE:
            if (cur > 0) {
                memmove(model + cur - 1, model + cur, len - cur + 1);
                cur--;
                len--;
            }
            break;
        case LE_KEY_DELETE:
            if (cur < len) {
                memmove(model + cur, model + cur + 1, len - cur);
                len--;
            }
            break;
        case LE_KEY_LEFT: cur -= cur > 0; break;
        case LE_KEY_RIGHT: cur += cur < len; break;
        case LE_KEY_HOME: cur = 0; break;
        case LE_KEY_END: cur = len; break;
        case LE_KEY_KILL:
            memmove(model, model + cur, len - cur + 1);
            len -= cur;
            cur = 0;
            break;
        default: break;
        }
        enum le_result r = le_feed(&le, &k);
        if (k.kind == LE_KEY_ENTER) {
            assert_int_equal(r, LE_DONE);
            assert_string_equal(le_line(&le), model);
            restart("> ");
            model[0] = '\0';
            len = cur = 0;
            continue;
        }
        assert_int_equal(r, LE_EDITING);
        assert_string_equal(le_line(&le), model);
        assert_int_equal(le.cursor, cur);
        assert_drawn();
    }
}

// ---- keys from a serial terminal --------------------------------------------------------------

// Feeds bytes and writes the keys they make as text: c<ch> for a character, else a name.
static const char *term_keys(const char *bytes, size_t n)
{
    static char out[256];
    static const char *const kind_names[] = {
        [LE_KEY_ENTER] = "enter", [LE_KEY_BACKSPACE] = "bs",  [LE_KEY_DELETE] = "del",
        [LE_KEY_LEFT] = "left",   [LE_KEY_RIGHT] = "right",   [LE_KEY_HOME] = "home",
        [LE_KEY_END] = "end",     [LE_KEY_UP] = "up",         [LE_KEY_DOWN] = "down",
        [LE_KEY_TAB] = "tab",     [LE_KEY_CANCEL] = "cancel", [LE_KEY_KILL] = "kill",
    };
    struct le_term t;
    le_term_init(&t);
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        struct le_key k = {LE_KEY_NONE, 0};
        if (!le_term_feed(&t, (uint8_t)bytes[i], &k))
            continue;
        if (k.kind != LE_KEY_CHAR)
            assert_int_equal(k.ch, 0);
        int w = k.kind == LE_KEY_CHAR
                    ? snprintf(out + used, sizeof(out) - used, "c%c ", k.ch)
                    : snprintf(out + used, sizeof(out) - used, "%s ", kind_names[k.kind]);
        used += (size_t)w;
    }
    return out;
}

#define KEYS(lit) term_keys(lit, sizeof(lit) - 1)

static void terminal_bytes_become_keys(void **state)
{
    assert_string_equal(KEYS("a Z~"), "ca c  cZ c~ ");
    assert_string_equal(KEYS("\x7f\x08\t\x03\x15\x01\x05\x04"),
                        "bs bs tab cancel kill home end del ");
    assert_string_equal(KEYS("\x00\x02\x1c\x1f\x80\xff\xe9"), "");
}

static void cr_lf_is_one_enter(void **state)
{
    assert_string_equal(KEYS("\r\n"), "enter ");
    assert_string_equal(KEYS("\r\r"), "enter enter ");
    assert_string_equal(KEYS("\n\n"), "enter enter ");
    assert_string_equal(KEYS("\r\n\n"), "enter enter ");
    assert_string_equal(KEYS("\rx\n"), "enter cx enter ");
    assert_string_equal(KEYS("\r\x1b[A\n"), "enter up enter ");
}

static void escape_sequences_of_the_navigation_keys(void **state)
{
    assert_string_equal(KEYS("\x1b[A\x1b[B\x1b[C\x1b[D"), "up down right left ");
    assert_string_equal(KEYS("\x1b[H\x1b[F\x1bOH\x1bOF"), "home end home end ");
    assert_string_equal(KEYS("\x1bOA\x1bOB\x1bOC\x1bOD"), "up down right left ");
    assert_string_equal(KEYS("\x1b[1~\x1b[7~\x1b[4~\x1b[8~\x1b[3~"), "home home end end del ");
    assert_string_equal(KEYS("\x1b[1;5C\x1b[3;2~"), "right del "); // modifiers ignored
}

static void unknown_and_broken_sequences_are_dropped(void **state)
{
    assert_string_equal(KEYS("\x1b[2~\x1b[5~\x1b[99~x"), "cx ");     // insert, page up, none
    assert_string_equal(KEYS("\x1b[Zx\x1bOPy\x1bO~z"), "cx cy cz "); // back-tab, F1, junk
    assert_string_equal(KEYS("\x1bx"), "cx ");                       // ESC alone is dropped
    assert_string_equal(KEYS("\x1b\r"), "enter ");
    assert_string_equal(KEYS("\x1b\x1b[A"), "up ");
    assert_string_equal(KEYS("\x1b[1\r"), "enter ");            // a control byte ends the sequence
    assert_string_equal(KEYS("\x1b[123456789012345~x"), "cx "); // saturates: no key
    assert_string_equal(KEYS("\x1b[99999999~\x1b[3~"), "del ");
    assert_string_equal(KEYS("\x1b[0000000003~"), "del "); // leading zeros, however many
    assert_string_equal(KEYS("\x1b[9999~\x1b[10003~"), "");
    assert_string_equal(KEYS("\x1b[?25hx"), "cx "); // private parameters: swallowed whole
    assert_string_equal(KEYS("\x1b[3;;;;;;;;;;;;~"), "del ");
    assert_string_equal(KEYS("\x1b[~\x1b[0~x"), "cx ");      // no parameter, or 0: no key
    assert_string_equal(KEYS("\x1bx[A"), "cx c[ cA ");       // ESC x: the sequence is over
    assert_string_equal(KEYS("\x1b[1\x7f"), "bs ");          // DEL breaks it too
    assert_string_equal(KEYS("\x1b[2 qx"), "cx ");           // an intermediate byte
    assert_string_equal(KEYS("\x1b[65539~\x1b[3~"), "del "); // no wrap to 3 on the way
    assert_string_equal(KEYS("\x1b[@x"), "cx ");             // '@' is a final byte
    assert_string_equal(KEYS("\x1b[\x1f"
                             "A"),
                        "cA ");                          // 0x1f is a control byte
    assert_string_equal(KEYS("\x1b[1\rA"), "enter cA "); // and after it, no sequence
}

// The first parameter as le_term keeps it, after ESC [ and digits.
static unsigned first_param(const char *digits)
{
    struct le_term t;
    struct le_key k;
    le_term_init(&t);
    assert_false(le_term_feed(&t, 0x1b, &k));
    assert_false(le_term_feed(&t, '[', &k));
    for (; *digits != '\0'; digits++)
        assert_false(le_term_feed(&t, (uint8_t)*digits, &k));
    return t.param;
}

static void the_first_parameter_is_decimal_saturating_at_9999(void **state)
{
    assert_int_equal(first_param("12"), 12);
    assert_int_equal(first_param("9099"), 9099);
    assert_int_equal(first_param("9950"), 9950);
    assert_int_equal(first_param("9999"), 9999);
    assert_int_equal(first_param("11110"), 9999);
    assert_int_equal(first_param("65539"), 9999);
    assert_int_equal(first_param("7;8"), 7);
}

// ---- keys from the PS/2 keyboard --------------------------------------------------------------

static bool from_kbd(enum kbd_key key, char ch, uint16_t mods, bool pressed, struct le_key *k)
{
    struct kbd_event ev = {key, pressed, false, ch, mods};
    return le_key_from_kbd(&ev, k);
}

static void keyboard_events_become_keys(void **state)
{
    struct le_key k;
    static const struct {
        enum kbd_key key;
        char ch;
        uint16_t mods;
        enum le_key_kind want;
    } cases[] = {
        {KBD_KEY_UP, 0, 0, LE_KEY_UP},
        {KBD_KEY_DOWN, 0, 0, LE_KEY_DOWN},
        {KBD_KEY_LEFT, 0, 0, LE_KEY_LEFT},
        {KBD_KEY_RIGHT, 0, 0, LE_KEY_RIGHT},
        {KBD_KEY_HOME, 0, 0, LE_KEY_HOME},
        {KBD_KEY_END, 0, 0, LE_KEY_END},
        {KBD_KEY_DELETE, 0, 0, LE_KEY_DELETE},
        {KBD_KEY_KP_8, 0, 0, LE_KEY_UP}, // Num Lock off: the keypad navigates
        {KBD_KEY_KP_DECIMAL, 0, 0, LE_KEY_DELETE},
        {KBD_KEY_ENTER, '\n', 0, LE_KEY_ENTER},
        {KBD_KEY_BACKSPACE, '\b', 0, LE_KEY_BACKSPACE},
        {KBD_KEY_TAB, '\t', 0, LE_KEY_TAB},
        {KBD_KEY_C, 0x03, KBD_MOD_LCTRL, LE_KEY_CANCEL},
        {KBD_KEY_U, 0x15, KBD_MOD_RCTRL, LE_KEY_KILL},
        {KBD_KEY_A, 0x01, KBD_MOD_LCTRL, LE_KEY_HOME},
        {KBD_KEY_E, 0x05, KBD_MOD_LCTRL, LE_KEY_END},
        {KBD_KEY_D, 0x04, KBD_MOD_LCTRL, LE_KEY_DELETE},
        {KBD_KEY_A, 'A', KBD_MOD_LSHIFT, LE_KEY_CHAR},
        {KBD_KEY_KP_8, '8', KBD_MOD_NUM_LOCK, LE_KEY_CHAR}, // Num Lock on: a digit
        {KBD_KEY_SPACE, ' ', 0, LE_KEY_CHAR},
        {KBD_KEY_GRAVE, '~', KBD_MOD_LSHIFT, LE_KEY_CHAR},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        k = (struct le_key){LE_KEY_NONE, 0};
        assert_true(from_kbd(cases[i].key, cases[i].ch, cases[i].mods, true, &k));
        assert_int_equal(k.kind, cases[i].want);
        assert_int_equal(k.ch, k.kind == LE_KEY_CHAR ? cases[i].ch : 0);
        assert_false(from_kbd(cases[i].key, 0, cases[i].mods, false, &k)); // releases: nothing
    }
    assert_false(from_kbd(KBD_KEY_F1, 0, 0, true, &k));
    assert_false(from_kbd(KBD_KEY_MINUS, 0x1f, KBD_MOD_LCTRL, true, &k)); // no key of the editor
    assert_false(from_kbd(KBD_KEY_ESCAPE, 0x1b, 0, true, &k));
    assert_false(from_kbd(KBD_KEY_LEFT_SHIFT, 0, KBD_MOD_LSHIFT, true, &k));
}

// ---- terminal bytes of the operations ---------------------------------------------------------

// The bytes of op as a string (they never hold a NUL here), their count checked.
static const char *bytes_of(enum le_op_kind kind, const char *text, size_t len)
{
    static char buf[LE_TERM_BYTES_MAX + LE_COLS + 1];
    struct le_op op = {kind, text, len};
    memset(buf, 0, sizeof(buf));
    size_t n = le_term_bytes(&op, buf, sizeof(buf) - 1);
    assert_int_equal(n, strlen(buf)); // the length counts every byte written, and no more
    return buf;
}

static void operations_become_ansi_terminal_bytes(void **state)
{
    assert_string_equal(bytes_of(LE_OP_TEXT, "> ls", 4), "> ls");
    assert_string_equal(bytes_of(LE_OP_TEXT, "abc", 2), "ab");
    assert_string_equal(bytes_of(LE_OP_LEFT, NULL, 1), "\b");
    assert_string_equal(bytes_of(LE_OP_LEFT, NULL, 2), "\x1b[2D");
    assert_string_equal(bytes_of(LE_OP_LEFT, NULL, 10), "\x1b[10D");
    assert_string_equal(bytes_of(LE_OP_LEFT, NULL, 79), "\x1b[79D");
    char widest[LE_TERM_BYTES_MAX];
    snprintf(widest, sizeof(widest), "\x1b[%zuD", (size_t)SIZE_MAX); // 20 digits with 64 bits
    assert_string_equal(bytes_of(LE_OP_LEFT, NULL, SIZE_MAX), widest);
    assert_string_equal(bytes_of(LE_OP_ERASE, NULL, 0), "\x1b[K");
    assert_string_equal(bytes_of(LE_OP_NEWLINE, NULL, 0), "\r\n");
    assert_string_equal(bytes_of(LE_OP_BELL, NULL, 0), "\a");
}

static void term_bytes_are_cut_to_the_buffer_and_counted_whole(void **state)
{
    char buf[4] = "....";
    struct le_op left = {LE_OP_LEFT, NULL, 123}, text = {LE_OP_TEXT, "hello", 5};
    assert_int_equal(le_term_bytes(&left, buf, 3), 6);
    assert_memory_equal(buf, "\x1b[1.", 4);
    assert_int_equal(le_term_bytes(&text, buf, 2), 5);
    assert_memory_equal(buf, "he1.", 4);
    assert_int_equal(le_term_bytes(&text, NULL, 0), 5);
    assert_int_equal(le_term_bytes(&text, buf, 1), 5); // one byte of room: one byte
    assert_memory_equal(buf, "he1.", 4);
    buf[0] = '.';
    assert_int_equal(le_term_bytes(&text, buf, 1), 5);
    assert_memory_equal(buf, "he1.", 4);
}

static struct {
    char bytes[512];
    size_t len;
} wire;

static void wire_op(void *ctx, const struct le_op *op)
{
    (void)ctx;
    wire.len += le_term_bytes(op, wire.bytes + wire.len, sizeof(wire.bytes) - 1 - wire.len);
    assert_true(wire.len < sizeof(wire.bytes));
    wire.bytes[wire.len] = '\0';
}

// What a serial terminal is sent while "ab", Left, "X", Backspace, End, Enter are typed.
static void an_edit_goes_out_as_terminal_bytes(void **state)
{
    struct lineedit ed;
    struct le_sink sink = {wire_op, NULL};
    wire.len = 0;
    le_init(&ed, &sink, NULL, 0);
    le_start(&ed, "> ");
    const struct le_key keys[] = {{LE_KEY_CHAR, 'a'}, {LE_KEY_CHAR, 'b'},    {LE_KEY_LEFT, 0},
                                  {LE_KEY_CHAR, 'X'}, {LE_KEY_BACKSPACE, 0}, {LE_KEY_END, 0},
                                  {LE_KEY_HOME, 0},   {LE_KEY_ENTER, 0}};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        le_feed(&ed, &keys[i]);
    assert_string_equal(wire.bytes, "> ab\b"      // Left
                                    "Xb\b"        // X inserted before b, back over b
                                    "\bb\x1b[K\b" // Backspace: back, redraw b, erase, back
                                    "b"           // End: print what is under the cursor
                                    "\x1b[2D"     // Home
                                    "ab\r\n");    // Enter: the rest of the line, new row
    assert_string_equal(le_line(&ed), "ab");
}

// ---- bad calls ----------------------------------------------------------------------------

static void null_arguments_and_misuse_are_caller_bugs(void **state)
{
    struct le_sink sink = {term_op, &term}, no_op = {NULL, NULL};
    struct le_key k = {LE_KEY_CHAR, 'a'};
    struct le_term t;
    struct kbd_event ev = {KBD_KEY_A, true, false, 'a', 0};
    expect_assert_failure(le_init(NULL, &sink, names, 1));
    expect_assert_failure(le_init(&le, NULL, names, 1));
    expect_assert_failure(le_init(&le, &no_op, names, 1));
    expect_assert_failure(le_init(&le, &sink, NULL, 1));
    le_init(&le, &sink, NULL, 0);            // no names: fine
    expect_assert_failure(le_feed(&le, &k)); // before le_start
    expect_assert_failure(le_start(NULL, "> "));
    expect_assert_failure(le_start(&le, NULL));
    restart("> ");
    expect_assert_failure(le_feed(NULL, &k));
    expect_assert_failure(le_feed(&le, NULL));
    press(LE_KEY_ENTER);
    expect_assert_failure(le_feed(&le, &k)); // after the line ended
    restart("> ");
    press(LE_KEY_CANCEL);
    expect_assert_failure(le_feed(&le, &k)); // after a cancelled one too
    expect_assert_failure(le_line(NULL));
    expect_assert_failure(le_history(NULL, 0));
    expect_assert_failure(le_term_init(NULL));
    le_term_init(&t);
    expect_assert_failure(le_term_feed(NULL, 'a', &k));
    expect_assert_failure(le_term_feed(&t, 'a', NULL));
    expect_assert_failure(le_key_from_kbd(NULL, &k));
    expect_assert_failure(le_key_from_kbd(&ev, NULL));
    char buf[8];
    struct le_op text = {LE_OP_TEXT, NULL, 1}, left0 = {LE_OP_LEFT, NULL, 0}, bad = {99, NULL, 0};
    expect_assert_failure(le_term_bytes(NULL, buf, sizeof(buf)));
    expect_assert_failure(le_term_bytes(&left0, NULL, 1));
    expect_assert_failure(le_term_bytes(&text, buf, sizeof(buf)));
    expect_assert_failure(le_term_bytes(&left0, buf, sizeof(buf)));
    expect_assert_failure(le_term_bytes(&bad, buf, sizeof(buf)));
    static const char *const with_null[] = {"a", NULL};
    static const char *const control[] = {"ok", "b\x1b[2J"};
    static const char *const high[] = {"caf\xc3\xa9"}, *const del[] = {"a\x7f"};
    static const char *const unit_sep[] = {"\x1f"
                                           "a"};
    static const char *const edges[] = {" ~", "a"};
    expect_assert_failure(le_init(&le, &sink, with_null, 2));
    expect_assert_failure(le_init(&le, &sink, control, 2)); // it would reach the terminal
    expect_assert_failure(le_init(&le, &sink, high, 1));
    expect_assert_failure(le_init(&le, &sink, del, 1));
    expect_assert_failure(le_init(&le, &sink, unit_sep, 1));
    le_init(&le, &sink, edges, 2); // 0x20 and 0x7e are printable
}

#define TEST(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(the_prompt_is_drawn_and_typing_appends),
        TEST(insert_in_the_middle_redraws_the_tail),
        TEST(backspace_and_delete_redraw_and_blank_the_end),
        TEST(moves_print_or_step_back),
        TEST(keys_at_the_edges_ring_the_bell_and_change_nothing),
        TEST(kill_deletes_up_to_the_cursor),
        TEST(unprintable_chars_and_unknown_keys_are_ignored),
        TEST(enter_shows_the_whole_line_and_ends_it),
        TEST(cancel_shows_caret_c_and_drops_the_line),
        TEST(a_full_line_refuses_with_a_message_once),
        TEST(the_longest_prompt_and_line_fit_the_row),
        TEST(a_full_line_takes_every_deletion),
        TEST(history_goes_back_and_forth_and_keeps_the_draft),
        TEST(history_skips_empty_lines_and_repeats),
        TEST(every_line_browses_from_the_newest),
        TEST(full_lines_in_the_history_and_the_draft),
        TEST(history_keeps_the_newest_lines),
        TEST(an_edited_history_line_is_entered_as_new),
        TEST(tab_completes_a_unique_name_with_a_space),
        TEST(tab_adds_the_common_prefix_then_lists),
        TEST(tab_completes_in_front_of_arguments),
        TEST(tab_rings_where_it_cannot_complete),
        TEST(completion_that_would_overflow_the_line_is_refused),
        TEST(the_list_of_matches_is_cut_to_the_row),
        TEST(a_list_keeps_the_row_and_the_cursor),
        TEST(a_listed_one_letter_name_is_followed_by_the_gap),
        TEST(tab_completes_a_first_word_after_leading_spaces),
        TEST(tab_completes_only_the_first_word),
        TEST(completion_may_fill_the_line_exactly),
        TEST(a_name_longer_than_a_line_is_never_completed),
        TEST(random_keys_keep_screen_and_model_in_step),
        TEST(terminal_bytes_become_keys),
        TEST(cr_lf_is_one_enter),
        TEST(escape_sequences_of_the_navigation_keys),
        TEST(unknown_and_broken_sequences_are_dropped),
        TEST(the_first_parameter_is_decimal_saturating_at_9999),
        TEST(keyboard_events_become_keys),
        TEST(operations_become_ansi_terminal_bytes),
        TEST(term_bytes_are_cut_to_the_buffer_and_counted_whole),
        TEST(an_edit_goes_out_as_terminal_bytes),
        TEST(null_arguments_and_misuse_are_caller_bugs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
