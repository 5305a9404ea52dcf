// Kernel command line look-ups (see cmdline.h).
#include "core/cmdline.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/string.h"

#include <limits.h>
#include <stdbool.h>

// The next word at or after *s (words are separated by spaces): its start, with its length in
// *len and *s moved past it; NULL when only spaces are left.
static const char *next_word(const char **s, size_t *len)
{
    const char *p = *s;
    while (*p == ' ')
        p++;
    const char *word = p;
    while (*p != '\0' && *p != ' ')
        p++;
    *s = p;
    *len = (size_t)(p - word);
    return *len > 0 ? word : NULL;
}

// Whether the word [word, word + wlen) has the key [key, key + klen): it is the key alone or the
// key followed by '='. A word's key ends at its first '=', so a key holding one is no word's key
// (without this, "a=b" would match the word "a=b=c", whose key is "a").
static bool has_key(const char *word, size_t wlen, const char *key, size_t klen)
{
    if (wlen < klen || strncmp(word, key, klen) != 0 || (wlen != klen && word[klen] != '='))
        return false;
    for (size_t i = 0; i < klen; i++) {
        if (key[i] == '=')
            return false;
    }
    return true;
}

// Finds the last word with key `key`; returns its value and the value's length through *len, or
// NULL.
static const char *find_value(const char *s, const char *key, size_t *len)
{
    const char *word;
    size_t wlen;
    if (cmdline_count(s, key, &word, &wlen) == 0)
        return NULL;
    size_t klen = strlen(key);
    const char *value = wlen == klen ? word + klen : word + klen + 1;
    *len = (size_t)(word + wlen - value);
    return value;
}

// cmdline_get and cmdline_get_u32 leave their line and key to find_value's cmdline_count, which
// panics on the same bad ones.
int cmdline_get(const char *cmdline, const char *key, char *buf, size_t cap)
{
    KASSERT(buf != NULL || cap == 0);
    size_t len;
    const char *value = find_value(cmdline, key, &len);
    if (value == NULL)
        return E_NOENT;
    // The length is returned as an int: a value of INT_MAX bytes or more never fits.
    size_t room = cap > (size_t)INT_MAX ? (size_t)INT_MAX + 1 : cap;
    if (cap > 0) {
        size_t n = len < room - 1 ? len : room - 1;
        memcpy(buf, value, n);
        buf[n] = '\0';
    }
    return len < room ? (int)len : E_TOOBIG;
}

int cmdline_get_u32(const char *cmdline, const char *key, uint32_t *out)
{
    KASSERT(out != NULL);
    size_t len;
    const char *value = find_value(cmdline, key, &len);
    if (value == NULL)
        return E_NOENT;
    if (len == 0)
        return E_INVAL;
    // The whole value, in place: once the number is past UINT32_MAX only the digits are checked
    // (a bad character anywhere is E_INVAL, whatever the number would have been).
    uint32_t v = 0;
    bool overflow = false;
    for (size_t i = 0; i < len; i++) {
        if (value[i] < '0' || value[i] > '9')
            return E_INVAL;
        uint32_t digit = (uint32_t)(value[i] - '0');
        if (!overflow && v > (UINT32_MAX - digit) / 10)
            overflow = true;
        else if (!overflow)
            v = v * 10 + digit;
    }
    if (overflow)
        return E_RANGE;
    *out = v;
    return 0;
}

size_t cmdline_next_unknown(const char **cursor, const char *const *known, size_t n,
                            const char **word)
{
    KASSERT(cursor != NULL && *cursor != NULL && word != NULL);
    KASSERT(known != NULL || n == 0);
    size_t wlen;
    for (const char *w; (w = next_word(cursor, &wlen)) != NULL;) {
        size_t i = 0;
        for (; i < n; i++) {
            KASSERT(known[i] != NULL);
            if (known[i][0] != '\0' && has_key(w, wlen, known[i], strlen(known[i])))
                break;
        }
        if (i == n) {
            *word = w;
            return wlen;
        }
    }
    return 0;
}

size_t cmdline_count(const char *cmdline, const char *key, const char **word, size_t *len)
{
    KASSERT(cmdline != NULL && key != NULL && key[0] != '\0');
    KASSERT(word == NULL || len != NULL);
    size_t klen = strlen(key), wlen, count = 0;
    for (const char *w; (w = next_word(&cmdline, &wlen)) != NULL;) {
        if (!has_key(w, wlen, key, klen))
            continue;
        count++;
        if (word != NULL) {
            *word = w;
            *len = wlen;
        }
    }
    return count;
}

size_t cmdline_fit(const char *s, size_t len, size_t limit)
{
    KASSERT(s != NULL);
    if (len <= limit)
        return len;
    // s[limit] exists: the cut may fall right before it when it is a space.
    size_t cut = limit;
    while (cut > 0 && s[cut] != ' ')
        cut--;
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    return cut;
}
