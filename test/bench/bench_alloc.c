// Host benchmark of the heap allocator designs (core/alloc: bump, linked_list, fixed_block) against
// glibc malloc, jemalloc and mimalloc, on the same seeded traces (test/bench/alloc_traces.h)
// replayed through one function table (test/bench/alloc_targets.h). Per trace and allocator:
//
//   ns/op      the whole replay timed with CLOCK_MONOTONIC divided by its operations (allocs and
//              frees alike), the median of --runs runs after one warm-up replay (the runs of
//              the allocators are interleaved, round by round);
//   p99, max   one more replay with each alloc and free timed alone by lfence+rdtsc (TSC
//              calibrated against CLOCK_MONOTONIC); the timer's own cost, the median of empty
//              measurements (printed), is subtracted from every sample;
//   span/live  arena designs: the highest end of any block handed out, less the region's start,
//              divided by the trace's peak live bytes (requested sizes): 1.00 is a perfectly
//              packed heap;
//   occ@fail   arena designs: the trace replayed over a region of its nominal heap size (see
//              alloc_traces.h); the live bytes / region size when the first alloc returned NULL,
//              "none" when the whole trace fit; "fail at" is how far into the trace (% of its
//              ops) that was.
// A design that runs out of the big region (bump, which reuses nothing until every block is
// freed) shows "oom" for its timings. Each replay writes one word into every block it gets, as
// a program would; each arena replay starts from a freshly initialised heap, and after the
// warm-up replay the heap's check() must pass and report nothing live.
//
// The "harness floor" line is the same replay on an allocator that does nothing: the part of every
// ns/op that is the loop, the table's indirect calls and the store, not the allocator. The TSC's
// resolution is printed too: under a hypervisor it may step by ~10 ns, which quantises p99/max.
//
// Besides the generated traces, `--trace FILE` (repeatable) replays a heap trace the kernel recorded
// (docs/heap-trace.md, read by alloc_tracefile.h): its nominal heap is the heap the kernel ended
// with; `--no-synthetic` leaves the generated traces out. `make bench BENCH=alloc` replays the
// generated traces and the kernel traces of test/bench/traces/; `TRACE=file` replays only those
// files. A file that is not a well-formed trace stops the program with its file, line and column.
//
// Output: the table on stdout and <out>/alloc.csv (one row per trace x allocator: trace,
// allocator, ops, median_ns, p99_ns, max_ns, span_ratio, occupancy_at_failure, failure_op,
// status = ok | oom | skipped; a number that does not apply is left empty). The chart comes from
// test/bench/plot_alloc.gp (make bench runs it).
//
// Then each arena design replays each trace once more for the pictures of fragmentation
// (test/bench/alloc_picture.h): <out>/heap/<trace>.svg, the heap of every design at the trace's
// peak and end, used / free / overhead bytes in three colours; and <out>/span_over_time.csv, the
// live span over the live bytes through each trace, which make bench draws into
// <out>/span_over_time.svg (test/bench/plot_span.gp).
//   bench_alloc [--runs N] [--ops N] [--seed N] [--region-mib N] [--out DIR] [--trace FILE]...
//               [--no-synthetic]
#define _POSIX_C_SOURCE 200809L // clock_gettime, mkdir, setenv, execv under -std=c11
#include "test/bench/alloc_picture.h"
#include "test/bench/alloc_targets.h"
#include "test/bench/alloc_tracefile.h"
#include "test/bench/alloc_traces.h"
#include "test/bench/bench_util.h"
#include "test/unit/alloc_steps.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <x86intrin.h>

enum status { ST_OK, ST_OOM, ST_SKIPPED };

struct result {
    enum status status;
    size_t oom_op; // ST_OOM: the op whose alloc failed in the big region
    double median_ns, p99_ns, max_ns;
    double span;     // NAN when not an arena design
    double occ_fail; // NAN when not an arena design; < 0 when the trace fit
    size_t fail_op;  // the op whose alloc failed in the small region (t->nops when none did)
};

static struct {
    unsigned runs;
    size_t ops;
    uint64_t seed;
    size_t region_size;
    const char *out;
    bool synthetic;     // the generated traces (alloc_traces.h)
    const char **files; // heap trace files (alloc_tracefile.h)
    size_t nfiles;
} opt = {7, 200000, 0xa110cbe7c5eedull, 64u << 20, "build/bench", true, NULL, 0};

static unsigned char *region;
static void **slots;          // the replay's pointer table
static uint32_t *lat;         // per-op cycles of the latency replay
static double tsc_ns;         // ns per TSC tick
static uint64_t timer_cycles; // the cost of an empty lfence+rdtsc pair
static uint64_t tsc_step;     // the usual step between two back-to-back reads (the resolution)

static uint64_t tsc(void)
{
    _mm_lfence(); // everything before has finished; rdtsc itself is not ordered
    return __rdtsc();
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

// TSC rate over 50 ms of CLOCK_MONOTONIC; the median cost of an empty timing; the TSC's
// resolution, the median step between two reads that differ (a hypervisor may advance it in steps
// of many cycles).
static void calibrate(void)
{
    double t0 = bench_now_ns(), t1;
    uint64_t c0 = tsc();
    while ((t1 = bench_now_ns()) - t0 < 50e6) {
    }
    tsc_ns = (t1 - t0) / (double)(tsc() - c0);
    enum { N = 10001 };
    for (size_t i = 0; i < N; i++) {
        uint64_t a = tsc(), b = tsc();
        lat[i] = (uint32_t)(b - a);
        for (a = __rdtsc(); (b = __rdtsc()) == a;) {
        }
        lat[N + i] = (uint32_t)(b - a);
    }
    qsort(lat, N, sizeof(lat[0]), cmp_u32);
    timer_cycles = lat[N / 2];
    qsort(lat + N, N, sizeof(lat[0]), cmp_u32);
    tsc_step = lat[N + N / 2];
}

static void die(const char *what, const struct alloc_target *tg, const struct alloc_trace *t,
                size_t i)
{
    fprintf(stderr, "bench_alloc: %s: %s on %s, op %zu (seed 0x%llx)\n", what, tg->name, t->name, i,
            (unsigned long long)opt.seed);
    exit(1);
}

// The replay that is timed as a whole: nothing in it but the calls and one store per block.
static void replay(const struct alloc_target *tg, void *ctx, const struct alloc_trace *t)
{
    const struct trace_op *op = t->ops, *end = t->ops + t->nops;
    for (; op < end; op++) {
        size_t align = (size_t)1 << op->align_log2;
        if (op->kind == TOP_ALLOC) {
            uint64_t *p = tg->alloc(ctx, op->size, align);
            if (p != NULL)
                *p = op->slot;
            slots[op->slot] = p;
        } else {
            tg->free(ctx, slots[op->slot], op->size, align);
        }
    }
}

// The same replay with each call timed alone into lat[].
static void replay_timed_ops(const struct alloc_target *tg, void *ctx, const struct alloc_trace *t)
{
    for (size_t i = 0; i < t->nops; i++) {
        const struct trace_op *op = &t->ops[i];
        size_t align = (size_t)1 << op->align_log2;
        uint64_t c0, c1;
        if (op->kind == TOP_ALLOC) {
            c0 = tsc();
            uint64_t *p = tg->alloc(ctx, op->size, align);
            c1 = tsc();
            if (p == NULL)
                die("alloc failed in the latency replay", tg, t, i);
            *p = op->slot;
            slots[op->slot] = p;
        } else {
            c0 = tsc();
            tg->free(ctx, slots[op->slot], op->size, align);
            c1 = tsc();
        }
        uint64_t d = c1 - c0 > timer_cycles ? c1 - c0 - timer_cycles : 0;
        lat[i] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
    }
}

// A checked replay over `size` bytes of the region that stops at the first failed alloc: the
// op index of that alloc (t->nops when none failed), with the live bytes then in *live_at and
// the highest block end above the region's start in *span. A free that fails is a bug: exit.
static size_t replay_checked(const struct alloc_target *tg, void *ctx, const struct alloc_trace *t,
                             size_t *live_at, size_t *span)
{
    size_t live = 0;
    *span = 0;
    for (size_t i = 0; i < t->nops; i++) {
        const struct trace_op *op = &t->ops[i];
        size_t align = (size_t)1 << op->align_log2;
        if (op->kind == TOP_ALLOC) {
            unsigned char *p = tg->alloc(ctx, op->size, align);
            if (p == NULL) {
                *live_at = live;
                return i;
            }
            if (((uintptr_t)p & (align - 1)) != 0)
                die("misaligned block", tg, t, i);
            memcpy(p, &op->slot, sizeof(op->slot));
            slots[op->slot] = p;
            live += op->size;
            size_t end = (size_t)(p + op->size - region);
            *span = end > *span ? end : *span;
        } else {
            if (tg->free(ctx, slots[op->slot], op->size, align) != 0)
                die("free failed", tg, t, i);
            live -= op->size;
        }
    }
    *live_at = live;
    return t->nops;
}

// Replays t on tg for the warm-up, the checks, the span and the small-region failure; r->status
// becomes ST_OOM when the big region ran out.
static void measure_fit(const struct alloc_target *tg, const struct alloc_trace *t,
                        struct result *r)
{
    size_t live, span;
    void *ctx = tg->reset(region, opt.region_size);
    size_t failed = replay_checked(tg, ctx, t, &live, &span);
    r->span = r->occ_fail = NAN;
    if (failed < t->nops) {
        if (!tg->arena)
            die("system allocator returned NULL", tg, t, failed);
        r->status = ST_OOM;
        r->oom_op = failed;
    } else if (tg->arena) {
        char msg[160];
        struct alloc_stats st;
        alloc_stats(ctx, &st);
        if (alloc_check(ctx, msg, sizeof(msg)) != 0 || st.used != 0 || st.allocations != 0) {
            fprintf(stderr, "bench_alloc: %s after %s: %s, %zu bytes live\n", tg->name, t->name,
                    msg, st.used);
            exit(1);
        }
        r->span = (double)span / (double)t->peak_live;
    }
    if (tg->arena) {
        ctx = tg->reset(region, t->heap);
        failed = replay_checked(tg, ctx, t, &live, &span);
        r->occ_fail = failed < t->nops ? (double)live / (double)t->heap : -1.0;
        r->fail_op = failed;
    }
}

// The ns/op of one whole replay on a fresh heap.
static double time_replay(const struct alloc_target *tg, const struct alloc_trace *t)
{
    void *ctx = tg->reset(region, opt.region_size);
    double t0 = bench_now_ns();
    replay(tg, ctx, t);
    return (bench_now_ns() - t0) / (double)t->nops;
}

// Runs every target on t into res[TGT_COUNT]: the checked replays, then opt.runs timed rounds
// that take the targets in turn (a burst of load elsewhere on the machine then spreads over all
// of them rather than hitting every run of one), then each target's per-op latency replay.
static void run_trace(const struct alloc_trace *t, struct result *res)
{
    static double ns[TGT_COUNT][BENCH_MAX_RUNS];
    for (int k = 0; k < TGT_COUNT; k++) {
        res[k] = (struct result){.status = targets[k].available ? ST_OK : ST_SKIPPED};
        if (targets[k].available)
            measure_fit(&targets[k], t, &res[k]);
    }
    for (unsigned i = 0; i < opt.runs; i++) {
        for (int k = 0; k < TGT_COUNT; k++) {
            if (res[k].status == ST_OK)
                ns[k][i] = time_replay(&targets[k], t);
        }
    }
    for (int k = 0; k < TGT_COUNT; k++) {
        if (res[k].status != ST_OK)
            continue;
        res[k].median_ns = bench_median(ns[k], opt.runs);
        replay_timed_ops(&targets[k], targets[k].reset(region, opt.region_size), t);
        qsort(lat, t->nops, sizeof(lat[0]), cmp_u32);
        res[k].p99_ns = (double)lat[(t->nops * 99 + 99) / 100 - 1] * tsc_ns;
        res[k].max_ns = (double)lat[t->nops - 1] * tsc_ns;
    }
}

// The median ns/op of a trace (small_churn, or the first) on the allocator that does nothing.
static double harness_floor(const struct alloc_trace *t)
{
    double ns[BENCH_MAX_RUNS];
    for (unsigned i = 0; i < opt.runs; i++)
        ns[i] = time_replay(&noop_target, t);
    return bench_median(ns, opt.runs);
}

// ---- output ------------------------------------------------------------------------------------

static void fmt_ratio(char *buf, size_t cap, double v, const char *none)
{
    if (isnan(v))
        snprintf(buf, cap, "-");
    else if (v < 0)
        snprintf(buf, cap, "%s", none);
    else
        snprintf(buf, cap, "%.2f", v);
}

static void print_row(const struct alloc_trace *t, const struct alloc_target *tg,
                      const struct result *r, bool first)
{
    printf("%-14s %-12s %7zu ", first ? t->name : "", tg->name, t->nops);
    if (r->status == ST_SKIPPED) {
        printf("skipped (not installed)\n");
        return;
    }
    char span[16], occ[16], at[16] = "-";
    fmt_ratio(span, sizeof(span), r->span, "-");
    fmt_ratio(occ, sizeof(occ), r->occ_fail, "none");
    if (tg->arena && r->fail_op < t->nops)
        snprintf(at, sizeof(at), "%.1f%%", 100.0 * (double)r->fail_op / (double)t->nops);
    if (r->status == ST_OOM)
        printf("%8s %8s %9s", "oom", "-", "-");
    else
        printf("%8.1f %8.0f %9.0f", r->median_ns, r->p99_ns, r->max_ns);
    printf(" %10s %9s %8s", span, occ, at);
    if (r->status == ST_OOM)
        printf("   (region full at op %zu)", r->oom_op);
    printf("\n");
}

static void csv_num(FILE *f, double v, const char *fmt, bool valid)
{
    fputc(',', f);
    if (valid && !isnan(v) && v >= 0)
        fprintf(f, fmt, v);
}

static void csv_row(FILE *f, const struct alloc_trace *t, const struct alloc_target *tg,
                    const struct result *r)
{
    static const char *const status[] = {"ok", "oom", "skipped"};
    bool timed = r->status == ST_OK;
    fprintf(f, "%s,%s,%zu", t->name, tg->name, t->nops);
    csv_num(f, r->median_ns, "%.2f", timed);
    csv_num(f, r->p99_ns, "%.0f", timed);
    csv_num(f, r->max_ns, "%.0f", timed);
    csv_num(f, r->span, "%.3f", r->status != ST_SKIPPED);
    csv_num(f, r->occ_fail, "%.3f", r->status != ST_SKIPPED);
    bool failed = tg->arena && r->status != ST_SKIPPED && r->fail_op < t->nops;
    csv_num(f, (double)r->fail_op, "%.0f", failed);
    fprintf(f, ",%s\n", status[r->status]);
}

static const struct result *find(const struct result *res, const char *trace, int target)
{
    return &res[trace_index(trace) * TGT_COUNT + (size_t)target];
}

static void print_vs_mimalloc(const struct result *res, const char *trace, int k, double goal)
{
    const struct result *r = find(res, trace, k), *mi = find(res, trace, TGT_MIMALLOC);
    if (mi->status != ST_OK || r->status != ST_OK) {
        printf("  %-12s %-12s no comparison (mimalloc not installed, or out of memory)\n",
               targets[k].name, trace);
        return;
    }
    double x = r->median_ns / mi->median_ns;
    printf("  %-12s %-12s %6.1f ns/op = %5.2f x mimalloc's %5.1f   goal <= %.1f  %s\n",
           targets[k].name, trace, r->median_ns, x, mi->median_ns, goal,
           x <= goal ? "met" : "missed");
}

// The goals of the constant-time designs (docs/allocators.md), reported, never enforced: a speed
// figure depends on the machine, so it is printed beside its goal rather than asserted.
static void print_goals(const struct result *res, const struct alloc_trace *traces, size_t n)
{
    static const int fast[] = {TGT_TLSF, TGT_FSB};
    printf("goals:\n");
    for (size_t i = 0; i < 2; i++) {
        print_vs_mimalloc(res, "small_churn", fast[i], 1.0);
        print_vs_mimalloc(res, "random_50", fast[i], 1.5);
        print_vs_mimalloc(res, "random_90", fast[i], 1.5);
        for (size_t j = 0; j < 2; j++) {
            const char *trace = j == 0 ? "random_50" : "random_90";
            double span = find(res, trace, fast[i])->span;
            printf("  %-12s %-12s span/live %.3f   goal <= 1.25  %s\n", targets[fast[i]].name,
                   trace, span, span < 1.2505 ? "met" : "missed");
        }
    }
    double worst = 0;
    const char *at = "-";
    for (size_t i = 0; i < n; i++) {
        const struct result *r = &res[i * TGT_COUNT + TGT_TLSF];
        if (r->status == ST_OK && r->p99_ns / r->median_ns > worst) {
            worst = r->p99_ns / r->median_ns;
            at = traces[i].name;
        }
    }
    printf("  tlsf p99 / median, the highest over every trace: %.2f (%s)   goal <= 3.0  %s\n",
           worst, at, worst <= 3.0 ? "met" : "missed");
    printf("  linked_list span/live: random_50 %.3f, random_90 %.3f   goal <= 1.15\n\n",
           find(res, "random_50", TGT_LL)->span, find(res, "random_90", TGT_LL)->span);
}

// ---- steps ---------------------------------------------------------------------------------------

// The most steps (core/alloc/alloc.h's debug counter) one call took, per arena design, in the
// adversarial states of test/unit/alloc_steps.h: the cost of a call as the heap's state grows.
static void print_steps(void)
{
    size_t size = 80u << 20;
    unsigned char *r = aligned_alloc(4096, size);
    if (r == NULL) {
        printf("steps: no room for the states\n");
        return;
    }
    printf(
        "most steps per call (list nodes visited, list and bitmap operations; 0: not counted)\n");
    printf("%-12s %22s %30s\n", "", "among holes", "grown 1000 times");
    printf("%-12s %7s %7s %6s %7s %7s %7s %7s\n", "design", "holes", "alloc", "free", "holes",
           "alloc", "free", "grow");
    for (int k = 0; k < TGT_COUNT; k++) {
        if (!targets[k].arena)
            continue;
        struct steps_max holes = {0}, grown = {0};
        bool ok = steps_holes(targets[k].reset(r, 16u << 20), &holes) &&
                  steps_grown(targets[k].reset(r, 4096), &grown, opt.seed);
        if (!ok) {
            printf("%-12s %s\n", targets[k].name, steps_why);
            continue;
        }
        printf("%-12s %7zu %7lu %6lu %7zu %7lu %7lu %7lu\n", targets[k].name, holes.holes,
               holes.alloc, holes.free, grown.holes, grown.alloc, grown.free, grown.grow);
    }
    printf("\n");
    free(r);
}

// ---- main --------------------------------------------------------------------------------------

static _Noreturn void usage(void)
{
    fprintf(stderr,
            "usage: bench_alloc [--runs N (1..%d)] [--ops N] [--seed N] [--region-mib N] "
            "[--out DIR] [--trace FILE]... [--no-synthetic]\n",
            BENCH_MAX_RUNS);
    exit(2);
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i += 2) {
        if (strcmp(argv[i], "--no-synthetic") == 0) {
            opt.synthetic = false;
            i--; // a flag: no value follows
            continue;
        }
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--out") == 0) {
            opt.out = argv[i + 1];
            continue;
        }
        if (strcmp(argv[i], "--trace") == 0) {
            opt.files = tg_xrealloc(opt.files, (opt.nfiles + 1) * sizeof(opt.files[0]));
            opt.files[opt.nfiles++] = argv[i + 1];
            continue;
        }
        unsigned long long v = bench_positive(argv[i + 1]);
        if (v == 0)
            usage();
        else if (strcmp(argv[i], "--runs") == 0)
            opt.runs = (unsigned)v;
        else if (strcmp(argv[i], "--ops") == 0)
            opt.ops = v;
        else if (strcmp(argv[i], "--seed") == 0)
            opt.seed = v;
        else if (strcmp(argv[i], "--region-mib") == 0)
            opt.region_size = (size_t)v << 20;
        else
            usage();
    }
    if (opt.runs > BENCH_MAX_RUNS || opt.ops < 1000 || (!opt.synthetic && opt.nfiles == 0))
        usage();
}

// Generates the traces and reads the files (*n of them in all), and sizes the tables for the
// largest.
static struct alloc_trace *build_traces(size_t *n)
{
    struct alloc_trace *traces = tg_xrealloc(NULL, (TRACE_COUNT + opt.nfiles) * sizeof(traces[0]));
    *n = 0;
    if (opt.synthetic) {
        traces_build_all(traces, opt.seed, opt.ops);
        *n = TRACE_COUNT;
    }
    tracefiles_load(opt.files, opt.nfiles, traces, n);
    size_t max_ops = 20002, max_slots = 1; // calibrate() uses lat too
    for (size_t i = 0; i < *n; i++) {
        max_ops = traces[i].nops > max_ops ? traces[i].nops : max_ops;
        max_slots = traces[i].nslots > max_slots ? traces[i].nslots : max_slots;
    }
    slots = tg_xrealloc(NULL, max_slots * sizeof(slots[0]));
    lat = tg_xrealloc(NULL, max_ops * sizeof(lat[0]));
    return traces;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    targets_reserve_tls(argv); // may execute the program again, before anything is printed
    printf("bench_alloc: seed 0x%llx, %u runs per trace (median), region %zu MiB\n",
           (unsigned long long)opt.seed, opt.runs, opt.region_size >> 20);
    size_t ntraces;
    struct alloc_trace *traces = build_traces(&ntraces);
    region = aligned_alloc(4096, opt.region_size);
    if (region == NULL)
        usage();
    memset(region, 0, opt.region_size); // fault the pages in before anything is timed
    calibrate();
    targets_load();
    for (int k = 0; k < TGT_COUNT; k++) {
        if (!targets[k].available)
            printf("%s: skipped (not installed): %s\n", targets[k].name, targets[k].why);
    }
    printf("p99/max: lfence+rdtsc around each call, resolution %.1f ns, %.1f ns timer cost "
           "subtracted\n",
           (double)tsc_step * tsc_ns, (double)timer_cycles * tsc_ns);
    printf("harness floor (no-op allocator on %s): %.1f ns/op\n\n", traces[0].name,
           harness_floor(&traces[0]));

    char path[4096];
    snprintf(path, sizeof(path), "%s/alloc.csv", opt.out);
    if (mkdir(opt.out, 0777) != 0 && errno != EEXIST)
        perror(opt.out);
    FILE *csv = fopen(path, "w");
    if (csv == NULL) {
        perror(path);
        return 1;
    }
    fprintf(csv, "trace,allocator,ops,median_ns,p99_ns,max_ns,span_ratio,occupancy_at_failure,"
                 "failure_op,status\n");
    printf("%-14s %-12s %7s %8s %8s %9s %10s %9s %8s\n", "trace", "allocator", "ops", "ns/op",
           "p99 ns", "max ns", "span/live", "occ@fail", "fail at");
    struct result *res = tg_xrealloc(NULL, ntraces * TGT_COUNT * sizeof(res[0]));
    for (size_t i = 0; i < ntraces; i++) {
        run_trace(&traces[i], &res[i * TGT_COUNT]);
        for (int k = 0; k < TGT_COUNT; k++) {
            struct result *r = &res[i * TGT_COUNT + (size_t)k];
            print_row(&traces[i], &targets[k], r, k == 0);
            csv_row(csv, &traces[i], &targets[k], r);
        }
        fflush(stdout);
    }
    fclose(csv);
    printf("\n");
    if (opt.synthetic) {
        print_goals(res, traces, ntraces);
        print_steps();
    }
    printf("csv: %s\n", path);
    pictures_draw(traces, TRACE_COUNT, region, opt.region_size, opt.out, opt.seed);
    return 0;
}
