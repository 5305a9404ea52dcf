// The kernel command line: space-separated words, each `key=value` or a bare `key`.
#pragma once

#include <stddef.h>
#include <stdint.h>

// Finds the first word whose key is `key` and copies its value (empty for a bare key) into buf,
// NUL-terminated and cut to cap - 1 characters. Returns the value's full length, E_NOENT when no
// word has that key, E_TOOBIG when the value did not fit (buf then holds the cut value). A NULL
// cmdline or key, an empty key, or a NULL buf with cap > 0 panics; buf may be NULL with cap 0.
int cmdline_get(const char *cmdline, const char *key, char *buf, size_t cap);

// Reads `key=<decimal>` into *out. Returns 0, E_NOENT when the key is absent, E_INVAL when the
// value is empty or not all decimal digits, E_RANGE when it exceeds UINT32_MAX. *out is written
// only on success.
int cmdline_get_u32(const char *cmdline, const char *key, uint32_t *out);
