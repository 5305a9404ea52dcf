// The allocation traces bench_alloc replays: each is generated once from a seed into an array of
// operations {alloc slot size align | free slot size align}, then replayed identically on every
// allocator. A slot is an index into the replay's pointer table; slots are reused once freed, so
// the table stays as small as the largest live set. Every trace ends with all its blocks freed.
// Header-only, for bench_alloc.c alone; every function is static.
//
// Each trace also records its peak live bytes (the sum of requested sizes) and a nominal heap:
// the region size the small-region replay uses for "occupancy at first failure" — for the random
// traces the heap whose occupancy the name gives, for the others the peak live bytes x 5/4.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TOP_ALLOC, TOP_FREE };

struct trace_op {
    uint32_t slot;
    uint32_t size;      // requested bytes, >= 8 (the replay writes one word into each block)
    uint8_t kind;       // TOP_ALLOC or TOP_FREE
    uint8_t align_log2; // the alignment is 1 << align_log2
};

struct alloc_trace {
    char name[24];
    const char *what; // a one-line description
    struct trace_op *ops;
    size_t nops, cap;
    uint32_t nslots;  // every slot is < nslots
    size_t peak_live; // the highest sum of live requested sizes
    size_t heap;      // the nominal heap (see above), a multiple of 4 KiB
};

// Generation state: the trace being written, the live slots and a splitmix64 generator.
struct tgen {
    struct alloc_trace *t;
    uint64_t rng;
    uint32_t *size_of; // requested size of each slot's block, 0 when the slot is free
    uint8_t *align_of; // its align_log2
    uint32_t *spare;   // free slots below t->nslots, reused last-freed first
    uint32_t nspare;
    uint32_t slot_cap;  // capacity of size_of, align_of and spare
    size_t live;        // sum of live requested sizes
    uint32_t live_objs; // live blocks
};

static void *tg_xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (p == NULL) {
        fprintf(stderr, "bench_alloc: out of memory generating traces\n");
        exit(1);
    }
    return p;
}

static uint64_t tg_rand(struct tgen *g)
{
    uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// A uniform number in [lo, hi].
static uint32_t tg_range(struct tgen *g, uint32_t lo, uint32_t hi)
{
    return lo + (uint32_t)(tg_rand(g) % ((uint64_t)hi - lo + 1));
}

static void tg_emit(struct tgen *g, uint32_t slot, uint8_t kind)
{
    struct alloc_trace *t = g->t;
    if (t->nops == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->ops = tg_xrealloc(t->ops, t->cap * sizeof(t->ops[0]));
    }
    t->ops[t->nops++] = (struct trace_op){slot, g->size_of[slot], kind, g->align_of[slot]};
}

// Appends an allocation of size bytes aligned to 1 << align_log2; returns its slot.
static uint32_t tg_alloc(struct tgen *g, uint32_t size, uint8_t align_log2)
{
    uint32_t slot;
    if (g->nspare > 0) {
        slot = g->spare[--g->nspare];
    } else {
        if (g->t->nslots == g->slot_cap) {
            g->slot_cap = g->slot_cap ? g->slot_cap * 2 : 1024;
            g->size_of = tg_xrealloc(g->size_of, g->slot_cap * sizeof(g->size_of[0]));
            g->align_of = tg_xrealloc(g->align_of, g->slot_cap);
            g->spare = tg_xrealloc(g->spare, g->slot_cap * sizeof(g->spare[0]));
        }
        slot = g->t->nslots++;
    }
    g->size_of[slot] = size;
    g->align_of[slot] = align_log2;
    g->live += size;
    g->live_objs++;
    if (g->live > g->t->peak_live)
        g->t->peak_live = g->live;
    tg_emit(g, slot, TOP_ALLOC);
    return slot;
}

// Appends the free of the block in slot (which must be live).
static void tg_free(struct tgen *g, uint32_t slot)
{
    tg_emit(g, slot, TOP_FREE);
    g->live -= g->size_of[slot];
    g->live_objs--;
    g->size_of[slot] = 0;
    g->spare[g->nspare++] = slot;
}

// A live set the generators keep in allocation order: take the oldest, the newest or any.
struct tg_set {
    uint32_t *slots;
    size_t head, len, cap; // a ring: slots[(head + i) % cap] for i < len
};

static void set_push(struct tg_set *s, uint32_t slot)
{
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint32_t *n = tg_xrealloc(NULL, cap * sizeof(n[0]));
        for (size_t i = 0; i < s->len; i++)
            n[i] = s->slots[(s->head + i) % s->cap];
        free(s->slots);
        *s = (struct tg_set){n, 0, s->len, cap};
    }
    s->slots[(s->head + s->len++) % s->cap] = slot;
}

static uint32_t set_oldest(struct tg_set *s)
{
    uint32_t slot = s->slots[s->head];
    s->head = (s->head + 1) % s->cap;
    s->len--;
    return slot;
}

static uint32_t set_newest(struct tg_set *s)
{
    return s->slots[(s->head + --s->len) % s->cap];
}

// Removes a random element (the newest takes its place: the order is lost, which the random
// traces do not need).
static uint32_t set_any(struct tgen *g, struct tg_set *s)
{
    size_t i = (s->head + tg_rand(g) % s->len) % s->cap;
    uint32_t slot = s->slots[i];
    s->slots[i] = set_newest(s);
    return slot;
}

// ---- the traces (nops is the length to aim for; each stops near it and frees what is left) ----

#define TG_ALIGN8  3
#define TG_ALIGN16 4
#define TG_PAGE    12

// Small-size churn: 1000 live blocks of 8-128 bytes; free a random one, allocate another.
static void gen_small_churn(struct tgen *g, struct tg_set *s, size_t nops, unsigned param)
{
    while (g->t->nops + s->len < nops) {
        if (s->len >= 1000)
            tg_free(g, set_any(g, s));
        set_push(s, tg_alloc(g, tg_range(g, 8, 128), TG_ALIGN8));
    }
}

// LIFO: batches of 1-1000 blocks of 16-512 bytes, each freed newest first.
static void gen_lifo(struct tgen *g, struct tg_set *s, size_t nops, unsigned param)
{
    while (g->t->nops < nops) {
        uint32_t n = tg_range(g, 1, 1000);
        for (uint32_t i = 0; i < n; i++)
            set_push(s, tg_alloc(g, tg_range(g, 16, 512), TG_ALIGN8));
        while (s->len > 0)
            tg_free(g, set_newest(s));
    }
}

// FIFO: a queue of 1000 blocks of 16-512 bytes; allocate at the tail, free the oldest.
static void gen_fifo(struct tgen *g, struct tg_set *s, size_t nops, unsigned param)
{
    while (g->t->nops + s->len < nops) {
        if (s->len >= 1000)
            tg_free(g, set_oldest(s));
        set_push(s, tg_alloc(g, tg_range(g, 16, 512), TG_ALIGN8));
    }
}

// Random sizes 16-4096 (align 16) keeping the live bytes at param % of a 4 MiB heap: allocate
// while the next block fits under that, else free a random block.
#define TG_RANDOM_HEAP (4u << 20)
static void gen_random(struct tgen *g, struct tg_set *s, size_t nops, unsigned param)
{
    size_t target = (size_t)TG_RANDOM_HEAP * param / 100;
    uint32_t next = tg_range(g, 16, 4096);
    while (g->t->nops + s->len < nops) {
        if (g->live + next <= target) {
            set_push(s, tg_alloc(g, next, TG_ALIGN16));
            next = tg_range(g, 16, 4096);
        } else {
            tg_free(g, set_any(g, s));
        }
    }
    g->t->heap = TG_RANDOM_HEAP;
}

// Producer-consumer: bursts of 1-32 messages of 32-1024 bytes queued (at most 512) or consumed
// oldest first, with even odds; the queue often drains completely.
static void gen_producer_consumer(struct tgen *g, struct tg_set *s, size_t nops, unsigned param)
{
    while (g->t->nops + s->len < nops) {
        uint32_t burst = tg_range(g, 1, 32);
        if ((tg_rand(g) & 1) && s->len + burst <= 512) {
            for (uint32_t i = 0; i < burst; i++)
                set_push(s, tg_alloc(g, tg_range(g, 32, 1024), TG_ALIGN8));
        } else {
            for (uint32_t i = 0; i < burst && s->len > 0; i++)
                tg_free(g, set_oldest(s));
        }
    }
}

// One long-lived 64-byte block, then blocks of 16-256 bytes each freed right after its
// allocation (blog_os's many_boxes_long_lived); the long-lived one is freed last.
static void gen_long_lived(struct tgen *g, struct tg_set *s, size_t nops, unsigned param)
{
    uint32_t keep = tg_alloc(g, 64, TG_ALIGN8);
    while (g->t->nops + 3 <= nops)
        tg_free(g, tg_alloc(g, tg_range(g, 16, 256), TG_ALIGN8));
    tg_free(g, keep);
}

// Adversarial small/large: rounds of 32 pairs (a page-aligned large block, a small block of
// 16-64 bytes), then the 32 large blocks are freed while the small ones stay (the oldest beyond
// 512 are freed). Each round's large size is 256 bytes more than the last (4 KiB to 12 KiB, then
// again), so the holes the last round left between small blocks are too small for it.
static void gen_adversarial(struct tgen *g, struct tg_set *s, size_t nops, unsigned param)
{
    uint32_t large[32];
    for (uint32_t round = 0; g->t->nops + s->len < nops; round++) {
        uint32_t size = 4096 + 256 * (round % 32);
        for (int i = 0; i < 32; i++) {
            large[i] = tg_alloc(g, size, TG_PAGE);
            set_push(s, tg_alloc(g, tg_range(g, 16, 64), TG_ALIGN8));
        }
        for (int i = 0; i < 32; i++)
            tg_free(g, large[i]);
        while (s->len > 512)
            tg_free(g, set_oldest(s));
    }
}

// Free-list length scaling: 2 x param blocks of 64 bytes with every other one freed (param holes
// too small for what follows), then a 128-byte block allocated and freed over and over.
static void gen_freelist(struct tgen *g, struct tg_set *s, size_t nops, unsigned param)
{
    for (unsigned i = 0; i < 2 * param; i++)
        set_push(s, tg_alloc(g, 64, TG_ALIGN8));
    for (size_t i = 0; i < s->len; i += 2)
        tg_free(g, s->slots[i]);
    while (g->t->nops + param + 2 <= nops)
        tg_free(g, tg_alloc(g, 128, TG_ALIGN8));
    for (size_t i = 1; i < s->len; i += 2)
        tg_free(g, s->slots[i]);
    s->len = 0;
}

struct trace_spec {
    const char *name;
    const char *what;
    void (*gen)(struct tgen *g, struct tg_set *s, size_t nops, unsigned param);
    unsigned param;
    unsigned ops_div; // the trace is nops / ops_div long
};

static const struct trace_spec trace_specs[] = {
    {"small_churn", "1000 live, 8-128 B, random frees", gen_small_churn, 0, 1},
    {"lifo", "batches of 1-1000, 16-512 B, newest freed first", gen_lifo, 0, 1},
    {"fifo", "queue of 1000, 16-512 B, oldest freed first", gen_fifo, 0, 1},
    {"random_50", "16-4096 B at 50% of a 4 MiB heap", gen_random, 50, 1},
    {"random_90", "16-4096 B at 90% of a 4 MiB heap", gen_random, 90, 1},
    {"prod_cons", "bursts of 1-32 msgs, 32-1024 B, queue <= 512", gen_producer_consumer, 0, 1},
    {"long_lived", "one 64 B block kept, 16-256 B alloc+free", gen_long_lived, 0, 1},
    {"adversarial", "page-aligned 4-12 KiB between kept 16-64 B", gen_adversarial, 0, 1},
    {"freelist_16", "128 B alloc+free past 16 holes", gen_freelist, 16, 4},
    {"freelist_256", "128 B alloc+free past 256 holes", gen_freelist, 256, 4},
    {"freelist_4096", "128 B alloc+free past 4096 holes", gen_freelist, 4096, 4},
};
#define TRACE_COUNT (sizeof(trace_specs) / sizeof(trace_specs[0]))

// Generates trace i of trace_specs from seed (each trace has its own stream, so one can change
// without moving the others) about nops operations long.
static void trace_build(struct alloc_trace *t, size_t i, uint64_t seed, size_t nops)
{
    const struct trace_spec *sp = &trace_specs[i];
    *t = (struct alloc_trace){.what = sp->what};
    snprintf(t->name, sizeof(t->name), "%s", sp->name);
    struct tgen g = {.t = t, .rng = seed ^ (0x100000001b3ull * (i + 1))};
    struct tg_set s = {0};
    sp->gen(&g, &s, nops / sp->ops_div, sp->param);
    while (s.len > 0)
        tg_free(&g, set_oldest(&s));
    for (uint32_t slot = 0; slot < t->nslots; slot++) { // blocks a generator left off its set
        if (g.size_of[slot] != 0)
            tg_free(&g, slot);
    }
    if (t->heap == 0)
        t->heap = (t->peak_live + t->peak_live / 4 + 4095) & ~(size_t)4095;
    free(g.size_of);
    free(g.align_of);
    free(g.spare);
    free(s.slots);
}

// Generates every trace of trace_specs into traces[] and prints a line about each.
static void traces_build_all(struct alloc_trace *traces, uint64_t seed, size_t nops)
{
    printf("%-14s %7s %11s %11s  %s\n", "trace", "ops", "peak live", "small heap", "what");
    for (size_t i = 0; i < TRACE_COUNT; i++) {
        struct alloc_trace *t = &traces[i];
        trace_build(t, i, seed, nops);
        printf("%-14s %7zu %8.1f KiB %7zu KiB  %s\n", t->name, t->nops, (double)t->peak_live / 1024,
               t->heap >> 10, t->what);
    }
}

// The index in trace_specs of the trace called name; exits if there is none (a typo in the
// benchmark).
static size_t trace_index(const char *name)
{
    for (size_t i = 0; i < TRACE_COUNT; i++) {
        if (strcmp(trace_specs[i].name, name) == 0)
            return i;
    }
    fprintf(stderr, "bench_alloc: no trace %s\n", name);
    exit(1);
}
