// The SVG sheets of bench_alloc's heap pictures (test/bench/alloc_picture.h takes the snapshots):
// one sheet per trace, a row per design, its two moments side by side. A snapshot draws the bytes
// [0, span) from the region's start, wrapped into rows of a power-of-two number of bytes (the
// same for both moments of a design, chosen so its larger span fits SVG_MAX_ROWS rows of
// SVG_WIDTH pixels) in three colours: used (the requested bytes of live blocks), free (the
// design's free memory, from walk_free) and overhead (the rest of the span). Blocks are drawn in
// byte coordinates under a scaling transform, so detail finer than a pixel blends its colours.
// Header-only, for bench_alloc.c alone; every function is static.
#pragma once

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SVG_WIDTH    512 // pixels in a row of heap
#define SVG_MAX_ROWS 48
#define SVG_PITCH    5 // pixels from one row to the next: 4 of heap, 1 of gap
#define SVG_MARGIN   20
#define SVG_GAP      40 // between the two moments

enum svg_kind { SVG_USED, SVG_FREE }; // overhead is what neither covers

static const char *const svg_colour[] = {"#3f6fb5", "#9ed79a"};
#define SVG_OVERHEAD "#f0954e"

struct svg_run {
    size_t start, end; // offsets from the region's start
    enum svg_kind kind;
};

// The heap at one moment: sorted, merged runs of used and free bytes inside [0, span).
struct svg_snap {
    bool reached; // false when the design ran out of the region before this moment
    size_t op;    // the ops applied
    size_t span;  // the high-water mark
    size_t live, free;
    struct svg_run *runs;
    size_t n, cap;
};

struct svg_row {
    const char *design;
    const struct svg_snap *snap; // [0] the peak, [1] the end
    size_t oom_op;               // the op whose alloc failed, or the trace's length
};

struct svg_sheet {
    const char *trace, *what;
    size_t ops;
    uint64_t seed;
    size_t region_size;
};

static void svg_snap_reset(struct svg_snap *s, size_t op, size_t span)
{
    s->reached = true;
    s->op = op;
    s->span = span;
    s->n = s->live = s->free = 0;
}

// Adds [start, start + size) of kind, the part below span for free memory.
static void svg_snap_add(struct svg_snap *s, size_t start, size_t size, enum svg_kind kind)
{
    size_t end = start + size;
    if (kind == SVG_FREE)
        end = end < s->span ? end : s->span;
    if (start >= end)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 1024;
        s->runs = realloc(s->runs, s->cap * sizeof(s->runs[0]));
        if (s->runs == NULL) {
            fprintf(stderr, "bench_alloc: out of memory for the pictures\n");
            exit(1);
        }
    }
    s->runs[s->n++] = (struct svg_run){start, end, kind};
    *(kind == SVG_USED ? &s->live : &s->free) += end - start;
}

static int svg_run_cmp(const void *a, const void *b)
{
    const struct svg_run *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

// Sorts the runs and merges the ones that touch and are of one kind; false if two overlap.
static bool svg_snap_finish(struct svg_snap *s)
{
    qsort(s->runs, s->n, sizeof(s->runs[0]), svg_run_cmp);
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (m > 0 && s->runs[i].start < s->runs[m - 1].end)
            return false;
        if (m > 0 && s->runs[i].start == s->runs[m - 1].end &&
            s->runs[i].kind == s->runs[m - 1].kind)
            s->runs[m - 1].end = s->runs[i].end;
        else
            s->runs[m++] = s->runs[i];
    }
    s->n = m;
    return true;
}

// ---- writing -----------------------------------------------------------------------------------

static void svg_escaped(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else
            fputc(*s, f);
    }
}

// n bytes as "812 B", "81.3 KiB" or "12.4 MiB".
static const char *svg_bytes(char *buf, size_t cap, size_t n)
{
    if (n < 1024)
        snprintf(buf, cap, "%zu B", n);
    else if (n < (size_t)1 << 20)
        snprintf(buf, cap, "%.1f KiB", (double)n / 1024);
    else
        snprintf(buf, cap, "%.1f MiB", (double)n / (1 << 20));
    return buf;
}

// [a, b) as rectangles in (byte, row) units, rows of `row` bytes: the part of a first row, the
// whole rows in one, the part of a last row.
static void svg_run_path(FILE *f, size_t a, size_t b, size_t row)
{
    while (a < b) {
        size_t r = a / row, x = a % row;
        if (x == 0 && b - a >= row) {
            size_t n = (b - a) / row;
            fprintf(f, "M0 %zuh%zuv%zuh-%zuz", r, row, n, row);
            a += n * row;
        } else {
            size_t w = b - a < row - x ? b - a : row - x;
            fprintf(f, "M%zu %zuh%zuv1h-%zuz", x, r, w, w);
            a += w;
        }
    }
}

// The snapshot's picture with its top left at (x, y): the span in the overhead colour, then the
// free and used runs over it, then the gaps between rows and a frame.
static void svg_picture(FILE *f, const struct svg_snap *s, int x, int y, size_t row)
{
    size_t rows = s->span > 0 ? (s->span + row - 1) / row : 1;
    fprintf(f, "<g transform=\"translate(%d %d) scale(%.10g %d)\">\n<path fill=\"%s\" d=\"", x, y,
            (double)SVG_WIDTH / (double)row, SVG_PITCH, SVG_OVERHEAD);
    svg_run_path(f, 0, s->span, row);
    for (int kind = SVG_FREE; kind >= SVG_USED; kind--) {
        fprintf(f, "\"/>\n<path fill=\"%s\" d=\"", svg_colour[kind]);
        for (size_t i = 0; i < s->n; i++) {
            if (s->runs[i].kind == (enum svg_kind)kind)
                svg_run_path(f, s->runs[i].start, s->runs[i].end, row);
        }
    }
    fprintf(f, "\"/>\n</g>\n<path fill=\"#fff\" d=\"");
    for (size_t r = 1; r <= rows; r++)
        fprintf(f, "M%d %zuh%dv1h-%dz", x, y + r * SVG_PITCH - 1, SVG_WIDTH, SVG_WIDTH);
    fprintf(f,
            "\"/>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%zu\" fill=\"none\" "
            "stroke=\"#888\" stroke-width=\"0.5\"/>\n",
            x, y, SVG_WIDTH, rows * SVG_PITCH - 1);
}

// A line of text at (x, y) with extra attributes (style), printf-formatted and escaped.
__attribute__((format(printf, 5, 6))) static void svg_text(FILE *f, int x, int y, const char *style,
                                                           const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fprintf(f, "<text x=\"%d\" y=\"%d\" %s>", x, y, style);
    svg_escaped(f, buf);
    fputs("</text>\n", f);
}

// A moment's two caption lines at (x, y) and its picture below them.
static void svg_cell(FILE *f, const struct svg_row *r, int m, int x, int y, size_t row, size_t ops)
{
    const struct svg_snap *s = &r->snap[m];
    char a[32], b[32], c[32], d[32];
    const char *name = m == 0 ? "peak" : "end";
    if (!s->reached) {
        svg_text(f, x, y, "font-style=\"italic\" fill=\"#666\"",
                 "%s: not reached, the region ran out at op %zu of %zu", name, r->oom_op, ops);
        return;
    }
    svg_text(f, x, y, "", "%s, after op %zu of %zu: %s", name, s->op, ops,
             m == 0        ? "the most live bytes"
             : s->op < ops ? "the last allocation; only frees follow"
                           : "the trace's last");
    double pct = s->span > 0 ? 100.0 / (double)s->span : 0;
    size_t over = s->span - s->live - s->free;
    svg_text(f, x, y + 15, "", "span %s: used %s (%.1f%%), free %s (%.1f%%), overhead %s (%.1f%%)",
             svg_bytes(a, sizeof(a), s->span), svg_bytes(b, sizeof(b), s->live),
             (double)s->live * pct, svg_bytes(c, sizeof(c), s->free), (double)s->free * pct,
             svg_bytes(d, sizeof(d), over), (double)over * pct);
    svg_picture(f, s, x, y + 24, row);
}

// Bytes per row for a design: the least power of two, at least SVG_WIDTH / 16 (16 pixels a
// byte), that puts its larger span in SVG_MAX_ROWS rows.
static size_t svg_row_bytes(const struct svg_row *r)
{
    size_t span = 0, row = SVG_WIDTH / 16;
    for (int m = 0; m < 2; m++) {
        if (r->snap[m].reached && r->snap[m].span > span)
            span = r->snap[m].span;
    }
    while (span > row * SVG_MAX_ROWS)
        row *= 2;
    return row;
}

// The height in pixels of a design's part of the sheet, from its heading to the next one.
static size_t svg_row_height(const struct svg_row *r)
{
    size_t row = svg_row_bytes(r), rows = 1;
    for (int m = 0; m < 2; m++) {
        size_t k = (r->snap[m].span + row - 1) / row;
        if (r->snap[m].reached && k > rows)
            rows = k;
    }
    return 58 + rows * SVG_PITCH + 24;
}

// The design's heading at y: its name and the scale.
static void svg_heading(FILE *f, const struct svg_row *r, int y)
{
    char line[160], a[32];
    size_t row = svg_row_bytes(r), px = row / SVG_WIDTH;
    if (!r->snap[0].reached && !r->snap[1].reached)
        line[0] = '\0';
    else if (px > 0)
        snprintf(line, sizeof(line), "a row = %s, 1 px = %zu B", svg_bytes(a, sizeof(a), row), px);
    else
        snprintf(line, sizeof(line), "a row = %zu B, 1 B = %zu px", row, SVG_WIDTH / row);
    fprintf(f, "<text x=\"%d\" y=\"%d\"><tspan font-size=\"14\" font-weight=\"bold\">", SVG_MARGIN,
            y + 16);
    svg_escaped(f, r->design);
    fprintf(f, "</tspan>   %s</text>\n", line);
}

// The sheet's title, legend and note, from y = 0; returns the height they take.
static int svg_header(FILE *f, const struct svg_sheet *sh)
{
    svg_text(f, SVG_MARGIN, 28, "font-size=\"16\" font-weight=\"bold\"",
             "Heap at the peak and at the end of the trace %s", sh->trace);
    svg_text(f, SVG_MARGIN, 48, "",
             "%s; %zu ops, seed 0x%" PRIx64 ", replayed on each design over a %zu MiB region",
             sh->what, sh->ops, sh->seed, sh->region_size >> 20);
    static const char *const legend[] = {
        "used: the requested bytes of live blocks",
        "free: the design's free memory, as walk_free reports it (what it can still hand out)",
        "overhead: the rest of the span (rounding, alignment padding, headers, class blocks' "
        "slack, freed memory the design does not reuse yet)",
    };
    const char *colour[] = {svg_colour[SVG_USED], svg_colour[SVG_FREE], SVG_OVERHEAD};
    for (int i = 0; i < 3; i++) {
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", SVG_MARGIN,
                60 + 17 * i, colour[i]);
        svg_text(f, SVG_MARGIN + 18, 70 + 17 * i, "", "%s", legend[i]);
    }
    svg_text(f, SVG_MARGIN, 128, "fill=\"#444\"", "%s",
             "Addresses rise left to right and row by row from the region's start up to the span: "
             "the highest end of any block handed out so far.");
    svg_text(f, SVG_MARGIN, 143, "fill=\"#444\"", "%s",
             "A row holds the same bytes at both moments of a design; what is finer than a pixel "
             "blends its colours. The rest of the region, free and never touched, is not drawn.");
    return 160;
}

// Writes the sheet of rows[0..n) to path; false (errno set) if the file cannot be written.
static bool svg_write_sheet(const char *path, const struct svg_sheet *sh,
                            const struct svg_row *rows, size_t n)
{
    size_t height = 160;
    for (size_t i = 0; i < n; i++)
        height += svg_row_height(&rows[i]);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
            "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" "
            "fill=\"#fff\"/>\n",
            2 * SVG_MARGIN + 2 * SVG_WIDTH + SVG_GAP, height);
    int y = svg_header(f, sh);
    for (size_t i = 0; i < n; i++) {
        svg_heading(f, &rows[i], y);
        for (int m = 0; m < 2; m++)
            svg_cell(f, &rows[i], m, SVG_MARGIN + m * (SVG_WIDTH + SVG_GAP), y + 34,
                     svg_row_bytes(&rows[i]), sh->ops);
        y += (int)svg_row_height(&rows[i]);
    }
    fputs("</svg>\n", f);
    return fclose(f) == 0;
}
