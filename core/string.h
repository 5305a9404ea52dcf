// The C library's memory and string functions that freestanding code (and the compiler's own
// generated calls) need. The kernel links these under their standard names; the host unit tests
// build the same file under core_ names and compare it with libc.
#pragma once

#include <stddef.h>

// Fill n bytes at dst with (unsigned char)c; returns dst. n 0 touches nothing.
void *memset(void *dst, int c, size_t n);
// Copy n bytes; the ranges must not overlap (use memmove when they may). Returns dst.
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
// Copy n bytes, correct for overlapping ranges. Returns dst.
void *memmove(void *dst, const void *src, size_t n);
// Compare n bytes as unsigned char: <0, 0 or >0 as a sorts before, equal to or after b.
int memcmp(const void *a, const void *b, size_t n);
// Length of a NUL-terminated string.
size_t strlen(const char *s);
// Length of s, but at most max (s need not be terminated within max bytes).
size_t strnlen(const char *s, size_t max);
// Compare strings as unsigned char; strncmp stops after n characters.
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
