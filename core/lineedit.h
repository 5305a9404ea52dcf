// A line editor for the kernel shell: one line of input edited in place (insert and delete at the
// cursor, left/right, home/end), a bounded history (up/down) and tab completion of the first word
// from a list of names. It touches no hardware: keys come in as `struct le_key` (from the serial
// line through le_term_feed, from the PS/2 keyboard through le_key_from_kbd) and every change of
// the screen goes out as a sequence of terminal operations (`struct le_op`) to a sink, which the
// kernel turns into bytes for a serial terminal and into VGA cursor moves. So the editor is tested
// on the host against a model of one terminal row.
//
// The line lives on one screen row: prompt and line together stay within a row of 80 columns when
// the prompt is at most LE_PROMPT_MAX bytes, so the operations never have to cross a row.
// Not thread safe: one task owns an editor.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/kbd.h"

#define LE_LINE_MAX    70 // bytes of a line (its NUL not counted)
#define LE_PROMPT_MAX  8  // bytes of a prompt: prompt, a full line and "^C" fit 80 columns
#define LE_HISTORY_MAX 16 // lines kept for up/down; the oldest goes first
#define LE_COLS        80 // the row the editor draws on, for listing completions

enum le_key_kind {
    LE_KEY_NONE = 0,
    LE_KEY_CHAR,      // insert ch (0x20..0x7e) at the cursor
    LE_KEY_ENTER,     // the line is done
    LE_KEY_BACKSPACE, // delete the byte before the cursor
    LE_KEY_DELETE,    // delete the byte under the cursor
    LE_KEY_LEFT,
    LE_KEY_RIGHT,
    LE_KEY_HOME,
    LE_KEY_END,
    LE_KEY_UP,     // the previous history line
    LE_KEY_DOWN,   // the next history line, and past the newest the line being typed
    LE_KEY_TAB,    // complete the first word
    LE_KEY_CANCEL, // Ctrl-C: drop the line
    LE_KEY_KILL,   // Ctrl-U: delete from the start of the line to the cursor
};

struct le_key {
    enum le_key_kind kind;
    char ch; // LE_KEY_CHAR: the character; 0 for every other kind
};

// What a terminal has to do, in order, for the screen to show the editor's state. The cursor is
// the terminal's, on the editor's row.
enum le_op_kind {
    LE_OP_TEXT,    // print text[0..len) from the cursor on (printable bytes only), moving it right
    LE_OP_LEFT,    // move the cursor left n columns, changing nothing on the screen
    LE_OP_ERASE,   // blank from the cursor to the end of the row; the cursor stays
    LE_OP_NEWLINE, // move to the start of a new row (the old row keeps what it shows)
    LE_OP_BELL,    // a refused key (a full line, nothing to complete, nothing to delete)
};

struct le_op {
    enum le_op_kind kind;
    const char *text; // LE_OP_TEXT: valid only during the call
    size_t len;       // LE_OP_TEXT: bytes of text; LE_OP_LEFT: columns (at least 1)
};

struct le_sink {
    void (*op)(void *ctx, const struct le_op *op);
    void *ctx;
};

// The bytes that make a VT100 / ANSI terminal (a serial terminal, xterm) carry out op:
//   TEXT     the text itself
//   LEFT n   BS (0x08) for one column, ESC [ n D for more (BS moves without erasing)
//   ERASE    ESC [ K (erase to the end of the line)
//   NEWLINE  CR LF
//   BELL     BEL (0x07)
// Writes the first min(length, cap) of them to buf (no NUL) and returns their full length, so a
// buffer of LE_TERM_BYTES_MAX holds any LEFT, ERASE, NEWLINE or BELL, and of op->len any TEXT.
// Panics on a NULL op, buf NULL with cap > 0, a TEXT with a NULL text, a LEFT of 0, or an unknown
// kind.
#define LE_TERM_BYTES_MAX 24 // ESC [ and 20 digits and D
size_t le_term_bytes(const struct le_op *op, char *buf, size_t cap);

enum le_result {
    LE_EDITING = 0, // the key was taken (or refused); the line goes on
    LE_DONE,        // Enter: the line is ready (le_line), the screen has moved to a new row
    LE_CANCELLED,   // Ctrl-C: the line is dropped ("^C" shown, new row)
};

struct lineedit {
    struct le_sink sink;
    const char *const *names; // completion candidates for the first word
    size_t nnames;
    char prompt[LE_PROMPT_MAX + 1];
    char line[LE_LINE_MAX + 1]; // NUL-terminated
    size_t len, cursor;         // cursor 0..len
    // History: the newest line at (first + count - 1) % LE_HISTORY_MAX.
    char history[LE_HISTORY_MAX][LE_LINE_MAX + 1];
    size_t first, count;
    size_t browsing;             // 0: the line being typed; k: the k-th newest history line
    char draft[LE_LINE_MAX + 1]; // the line being typed, kept while browsing the history
    bool refused_full;           // the full-line message was shown for this line
    bool started;                // le_start has run
};

// Sets up an editor that draws through sink and completes the first word from names[0..n) (names
// may be NULL with n 0; the array must outlive the editor). Empty history. Panics on a NULL le or
// sink->op, names NULL with n > 0, a NULL name, or a name with a byte outside 0x20..0x7e (what
// completion inserts is drawn on the terminal as it is).
void le_init(struct lineedit *le, const struct le_sink *sink, const char *const *names, size_t n);

// Starts a new line: shows prompt (cut to LE_PROMPT_MAX bytes; non-printable bytes shown as '?'),
// an empty line and the cursor after it. Panics on a NULL le or prompt.
void le_start(struct lineedit *le, const char *prompt);

// Handles one key and draws its effect. Keys and their answers:
//   CHAR      inserts ch at the cursor; a byte outside 0x20..0x7e is ignored; a full line
//             (LE_LINE_MAX bytes) refuses it: a bell, and the first time for this line a row
//             "line full: at most 70 characters" after which the prompt and line are drawn again.
//   BACKSPACE, DELETE, LEFT, RIGHT, HOME, END
//             as named; at the edge of the line they do nothing but ring the bell.
//   KILL      deletes from the start to the cursor (bell when the cursor is at the start).
//   UP, DOWN  replace the line with an older / newer history line (the line being typed is kept
//             and comes back past the newest); the cursor goes to the end; bell at either end.
//   TAB       completes the first word when the cursor is at its end: one name starting with it
//             is completed and followed by a space; several add their longest common prefix, and
//             when that adds nothing they are listed on a new row (as many as fit LE_COLS, then
//             "..."), after which the prompt and line are drawn again; none rings the bell.
//             With the cursor elsewhere, TAB rings the bell.
//   ENTER     ends the line: LE_DONE. A line that is not empty and differs from the newest history
//             line is added to the history.
//   CANCEL    shows "^C" and ends the line: LE_CANCELLED; le_line is then "".
//   NONE, or any other kind: ignored.
// Panics on a NULL le or k, before le_start, and after a line ended (LE_DONE or LE_CANCELLED)
// until the next le_start.
enum le_result le_feed(struct lineedit *le, const struct le_key *k);

// The current line, NUL-terminated (valid until the next le_start or le_feed).
const char *le_line(const struct lineedit *le);

// History lines, 0 the newest; NULL past the oldest.
const char *le_history(const struct lineedit *le, size_t k);

// ---- keys from the two input sources ------------------------------------------------------------

// Serial terminal input, one byte at a time: printable bytes; CR or LF as Enter (the LF of a CR LF
// pair is one Enter, not two); DEL (0x7f) and BS (0x08) as Backspace; Tab; Ctrl-C (0x03) as
// Cancel, Ctrl-U (0x15) as Kill, Ctrl-A (0x01) and Ctrl-E (0x05) as Home and End, Ctrl-D (0x04)
// as Delete; and the ANSI / VT100 escape sequences of the navigation keys: ESC [ A/B/C/D (up,
// down, right, left), ESC [ H / ESC [ F and ESC O H / ESC O F (home, end), ESC O A..D, and
// ESC [ n ~ with n 1 or 7 (home), 4 or 8 (end), 3 (delete); parameters after the first (the
// modifiers of ESC [ 1 ; 5 C) are ignored. Other control bytes and bytes above 0x7e are ignored;
// so is an escape sequence that is not one of these, up to its final byte (0x40..0x7e). A control
// byte inside ESC [ ... ends the sequence and is read afresh (so Enter still works after a broken
// sequence), and so does the byte after an ESC that is not '[' or 'O' (the ESC is dropped). A lone
// ESC waits for the next byte (there is no timeout).

struct le_term {
    uint8_t state;   // ground, after ESC, in ESC [ ..., after ESC O
    uint8_t seq_len; // parameter bytes of the ESC [ sequence so far
    uint16_t param;  // its first parameter (saturating at 9999)
    bool param_done; // a ';' or other byte ended the first parameter
    bool after_cr;   // the previous byte was CR
};

// Starts in the ground state. Panics on NULL.
void le_term_init(struct le_term *t);

// Feeds one byte; returns true with *out filled when it completes a key. Panics on NULL t or out.
bool le_term_feed(struct le_term *t, uint8_t byte, struct le_key *out);

// PS/2 keyboard events (core/kbd): presses only. Enter, Backspace, Tab, Delete, the arrows, Home
// and End (and the keypad's with Num Lock off, through kbd_nav_key); Ctrl-C, Ctrl-U, Ctrl-A,
// Ctrl-E and Ctrl-D as for the serial line; a printable character as CHAR. Returns false for a
// release or any other key. Panics on NULL ev or out.
bool le_key_from_kbd(const struct kbd_event *ev, struct le_key *out);
