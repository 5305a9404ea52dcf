// Pictures of fragmentation for bench_alloc: every arena design (every target of alloc_targets.h
// with `arena` set) replays every trace once more over the big region, and
//
//   * at two moments the heap is drawn: the peak, just after the first op that brings the live
//     bytes to the trace's highest; and the end, just after the trace's last allocation (when the
//     rest of the trace only frees, as every generated trace's drain of what it left live), or
//     after its last op if blocks are still live then. One SVG sheet per trace,
//     <out>/heap/<trace>.svg (test/bench/alloc_svg.h draws it): a row per design, the two moments
//     side by side;
//   * the live bytes and the live span (below) are sampled at every PIC_SAMPLES-th of the trace up
//     to its end moment, and at the end moment, into <out>/span_over_time.csv, one row per
//     sample: trace, design, op, ops, live, live_span, high_water (bytes).
//     test/bench/plot_span.gp draws live_span / live from it.
//
// Two spans, both measured from the region's start: the picture's span is the high-water mark,
// the highest end of any block handed out so far in the replay (what the table's span/live
// divides by the peak); the chart's live span is the highest end of any block live at that op,
// which falls again when the blocks at the top are freed, so its ratio to the live bytes
// measures the design's placement rather than the trace's history.
//
// Header-only, for bench_alloc.c alone; every function is static.
#pragma once

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L // mkdir under -std=c11 (and alloc_targets.h's setenv, strdup)
#endif

#include "test/bench/alloc_svg.h"
#include "test/bench/alloc_targets.h"
#include "test/bench/alloc_traces.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PIC_SAMPLES 400

// The replay's state: each slot's block and requested size, the live bytes, the high-water mark.
struct pic_replay {
    const struct alloc_target *tg;
    struct allocator *heap;
    unsigned char *region;
    unsigned char **ptr;
    uint32_t *size;
    size_t live, high;
    struct svg_snap *snap; // filled by pic_collect_free
};

// The op counts after which the trace is drawn: *peak, the first at the trace's peak live bytes;
// *end, after the last allocation, or nops when blocks are live at the end.
static void pic_moments(const struct alloc_trace *t, size_t *peak, size_t *end)
{
    size_t live = 0, most = 0, last_alloc = 0;
    *peak = 0;
    for (size_t i = 0; i < t->nops; i++) {
        if (t->ops[i].kind == TOP_ALLOC) {
            live += t->ops[i].size;
            last_alloc = i + 1;
            if (live > most) {
                most = live;
                *peak = i + 1;
            }
        } else {
            live -= t->ops[i].size;
        }
    }
    *end = live > 0 ? t->nops : last_alloc;
}

static void pic_die(const struct pic_replay *r, const char *what, size_t op)
{
    fprintf(stderr, "bench_alloc: pictures: %s on %s, op %zu\n", what, r->tg->name, op);
    exit(1);
}

static void pic_collect_free(void *ctx, uintptr_t start, size_t size)
{
    struct pic_replay *r = ctx;
    svg_snap_add(r->snap, start - (uintptr_t)r->region, size, SVG_FREE);
}

// Records the heap after op count k into *s: its live blocks, and its free spans from walk_free,
// clipped to the high-water mark.
static void pic_snapshot(struct pic_replay *r, size_t nslots, size_t k, struct svg_snap *s)
{
    svg_snap_reset(s, k, r->high);
    for (size_t slot = 0; slot < nslots; slot++) {
        if (r->ptr[slot] != NULL)
            svg_snap_add(s, (size_t)(r->ptr[slot] - r->region), r->size[slot], SVG_USED);
    }
    r->snap = s;
    if (alloc_walk_free(r->heap, pic_collect_free, r) != 0)
        pic_die(r, "walk_free found a corrupt heap", k);
    if (!svg_snap_finish(s))
        pic_die(r, "a free span overlaps a live block", k);
}

// The highest end of any live block, from the region's start.
static size_t pic_live_span(const struct pic_replay *r, size_t nslots)
{
    size_t top = 0;
    for (size_t slot = 0; slot < nslots; slot++) {
        if (r->ptr[slot] != NULL) {
            size_t end = (size_t)(r->ptr[slot] - r->region) + r->size[slot];
            top = end > top ? end : top;
        }
    }
    return top;
}

// Replays t on r->tg over the region up to the end moment: the two snapshots into snap[0] (peak)
// and snap[1] (end), the samples into csv. When an alloc fails (the design ran out of the region)
// the replay stops there: *oom_op is that op (else t->nops), and a moment after it stays
// unreached.
static void pic_replay_trace(struct pic_replay *r, const struct alloc_trace *t, size_t region_size,
                             struct svg_snap snap[2], size_t *oom_op, FILE *csv)
{
    size_t moment[2];
    pic_moments(t, &moment[0], &moment[1]);
    r->heap = r->tg->reset(r->region, region_size);
    r->live = r->high = 0;
    memset(r->ptr, 0, t->nslots * sizeof(r->ptr[0]));
    snap[0].reached = snap[1].reached = false;
    *oom_op = t->nops;
    size_t sample = 1;
    for (size_t i = 0; i < moment[1]; i++) {
        const struct trace_op *op = &t->ops[i];
        size_t align = (size_t)1 << op->align_log2;
        if (op->kind == TOP_ALLOC) {
            unsigned char *p = alloc_alloc(r->heap, op->size, align);
            if (p == NULL) {
                *oom_op = i;
                return;
            }
            r->ptr[op->slot] = p;
            r->size[op->slot] = op->size;
            r->live += op->size;
            size_t end = (size_t)(p - r->region) + op->size;
            r->high = end > r->high ? end : r->high;
        } else {
            if (alloc_free(r->heap, r->ptr[op->slot], op->size, align) != 0)
                pic_die(r, "free failed", i);
            r->ptr[op->slot] = NULL;
            r->live -= op->size;
        }
        for (int m = 0; m < 2; m++) {
            if (i + 1 == moment[m])
                pic_snapshot(r, t->nslots, i + 1, &snap[m]);
        }
        // Sample j at op ceil(j * nops / PIC_SAMPLES), and the end.
        if ((i + 1) * PIC_SAMPLES >= sample * t->nops || i + 1 == moment[1]) {
            fprintf(csv, "%s,%s,%zu,%zu,%zu,%zu,%zu\n", t->name, r->tg->name, i + 1, t->nops,
                    r->live, pic_live_span(r, t->nslots), r->high);
            while ((i + 1) * PIC_SAMPLES >= sample * t->nops)
                sample++;
        }
    }
}

// Replays every trace on every available arena design: <out>/heap/<trace>.svg and
// <out>/span_over_time.csv. region (region_size bytes) is the benchmark's, reused. Exits on an
// allocator bug or a file it cannot write.
static void pictures_draw(const struct alloc_trace *traces, size_t ntraces, void *region,
                          size_t region_size, const char *out, uint64_t seed)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/heap", out);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        perror(path);
    snprintf(path, sizeof(path), "%s/span_over_time.csv", out);
    FILE *csv = fopen(path, "w");
    if (csv == NULL) {
        perror(path);
        exit(1);
    }
    fprintf(csv, "trace,design,op,ops,live,live_span,high_water\n");
    size_t nslots = 1;
    for (size_t i = 0; i < ntraces; i++)
        nslots = traces[i].nslots > nslots ? traces[i].nslots : nslots;
    struct pic_replay r = {.region = region};
    r.ptr = tg_xrealloc(NULL, nslots * sizeof(r.ptr[0]));
    r.size = tg_xrealloc(NULL, nslots * sizeof(r.size[0]));
    static struct svg_snap snaps[TGT_COUNT][2];
    struct svg_row rows[TGT_COUNT];
    for (size_t i = 0; i < ntraces; i++) {
        size_t n = 0;
        for (int k = 0; k < TGT_COUNT; k++) {
            if (!targets[k].arena || !targets[k].available)
                continue;
            r.tg = &targets[k];
            rows[n] = (struct svg_row){.design = targets[k].name, .snap = snaps[k]};
            pic_replay_trace(&r, &traces[i], region_size, snaps[k], &rows[n].oom_op, csv);
            n++;
        }
        snprintf(path, sizeof(path), "%s/heap/%s.svg", out, traces[i].name);
        struct svg_sheet sheet = {traces[i].name, traces[i].what, traces[i].nops, seed,
                                  region_size};
        if (!svg_write_sheet(path, &sheet, rows, n)) {
            perror(path);
            exit(1);
        }
    }
    fclose(csv);
    free(r.ptr);
    free(r.size);
    printf("heap pictures: %s/heap/<trace>.svg; span over time: %s/span_over_time.csv\n", out, out);
}
