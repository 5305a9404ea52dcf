// Tests for core/exception.c: names, error-code vectors, page-fault decoding, the report, and both
// texts at their widest and cut at every capacity.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/exception.h"
#include "platform/host/mock_hw.h"

static void every_exception_vector_has_a_name(void **state)
{
    assert_string_equal(exception_name(0), "DIVIDE ERROR");
    assert_string_equal(exception_name(3), "BREAKPOINT");
    assert_string_equal(exception_name(8), "DOUBLE FAULT");
    assert_string_equal(exception_name(13), "GENERAL PROTECTION FAULT");
    assert_string_equal(exception_name(14), "PAGE FAULT");
    assert_string_equal(exception_name(15), "RESERVED");
    assert_string_equal(exception_name(22), "RESERVED");
    for (uint64_t v = 0; v < EXC_COUNT; v++)
        assert_true(strlen(exception_name(v)) > 0);
}

static void vectors_from_32_are_interrupts(void **state)
{
    assert_string_equal(exception_name(32), "INTERRUPT");
    assert_string_equal(exception_name(255), "INTERRUPT");
    assert_string_equal(exception_name(UINT64_MAX), "INTERRUPT");
}

static void error_code_vectors_are_exactly_the_documented_ones(void **state)
{
    const uint64_t with[] = {8, 10, 11, 12, 13, 14, 17, 21, 29, 30};
    for (uint64_t v = 0; v < 256; v++) {
        bool expected = false;
        for (size_t i = 0; i < sizeof(with) / sizeof(with[0]); i++)
            expected |= with[i] == v;
        assert_int_equal(exception_has_error_code(v), expected);
    }
}

static void page_fault_bits_decode_to_words(void **state)
{
    char buf[96];
    exception_pf_decode(0, buf, sizeof(buf));
    assert_string_equal(buf, "not-present read kernel");
    exception_pf_decode(PF_PRESENT | PF_WRITE, buf, sizeof(buf));
    assert_string_equal(buf, "protection write kernel");
    exception_pf_decode(PF_USER | PF_FETCH, buf, sizeof(buf));
    assert_string_equal(buf, "not-present read user instruction-fetch");
    exception_pf_decode(PF_PRESENT | PF_RESERVED | PF_PKEY | PF_SHADOW, buf, sizeof(buf));
    assert_string_equal(buf, "protection read kernel reserved-bit protection-key shadow-stack");
}

static void page_fault_decode_truncates_like_snprintf(void **state)
{
    char buf[8];
    int n = exception_pf_decode(0, buf, sizeof(buf));
    assert_int_equal(n, strlen("not-present read kernel"));
    assert_string_equal(buf, "not-pre");
    assert_int_equal(exception_pf_decode(0, NULL, 0), n);
}

static void page_fault_report_names_cr2_and_bits(void **state)
{
    struct exception_info info = {.vector = 14,
                                  .error_code = 2,
                                  .rip = 0xffffffff80101234,
                                  .cs = 8,
                                  .rflags = 0x246,
                                  .rsp = 0xffffffff80110ff0,
                                  .ss = 0x10,
                                  .cr2 = 0xdead000};
    char buf[512];
    int n = exception_format(&info, buf, sizeof(buf));
    assert_string_equal(buf, "EXCEPTION: PAGE FAULT (vector 14)\n"
                             "  error code 0x2 [not-present write kernel]\n"
                             "  accessed address (CR2) 0xdead000\n"
                             "  rip 0xffffffff80101234 cs 0x8 rflags 0x246 "
                             "rsp 0xffffffff80110ff0 ss 0x10\n");
    assert_int_equal(n, strlen(buf));
}

static void breakpoint_report_has_no_error_code_line(void **state)
{
    struct exception_info info = {.vector = 3, .rip = 0x1000, .cs = 8, .ss = 0x10};
    char buf[512];
    exception_format(&info, buf, sizeof(buf));
    assert_string_equal(buf, "EXCEPTION: BREAKPOINT (vector 3)\n"
                             "  rip 0x1000 cs 0x8 rflags 0x0 rsp 0x0 ss 0x10\n");
}

static void general_protection_report_shows_the_error_code(void **state)
{
    struct exception_info info = {.vector = 13, .error_code = 0x18};
    char buf[512];
    exception_format(&info, buf, sizeof(buf));
    assert_non_null(strstr(buf, "EXCEPTION: GENERAL PROTECTION FAULT (vector 13)\n"
                                "  error code 0x18\n"));
    assert_null(strstr(buf, "CR2"));
}

static void report_truncates_and_counts_like_snprintf(void **state)
{
    struct exception_info info = {.vector = 14};
    char full[512], small[16];
    int n = exception_format(&info, full, sizeof(full));
    assert_int_equal(exception_format(&info, small, sizeof(small)), n);
    assert_int_equal(strlen(small), sizeof(small) - 1);
    assert_memory_equal(small, full, sizeof(small) - 1);
    assert_int_equal(exception_format(&info, NULL, 0), n);
}

// ---- length boundaries ---------------------------------------------------------------------

#define ALL_PF_BITS (PF_PRESENT | PF_WRITE | PF_USER | PF_RESERVED | PF_FETCH | PF_PKEY | PF_SHADOW)
#define LONGEST_BITS                                                                               \
    "protection write user instruction-fetch reserved-bit protection-key shadow-stack"

// The report with every field at its widest: the longest decode, all-ones numbers. It must come
// out whole, so none of the lines exception_format assembles first is cut.
static const struct exception_info widest = {
    .vector = EXC_PAGE_FAULT,
    .error_code = UINT64_MAX,
    .rip = UINT64_MAX,
    .cs = UINT64_MAX,
    .rflags = UINT64_MAX,
    .rsp = UINT64_MAX,
    .ss = UINT64_MAX,
    .cr2 = UINT64_MAX,
};
#define FF "0xffffffffffffffff"
static const char widest_text[] = "EXCEPTION: PAGE FAULT (vector 14)\n"
                                  "  error code " FF " [" LONGEST_BITS "]\n"
                                  "  accessed address (CR2) " FF "\n"
                                  "  rip " FF " cs " FF " rflags " FF " rsp " FF " ss " FF "\n";

static void longest_decode_and_widest_report_come_out_whole(void **state)
{
    char buf[512];
    assert_int_equal(exception_pf_decode(ALL_PF_BITS, buf, sizeof(buf)), strlen(LONGEST_BITS));
    assert_string_equal(buf, LONGEST_BITS);
    assert_int_equal(exception_pf_decode(UINT32_MAX, buf, sizeof(buf)), strlen(LONGEST_BITS));
    assert_string_equal(buf, LONGEST_BITS);
    assert_int_equal(exception_format(&widest, buf, sizeof(buf)), strlen(widest_text));
    assert_string_equal(buf, widest_text);
}

static void interrupt_vector_of_twenty_digits_comes_out_whole(void **state)
{
    struct exception_info info = {.vector = UINT64_MAX};
    char buf[256];
    int n = exception_format(&info, buf, sizeof(buf));
    assert_int_equal(n, strlen(buf));
    assert_non_null(strstr(buf, "EXCEPTION: INTERRUPT (vector 18446744073709551615)\n  rip 0x0"));
}

// Calls f with a heap buffer of exactly cap bytes (the address sanitizer catches a write past
// it) for every cap from 0 to the full length + 2: each returns the full length and holds the
// first cap - 1 characters and a NUL.
static void check_every_cap(int (*f)(const void *arg, char *buf, size_t cap), const void *arg,
                            const char *full)
{
    size_t len = strlen(full);
    for (size_t cap = 0; cap <= len + 2; cap++) {
        char *buf = cap > 0 ? malloc(cap) : NULL;
        if (cap > 0)
            memset(buf, '#', cap);
        assert_int_equal(f(arg, buf, cap), len);
        if (cap > 0) {
            size_t kept = cap - 1 < len ? cap - 1 : len;
            assert_memory_equal(buf, full, kept);
            assert_int_equal(buf[kept], '\0');
        }
        free(buf);
    }
}

static int decode_call(const void *arg, char *buf, size_t cap)
{
    return exception_pf_decode(*(const uint32_t *)arg, buf, cap);
}

static int format_call(const void *arg, char *buf, size_t cap)
{
    return exception_format(arg, buf, cap);
}

static void decode_cuts_at_every_capacity(void **state)
{
    static const uint32_t shortest = 0, longest = ALL_PF_BITS;
    check_every_cap(decode_call, &shortest, "not-present read kernel");
    check_every_cap(decode_call, &longest, LONGEST_BITS);
}

static void report_cuts_at_every_capacity(void **state)
{
    static const struct exception_info breakpoint = {.vector = EXC_BREAKPOINT};
    check_every_cap(format_call, &widest, widest_text);
    check_every_cap(format_call, &breakpoint,
                    "EXCEPTION: BREAKPOINT (vector 3)\n"
                    "  rip 0x0 cs 0x0 rflags 0x0 rsp 0x0 ss 0x0\n");
}

static void report_rejects_null_info_and_null_buffer(void **state)
{
    struct exception_info info = {0};
    char buf[8];
    mock_hw_reset();
    expect_assert_failure(exception_format(NULL, buf, sizeof(buf)));
    expect_assert_failure(exception_format(&info, NULL, 8));
    assert_non_null(strstr(mock_panic_message(), "exception_format"));
    expect_assert_failure(exception_pf_decode(PF_WRITE, NULL, 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_exception_vector_has_a_name),
        cmocka_unit_test(vectors_from_32_are_interrupts),
        cmocka_unit_test(error_code_vectors_are_exactly_the_documented_ones),
        cmocka_unit_test(page_fault_bits_decode_to_words),
        cmocka_unit_test(page_fault_decode_truncates_like_snprintf),
        cmocka_unit_test(page_fault_report_names_cr2_and_bits),
        cmocka_unit_test(breakpoint_report_has_no_error_code_line),
        cmocka_unit_test(general_protection_report_shows_the_error_code),
        cmocka_unit_test(report_truncates_and_counts_like_snprintf),
        cmocka_unit_test(longest_decode_and_widest_report_come_out_whole),
        cmocka_unit_test(interrupt_vector_of_twenty_digits_comes_out_whole),
        cmocka_unit_test(decode_cuts_at_every_capacity),
        cmocka_unit_test(report_cuts_at_every_capacity),
        cmocka_unit_test(report_rejects_null_info_and_null_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
