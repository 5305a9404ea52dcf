// The kernel command line: space-separated words, each `key=value` or a bare `key`. A word's key
// ends at its first '=' (so a key holding '=' or a space is no word's key). Keys are compared
// whole and case-sensitively; the first word with a key wins.
#pragma once

#include <stddef.h>
#include <stdint.h>

// Finds the first word whose key is `key` and copies its value (empty for a bare key) into buf,
// NUL-terminated and cut to cap - 1 characters; cap 0 writes nothing. Returns the value's full
// length, E_NOENT when no word has that key, E_TOOBIG when the value has cap characters or more
// (buf, when cap > 0, then holds its first cap - 1). A cap above INT_MAX counts as INT_MAX + 1,
// so that the length always fits the result. A NULL cmdline or key, an empty key, or a NULL buf
// with cap > 0 panics; buf may be NULL with cap 0.
int cmdline_get(const char *cmdline, const char *key, char *buf, size_t cap);

// Reads `key=<decimal>` into *out. The whole value is read, however long: leading zeros are
// fine, however many. Returns 0, E_NOENT when no word has that key, E_INVAL when the value is
// empty (a bare key included) or holds any character that is not a decimal digit, E_RANGE when it
// is all digits and its number exceeds UINT32_MAX. *out is written only on success. A NULL
// cmdline, key or out, or an empty key, panics.
int cmdline_get_u32(const char *cmdline, const char *key, uint32_t *out);

// The next word at or after *cursor whose key is none of known[0..n-1], for reporting words the
// kernel does not understand (a mistyped option would otherwise be ignored in silence). Returns
// the word's length, points *word at it (not NUL-terminated) and moves *cursor past it; returns 0
// (and leaves *word alone) when no such word is left. An empty known key matches nothing. Panics
// on a NULL cursor, *cursor or word, a NULL known with n > 0, or a NULL known[i] (once a word is
// compared with it).
size_t cmdline_next_unknown(const char **cursor, const char *const *known, size_t n,
                            const char **word);
