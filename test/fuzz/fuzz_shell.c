// libFuzzer target for the shell's input path: the input is a byte stream from a serial terminal.
// It goes through core/lineedit's terminal decoder into a line editor (with a small history and
// command names to complete), drawn on a model terminal row that checks every operation (text
// only printable and never past column 80, moves only within the row) and, after every key, that
// the row shows the prompt and the line with the cursor in place. Each finished line goes to
// core/shell's shell_run against a table whose commands record their words; the words are
// compared with a model split of the line, bad lines with their messages, and each word is read by
// shell_parse_u64 and compared with a model of the number syntax.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lineedit.h"
#include "core/shell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "test/fuzz/fuzz_check.h"

// ---- the model terminal -----------------------------------------------------------------------

static char row[LE_COLS];
static size_t col;

static void term_op(void *ctx, const struct le_op *op)
{
    (void)ctx;
    switch (op->kind) {
    case LE_OP_TEXT:
        CHECK(op->len > 0, "empty text");
        for (size_t i = 0; i < op->len; i++) {
            CHECK(op->text[i] >= 0x20 && op->text[i] <= 0x7e, "unprintable byte %#x",
                  (unsigned)(uint8_t)op->text[i]);
            CHECK(col < LE_COLS, "text past column %d", LE_COLS);
            row[col++] = op->text[i];
        }
        break;
    case LE_OP_LEFT:
        CHECK(op->len >= 1 && op->len <= col, "left %zu from column %zu", op->len, col);
        col -= op->len;
        break;
    case LE_OP_ERASE: memset(row + col, ' ', LE_COLS - col); break;
    case LE_OP_NEWLINE:
        memset(row, ' ', LE_COLS);
        col = 0;
        break;
    case LE_OP_BELL: break;
    default: CHECK(false, "unknown op %d", op->kind);
    }
}

static void check_drawn(const struct lineedit *le)
{
    size_t plen = strlen(le->prompt), len = strlen(le_line(le));
    CHECK(col == plen + le->cursor, "cursor at %zu, editor at %zu", col, plen + le->cursor);
    CHECK(memcmp(row, le->prompt, plen) == 0, "prompt not shown");
    CHECK(memcmp(row + plen, le_line(le), len) == 0, "line not shown: \"%s\"", le_line(le));
    for (size_t i = plen + len; i < LE_COLS; i++)
        CHECK(row[i] == ' ', "leftover byte %#x at column %zu", (unsigned)(uint8_t)row[i], i);
}

// ---- the shell side -------------------------------------------------------------------------

static struct {
    size_t argc;
    const char *argv[SHELL_ARGS_MAX];
    int calls;
} got;

static int record(void *ctx, size_t argc, const char *const *argv)
{
    (void)ctx;
    got.argc = argc;
    for (size_t i = 0; i < argc; i++)
        got.argv[i] = argv[i];
    got.calls++;
    return 0;
}

static const struct shell_cmd cmds[] = {
    {"help", "", "", 0, 0, record},
    {"pt", "ADDR", "", 1, 1, record},
    {"heap", "[check | bench N]", "", 0, 2, record},
    {"x", "", "", 0, 7, record},
};
static const char *const names[] = {"help", "pt", "heap", "x", "ticks", "tasks"};

// The number syntax, independently: decimal, or hex after 0x/0X; at least one digit.
static int model_u64(const char *s, uint64_t *out)
{
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0')
        return E_INVAL;
    unsigned __int128 v = 0;
    bool big = false;
    for (; *s != '\0'; s++) {
        const char *digits = "0123456789abcdef";
        char c = *s >= 'A' && *s <= 'F' ? (char)(*s - 'A' + 'a') : *s;
        const char *d = memchr(digits, c, (size_t)base);
        if (c == '\0' || d == NULL)
            return E_INVAL;
        v = v * (unsigned)base + (unsigned)(d - digits);
        if (v > UINT64_MAX)
            big = true, v = (unsigned __int128)UINT64_MAX + 1;
    }
    if (big)
        return E_RANGE;
    *out = (uint64_t)v;
    return 0;
}

static void check_line(const char *text)
{
    // The model's words.
    char copy[LE_LINE_MAX + 1];
    snprintf(copy, sizeof(copy), "%s", text);
    const char *words[LE_LINE_MAX];
    size_t n = 0;
    for (char *p = strtok(copy, " "); p != NULL; p = strtok(NULL, " "))
        words[n++] = p;

    char line[LE_LINE_MAX + 1], msg[SHELL_MSG_MAX];
    snprintf(line, sizeof(line), "%s", text);
    got.calls = 0;
    int rc = shell_run(cmds, sizeof(cmds) / sizeof(cmds[0]), line, NULL, msg, sizeof(msg));
    CHECK(strlen(msg) < sizeof(msg) - 1, "message cut: \"%s\"", msg);
    CHECK(strchr(msg, '\n') == NULL, "message of more than one line");
    if (n == 0) {
        CHECK(rc == 0 && got.calls == 0 && msg[0] == '\0', "empty line: rc %d", rc);
        return;
    }
    if (n > SHELL_ARGS_MAX) {
        CHECK(rc == E_TOOBIG && got.calls == 0, "%zu words: rc %d", n, rc);
        return;
    }
    const struct shell_cmd *cmd = NULL;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        cmd = strcmp(cmds[i].name, words[0]) == 0 ? &cmds[i] : cmd;
    if (cmd == NULL) {
        CHECK(rc == E_NOENT && got.calls == 0 && strncmp(msg, "unknown command", 15) == 0,
              "unknown \"%s\": rc %d \"%s\"", words[0], rc, msg);
        return;
    }
    if (n - 1 < cmd->min_args || n - 1 > cmd->max_args) {
        CHECK(rc == E_INVAL && got.calls == 0 && strncmp(msg, "usage: ", 7) == 0,
              "bad count for %s: rc %d \"%s\"", cmd->name, rc, msg);
        return;
    }
    CHECK(rc == 0 && got.calls == 1 && got.argc == n, "ran %d times with %zu words, want %zu",
          got.calls, got.argc, n);
    for (size_t i = 0; i < n; i++) {
        CHECK(strcmp(got.argv[i], words[i]) == 0, "word %zu \"%s\", want \"%s\"", i, got.argv[i],
              words[i]);
        uint64_t a = 1, b = 2;
        int ra = shell_parse_u64(words[i], &a), rb = model_u64(words[i], &b);
        CHECK(ra == rb && (ra != 0 || a == b), "parse_u64(\"%s\") = %d %llu, model %d %llu",
              words[i], ra, (unsigned long long)a, rb, (unsigned long long)b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lineedit le;
    struct le_sink sink = {term_op, NULL};
    le_init(&le, &sink, names, sizeof(names) / sizeof(names[0]));
    memset(row, ' ', LE_COLS);
    col = 0;
    struct le_term t;
    le_term_init(&t);
    le_start(&le, "> ");
    for (size_t i = 0; i < size; i++) {
        struct le_key k;
        if (!le_term_feed(&t, data[i], &k))
            continue;
        enum le_result r = le_feed(&le, &k);
        if (r == LE_EDITING) {
            check_drawn(&le);
            continue;
        }
        CHECK(col == 0, "a finished line left the cursor at %zu", col);
        if (r == LE_DONE)
            check_line(le_line(&le));
        else
            CHECK(le_line(&le)[0] == '\0', "a cancelled line kept \"%s\"", le_line(&le));
        le_start(&le, "> ");
    }
    return 0;
}
