// The kernel command line: space-separated words, each `key=value` or a bare `key`. A word's key
// ends at its first '=' (so a key holding '=' or a space is no word's key). Keys are compared
// whole and case-sensitively. A key given more than once means its last word, as on Linux
// (`alloc=bump alloc=tlsf` is alloc=tlsf); cmdline_count finds such keys so they can be reported.
#pragma once

#include <stddef.h>
#include <stdint.h>

// Finds the last word whose key is `key` and copies its value (empty for a bare key) into buf,
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

// The number of words whose key is `key`. When it is at least one and word is not NULL, *word
// points at the last of them (the one cmdline_get reads; not NUL-terminated) and *len holds its
// length; otherwise *word and *len are left alone. A NULL cmdline or key, an empty key, or a NULL
// len with a non-NULL word panics.
size_t cmdline_count(const char *cmdline, const char *key, const char **word, size_t *len);

// How much of a command line of len bytes at s to keep when at most limit bytes fit: len when
// len <= limit; else the longest prefix of at most limit bytes that ends where a word ends (the
// byte after it is a space), without the spaces before the cut, so no word is ever cut in two and
// a cut `timer_hz=50` never reads as timer_hz=5. 0 when the first word alone is longer than limit.
// Bytes of s past len are not read; a NUL inside counts as a word character. A NULL s panics.
size_t cmdline_fit(const char *s, size_t len, size_t limit);
