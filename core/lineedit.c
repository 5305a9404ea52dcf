// The line editor and its two key sources (see lineedit.h).
#include "core/lineedit.h"
#include "core/panic.h"
#include "core/string.h"

#define FULL_MESSAGE "line full: at most 70 characters"
_Static_assert(LE_LINE_MAX == 70, "FULL_MESSAGE names LE_LINE_MAX");
_Static_assert(LE_PROMPT_MAX + LE_LINE_MAX + 2 <= LE_COLS, "a full line and ^C fit one row");

// ---- drawing --------------------------------------------------------------------------------

static void emit(struct lineedit *le, enum le_op_kind kind, const char *text, size_t len)
{
    struct le_op op = {kind, text, len};
    le->sink.op(le->sink.ctx, &op);
}

static void text(struct lineedit *le, const char *s, size_t n)
{
    if (n > 0)
        emit(le, LE_OP_TEXT, s, n);
}

static void left(struct lineedit *le, size_t n)
{
    if (n > 0)
        emit(le, LE_OP_LEFT, NULL, n);
}

static void bell(struct lineedit *le)
{
    emit(le, LE_OP_BELL, NULL, 0);
}

static void newline(struct lineedit *le)
{
    emit(le, LE_OP_NEWLINE, NULL, 0);
}

// With the terminal's cursor at column `from` of the line: draws the line from there on, blanks
// what an older, longer line left behind, and puts the cursor back where the editor's is.
static void redraw_from(struct lineedit *le, size_t from)
{
    text(le, le->line + from, le->len - from);
    emit(le, LE_OP_ERASE, NULL, 0);
    left(le, le->len - le->cursor);
}

// On a fresh row: the prompt and the whole line, the cursor where the editor's is.
static void redraw_row(struct lineedit *le)
{
    text(le, le->prompt, strlen(le->prompt));
    text(le, le->line, le->len);
    left(le, le->len - le->cursor);
}

// ---- editing --------------------------------------------------------------------------------

static void refuse_full(struct lineedit *le)
{
    bell(le);
    if (le->refused_full)
        return;
    le->refused_full = true;
    text(le, le->line + le->cursor, le->len - le->cursor); // leave the row whole
    newline(le);
    text(le, FULL_MESSAGE, sizeof(FULL_MESSAGE) - 1);
    newline(le);
    redraw_row(le);
}

// Inserts s[0..n) at the cursor (the caller has checked that it fits).
static void insert(struct lineedit *le, const char *s, size_t n)
{
    memmove(le->line + le->cursor + n, le->line + le->cursor, le->len - le->cursor + 1);
    memcpy(le->line + le->cursor, s, n);
    le->len += n;
    text(le, le->line + le->cursor, le->len - le->cursor);
    le->cursor += n;
    left(le, le->len - le->cursor);
}

// Removes line[at..at + n); the terminal's cursor is at `at`, where the editor's ends up too.
static void remove_at(struct lineedit *le, size_t at, size_t n)
{
    memmove(le->line + at, le->line + at + n, le->len - at - n + 1);
    le->len -= n;
    le->cursor = at;
    redraw_from(le, at);
}

// Replaces the whole line with s (history), the cursor at its end.
static void replace(struct lineedit *le, const char *s)
{
    left(le, le->cursor);
    size_t n = strlen(s);
    memcpy(le->line, s, n + 1);
    le->len = le->cursor = n;
    redraw_from(le, 0);
}

// ---- history --------------------------------------------------------------------------------

const char *le_history(const struct lineedit *le, size_t k)
{
    KASSERT(le != NULL);
    if (k >= le->count)
        return NULL;
    return le->history[(le->first + le->count - 1 - k) % LE_HISTORY_MAX];
}

static void remember(struct lineedit *le)
{
    if (le->len == 0)
        return;
    const char *newest = le_history(le, 0);
    if (newest != NULL && strcmp(newest, le->line) == 0)
        return;
    if (le->count == LE_HISTORY_MAX)
        le->first = (le->first + 1) % LE_HISTORY_MAX;
    else
        le->count++;
    memcpy(le->history[(le->first + le->count - 1) % LE_HISTORY_MAX], le->line, le->len + 1);
}

static void browse(struct lineedit *le, bool older)
{
    if (older ? le->browsing == le->count : le->browsing == 0) {
        bell(le);
        return;
    }
    if (older && le->browsing == 0)
        memcpy(le->draft, le->line, le->len + 1);
    le->browsing += older ? 1 : (size_t)-1;
    replace(le, le->browsing == 0 ? le->draft : le_history(le, le->browsing - 1));
}

// ---- completion -----------------------------------------------------------------------------

static bool starts_with(const char *name, const char *prefix, size_t n)
{
    return strncmp(name, prefix, n) == 0 && strlen(name) >= n;
}

// Lists the names starting with word[0..n) on a row of their own, as many as fit.
static void list_matches(struct lineedit *le, const char *word, size_t n)
{
    char row[LE_COLS + 1];
    size_t used = 0;
    for (size_t i = 0; i < le->nnames; i++) {
        const char *name = le->names[i];
        if (!starts_with(name, word, n))
            continue;
        size_t len = strlen(name), gap = used > 0 ? 2 : 0;
        if (used + gap + len > LE_COLS - 5) { // room for "  ..."
            memcpy(row + used, "  ...", 5);
            used += 5;
            break;
        }
        memcpy(row + used, "  ", gap);
        memcpy(row + used + gap, name, len);
        used += gap + len;
    }
    text(le, le->line + le->cursor, le->len - le->cursor);
    newline(le);
    text(le, row, used);
    newline(le);
    redraw_row(le);
}

static void complete(struct lineedit *le)
{
    // The first word starts after the leading spaces, as the shell reads it.
    size_t start = 0;
    while (start < le->cursor && le->line[start] == ' ')
        start++;
    bool in_first_word = true;
    for (size_t i = start; i < le->cursor; i++)
        in_first_word = in_first_word && le->line[i] != ' ';
    if (!in_first_word || (le->cursor < le->len && le->line[le->cursor] != ' ')) {
        bell(le);
        return;
    }
    const char *word = le->line + start;
    size_t n = le->cursor - start;
    const char *match = NULL;
    size_t matches = 0, common = 0; // the length all matches share
    for (size_t i = 0; i < le->nnames; i++) {
        if (!starts_with(le->names[i], word, n))
            continue;
        if (matches++ == 0) {
            match = le->names[i];
            common = strlen(match);
        }
        size_t k = n;
        while (k < common && le->names[i][k] == match[k])
            k++;
        common = k;
    }
    if (matches == 0) {
        bell(le);
        return;
    }
    // One match: the rest of it and a space; several: what they all share.
    char add[LE_LINE_MAX + 1];
    size_t add_len = common - n;
    if (add_len > LE_LINE_MAX)
        add_len = LE_LINE_MAX + 1; // cannot fit whatever the line holds
    else
        memcpy(add, match + n, add_len);
    if (matches == 1 && le->cursor == le->len && add_len < LE_LINE_MAX)
        add[add_len++] = ' ';
    if (add_len == 0) {
        list_matches(le, word, n);
        return;
    }
    if (add_len > LE_LINE_MAX - le->len) {
        bell(le);
        return;
    }
    insert(le, add, add_len);
}

// ---- the editor -----------------------------------------------------------------------------

void le_init(struct lineedit *le, const struct le_sink *sink, const char *const *names, size_t n)
{
    KASSERT(le != NULL && sink != NULL && sink->op != NULL);
    KASSERT(names != NULL || n == 0);
    for (size_t i = 0; i < n; i++) {
        KASSERT(names[i] != NULL);
        for (const char *c = names[i]; *c != '\0'; c++)
            KASSERT(*c >= 0x20 && *c <= 0x7e);
    }
    memset(le, 0, sizeof(*le));
    le->sink = *sink;
    le->names = names;
    le->nnames = n;
}

void le_start(struct lineedit *le, const char *prompt)
{
    KASSERT(le != NULL && prompt != NULL);
    size_t n = 0;
    for (; n < LE_PROMPT_MAX && prompt[n] != '\0'; n++)
        le->prompt[n] = prompt[n] >= 0x20 && prompt[n] <= 0x7e ? prompt[n] : '?';
    le->prompt[n] = '\0';
    le->line[0] = '\0';
    le->len = le->cursor = 0;
    le->browsing = 0;
    le->refused_full = false;
    le->started = true;
    text(le, le->prompt, n);
}

const char *le_line(const struct lineedit *le)
{
    KASSERT(le != NULL);
    return le->line;
}

enum le_result le_feed(struct lineedit *le, const struct le_key *k)
{
    KASSERT(le != NULL && k != NULL && le->started);
    switch (k->kind) {
    case LE_KEY_CHAR:
        if (k->ch < 0x20 || k->ch > 0x7e)
            break;
        if (le->len == LE_LINE_MAX)
            refuse_full(le);
        else
            insert(le, &k->ch, 1);
        break;
    case LE_KEY_BACKSPACE:
        if (le->cursor == 0) {
            bell(le);
            break;
        }
        left(le, 1);
        remove_at(le, le->cursor - 1, 1);
        break;
    case LE_KEY_DELETE:
        if (le->cursor == le->len)
            bell(le);
        else
            remove_at(le, le->cursor, 1);
        break;
    case LE_KEY_LEFT:
        if (le->cursor == 0) {
            bell(le);
            break;
        }
        left(le, 1);
        le->cursor--;
        break;
    case LE_KEY_RIGHT: // printing the byte under the cursor moves past it on any terminal
        if (le->cursor == le->len) {
            bell(le);
            break;
        }
        text(le, le->line + le->cursor, 1);
        le->cursor++;
        break;
    case LE_KEY_HOME:
        if (le->cursor == 0)
            bell(le);
        left(le, le->cursor);
        le->cursor = 0;
        break;
    case LE_KEY_END:
        if (le->cursor == le->len)
            bell(le);
        text(le, le->line + le->cursor, le->len - le->cursor);
        le->cursor = le->len;
        break;
    case LE_KEY_KILL:
        if (le->cursor == 0) {
            bell(le);
            break;
        }
        left(le, le->cursor);
        remove_at(le, 0, le->cursor);
        break;
    case LE_KEY_UP: browse(le, true); break;
    case LE_KEY_DOWN: browse(le, false); break;
    case LE_KEY_TAB: complete(le); break;
    case LE_KEY_ENTER:
        text(le, le->line + le->cursor, le->len - le->cursor);
        newline(le);
        remember(le);
        le->started = false;
        return LE_DONE;
    case LE_KEY_CANCEL:
        text(le, le->line + le->cursor, le->len - le->cursor);
        text(le, "^C", 2);
        newline(le);
        le->line[0] = '\0';
        le->len = le->cursor = 0;
        le->started = false;
        return LE_CANCELLED;
    default: break;
    }
    return LE_EDITING;
}

// ---- drawing on a serial terminal -----------------------------------------------------------

// Copies s[0..n) into buf as far as cap goes; returns n.
static size_t put(char *buf, size_t cap, const char *s, size_t n)
{
    if (cap > 0)
        memcpy(buf, s, n < cap ? n : cap);
    return n;
}

size_t le_term_bytes(const struct le_op *op, char *buf, size_t cap)
{
    KASSERT(op != NULL && (buf != NULL || cap == 0));
    switch (op->kind) {
    case LE_OP_TEXT: KASSERT(op->text != NULL); return put(buf, cap, op->text, op->len);
    case LE_OP_LEFT: {
        KASSERT(op->len > 0);
        if (op->len == 1)
            return put(buf, cap, "\b", 1);
        char seq[LE_TERM_BYTES_MAX], digits[20];
        size_t nd = 0, n = 0;
        for (size_t v = op->len; v > 0; v /= 10)
            digits[nd++] = (char)('0' + v % 10);
        seq[n++] = '\x1b';
        seq[n++] = '[';
        while (nd > 0)
            seq[n++] = digits[--nd];
        seq[n++] = 'D';
        return put(buf, cap, seq, n);
    }
    case LE_OP_ERASE: return put(buf, cap, "\x1b[K", 3);
    case LE_OP_NEWLINE: return put(buf, cap, "\r\n", 2);
    case LE_OP_BELL: return put(buf, cap, "\a", 1);
    default: panic("le_term_bytes: unknown operation %d", (int)op->kind);
    }
}

// ---- keys from a serial terminal ------------------------------------------------------------

enum { GROUND, ESCAPE, CSI, SS3 };

#define PARAM_MAX 9999u

void le_term_init(struct le_term *t)
{
    KASSERT(t != NULL);
    memset(t, 0, sizeof(*t));
}

// A key other than a character: ch is 0 (lineedit.h gives it a meaning for LE_KEY_CHAR only).
static bool key(struct le_key *out, enum le_key_kind kind)
{
    *out = (struct le_key){kind, 0};
    return true;
}

// The key a final byte names after ESC [ (with its first parameter) or after ESC O.
static bool final_key(uint8_t byte, uint16_t param, bool csi, struct le_key *out)
{
    switch (byte) {
    case 'A': return key(out, LE_KEY_UP);
    case 'B': return key(out, LE_KEY_DOWN);
    case 'C': return key(out, LE_KEY_RIGHT);
    case 'D': return key(out, LE_KEY_LEFT);
    case 'H': return key(out, LE_KEY_HOME);
    case 'F': return key(out, LE_KEY_END);
    case '~':
        if (!csi)
            return false;
        if (param == 1 || param == 7)
            return key(out, LE_KEY_HOME);
        if (param == 4 || param == 8)
            return key(out, LE_KEY_END);
        if (param == 3)
            return key(out, LE_KEY_DELETE);
        return false;
    default: return false;
    }
}

// The keys both sources give as characters: a printable byte, Backspace (BS, or DEL from a
// terminal), Tab and the control keys Ctrl-C, Ctrl-U, Ctrl-A, Ctrl-E and Ctrl-D.
static bool char_key(uint8_t c, struct le_key *out)
{
    switch (c) {
    case 0x7f:
    case 0x08: return key(out, LE_KEY_BACKSPACE);
    case '\t': return key(out, LE_KEY_TAB);
    case 0x03: return key(out, LE_KEY_CANCEL);
    case 0x15: return key(out, LE_KEY_KILL);
    case 0x01: return key(out, LE_KEY_HOME);
    case 0x05: return key(out, LE_KEY_END);
    case 0x04: return key(out, LE_KEY_DELETE);
    default:
        if (c < 0x20 || c > 0x7e)
            return false;
        *out = (struct le_key){LE_KEY_CHAR, (char)c};
        return true;
    }
}

static bool ground(struct le_term *t, uint8_t byte, struct le_key *out)
{
    bool after_cr = t->after_cr;
    t->after_cr = byte == '\r';
    switch (byte) {
    case 0x1b: t->state = ESCAPE; return false;
    case '\r': return key(out, LE_KEY_ENTER);
    case '\n': return after_cr ? false : key(out, LE_KEY_ENTER);
    default: return char_key(byte, out);
    }
}

bool le_term_feed(struct le_term *t, uint8_t byte, struct le_key *out)
{
    KASSERT(t != NULL && out != NULL);
    switch (t->state) {
    case ESCAPE:
        t->state = GROUND;
        t->param = 0;
        t->param_done = false;
        if (byte == '[') {
            t->state = CSI;
            return false;
        }
        if (byte == 'O') {
            t->state = SS3;
            return false;
        }
        return ground(t, byte, out); // the ESC alone is dropped
    case SS3: t->state = GROUND; return final_key(byte, 0, false, out);
    case CSI:
        if (byte >= 0x40 && byte <= 0x7e) {
            t->state = GROUND;
            return final_key(byte, t->param, true, out);
        }
        if (byte < 0x20 || byte > 0x3f) { // a control byte (or a stray one) breaks the sequence
            t->state = GROUND;
            return ground(t, byte, out);
        }
        if (byte >= '0' && byte <= '9' && !t->param_done)
            t->param = (uint16_t)(t->param * 10u + (byte - '0') > PARAM_MAX
                                      ? PARAM_MAX
                                      : t->param * 10u + (byte - '0'));
        else
            t->param_done = true; // ';' or another parameter byte: the first parameter is read
        return false;
    default: return ground(t, byte, out);
    }
}

// ---- keys from the PS/2 keyboard ------------------------------------------------------------

bool le_key_from_kbd(const struct kbd_event *ev, struct le_key *out)
{
    KASSERT(ev != NULL && out != NULL);
    if (!ev->pressed)
        return false;
    switch (kbd_nav_key(ev->key, ev->mods)) {
    case KBD_KEY_UP: return key(out, LE_KEY_UP);
    case KBD_KEY_DOWN: return key(out, LE_KEY_DOWN);
    case KBD_KEY_LEFT: return key(out, LE_KEY_LEFT);
    case KBD_KEY_RIGHT: return key(out, LE_KEY_RIGHT);
    case KBD_KEY_HOME: return key(out, LE_KEY_HOME);
    case KBD_KEY_END: return key(out, LE_KEY_END);
    case KBD_KEY_DELETE: return key(out, LE_KEY_DELETE);
    default: break;
    }
    return ev->ch == '\n' ? key(out, LE_KEY_ENTER) : char_key((uint8_t)ev->ch, out);
}
