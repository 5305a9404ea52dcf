// The pieces the heap trace reader (alloc_tracefile.h) is built from: the fields of a record line
// and their numbers, and the table of live blocks by address that turns addresses into the
// replay's slots. Header-only, for alloc_tracefile.h; every function is static.
#pragma once

#include "test/bench/alloc_traces.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// One live block: its address (0: an empty entry of the table) and slot.
struct tf_live {
    uint64_t address;
    uint32_t slot;
};

// Open addressing with linear probing: cap entries (a power of two), len of them used.
struct tf_table {
    struct tf_live *e;
    size_t cap, len;
};

// ---- the live blocks, by address ---------------------------------------------------------------

static size_t tf_hash(uint64_t a)
{
    a ^= a >> 33;
    a *= 0xff51afd7ed558ccdull;
    return (size_t)(a ^ (a >> 33));
}

// The entry holding address (never 0), or the empty entry where it would go.
static struct tf_live *tf_find(struct tf_table *t, uint64_t address)
{
    size_t i = tf_hash(address) & (t->cap - 1);
    while (t->e[i].address != 0 && t->e[i].address != address)
        i = (i + 1) & (t->cap - 1);
    return &t->e[i];
}

// Makes t an empty table of cap entries (a power of two); what it held before is the caller's.
static void tf_table(struct tf_table *t, size_t cap)
{
    t->cap = cap;
    t->e = tg_xrealloc(NULL, cap * sizeof(t->e[0]));
    memset(t->e, 0, cap * sizeof(t->e[0]));
}

// Adds address (not 0, not in t) with its slot.
static void tf_insert(struct tf_table *t, uint64_t address, uint32_t slot)
{
    if (2 * (t->len + 1) > t->cap) { // keep the table at most half full
        struct tf_live *old = t->e;
        size_t old_cap = t->cap;
        tf_table(t, 2 * old_cap);
        for (size_t i = 0; i < old_cap; i++) {
            if (old[i].address != 0)
                *tf_find(t, old[i].address) = old[i];
        }
        free(old);
    }
    *tf_find(t, address) = (struct tf_live){address, slot};
    t->len++;
}

// Removes entry e, moving later entries of its run back so that every lookup still finds them.
static void tf_remove(struct tf_table *t, struct tf_live *e)
{
    size_t mask = t->cap - 1, i = (size_t)(e - t->e), j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (t->e[j].address == 0)
            break;
        size_t home = tf_hash(t->e[j].address) & mask;
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            t->e[i] = t->e[j];
            i = j;
        }
    }
    t->e[i].address = 0;
    t->len--;
}

// ---- fields --------------------------------------------------------------------------------------

struct tf_field {
    const char *at;
    size_t len;
};

// A field's text for a message: at most 24 characters, anything unprintable as '?'.
static const char *tf_show(struct tf_field f)
{
    static char buf[32];
    size_t n = f.len < 24 ? f.len : 24;
    for (size_t i = 0; i < n; i++)
        buf[i] = f.at[i] >= 0x20 && f.at[i] < 0x7f ? f.at[i] : '?';
    strcpy(buf + n, f.len > n ? "..." : "");
    return buf;
}

static bool tf_decimal(struct tf_field f, uint64_t *out)
{
    uint64_t v = 0;
    for (size_t i = 0; i < f.len; i++) {
        unsigned d = (unsigned)(f.at[i] - '0');
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return f.len > 0;
}

static bool tf_hex(struct tf_field f, uint64_t *out)
{
    if (f.len < 3 || f.at[0] != '0' || f.at[1] != 'x')
        return false;
    uint64_t v = 0;
    for (size_t i = 2; i < f.len; i++) {
        char c = f.at[i];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16;
        if (d > 15 || v >> 60 != 0)
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static bool tf_signed(struct tf_field f, int64_t *out)
{
    bool neg = f.len > 0 && f.at[0] == '-';
    uint64_t mag;
    if (!tf_decimal((struct tf_field){f.at + neg, f.len - neg}, &mag))
        return false;
    if (mag > (uint64_t)INT64_MAX + neg)
        return false;
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

// Splits [p, eol) into fields, storing the first max of them in f; returns how many there are.
static size_t tf_split(const char *p, const char *eol, struct tf_field *f, size_t max)
{
    size_t n = 0;
    for (;;) {
        while (p < eol && (*p == ' ' || *p == '\t'))
            p++;
        if (p == eol)
            return n;
        const char *at = p;
        while (p < eol && *p != ' ' && *p != '\t')
            p++;
        if (n < max)
            f[n] = (struct tf_field){at, (size_t)(p - at)};
        n++;
    }
}

static bool tf_word(struct tf_field f, const char *w)
{
    return f.len == strlen(w) && memcmp(f.at, w, f.len) == 0;
}
