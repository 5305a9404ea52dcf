// The coverage stream writer (see kcov_stream.h). Freestanding: no libc, only libgcov's
// __gcov_info_to_gcda.
#include "kernel/coverage/kcov_stream.h"

#include <stdint.h>

// libgcov (gcc >= 12): calls filename_fn once with the unit's .gcda path, then dump_fn with the
// .gcda bytes in pieces; allocate_fn only for value-profiling counters, which --coverage does
// not emit.
void __gcov_info_to_gcda(const struct gcov_info *info, void (*filename_fn)(const char *, void *),
                         void (*dump_fn)(const void *, unsigned, void *),
                         void *(*allocate_fn)(unsigned, void *), void *arg);

#define FNV_OFFSET 2166136261u
#define FNV_PRIME  16777619u

struct writer {
    void (*out)(const void *bytes, size_t len, void *ctx);
    void *ctx;
    uint32_t total_hash; // FNV-1a of everything sent so far
    // Per unit, while measuring (send == 0) or sending (send == 1):
    int send;
    const char *name;
    uint32_t len, hash;
};

static uint32_t fnv(uint32_t h, const void *bytes, size_t len)
{
    const uint8_t *p = bytes;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

static void emit(struct writer *w, const void *bytes, size_t len)
{
    w->total_hash = fnv(w->total_hash, bytes, len);
    w->out(bytes, len, w->ctx);
}

static void emit_u32(struct writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    emit(w, b, sizeof(b));
}

static size_t length(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

// The record's checksum covers the name, then the data: seeded here, continued by on_data.
static void on_filename(const char *name, void *arg)
{
    struct writer *w = arg;
    w->name = name != NULL ? name : "";
    if (!w->send)
        w->hash = fnv(FNV_OFFSET, w->name, length(w->name));
}

static void on_data(const void *bytes, unsigned len, void *arg)
{
    struct writer *w = arg;
    if (w->send)
        emit(w, bytes, len);
    else {
        w->len += len;
        w->hash = fnv(w->hash, bytes, len);
    }
}

static void *no_allocation(unsigned size, void *arg)
{
    (void)size;
    (void)arg;
    return NULL; // only value-profiling counters ask; --coverage has none
}

unsigned kcov_write(const struct gcov_info *const *begin, const struct gcov_info *const *end,
                    void (*out)(const void *bytes, size_t len, void *ctx), void *ctx)
{
    struct writer w = {.out = out, .ctx = ctx, .total_hash = FNV_OFFSET};
    unsigned units = 0;
    for (const struct gcov_info *const *info = begin; info < end; info++) {
        if (*info == NULL)
            continue;
        w.send = 0; // measure: the data's length, and the record's checksum
        w.len = 0;
        __gcov_info_to_gcda(*info, on_filename, on_data, no_allocation, &w);
        uint32_t data_len = w.len, unit_hash = w.hash;
        size_t name_len = length(w.name);
        emit(&w, "KCOV", 4);
        emit_u32(&w, (uint32_t)name_len);
        emit(&w, w.name, name_len);
        emit_u32(&w, data_len);
        w.send = 1;
        __gcov_info_to_gcda(*info, on_filename, on_data, no_allocation, &w);
        emit_u32(&w, unit_hash);
        units++;
    }
    uint32_t total = w.total_hash;
    emit(&w, "KEND", 4);
    emit_u32(&w, units);
    emit_u32(&w, total);
    return units;
}
