/*
 * The formatter (core/fmt) on a machine with 32-bit int, long, size_t and pointers and no 64-bit
 * divide instruction (64-bit conversions go through libgcc's __aeabi_uldivmod): every length
 * modifier at its type's limits prints what glibc prints, and the console carries it to UART0.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * expect-serial: ^fmt: -2147483648 4294967295 18446744073709551615 0xdeadbeef$
 * expect-serial: ^fmt: \[      0x20\] \[-9223372036854775808\] \[ab   \] \[%\]$
 */
#include "core/fmt.h"
#include "platform/cortex_m/console.h"
#include "test/qemu/ktest/ktest.h"

#include <limits.h>

// Formats into a buffer and compares with what glibc prints for the same format and arguments.
#define KT_FORMATS(want, ...)                                                                      \
    do {                                                                                           \
        char got_[128];                                                                            \
        int n_ = fmt_snprintf(got_, sizeof(got_), __VA_ARGS__);                                    \
        KT_ASSERT_STR_EQ(got_, want);                                                              \
        KT_ASSERT_EQ(n_, sizeof(want) - 1);                                                        \
    } while (0)

KTEST_EARLY(ints_and_longs_have_32_bits)
{
    KT_FORMATS("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
    KT_FORMATS("-2147483648 4294967295", "%ld %lu", LONG_MIN, ULONG_MAX);
    KT_FORMATS("4294967295 ffffffff", "%zu %zx", SIZE_MAX, SIZE_MAX);
    KT_FORMATS("-2147483648 2147483647", "%td %jd", (ptrdiff_t)INT32_MIN, (intmax_t)INT32_MAX);
}

// 64-bit values need the library division on this CPU.
KTEST_EARLY(long_longs_have_64_bits)
{
    KT_FORMATS("-9223372036854775808", "%lld", LLONG_MIN);
    KT_FORMATS("18446744073709551615", "%llu", ULLONG_MAX);
    KT_FORMATS("1777777777777777777777", "%llo", ULLONG_MAX);
    KT_FORMATS("0XFFFFFFFFFFFFFFFF", "%#llX", ULLONG_MAX);
    KT_FORMATS("00000000012345678901", "%020llu", 12345678901ull);
}

KTEST_EARLY(short_and_char_lengths_at_their_limits)
{
    KT_FORMATS("-32768 65535 -128 255", "%hd %hu %hhd %hhu", (short)INT16_MIN,
               (unsigned short)UINT16_MAX, (signed char)INT8_MIN, (unsigned char)UINT8_MAX);
}

// A pointer has 8 hex digits at most; NULL is "(nil)".
KTEST_EARLY(pointers_have_32_bits)
{
    KT_FORMATS("0xffffffff", "%p", (void *)UINTPTR_MAX);
    KT_FORMATS("0x20000000", "%p", (void *)0x20000000u);
    KT_FORMATS("[   (nil)]", "[%8p]", (void *)0);
    KT_FORMATS("[0x00000020]", "[%#010x]", 32u);
}

KTEST_EARLY(widths_precisions_and_flags)
{
    KT_FORMATS("[      0x20] [-9223372036854775808] [ab   ] [%]", "[%10p] [%-5lld] [%-5.2s] [%%]",
               (void *)0x20, LLONG_MIN, "abc");
    KT_FORMATS("[+42] [ 42] [00042] [42   ] [ 0042]", "[%+d] [% d] [%05d] [%-5d] [%5.4d]", 42, 42,
               42, 42, 42);
}

// The same through the console: the expect-serial lines check what reached UART0.
KTEST(kprintf_reaches_the_uart)
{
    kprintf("\nfmt: %d %lu %llu %#x\n", INT_MIN, ULONG_MAX, ULLONG_MAX, 0xdeadbeefu);
    int n = kprintf("fmt: [%10p] [%-5lld] [%-5.2s] [%%]\n", (void *)0x20, LLONG_MIN, "abc");
    KT_ASSERT_EQ(n, 53);
}
