// Heap trace files (docs/heap-trace.md) read into bench_alloc's traces (alloc_traces.h), so that
// `bench_alloc --trace FILE` replays what a kernel really asked of its heap (make heap-trace
// records one) on every allocator. Header-only, for bench_alloc.c and its unit test
// (test/unit/test_alloc_tracefile.c); every function is static.
//
// The format, as this reader takes it (core/heaptrace.h writes it):
//   line 1     "heaptrace 1": the format and its version; another version is refused by name
//   comments   a blank line, or one whose first character that is not a space or tab is '#'
//   records    OP SIZE ALIGN ADDRESS RESULT, the fields separated by spaces or tabs
//     OP       alloc | free | grow
//     SIZE     decimal, 0 .. 2^64-1              bytes asked for (grow: of the request it served)
//     ALIGN    decimal, 0 .. 2^64-1              the alignment asked for
//     ADDRESS  0x and hex digits, below 2^64     alloc: the block (0x0: NULL); free: the pointer;
//                                                grow: where the new bytes start
//     RESULT   decimal with an optional '-'      alloc: 0; free: its return code (0: freed);
//                                                grow: the bytes the heap gained (0: none)
//   Every line ends in "\n", the last one included (a trace without it was cut short).
//
// From the records to the replay's operations:
//   alloc with a block: its SIZE (1 .. 2^32-1) and ALIGN (a power of two) are replayed, on a slot
//     of its own until it is freed. ADDRESS must be aligned to ALIGN and not be a live block.
//   alloc of NULL: the kernel's design could not serve it: not replayed (so nothing depends on
//     another design failing the same way; counted).
//   free with RESULT 0: ADDRESS must be a live block and SIZE and ALIGN those of its alloc; its
//     slot is freed. A free of 0x0 does nothing, and a free with another RESULT was refused by the
//     kernel's design: neither is replayed (counted).
//   grow: RESULT must not be negative; the sum of every grow's RESULT (the first one is the
//     initial region) is the heap the kernel ended with, which becomes the trace's nominal heap
//     (the region of the "occ@fail" replay, rounded up to 4 KiB): "would this design have fit
//     this run in the memory the recorded one had?". Where the heap grew is not replayed: the
//     replay's region is fixed, and the system allocators have no grow.
//   A size or alignment below 8 is replayed as 8 (the replay stores an 8-byte word at the start of
//   each block; counted as raised). Blocks still live when the trace ends (a run stopped by
//   heap_trace_max, or blocks a scenario kept) are freed at its end, in slot order.
// Anything else is refused: the message names the file, the line and the column at fault.
#pragma once

#include "core/heaptrace.h"
#include "test/bench/alloc_tracefile_parts.h"
#include "test/bench/alloc_traces.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TF static __attribute__((unused))

#define TF_MIN_WORD 8u // the replay stores one uint64_t in every block

// What a file held beyond the operations it became.
struct tracefile_info {
    size_t records;       // record lines
    size_t allocs, frees; // replayed
    size_t grows;         // grow records
    size_t null_allocs;   // allocs the kernel got NULL for, not replayed
    size_t skipped_frees; // frees of 0x0 or refused by the kernel's design, not replayed
    size_t raised;        // replayed allocs whose size or alignment was raised to 8
    size_t left_live;     // blocks live at the end, freed by the replay
    uint64_t grown;       // the sum of the grows' results
};

struct tf_parser {
    const char *path, *end;
    const char *line_start;
    size_t line;
    char *err;
    size_t cap;
    struct tgen g;
    struct tracefile_info *info;
    struct tf_table live; // the live blocks, by address
    // Per slot, what its live block's record said.
    uint64_t *size_at, *align_at;
    size_t *line_at;
    size_t slots_cap;
};

// Reports the error at column col (from 1) of the current line. Returns -1.
static int tf_fail(struct tf_parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int tf_fail(struct tf_parser *ps, const char *at, const char *fmt, ...)
{
    int n = snprintf(ps->err, ps->cap, "%s:%zu:%zu: ", ps->path, ps->line,
                     (size_t)(at - ps->line_start) + 1);
    if (n >= 0 && (size_t)n < ps->cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err + n, ps->cap - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

// ---- records -------------------------------------------------------------------------------------

// Keeps the per-slot arrays as large as the generator's slots.
static void tf_track(struct tf_parser *ps, uint32_t slot, uint64_t size, uint64_t align)
{
    if (slot >= ps->slots_cap) {
        ps->slots_cap = ps->slots_cap ? 2 * ps->slots_cap : 1024;
        ps->size_at = tg_xrealloc(ps->size_at, ps->slots_cap * sizeof(ps->size_at[0]));
        ps->align_at = tg_xrealloc(ps->align_at, ps->slots_cap * sizeof(ps->align_at[0]));
        ps->line_at = tg_xrealloc(ps->line_at, ps->slots_cap * sizeof(ps->line_at[0]));
    }
    ps->size_at[slot] = size;
    ps->align_at[slot] = align;
    ps->line_at[slot] = ps->line;
}

static int tf_alloc(struct tf_parser *ps, const struct tf_field *f, uint64_t size, uint64_t align,
                    uint64_t address, int64_t result)
{
    if (result != 0)
        return tf_fail(ps, f[4].at, "an alloc's result must be 0, not %" PRId64, result);
    if (address == 0) {
        ps->info->null_allocs++;
        return 0;
    }
    if (size == 0 || size > UINT32_MAX)
        return tf_fail(ps, f[1].at,
                       "an alloc that returned a block has a size of 1 to %" PRIu32
                       " bytes, not %" PRIu64,
                       UINT32_MAX, size);
    if (align == 0 || (align & (align - 1)) != 0)
        return tf_fail(ps, f[2].at,
                       "an alloc that returned a block has a power-of-two "
                       "alignment, not %" PRIu64,
                       align);
    if ((address & (align - 1)) != 0)
        return tf_fail(ps, f[3].at, "0x%" PRIx64 " is not aligned to %" PRIu64, address, align);
    struct tf_live *e = tf_find(&ps->live, address);
    if (e->address != 0)
        return tf_fail(ps, f[3].at,
                       "alloc returned 0x%" PRIx64 ", which is live (allocated "
                       "on line %zu)",
                       address, ps->line_at[e->slot]);
    uint8_t log2 = (uint8_t)__builtin_ctzll(align);
    uint32_t replayed = size < TF_MIN_WORD ? TF_MIN_WORD : (uint32_t)size;
    if (replayed != size || log2 < 3)
        ps->info->raised++;
    uint32_t slot = tg_alloc(&ps->g, replayed, log2 < 3 ? 3 : log2);
    tf_track(ps, slot, size, align);
    tf_insert(&ps->live, address, slot);
    ps->info->allocs++;
    return 0;
}

static int tf_free(struct tf_parser *ps, const struct tf_field *f, uint64_t size, uint64_t align,
                   uint64_t address, int64_t result)
{
    if (address == 0 || result != 0) {
        ps->info->skipped_frees++;
        return 0;
    }
    struct tf_live *e = tf_find(&ps->live, address);
    if (e->address == 0)
        return tf_fail(ps, f[3].at,
                       "free of 0x%" PRIx64 ", which is not a live block (never "
                       "allocated, or freed already)",
                       address);
    uint32_t slot = e->slot;
    if (size != ps->size_at[slot] || align != ps->align_at[slot])
        return tf_fail(ps, f[1].at,
                       "free of 0x%" PRIx64 " with size %" PRIu64 " align %" PRIu64
                       ", but line %zu allocated it with size %" PRIu64 " align %" PRIu64,
                       address, size, align, ps->line_at[slot], ps->size_at[slot],
                       ps->align_at[slot]);
    tf_remove(&ps->live, e);
    tg_free(&ps->g, slot);
    ps->info->frees++;
    return 0;
}

// Parses the record [p, eol).
static int tf_record(struct tf_parser *ps, const char *p, const char *eol)
{
    struct tf_field f[6];
    size_t n = tf_split(p, eol, f, 6);
    if (n != 5)
        return tf_fail(ps, n > 5 ? f[5].at : eol,
                       "a record has 5 fields (op size align address result), not %zu", n);
    uint64_t size, align, address;
    int64_t result;
    if (!tf_decimal(f[1], &size))
        return tf_fail(ps, f[1].at, "bad size '%s' (a decimal number below 2^64)", tf_show(f[1]));
    if (!tf_decimal(f[2], &align))
        return tf_fail(ps, f[2].at, "bad align '%s' (a decimal number below 2^64)", tf_show(f[2]));
    if (!tf_hex(f[3], &address))
        return tf_fail(ps, f[3].at, "bad address '%s' (0x and hex digits, below 2^64)",
                       tf_show(f[3]));
    if (!tf_signed(f[4], &result))
        return tf_fail(ps, f[4].at,
                       "bad result '%s' (a decimal number, '-' allowed, that "
                       "fits 64 bits)",
                       tf_show(f[4]));
    ps->info->records++;
    if (tf_word(f[0], "alloc"))
        return tf_alloc(ps, f, size, align, address, result);
    if (tf_word(f[0], "free"))
        return tf_free(ps, f, size, align, address, result);
    if (!tf_word(f[0], "grow"))
        return tf_fail(ps, f[0].at, "unknown op '%s' (alloc, free or grow)", tf_show(f[0]));
    if (result < 0)
        return tf_fail(ps, f[4].at, "a grow's result is the bytes gained, not %" PRId64, result);
    ps->info->grows++;
    ps->info->grown += (uint64_t)result;
    return 0;
}

// Checks the first line [p, eol): "heaptrace 1".
static int tf_header(struct tf_parser *ps, const char *p, const char *eol)
{
    struct tf_field f[3];
    size_t n = tf_split(p, eol, f, 3);
    uint64_t version;
    if (n == 0 || !tf_word(f[0], "heaptrace"))
        return tf_fail(ps, p, "not a heap trace: the first line must be 'heaptrace %d'",
                       HTRACE_VERSION);
    if (n == 1 || !tf_decimal(f[1], &version))
        return tf_fail(ps, n == 1 ? eol : f[1].at, "the header's version must be a number");
    if (version != HTRACE_VERSION)
        return tf_fail(ps, f[1].at,
                       "heap trace version %" PRIu64 " is not supported (this reader "
                       "knows version %d)",
                       version, HTRACE_VERSION);
    if (n > 2)
        return tf_fail(ps, f[2].at, "unexpected '%s' after the header's version", tf_show(f[2]));
    return 0;
}

// ---- the file ------------------------------------------------------------------------------------

static void tf_release(struct tf_parser *ps)
{
    free(ps->g.size_of);
    free(ps->g.align_of);
    free(ps->g.spare);
    free(ps->live.e);
    free(ps->size_at);
    free(ps->align_at);
    free(ps->line_at);
}

// Frees the blocks still live, in slot order, and sets the nominal heap.
static void tf_finish(struct tf_parser *ps)
{
    struct alloc_trace *t = ps->g.t;
    for (uint32_t slot = 0; slot < t->nslots; slot++) {
        if (ps->g.size_of[slot] != 0) {
            tg_free(&ps->g, slot);
            ps->info->left_live++;
        }
    }
    uint64_t heap = ps->info->grown != 0 ? ps->info->grown : t->peak_live + t->peak_live / 4;
    t->heap = heap > SIZE_MAX - 4095 ? SIZE_MAX & ~(size_t)4095 : ((size_t)heap + 4095) & ~4095ul;
}

// Frees what tracefile_parse or tracefile_load put into t.
TF void tracefile_free(struct alloc_trace *t)
{
    free(t->ops);
    free((char *)t->what);
    *t = (struct alloc_trace){0};
}

// Parses the heap trace [text, text + len), read from the file `path` (named in messages and, its
// last component without ".trace", the trace's name), into t, with what it held beyond the
// operations in *info. Returns 0, or -1 with "path:line:column: what is wrong" in err (cut to
// cap - 1 characters); t is then empty. Every operation's size is at least 8 and every block is
// freed by the end, as bench_alloc's replay wants.
TF int tracefile_parse(const char *path, const char *text, size_t len, struct alloc_trace *t,
                       struct tracefile_info *info, char *err, size_t cap)
{
    *t = (struct alloc_trace){0};
    *info = (struct tracefile_info){0};
    struct tf_parser ps = {
        .path = path, .end = text + len, .err = err, .cap = cap, .g = {.t = t}, .info = info};
    tf_table(&ps.live, 1024);
    int rc = 0;
    for (const char *p = text; rc == 0 && p < ps.end;) {
        const char *eol = memchr(p, '\n', (size_t)(ps.end - p));
        ps.line++;
        ps.line_start = p;
        if (eol == NULL) {
            rc = tf_fail(&ps, ps.end,
                         "the last line does not end in a newline (a trace cut "
                         "short?)");
            break;
        }
        const char *q = p;
        while (q < eol && (*q == ' ' || *q == '\t'))
            q++;
        if (ps.line == 1)
            rc = tf_header(&ps, p, eol);
        else if (q < eol && *q != '#')
            rc = tf_record(&ps, p, eol);
        p = eol + 1;
    }
    if (rc == 0 && ps.line == 0) {
        ps.line = 1;
        ps.line_start = text;
        rc = tf_fail(&ps, text, "empty file: not a heap trace");
    }
    if (rc == 0) {
        tf_finish(&ps);
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        size_t n = strlen(base);
        n -= n > 6 && strcmp(base + n - 6, ".trace") == 0 ? 6 : 0;
        snprintf(t->name, sizeof(t->name), "%.*s", (int)n, base);
        char what[160];
        snprintf(what, sizeof(what), "%s: %zu records, %zu grows, %zu NULL allocs, %zu left live",
                 path, info->records, info->grows, info->null_allocs, info->left_live);
        t->what = strcpy(tg_xrealloc(NULL, strlen(what) + 1), what);
    }
    tf_release(&ps);
    if (rc != 0)
        tracefile_free(t);
    return rc;
}

// Reads the file at path and parses it as tracefile_parse does; a file that cannot be read is
// reported as "path: reason".
TF int tracefile_load(const char *path, struct alloc_trace *t, struct tracefile_info *info,
                      char *err, size_t cap)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, got = 0;
    while (f != NULL) {
        text = tg_xrealloc(text, len = len ? 2 * len : 65536);
        got += fread(text + got, 1, len - got, f);
        if (got < len)
            break;
    }
    if (f == NULL || ferror(f)) {
        snprintf(err, cap, "%s: %s", path, strerror(f == NULL ? errno : EIO));
        if (f != NULL)
            fclose(f);
        free(text);
        *t = (struct alloc_trace){0};
        return -1;
    }
    fclose(f);
    int rc = tracefile_parse(path, text, got, t, info, err, cap);
    free(text);
    return rc;
}

// bench_alloc's loader: reads files[0..nfiles) into traces[*n ...], advancing *n, and prints a
// line about each as traces_build_all does (its heading first when no generated trace came
// before). A trace with no operation to replay is reported and left out; a file that cannot be
// read or is not a well-formed trace stops the program with the message (exit status 1).
TF void tracefiles_load(const char *const *files, size_t nfiles, struct alloc_trace *traces,
                        size_t *n)
{
    if (*n == 0 && nfiles > 0)
        printf("%-14s %7s %11s %11s  %s\n", "trace", "ops", "peak live", "small heap", "what");
    for (size_t i = 0; i < nfiles; i++) {
        struct alloc_trace *t = &traces[*n];
        struct tracefile_info info;
        char err[512];
        if (tracefile_load(files[i], t, &info, err, sizeof(err)) != 0) {
            fprintf(stderr, "bench_alloc: %s\n", err);
            exit(1);
        }
        if (t->nops == 0) {
            printf("%-14s %7s  %s: no heap operation to replay, left out\n", t->name, "-",
                   files[i]);
            tracefile_free(t);
            continue;
        }
        printf("%-14s %7zu %8.1f KiB %7zu KiB  %s\n", t->name, t->nops, (double)t->peak_live / 1024,
               t->heap >> 10, t->what);
        (*n)++;
    }
}
