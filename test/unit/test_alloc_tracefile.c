// The heap trace reader of the allocator benchmark (test/bench/alloc_tracefile.h): records written
// by core/heaptrace (as the kernel writes them) come back as the replay's operations, and every
// malformed file is refused with its file, line and column.
#define _POSIX_C_SOURCE 200809L // mkdtemp, unlink, rmdir under -std=c11
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/heaptrace.h"
// alloc_traces.h's generators belong to bench_alloc; this program uses only the reader.
#pragma GCC diagnostic ignored "-Wunused-function"
#include "test/bench/alloc_tracefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH "traces/t.trace"

struct text {
    char buf[4096];
    size_t len;
};

static void put(struct text *t, const char *s)
{
    size_t n = strlen(s);
    assert_true(t->len + n < sizeof(t->buf));
    memcpy(t->buf + t->len, s, n + 1);
    t->len += n;
}

static void record(struct text *t, enum htrace_op op, uint64_t size, uint64_t align,
                   uint64_t address, int64_t result)
{
    char line[HTRACE_LINE_MAX];
    htrace_format(line, sizeof(line), op, size, align, address, result);
    put(t, line);
}

static void assert_op(const struct trace_op *op, int kind, uint32_t slot, uint32_t size,
                      unsigned align_log2)
{
    assert_int_equal(op->kind, kind);
    assert_int_equal(op->slot, slot);
    assert_int_equal(op->size, size);
    assert_int_equal(op->align_log2, align_log2);
}

// A kernel-like run: the initial region, blocks in and out (one slot reused), a NULL alloc, a
// refused free, a free of NULL, a growth, comments and blank lines between records.
static void records_written_by_the_kernel_come_back_as_operations(void **state)
{
    struct text t = {0};
    put(&t, HTRACE_HEADER);
    put(&t, "# kernel heap: fixed_block design, limit 262144 bytes\n");
    record(&t, HTRACE_GROW, 0, 0, 0xffffa00000000000, 102400);
    record(&t, HTRACE_ALLOC, 24, 8, 0xffffa00000000000, 0);
    record(&t, HTRACE_ALLOC, 116, 16, 0xffffa00000000080, 0);
    put(&t, "\n   # an indented comment\n\t\n");
    record(&t, HTRACE_FREE, 24, 8, 0xffffa00000000000, 0);
    record(&t, HTRACE_ALLOC, 16, 3, 0, 0);                        // NULL: not replayed
    record(&t, HTRACE_FREE, 16, 16, 0xffffa00000000001, E_INVAL); // refused: not replayed
    record(&t, HTRACE_FREE, 8, 8, 0, 0);                          // free(NULL): not replayed
    record(&t, HTRACE_GROW, 131072, 16, 0xffffa00000019000, 135168);
    record(&t, HTRACE_ALLOC, 131072, 4096, 0xffffa00000020000, 0);
    record(&t, HTRACE_FREE, 131072, 4096, 0xffffa00000020000, 0);
    record(&t, HTRACE_FREE, 116, 16, 0xffffa00000000080, 0);

    struct alloc_trace tr;
    struct tracefile_info info;
    char err[256];
    assert_int_equal(tracefile_parse(PATH, t.buf, t.len, &tr, &info, err, sizeof(err)), 0);
    assert_string_equal(tr.name, "t");
    assert_int_equal(tr.nops, 6);
    assert_op(&tr.ops[0], TOP_ALLOC, 0, 24, 3);
    assert_op(&tr.ops[1], TOP_ALLOC, 1, 116, 4);
    assert_op(&tr.ops[2], TOP_FREE, 0, 24, 3);
    assert_op(&tr.ops[3], TOP_ALLOC, 0, 131072, 12); // slot 0 again, once freed
    assert_op(&tr.ops[4], TOP_FREE, 0, 131072, 12);
    assert_op(&tr.ops[5], TOP_FREE, 1, 116, 4);
    assert_int_equal(tr.nslots, 2);
    assert_int_equal(tr.peak_live, 131072 + 116);
    assert_int_equal(tr.heap, 102400 + 135168); // the grows' sum, already whole pages
    assert_int_equal(info.records, 11);
    assert_int_equal(info.allocs, 3);
    assert_int_equal(info.frees, 3);
    assert_int_equal(info.grows, 2);
    assert_int_equal(info.null_allocs, 1);
    assert_int_equal(info.skipped_frees, 2);
    assert_int_equal(info.raised, 0);
    assert_int_equal(info.left_live, 0);
    assert_non_null(strstr(tr.what, "11 records, 2 grows, 1 NULL allocs, 0 left live"));
    tracefile_free(&tr);
}

static void sizes_and_alignments_below_8_are_replayed_as_8(void **state)
{
    const char text[] = "heaptrace 1\nalloc 1 1 0x1001 0\nalloc 13 64 0x1040 0\n"
                        "free 1 1 0x1001 0\nfree 13 64 0x1040 0\n";
    struct alloc_trace tr;
    struct tracefile_info info;
    char err[256];
    assert_int_equal(tracefile_parse(PATH, text, strlen(text), &tr, &info, err, sizeof(err)), 0);
    assert_op(&tr.ops[0], TOP_ALLOC, 0, 8, 3);
    assert_op(&tr.ops[1], TOP_ALLOC, 1, 13, 6);
    assert_op(&tr.ops[2], TOP_FREE, 0, 8, 3);
    assert_int_equal(info.raised, 1);
    tracefile_free(&tr);
}

// A trace stopped by heap_trace_max leaves blocks live; without grows the nominal heap is the
// peak live bytes x 5/4 in whole pages, as for the generated traces.
static void blocks_live_at_the_end_are_freed_in_slot_order(void **state)
{
    const char text[] = "heaptrace 1\nalloc 4000 8 0x1000 0\nalloc 16 8 0x3000 0\n"
                        "alloc 100 8 0x4000 0\nfree 16 8 0x3000 0\n"
                        "# stopped after 4 records (heap_trace_max)\n";
    struct alloc_trace tr;
    struct tracefile_info info;
    char err[256];
    assert_int_equal(tracefile_parse(PATH, text, strlen(text), &tr, &info, err, sizeof(err)), 0);
    assert_int_equal(tr.nops, 6);
    assert_op(&tr.ops[4], TOP_FREE, 0, 4000, 3);
    assert_op(&tr.ops[5], TOP_FREE, 2, 100, 3);
    assert_int_equal(info.left_live, 2);
    assert_int_equal(tr.heap, 8192); // 4116 x 5/4 = 5145, rounded up to pages
    tracefile_free(&tr);
}

static void a_trace_of_only_a_header_has_no_operations(void **state)
{
    struct alloc_trace tr;
    struct tracefile_info info;
    char err[256];
    assert_int_equal(
        tracefile_parse(PATH, HTRACE_HEADER, strlen(HTRACE_HEADER), &tr, &info, err, sizeof(err)),
        0);
    assert_int_equal(tr.nops, 0);
    tracefile_free(&tr);
}

// ---- rejections: the message names the file, the line and the column ---------------------------

static void assert_rejected(const char *text, size_t len, const char *want)
{
    struct alloc_trace tr;
    struct tracefile_info info;
    char err[256];
    assert_int_equal(tracefile_parse(PATH, text, len, &tr, &info, err, sizeof(err)), -1);
    assert_string_equal(err, want);
    assert_null(tr.ops); // nothing is kept of a bad file
    assert_null(tr.what);
}

#define REJECTED(text, want) assert_rejected(text, sizeof(text) - 1, want)

static void an_empty_file_is_refused(void **state)
{
    REJECTED("", PATH ":1:1: empty file: not a heap trace");
}

static void a_file_without_the_header_is_refused(void **state)
{
    REJECTED("alloc 8 8 0x10 0\n",
             PATH ":1:1: not a heap trace: the first line must be 'heaptrace 1'");
    REJECTED("heaptraces 1\n", PATH ":1:1: not a heap trace: the first line must be 'heaptrace 1'");
    REJECTED("heaptrace\n", PATH ":1:10: the header's version must be a number");
    REJECTED("heaptrace v1\n", PATH ":1:11: the header's version must be a number");
    REJECTED("heaptrace 1 extra\n", PATH ":1:13: unexpected 'extra' after the header's version");
}

static void an_unknown_version_is_refused(void **state)
{
    REJECTED("heaptrace 2\n",
             PATH ":1:11: heap trace version 2 is not supported (this reader knows version 1)");
}

static void an_unknown_op_is_refused(void **state)
{
    REJECTED("heaptrace 1\nrealloc 8 8 0x10 0\n",
             PATH ":2:1: unknown op 'realloc' (alloc, free or grow)");
}

static void a_bad_number_is_refused_at_its_column(void **state)
{
    REJECTED("heaptrace 1\nalloc 8x 8 0x10 0\n",
             PATH ":2:7: bad size '8x' (a decimal number below 2^64)");
    REJECTED("heaptrace 1\nalloc 18446744073709551616 8 0x10 0\n",
             PATH ":2:7: bad size '18446744073709551616' (a decimal number below 2^64)");
    REJECTED("heaptrace 1\nalloc 8 -8 0x10 0\n",
             PATH ":2:9: bad align '-8' (a decimal number below 2^64)");
    REJECTED("heaptrace 1\nfree 8 8 16 0\n",
             PATH ":2:10: bad address '16' (0x and hex digits, below 2^64)");
    REJECTED("heaptrace 1\nfree 8 8 0x 0\n",
             PATH ":2:10: bad address '0x' (0x and hex digits, below 2^64)");
    REJECTED("heaptrace 1\nfree 8 8 0x10000000000000000 0\n",
             PATH ":2:10: bad address '0x10000000000000000' (0x and hex digits, below 2^64)");
    REJECTED("heaptrace 1\nfree 8 8 0x1g 0\n",
             PATH ":2:10: bad address '0x1g' (0x and hex digits, below 2^64)");
    REJECTED("heaptrace 1\ngrow 0 0 0x10 9223372036854775808\n",
             PATH ":2:15: bad result '9223372036854775808' (a decimal number, '-' allowed, that "
                  "fits 64 bits)");
    REJECTED("heaptrace 1\nfree 8 8 0x10 0\r\n",
             PATH ":2:15: bad result '0?' (a decimal number, '-' allowed, that fits 64 bits)");
}

static void a_record_with_too_few_or_too_many_fields_is_refused(void **state)
{
    REJECTED("heaptrace 1\nalloc 8 8 0x10\n",
             PATH ":2:15: a record has 5 fields (op size align address result), not 4");
    REJECTED("heaptrace 1\nalloc 8 8 0x10 0 0\n",
             PATH ":2:18: a record has 5 fields (op size align address result), not 6");
}

static void a_trace_cut_short_is_refused(void **state)
{
    REJECTED("heaptrace 1\nalloc 8 8 0x10 0\nfree 8 8 0x1",
             PATH ":3:13: the last line does not end in a newline (a trace cut short?)");
}

static void a_free_of_an_address_never_allocated_is_refused(void **state)
{
    REJECTED("heaptrace 1\nalloc 8 8 0x10 0\nfree 8 8 0x20 0\n",
             PATH ":3:10: free of 0x20, which is not a live block (never allocated, or freed "
                  "already)");
    REJECTED("heaptrace 1\nalloc 8 8 0x10 0\nfree 8 8 0x10 0\nfree 8 8 0x10 0\n",
             PATH ":4:10: free of 0x10, which is not a live block (never allocated, or freed "
                  "already)");
}

static void a_free_with_another_size_or_alignment_is_refused(void **state)
{
    REJECTED("heaptrace 1\n# one\nalloc 8 8 0x10 0\nfree 16 8 0x10 0\n",
             PATH ":4:6: free of 0x10 with size 16 align 8, but line 3 allocated it with size 8 "
                  "align 8");
    REJECTED("heaptrace 1\nalloc 8 8 0x10 0\nfree 8 16 0x10 0\n",
             PATH ":3:6: free of 0x10 with size 8 align 16, but line 2 allocated it with size 8 "
                  "align 8");
}

static void an_alloc_the_kernel_could_not_have_answered_is_refused(void **state)
{
    REJECTED("heaptrace 1\nalloc 8 8 0x10 0\nalloc 8 8 0x10 0\n",
             PATH ":3:11: alloc returned 0x10, which is live (allocated on line 2)");
    REJECTED("heaptrace 1\nalloc 8 16 0x18 0\n", PATH ":2:12: 0x18 is not aligned to 16");
    REJECTED("heaptrace 1\nalloc 8 3 0x18 0\n",
             PATH ":2:9: an alloc that returned a block has a power-of-two alignment, not 3");
    REJECTED("heaptrace 1\nalloc 4294967296 8 0x10 0\n",
             PATH ":2:7: an alloc that returned a block has a size of 1 to 4294967295 bytes, "
                  "not 4294967296");
    REJECTED("heaptrace 1\nalloc 0 8 0x10 0\n",
             PATH ":2:7: an alloc that returned a block has a size of 1 to 4294967295 bytes, "
                  "not 0");
    REJECTED("heaptrace 1\nalloc 8 8 0x10 -1\n", PATH ":2:16: an alloc's result must be 0, not -1");
}

static void a_grow_of_negative_bytes_is_refused(void **state)
{
    REJECTED("heaptrace 1\ngrow 0 0 0x10 -4096\n",
             PATH ":2:15: a grow's result is the bytes gained, not -4096");
}

// ---- files ---------------------------------------------------------------------------------------

// 4000 records: more than the reader's first 64 KiB buffer holds.
static void a_file_is_read_whole_and_named_after_its_path(void **state)
{
    char dir[] = "/tmp/test_alloc_tracefile_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/heap_run.trace", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(HTRACE_HEADER, f);
    char line[HTRACE_LINE_MAX];
    for (uint64_t i = 0; i < 2000; i++) {
        htrace_format(line, sizeof(line), HTRACE_ALLOC, 64, 8, 0xffffa00000000000 + 64 * i, 0);
        fputs(line, f);
        htrace_format(line, sizeof(line), HTRACE_FREE, 64, 8, 0xffffa00000000000 + 64 * i, 0);
        fputs(line, f);
    }
    assert_int_equal(fclose(f), 0);
    struct alloc_trace tr;
    struct tracefile_info info;
    char err[256];
    assert_int_equal(tracefile_load(path, &tr, &info, err, sizeof(err)), 0);
    assert_string_equal(tr.name, "heap_run");
    assert_int_equal(tr.nops, 4000);
    assert_int_equal(info.records, 4000);
    tracefile_free(&tr);
    unlink(path);
    rmdir(dir);
    assert_int_equal(tracefile_load(path, &tr, &info, err, sizeof(err)), -1);
    char want[128];
    snprintf(want, sizeof(want), "%s: No such file or directory", path);
    assert_string_equal(err, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_written_by_the_kernel_come_back_as_operations),
        cmocka_unit_test(sizes_and_alignments_below_8_are_replayed_as_8),
        cmocka_unit_test(blocks_live_at_the_end_are_freed_in_slot_order),
        cmocka_unit_test(a_trace_of_only_a_header_has_no_operations),
        cmocka_unit_test(an_empty_file_is_refused),
        cmocka_unit_test(a_file_without_the_header_is_refused),
        cmocka_unit_test(an_unknown_version_is_refused),
        cmocka_unit_test(an_unknown_op_is_refused),
        cmocka_unit_test(a_bad_number_is_refused_at_its_column),
        cmocka_unit_test(a_record_with_too_few_or_too_many_fields_is_refused),
        cmocka_unit_test(a_trace_cut_short_is_refused),
        cmocka_unit_test(a_free_of_an_address_never_allocated_is_refused),
        cmocka_unit_test(a_free_with_another_size_or_alignment_is_refused),
        cmocka_unit_test(an_alloc_the_kernel_could_not_have_answered_is_refused),
        cmocka_unit_test(a_grow_of_negative_bytes_is_refused),
        cmocka_unit_test(a_file_is_read_whole_and_named_after_its_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
