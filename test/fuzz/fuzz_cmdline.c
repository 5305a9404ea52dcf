// libFuzzer target for core/cmdline. The input up to its first NUL byte is the command line (all
// of it when it has none); the NUL-separated pieces after it are extra keys. Every key (a fixed
// list, the extra keys, and the key and the whole text of each of the line's first words) is
// looked up with cmdline_get at capacities 0, 1, 2, the value's length, one more, 64 and SIZE_MAX,
// each into a buffer of exactly that many bytes (AddressSanitizer poisons what follows it),
// and with cmdline_get_u32 and cmdline_count; cmdline_next_unknown walks the line with several
// known sets; cmdline_fit cuts it at several limits. Every answer is compared with a reference
// model of core/cmdline.h written here: words are split at spaces only, a word's key is its text
// up to the first '=' (a key with '=' or a space is therefore no word's key), the last word with
// the key wins, the u32 value is computed independently with overflow detection, and a cut keeps
// the longest prefix within the limit that ends where a word ends.
#include <limits.h>
#include <sanitizer/asan_interface.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmdline.h"
#include "core/err.h"

#define MAX_WORDS  4096 // an 8 KiB line has at most 4096 words; the model keeps the first ones
#define MAX_EXTRA  8    // extra keys taken from the input
#define WORD_PROBE 8    // the first words whose key and text are looked up

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "test/fuzz/fuzz_check.h"

// One word of the line: [start, start + len), its key [start, start + klen).
struct word {
    size_t start, len, klen;
};

static struct model {
    const char *line;
    size_t nwords; // all words, even past MAX_WORDS (only the first MAX_WORDS are kept)
    struct word w[MAX_WORDS];
} m;

static void split(const char *line)
{
    m.line = line;
    m.nwords = 0;
    for (size_t i = 0; line[i] != '\0';) {
        if (line[i] == ' ') {
            i++;
            continue;
        }
        size_t start = i, klen = SIZE_MAX;
        for (; line[i] != '\0' && line[i] != ' '; i++) {
            if (line[i] == '=' && klen == SIZE_MAX)
                klen = i - start;
        }
        if (m.nwords < MAX_WORDS)
            m.w[m.nwords] = (struct word){start, i - start, klen == SIZE_MAX ? i - start : klen};
        m.nwords++;
    }
}

// Whether word w's key is key (compared byte by byte, without the library under test).
static bool key_is(const struct word *w, const char *key)
{
    size_t n = 0;
    while (key[n] != '\0')
        n++;
    if (n != w->klen)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (m.line[w->start + i] != key[i])
            return false;
    }
    return true;
}

// The last word with the key, or NULL, and through *count how many words have it. A line with
// more than MAX_WORDS words cannot be judged (its last word with the key may lie past them):
// *unknown is then set.
static const struct word *lookup_count(const char *key, bool *unknown, size_t *count)
{
    *unknown = m.nwords > MAX_WORDS;
    *count = 0;
    const struct word *last = NULL;
    for (size_t i = 0; i < m.nwords && i < MAX_WORDS; i++) {
        if (key_is(&m.w[i], key)) {
            last = &m.w[i];
            ++*count;
        }
    }
    return last;
}

static const struct word *lookup(const char *key, bool *unknown)
{
    size_t count;
    return lookup_count(key, unknown, &count);
}

static size_t value_len(const struct word *w)
{
    return w->len == w->klen ? 0 : w->len - w->klen - 1;
}

static const char *value_of(const struct word *w)
{
    return m.line + w->start + (w->len == w->klen ? w->klen : w->klen + 1);
}

// The buffers cmdline_get writes: the first `bytes` of this one, the rest poisoned (ASan sees a
// write past them); malloc for longer values.
static _Alignas(8) char capbuf[4096 + 8];

static char *get_buffer(size_t bytes)
{
    if (bytes > sizeof(capbuf))
        return malloc(bytes);
    ASAN_POISON_MEMORY_REGION(capbuf, sizeof(capbuf));
    ASAN_UNPOISON_MEMORY_REGION(capbuf, bytes);
    return capbuf;
}

static void put_buffer(char *buf)
{
    if (buf != capbuf)
        free(buf);
    ASAN_UNPOISON_MEMORY_REGION(capbuf, sizeof(capbuf));
}

static void check_get_cap(const char *key, const struct word *w, size_t cap)
{
    size_t len = w != NULL ? value_len(w) : 0;
    // Past INT_MAX the function uses only len + 1 bytes: a buffer of that size shows an overrun.
    size_t bytes = cap > len + 1 ? len + 1 : cap;
    char *buf = bytes > 0 ? get_buffer(bytes) : NULL;
    if (bytes > 0)
        memset(buf, 0x5a, bytes);
    int rc = cmdline_get(m.line, key, buf, cap);
    if (w == NULL) {
        CHECK(rc == E_NOENT, "get(\"%s\", cap %zu) = %d, no word has the key", key, cap, rc);
    } else {
        int expect = len < cap ? (int)len : E_TOOBIG;
        CHECK(rc == expect, "get(\"%s\", cap %zu) = %d, expected %d (value length %zu)", key, cap,
              rc, expect, len);
        if (cap > 0) {
            size_t n = len < cap - 1 ? len : cap - 1;
            CHECK(memcmp(buf, value_of(w), n) == 0 && buf[n] == '\0',
                  "get(\"%s\", cap %zu): buffer is not the value's first %zu bytes and a NUL", key,
                  cap, n);
        }
    }
    if (buf != NULL)
        put_buffer(buf);
}

static void check_get(const char *key)
{
    bool unknown;
    const struct word *w = lookup(key, &unknown);
    if (unknown)
        return;
    size_t len = w != NULL ? value_len(w) : 0;
    const size_t caps[] = {0, 1, 2, len, len + 1, 64, (size_t)INT_MAX + 2, SIZE_MAX};
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        check_get_cap(key, w, caps[i]);
}

// The u32 model: all digits and at least one, value by 64-bit arithmetic that stops counting
// once past UINT32_MAX (leading zeros do not count towards it).
static int model_u32(const struct word *w, uint32_t *out)
{
    size_t len = value_len(w);
    const char *v = value_of(w);
    if (len == 0)
        return E_INVAL;
    uint64_t n = 0;
    bool big = false;
    for (size_t i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return E_INVAL;
        if (!big)
            n = n * 10 + (uint64_t)(v[i] - '0');
        big = big || n > UINT32_MAX;
    }
    if (big)
        return E_RANGE;
    *out = (uint32_t)n;
    return 0;
}

static void check_get_u32(const char *key)
{
    bool unknown;
    const struct word *w = lookup(key, &unknown);
    if (unknown)
        return;
    uint32_t got = 0xdeadbeef, want = 0;
    int rc = cmdline_get_u32(m.line, key, &got);
    int expect = w != NULL ? model_u32(w, &want) : E_NOENT;
    CHECK(rc == expect, "get_u32(\"%s\") = %d, expected %d", key, rc, expect);
    if (rc == 0)
        CHECK(got == want, "get_u32(\"%s\") read %u, expected %u", key, got, want);
    else
        CHECK(got == 0xdeadbeef, "get_u32(\"%s\") failed with %d but wrote %u", key, rc, got);
}

static void check_count(const char *key)
{
    bool unknown;
    size_t want;
    const struct word *w = lookup_count(key, &unknown, &want);
    if (unknown)
        return;
    const char *sentinel = "sentinel", *word = sentinel;
    size_t len = 12345;
    size_t got = cmdline_count(m.line, key, &word, &len);
    CHECK(got == want, "count(\"%s\") = %zu, expected %zu", key, got, want);
    if (w != NULL)
        CHECK(word == m.line + w->start && len == w->len,
              "count(\"%s\") points at +%td (%zu bytes), expected the last word at +%zu (%zu)", key,
              word == sentinel ? -1 : word - m.line, len, w->start, w->len);
    else
        CHECK(word == sentinel && len == 12345, "count(\"%s\") wrote its outputs for no word", key);
}

// cmdline_fit over a copy of exactly len bytes (no NUL: ASan catches a read past them), at limits
// around the line's length and its words.
static void check_fit(const char *line)
{
    size_t len = strlen(line);
    char *copy = malloc(len > 0 ? len : 1);
    memcpy(copy, line, len);
    const size_t limits[] = {0, 1, len / 2, len > 0 ? len - 1 : 0, len, 4096, SIZE_MAX};
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        size_t want = len;
        if (len > limits[i]) {
            want = limits[i];
            while (want > 0 && !(line[want] == ' ' && line[want - 1] != ' '))
                want--;
        }
        size_t got = cmdline_fit(copy, len, limits[i]);
        CHECK(got == want, "fit(%zu bytes, limit %zu) = %zu, expected %zu", len, limits[i], got,
              want);
    }
    free(copy);
}

static bool known_word(const struct word *w, const char *const *known, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (known[i][0] != '\0' && key_is(w, known[i]))
            return true;
    }
    return false;
}

// Walks the line with cmdline_next_unknown: the words the model finds unknown, in order, then 0.
static void check_unknown(const char *const *known, size_t n)
{
    if (m.nwords > MAX_WORDS)
        return;
    const char *cursor = m.line, *sentinel = "sentinel";
    size_t next = 0;
    for (;;) {
        while (next < m.nwords && known_word(&m.w[next], known, n))
            next++;
        const char *word = sentinel;
        size_t len = cmdline_next_unknown(&cursor, known, n, &word);
        if (next == m.nwords) {
            CHECK(len == 0 && word == sentinel, "next_unknown found \"%.*s\" past the last one",
                  (int)len, word);
            return;
        }
        const struct word *w = &m.w[next];
        CHECK(len == w->len && word == m.line + w->start,
              "next_unknown = %zu at +%td, expected word %zu: %zu at +%zu", len,
              word == sentinel ? -1 : word - m.line, next, w->len, w->start);
        // Past the word, and no further than the next word's start.
        size_t upto = next + 1 < m.nwords ? m.w[next + 1].start : strlen(m.line);
        CHECK(cursor >= word + len && cursor <= m.line + upto,
              "next_unknown left the cursor at +%td after the word at +%zu", cursor - m.line,
              w->start);
        next++;
    }
}

static void check_key(const char *key)
{
    if (key[0] == '\0')
        return; // an empty key is a caller bug (it panics)
    check_get(key);
    check_get_u32(key);
    check_count(key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The line and the extra keys, each NUL-terminated, in one copy of the input.
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    split(text);

    static const char *const fixed[] = {
        "alloc", "console", "root", "hz", "quiet", "a", "x=", "a=b", "a b", "=", "=x", " ",
    };
    const char *extra[MAX_EXTRA];
    size_t nextra = 0;
    for (size_t at = strlen(text) + 1; at <= size && nextra < MAX_EXTRA;) {
        extra[nextra++] = text + at;
        at += strlen(text + at) + 1;
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        check_key(fixed[i]);
    for (size_t i = 0; i < nextra; i++)
        check_key(extra[i]);

    // Each early word's key, and its whole text (which has '=' when it has a value).
    char key[64];
    for (size_t i = 0; i < m.nwords && i < WORD_PROBE; i++) {
        const struct word *w = &m.w[i];
        size_t n = w->klen < sizeof(key) - 1 ? w->klen : sizeof(key) - 1;
        memcpy(key, text + w->start, n);
        key[n] = '\0';
        check_key(key);
        n = w->len < sizeof(key) - 1 ? w->len : sizeof(key) - 1;
        memcpy(key, text + w->start, n);
        key[n] = '\0';
        check_key(key);
    }

    check_unknown(NULL, 0);
    check_unknown(fixed, sizeof(fixed) / sizeof(fixed[0]));
    check_unknown(extra, nextra);
    const char *first[] = {"", key}; // an empty known key matches nothing; key: the last probe
    check_unknown(first, m.nwords > 0 ? 2 : 1);
    check_fit(text);
    free(text);
    return 0;
}
