// Host benchmark of core/fbcon on a 1024x768 screen (128x48 cells) in ordinary memory: drawing
// characters (a whole row per fbcon_write, and one fbcon_putc at a time, which also erases and
// draws the cursor each time) and scrolling (fbcon_write of "\n": the memmove of 47 text rows and
// the blanking of the bottom one), at 32 bpp (XRGB8888) and 16 bpp (RGB565), with contiguous rows
// (pitch = width * bytes: one memmove a scroll) and with padded rows (one memmove a scanline).
// Each case runs `runs` times (default 7) timed with CLOCK_MONOTONIC; the table shows the median
// and the spread per operation. A real framebuffer is slower to read than RAM (write-combined or
// uncached), which a scroll does; these are the console's own costs.
//
//   bench_fbcon [--runs N] [--iters N]       (make bench BENCH=fbcon BENCH_ARGS='--runs 11')
#define _POSIX_C_SOURCE 200809L // clock_gettime under -std=c11
#include "core/fbcon.h"
#include "platform/host/mock_hw.h"
#include "test/bench/bench_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH  1024
#define HEIGHT 768
#define PAD    64 // bytes after each row in the padded cases

struct screen_case {
    const char *name;
    uint8_t bpp;
    struct fbcon_field red, green, blue;
    uint32_t pad;
};

static uint8_t *mem;
static struct fbcon con;
static char line[WIDTH / 8];

static void open_screen(const struct screen_case *s)
{
    uint32_t pitch = WIDTH * (s->bpp / 8u) + s->pad;
    free(mem);
    mem = calloc((size_t)pitch * HEIGHT, 1);
    struct fbcon_fb fb = {mem, WIDTH, HEIGHT, pitch, s->bpp, s->red, s->green, s->blue};
    if (mem == NULL || fbcon_init(&con, &fb) != 0) {
        fprintf(stderr, "bench_fbcon: cannot set up %s\n", s->name);
        exit(1);
    }
    // Every row full of text, so a scroll moves glyphs, not blank memory.
    for (unsigned r = 0; r < con.rows; r++)
        fbcon_write(&con, "The quick brown fox jumps over the lazy dog.\n", 45);
}

// A row of cols printable characters, then "\r": no wrap, no scroll.
static void body_row_writes(uint64_t rows)
{
    for (uint64_t i = 0; i < rows; i++) {
        fbcon_write(&con, line, con.cols);
        fbcon_write(&con, "\r", 1);
    }
}

static void body_putc(uint64_t chars)
{
    for (uint64_t i = 0; i < chars; i++) {
        if (fbcon_column(&con) == con.cols)
            fbcon_putc(&con, '\r');
        fbcon_putc(&con, line[i % con.cols]);
    }
}

static void body_scroll(uint64_t scrolls)
{
    for (uint64_t i = 0; i < scrolls; i++)
        fbcon_write(&con, "\n", 1);
}

struct op_case {
    const char *name;
    void (*body)(uint64_t ops);
    uint64_t per_op; // characters per body operation (1 for scrolls)
};

static void run(const struct screen_case *s, const struct op_case *op, uint64_t ops, unsigned runs)
{
    double ns[BENCH_MAX_RUNS];
    for (unsigned r = 0; r < runs; r++) {
        open_screen(s);
        double t0 = bench_now_ns();
        op->body(ops);
        ns[r] = bench_now_ns() - t0;
    }
    double median = bench_median(ns, runs), n = (double)(ops * op->per_op);
    char name[80];
    snprintf(name, sizeof(name), "%s, %s", op->name, s->name);
    printf("%-44s %10llu %10.1f %10.1f %10.1f %10.3f\n", name,
           (unsigned long long)(ops * op->per_op), median / n, ns[0] / n, ns[runs - 1] / n,
           median / 1e6);
}

static _Noreturn void usage(void)
{
    fprintf(stderr, "usage: bench_fbcon [--runs N (1..%d)] [--iters N]\n", BENCH_MAX_RUNS);
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned long long runs = 7, iters = 200000;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc)
            usage();
        unsigned long long v = bench_positive(argv[i + 1]);
        if (v == 0)
            usage();
        else if (strcmp(argv[i], "--runs") == 0)
            runs = v;
        else if (strcmp(argv[i], "--iters") == 0)
            iters = v;
        else
            usage();
    }
    if (runs > BENCH_MAX_RUNS)
        usage();
    mock_hw_reset();
    for (size_t i = 0; i < sizeof(line); i++)
        line[i] = (char)(0x21 + i % 94);

    const struct screen_case screens[] = {
        {"32 bpp", 32, {16, 8}, {8, 8}, {0, 8}, 0},
        {"32 bpp padded", 32, {16, 8}, {8, 8}, {0, 8}, PAD},
        {"16 bpp", 16, {11, 5}, {5, 6}, {0, 5}, 0},
        {"16 bpp padded", 16, {11, 5}, {5, 6}, {0, 5}, PAD},
    };
    const struct op_case row = {"char (row writes)", body_row_writes, WIDTH / 8};
    const struct op_case putc = {"char (fbcon_putc)", body_putc, 1};
    const struct op_case scroll = {"scroll", body_scroll, 1};
    uint64_t scrolls = iters / 200 > 0 ? iters / 200 : 1;
    printf("bench_fbcon: %dx%d, %llu runs per case (median, min, max); %llu characters per "
           "character case, %llu scrolls per scroll case\n",
           WIDTH, HEIGHT, runs, iters, (unsigned long long)scrolls);
    printf("%-44s %10s %10s %10s %10s %10s\n", "operation", "ops/run", "ns/op", "min", "max",
           "ms/run");
    for (size_t i = 0; i < sizeof(screens) / sizeof(screens[0]); i++) {
        if (screens[i].pad == 0) {
            run(&screens[i], &row, (iters + row.per_op - 1) / row.per_op, (unsigned)runs);
            run(&screens[i], &putc, iters, (unsigned)runs);
        }
        run(&screens[i], &scroll, scrolls, (unsigned)runs);
    }
    free(mem);
    return 0;
}
