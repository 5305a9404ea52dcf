// Tests for core/cm_fault.c: fault names, every CFSR and HFSR bit decoded, the status registers
// read through the mock's log, the stack pointer recovered from the exception frame, the report
// with its conditional lines, and every text cut at every capacity.
#include "core/cm_fault.h"
#include "platform/host/mock_hw.h"
#include "test/unit/port_log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

// The SCB registers (ARMv7-M ARM, B3.2.2).
#define CFSR  0xE000ED28u
#define HFSR  0xE000ED2Cu
#define MMFAR 0xE000ED34u
#define BFAR  0xE000ED38u

// The words for each CFSR bit, NULL where the architecture reserves the bit: the test's own
// reference, written from B3.2.15 (each bit's field name beside it), not taken from the code.
static const char *const cfsr_expected[32] = {
    [0] = "instruction access violation", // IACCVIOL
    [1] = "data access violation",        // DACCVIOL
    [3] = "MemManage on unstacking",      // MUNSTKERR
    [4] = "MemManage on stacking",        // MSTKERR
    [5] = "MemManage on lazy FP save",    // MLSPERR
    [7] = "MMFAR valid",                  // MMARVALID
    [8] = "instruction bus error",        // IBUSERR
    [9] = "precise data bus error",       // PRECISERR
    [10] = "imprecise data bus error",    // IMPRECISERR
    [11] = "bus error on unstacking",     // UNSTKERR
    [12] = "bus error on stacking",       // STKERR
    [13] = "bus error on lazy FP save",   // LSPERR
    [15] = "BFAR valid",                  // BFARVALID
    [16] = "undefined instruction",       // UNDEFINSTR
    [17] = "invalid state",               // INVSTATE
    [18] = "invalid exception return",    // INVPC
    [19] = "no coprocessor",              // NOCP
    [24] = "unaligned access",            // UNALIGNED
    [25] = "divide by zero",              // DIVBYZERO
};

// What one bit decodes to: its words, or "reserved bit N".
static void expected_word(const char *const table[32], unsigned bit, char *out, size_t cap)
{
    if (table[bit] != NULL)
        snprintf(out, cap, "%s", table[bit]);
    else
        snprintf(out, cap, "reserved bit %u", bit);
}

static int setup(void **state)
{
    mock_hw_reset();
    return 0;
}

// ---- names and decoding ----------------------------------------------------------------------

static void fault_exceptions_have_their_names(void **state)
{
    assert_string_equal(cm_fault_name(CM_EXC_HARDFAULT), "HARD FAULT");
    assert_string_equal(cm_fault_name(CM_EXC_MEMMANAGE), "MEMMANAGE FAULT");
    assert_string_equal(cm_fault_name(CM_EXC_BUSFAULT), "BUS FAULT");
    assert_string_equal(cm_fault_name(CM_EXC_USAGEFAULT), "USAGE FAULT");
    assert_int_equal(CM_EXC_HARDFAULT, 3);
    assert_int_equal(CM_EXC_USAGEFAULT, 6);
}

static void other_exception_numbers_are_exceptions(void **state)
{
    static const uint32_t others[] = {0, 1, 2, 7, 11, 14, 15, 16, 255, UINT32_MAX};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        assert_string_equal(cm_fault_name(others[i]), "EXCEPTION");
}

static void every_cfsr_bit_decodes_to_its_words(void **state)
{
    for (unsigned bit = 0; bit < 32; bit++) {
        char want[64], got[64];
        expected_word(cfsr_expected, bit, want, sizeof(want));
        assert_int_equal(cm_fault_cfsr_decode(1u << bit, got, sizeof(got)), strlen(want));
        assert_string_equal(got, want);
    }
}

static void every_hfsr_bit_decodes_to_its_words(void **state)
{
    static const char *const hfsr_expected[32] = {
        [1] = "vector table read", [30] = "forced", [31] = "debug event"};
    for (unsigned bit = 0; bit < 32; bit++) {
        char want[64], got[64];
        expected_word(hfsr_expected, bit, want, sizeof(want));
        assert_int_equal(cm_fault_hfsr_decode(1u << bit, got, sizeof(got)), strlen(want));
        assert_string_equal(got, want);
    }
}

static void the_register_bit_constants_are_the_architecture_s(void **state)
{
    assert_int_equal(CM_CFSR_DACCVIOL | CM_CFSR_MMARVALID, 0x82);
    assert_int_equal(CM_CFSR_PRECISERR | CM_CFSR_BFARVALID, 0x8200);
    assert_int_equal(CM_CFSR_UNDEFINSTR | CM_CFSR_DIVBYZERO, 0x02010000);
    assert_int_equal(CM_HFSR_VECTTBL | CM_HFSR_FORCED | CM_HFSR_DEBUGEVT, 0xc0000002u);
}

static void several_bits_are_joined_lowest_first(void **state)
{
    char buf[256];
    assert_int_equal(cm_fault_cfsr_decode(0x82, buf, sizeof(buf)), 34);
    assert_string_equal(buf, "data access violation, MMFAR valid");
    cm_fault_cfsr_decode(0x02008200, buf, sizeof(buf));
    assert_string_equal(buf, "precise data bus error, BFAR valid, divide by zero");
    cm_fault_cfsr_decode(0x44, buf, sizeof(buf));
    assert_string_equal(buf, "reserved bit 2, reserved bit 6");
    cm_fault_hfsr_decode(0x40000002, buf, sizeof(buf));
    assert_string_equal(buf, "vector table read, forced");
}

static void zero_decodes_to_nothing(void **state)
{
    char buf[8] = "xxxxxxx";
    assert_int_equal(cm_fault_cfsr_decode(0, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    memset(buf, 'x', sizeof(buf));
    assert_int_equal(cm_fault_hfsr_decode(0, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
}

// Every CFSR bit at once: the 19 defined words and "reserved bit N" for the other 13.
static void all_ones_decode_every_bit_in_order(void **state)
{
    char want[1024] = "", word[64];
    for (unsigned bit = 0; bit < 32; bit++) {
        expected_word(cfsr_expected, bit, word, sizeof(word));
        if (bit > 0)
            strcat(want, ", ");
        strcat(want, word);
    }
    char got[1024];
    assert_int_equal(cm_fault_cfsr_decode(UINT32_MAX, got, sizeof(got)), strlen(want));
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "reserved bit 31"));
}

// ---- reading the registers and the frame ------------------------------------------------------

static void read_status_reads_the_four_registers_in_order(void **state)
{
    mock_mmio_script(CFSR, 0x82);
    mock_mmio_script(HFSR, 0x40000000u);
    mock_mmio_script(MMFAR, 0x20000000u);
    mock_mmio_script(BFAR, 0xdeadbeefu);
    struct cm_fault_info f = {.exc = 4, .pc = 0x1234, .sp = 0x5678};
    cm_fault_read_status(&f);
    ASSERT_LOG(MR(CFSR, 0x82), MR(HFSR, 0x40000000u), MR(MMFAR, 0x20000000u),
               MR(BFAR, 0xdeadbeefu));
    assert_int_equal(f.cfsr, 0x82);
    assert_int_equal(f.hfsr, 0x40000000u);
    assert_int_equal(f.mmfar, 0x20000000u);
    assert_int_equal(f.bfar, 0xdeadbeefu);
    assert_int_equal(f.exc, 4); // the rest is left alone
    assert_int_equal(f.pc, 0x1234);
    assert_int_equal(f.sp, 0x5678);
}

static void read_status_uses_the_scb_addresses(void **state)
{
    assert_int_equal(CM_SCB_CFSR, CFSR);
    assert_int_equal(CM_SCB_HFSR, HFSR);
    assert_int_equal(CM_SCB_MMFAR, MMFAR);
    assert_int_equal(CM_SCB_BFAR, BFAR);
    assert_int_equal(CM_SCB_SHCSR, 0xE000ED24u);
}

// A frame with room above it for the FP words and the aligner, so the sp arithmetic can be checked
// against the buffer itself.
static uint32_t frame_buf[8 + 18 + 1];

static uint32_t addr_of(const uint32_t *p)
{
    return (uint32_t)(uintptr_t)p;
}

static void fill_frame(uint32_t xpsr)
{
    for (uint32_t i = 0; i < 7; i++)
        frame_buf[i] = 0x1000 + i;
    frame_buf[7] = xpsr;
}

static void from_frame_copies_the_eight_stacked_words(void **state)
{
    fill_frame(0x21000000u);
    struct cm_fault_info f = {.cfsr = 1, .hfsr = 2, .mmfar = 3, .bfar = 4};
    cm_fault_from_frame(&f, CM_EXC_BUSFAULT, frame_buf, 0xfffffffdu);
    assert_int_equal(f.exc, CM_EXC_BUSFAULT);
    assert_int_equal(f.exc_return, 0xfffffffdu);
    const uint32_t got[] = {f.r0, f.r1, f.r2, f.r3, f.r12, f.lr, f.pc, f.xpsr};
    const uint32_t want[] = {0x1000, 0x1001, 0x1002, 0x1003, 0x1004, 0x1005, 0x1006, 0x21000000};
    assert_memory_equal(got, want, sizeof(want));
    // The status registers are cm_fault_read_status's.
    assert_int_equal(f.cfsr, 1);
    assert_int_equal(f.hfsr, 2);
    assert_int_equal(f.mmfar, 3);
    assert_int_equal(f.bfar, 4);
}

static void sp_of_a_basic_frame_is_eight_words_up(void **state)
{
    fill_frame(0x01000000u);
    struct cm_fault_info f;
    cm_fault_from_frame(&f, CM_EXC_HARDFAULT, frame_buf, 0xfffffff9u);
    assert_int_equal(f.sp, addr_of(&frame_buf[8]));
}

static void sp_skips_the_aligner_when_xpsr_bit_9_is_set(void **state)
{
    fill_frame(0x01000200u);
    struct cm_fault_info f;
    cm_fault_from_frame(&f, CM_EXC_HARDFAULT, frame_buf, 0xfffffff9u);
    assert_int_equal(f.sp, addr_of(&frame_buf[9]));
    fill_frame(~0x200u); // every other xPSR bit: no aligner
    cm_fault_from_frame(&f, CM_EXC_HARDFAULT, frame_buf, 0xfffffff9u);
    assert_int_equal(f.sp, addr_of(&frame_buf[8]));
}

static void sp_skips_the_fp_words_when_exc_return_bit_4_is_clear(void **state)
{
    fill_frame(0x01000000u);
    struct cm_fault_info f;
    cm_fault_from_frame(&f, CM_EXC_USAGEFAULT, frame_buf, 0xffffffe9u);
    assert_int_equal(f.sp, addr_of(&frame_buf[26]));
    cm_fault_from_frame(&f, CM_EXC_USAGEFAULT, frame_buf, 0x10u); // only bit 4 matters
    assert_int_equal(f.sp, addr_of(&frame_buf[8]));
    cm_fault_from_frame(&f, CM_EXC_USAGEFAULT, frame_buf, ~0x10u);
    assert_int_equal(f.sp, addr_of(&frame_buf[26]));
}

static void sp_of_an_aligned_fp_frame_skips_both(void **state)
{
    fill_frame(0x01000200u);
    struct cm_fault_info f;
    cm_fault_from_frame(&f, CM_EXC_MEMMANAGE, frame_buf, 0xffffffedu);
    assert_int_equal(f.sp, addr_of(&frame_buf[27]));
}

// ---- the report -----------------------------------------------------------------------------

static void memmanage_report_shows_mmfar_and_not_bfar(void **state)
{
    struct cm_fault_info f = {.exc = CM_EXC_MEMMANAGE,
                              .r0 = 0,
                              .r1 = 1,
                              .r2 = 2,
                              .r3 = 3,
                              .r12 = 0xc,
                              .lr = 0x8000123,
                              .pc = 0x8000456,
                              .xpsr = 0x21000000,
                              .sp = 0x20001000,
                              .exc_return = 0xfffffff9u,
                              .cfsr = 0x82,
                              .mmfar = 0x20000000,
                              .bfar = 0x12345678};
    char buf[512];
    int n = cm_fault_format(&f, buf, sizeof(buf));
    assert_string_equal(buf, "EXCEPTION: MEMMANAGE FAULT (exception 4)\n"
                             "  CFSR 0x82 [data access violation, MMFAR valid]\n"
                             "  MMFAR 0x20000000\n"
                             "  r0 0x0 r1 0x1 r2 0x2 r3 0x3 r12 0xc\n"
                             "  lr 0x8000123 pc 0x8000456 xpsr 0x21000000 sp 0x20001000\n");
    assert_int_equal(n, strlen(buf));
}

static void forced_hard_fault_report_shows_hfsr_and_bfar(void **state)
{
    struct cm_fault_info f = {.exc = CM_EXC_HARDFAULT,
                              .cfsr = CM_CFSR_PRECISERR | CM_CFSR_BFARVALID,
                              .hfsr = CM_HFSR_FORCED,
                              .mmfar = 0x11111111,
                              .bfar = 0x40000000};
    char buf[512];
    cm_fault_format(&f, buf, sizeof(buf));
    assert_string_equal(buf, "EXCEPTION: HARD FAULT (exception 3)\n"
                             "  CFSR 0x8200 [precise data bus error, BFAR valid]\n"
                             "  BFAR 0x40000000\n"
                             "  HFSR 0x40000000 [forced]\n"
                             "  r0 0x0 r1 0x0 r2 0x0 r3 0x0 r12 0x0\n"
                             "  lr 0x0 pc 0x0 xpsr 0x0 sp 0x0\n");
}

static void hard_fault_report_always_has_an_hfsr_line(void **state)
{
    struct cm_fault_info f = {.exc = CM_EXC_HARDFAULT};
    char buf[512];
    cm_fault_format(&f, buf, sizeof(buf));
    assert_string_equal(buf, "EXCEPTION: HARD FAULT (exception 3)\n"
                             "  CFSR 0x0\n"
                             "  HFSR 0x0\n"
                             "  r0 0x0 r1 0x0 r2 0x0 r3 0x0 r12 0x0\n"
                             "  lr 0x0 pc 0x0 xpsr 0x0 sp 0x0\n");
}

static void other_faults_show_hfsr_only_when_it_is_set(void **state)
{
    struct cm_fault_info f = {.exc = CM_EXC_USAGEFAULT, .cfsr = CM_CFSR_UNDEFINSTR};
    char buf[512];
    cm_fault_format(&f, buf, sizeof(buf));
    assert_string_equal(buf, "EXCEPTION: USAGE FAULT (exception 6)\n"
                             "  CFSR 0x10000 [undefined instruction]\n"
                             "  r0 0x0 r1 0x0 r2 0x0 r3 0x0 r12 0x0\n"
                             "  lr 0x0 pc 0x0 xpsr 0x0 sp 0x0\n");
    f.hfsr = CM_HFSR_DEBUGEVT;
    cm_fault_format(&f, buf, sizeof(buf));
    assert_non_null(strstr(buf, "  CFSR 0x10000 [undefined instruction]\n"
                                "  HFSR 0x80000000 [debug event]\n  r0 "));
}

static void fault_addresses_need_their_valid_bits(void **state)
{
    struct cm_fault_info f = {.exc = CM_EXC_BUSFAULT,
                              .cfsr = CM_CFSR_IMPRECISERR | CM_CFSR_DACCVIOL,
                              .mmfar = 0x20000000,
                              .bfar = 0x40000000};
    char buf[512];
    cm_fault_format(&f, buf, sizeof(buf));
    assert_null(strstr(buf, "MMFAR"));
    assert_null(strstr(buf, "BFAR"));
    f.cfsr = CM_CFSR_MMARVALID | CM_CFSR_BFARVALID;
    cm_fault_format(&f, buf, sizeof(buf));
    assert_non_null(strstr(buf, "  MMFAR 0x20000000\n  BFAR 0x40000000\n  r0 "));
}

static void unknown_exception_is_reported_by_number(void **state)
{
    struct cm_fault_info f = {.exc = 15, .pc = 0x100};
    char buf[512];
    cm_fault_format(&f, buf, sizeof(buf));
    assert_string_equal(buf, "EXCEPTION: EXCEPTION (exception 15)\n"
                             "  CFSR 0x0\n"
                             "  r0 0x0 r1 0x0 r2 0x0 r3 0x0 r12 0x0\n"
                             "  lr 0x0 pc 0x100 xpsr 0x0 sp 0x0\n");
}

static void only_hard_fault_has_an_hfsr_line_of_zero(void **state)
{
    for (uint32_t exc = 0; exc < 16; exc++) {
        struct cm_fault_info f = {.exc = exc};
        char buf[512];
        cm_fault_format(&f, buf, sizeof(buf));
        if (exc == CM_EXC_HARDFAULT)
            assert_non_null(strstr(buf, "\n  HFSR 0x0\n"));
        else
            assert_null(strstr(buf, "HFSR"));
    }
}

// ---- length boundaries ---------------------------------------------------------------------

#define FF "0xffffffff"

// The report with every field at its widest: all ones everywhere, so every decode is at its
// longest and both address lines appear.
static const struct cm_fault_info widest = {
    .exc = UINT32_MAX,
    .r0 = UINT32_MAX,
    .r1 = UINT32_MAX,
    .r2 = UINT32_MAX,
    .r3 = UINT32_MAX,
    .r12 = UINT32_MAX,
    .lr = UINT32_MAX,
    .pc = UINT32_MAX,
    .xpsr = UINT32_MAX,
    .sp = UINT32_MAX,
    .exc_return = UINT32_MAX,
    .cfsr = UINT32_MAX,
    .hfsr = UINT32_MAX,
    .mmfar = UINT32_MAX,
    .bfar = UINT32_MAX,
};

static void widest_report_comes_out_whole(void **state)
{
    char cfsr[1024], hfsr[1024];
    assert_true(cm_fault_cfsr_decode(UINT32_MAX, cfsr, sizeof(cfsr)) < (int)sizeof(cfsr));
    assert_true(cm_fault_hfsr_decode(UINT32_MAX, hfsr, sizeof(hfsr)) < (int)sizeof(hfsr));
    char want[4096];
    snprintf(want, sizeof(want),
             "EXCEPTION: EXCEPTION (exception 4294967295)\n"
             "  CFSR " FF " [%s]\n"
             "  MMFAR " FF "\n"
             "  BFAR " FF "\n"
             "  HFSR " FF " [%s]\n"
             "  r0 " FF " r1 " FF " r2 " FF " r3 " FF " r12 " FF "\n"
             "  lr " FF " pc " FF " xpsr " FF " sp " FF "\n",
             cfsr, hfsr);
    char got[4096];
    assert_int_equal(cm_fault_format(&widest, got, sizeof(got)), strlen(want));
    assert_string_equal(got, want);
}

// Calls f with a heap buffer of exactly cap bytes (the address sanitizer catches a write past
// it) for every cap from 0 to the full length + 2: each returns the full length and holds the
// first cap - 1 characters and a NUL; cap 0 gets a NULL buffer.
static void check_every_cap(int (*f)(const void *arg, char *buf, size_t cap), const void *arg)
{
    int full_len = f(arg, NULL, 0);
    assert_true(full_len > 0);
    size_t len = (size_t)full_len;
    char *full = malloc(len + 1);
    assert_int_equal(f(arg, full, len + 1), full_len);
    for (size_t cap = 0; cap <= len + 2; cap++) {
        char *buf = cap > 0 ? malloc(cap) : NULL;
        if (cap > 0)
            memset(buf, '#', cap);
        assert_int_equal(f(arg, buf, cap), full_len);
        if (cap > 0) {
            size_t kept = cap - 1 < len ? cap - 1 : len;
            assert_memory_equal(buf, full, kept);
            assert_int_equal(buf[kept], '\0');
        }
        free(buf);
    }
    free(full);
}

static int cfsr_call(const void *arg, char *buf, size_t cap)
{
    return cm_fault_cfsr_decode(*(const uint32_t *)arg, buf, cap);
}

static int hfsr_call(const void *arg, char *buf, size_t cap)
{
    return cm_fault_hfsr_decode(*(const uint32_t *)arg, buf, cap);
}

static int format_call(const void *arg, char *buf, size_t cap)
{
    return cm_fault_format(arg, buf, cap);
}

static void decodes_cut_at_every_capacity(void **state)
{
    static const uint32_t one = CM_CFSR_IACCVIOL, two = 0x82, all = UINT32_MAX;
    check_every_cap(cfsr_call, &one);
    check_every_cap(cfsr_call, &two);
    check_every_cap(cfsr_call, &all);
    check_every_cap(hfsr_call, &all);
}

static void report_cuts_at_every_capacity(void **state)
{
    static const struct cm_fault_info quiet = {.exc = CM_EXC_BUSFAULT};
    check_every_cap(format_call, &widest);
    check_every_cap(format_call, &quiet);
}

static void zero_capacity_counts_without_a_buffer(void **state)
{
    assert_int_equal(cm_fault_cfsr_decode(0x82, NULL, 0), 34);
    assert_int_equal(cm_fault_hfsr_decode(CM_HFSR_FORCED, NULL, 0), 6);
    assert_int_equal(cm_fault_cfsr_decode(0, NULL, 0), 0);
    char one = 'x';
    assert_int_equal(cm_fault_cfsr_decode(0x82, &one, 1), 34); // room for the NUL only
    assert_int_equal(one, '\0');
}

// ---- caller bugs ------------------------------------------------------------------------------

static void null_arguments_panic(void **state)
{
    struct cm_fault_info f = {0};
    uint32_t frame[8] = {0};
    char buf[8];
    expect_assert_failure(cm_fault_read_status(NULL));
    assert_non_null(strstr(mock_panic_message(), "cm_fault_read_status"));
    expect_assert_failure(cm_fault_from_frame(NULL, 3, frame, 0xfffffff9u));
    assert_non_null(strstr(mock_panic_message(), "cm_fault_from_frame"));
    expect_assert_failure(cm_fault_from_frame(&f, 3, NULL, 0xfffffff9u));
    assert_non_null(strstr(mock_panic_message(), "frame != NULL"));
    expect_assert_failure(cm_fault_format(NULL, buf, sizeof(buf)));
    assert_non_null(strstr(mock_panic_message(), "cm_fault_format"));
    expect_assert_failure(cm_fault_format(&f, NULL, 8));
    assert_non_null(strstr(mock_panic_message(), "buf != NULL"));
    expect_assert_failure(cm_fault_cfsr_decode(1, NULL, 8));
    assert_non_null(strstr(mock_panic_message(), "cm_fault_cfsr_decode"));
    expect_assert_failure(cm_fault_hfsr_decode(1, NULL, 1));
    assert_non_null(strstr(mock_panic_message(), "cm_fault_hfsr_decode"));
    assert_int_equal(mock_io_count(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fault_exceptions_have_their_names),
        cmocka_unit_test(other_exception_numbers_are_exceptions),
        cmocka_unit_test(every_cfsr_bit_decodes_to_its_words),
        cmocka_unit_test(every_hfsr_bit_decodes_to_its_words),
        cmocka_unit_test(the_register_bit_constants_are_the_architecture_s),
        cmocka_unit_test(several_bits_are_joined_lowest_first),
        cmocka_unit_test(zero_decodes_to_nothing),
        cmocka_unit_test(all_ones_decode_every_bit_in_order),
        cmocka_unit_test_setup(read_status_reads_the_four_registers_in_order, setup),
        cmocka_unit_test(read_status_uses_the_scb_addresses),
        cmocka_unit_test(from_frame_copies_the_eight_stacked_words),
        cmocka_unit_test(sp_of_a_basic_frame_is_eight_words_up),
        cmocka_unit_test(sp_skips_the_aligner_when_xpsr_bit_9_is_set),
        cmocka_unit_test(sp_skips_the_fp_words_when_exc_return_bit_4_is_clear),
        cmocka_unit_test(sp_of_an_aligned_fp_frame_skips_both),
        cmocka_unit_test(memmanage_report_shows_mmfar_and_not_bfar),
        cmocka_unit_test(forced_hard_fault_report_shows_hfsr_and_bfar),
        cmocka_unit_test(hard_fault_report_always_has_an_hfsr_line),
        cmocka_unit_test(other_faults_show_hfsr_only_when_it_is_set),
        cmocka_unit_test(fault_addresses_need_their_valid_bits),
        cmocka_unit_test(unknown_exception_is_reported_by_number),
        cmocka_unit_test(only_hard_fault_has_an_hfsr_line_of_zero),
        cmocka_unit_test(widest_report_comes_out_whole),
        cmocka_unit_test(decodes_cut_at_every_capacity),
        cmocka_unit_test(report_cuts_at_every_capacity),
        cmocka_unit_test(zero_capacity_counts_without_a_buffer),
        cmocka_unit_test_setup(null_arguments_panic, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
