// Tests for core/string.c (built under core_ names on the host), compared with the host libc.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void *core_memset(void *dst, int c, size_t n);
void *core_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *core_memmove(void *dst, const void *src, size_t n);
int core_memcmp(const void *a, const void *b, size_t n);
size_t core_strlen(const char *s);
size_t core_strnlen(const char *s, size_t max);
int core_strcmp(const char *a, const char *b);
int core_strncmp(const char *a, const char *b, size_t n);

#define BUF 96

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void fill_pattern(unsigned char *buf, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(seed * 31u + i * 7u + 1u);
}

// Every offset and length up to 40 covers the unaligned head, word body and tail paths.
static void memset_matches_libc_at_every_offset_and_length(void **state)
{
    unsigned char got[BUF], want[BUF];
    for (size_t off = 0; off < 16; off++) {
        for (size_t len = 0; len <= 40; len++) {
            fill_pattern(got, BUF, 1);
            fill_pattern(want, BUF, 1);
            void *ret = core_memset(got + off, 0x1a5, len); // only the low byte counts
            memset(want + off, 0xa5, len);
            assert_ptr_equal(ret, got + off);
            assert_memory_equal(got, want, BUF);
        }
    }
}

static void memcpy_matches_libc_for_all_relative_alignments(void **state)
{
    unsigned char src[BUF], got[BUF], want[BUF];
    fill_pattern(src, BUF, 2);
    for (size_t soff = 0; soff < 9; soff++) {
        for (size_t doff = 0; doff < 9; doff++) {
            for (size_t len = 0; len <= 48; len++) {
                memset(got, 0, BUF);
                memset(want, 0, BUF);
                void *ret = core_memcpy(got + doff, src + soff, len);
                memcpy(want + doff, src + soff, len);
                assert_ptr_equal(ret, got + doff);
                assert_memory_equal(got, want, BUF);
            }
        }
    }
}

static void memmove_handles_overlap_in_both_directions(void **state)
{
    unsigned char got[BUF], want[BUF];
    for (size_t from = 0; from < 32; from++) {
        for (size_t to = 0; to < 32; to++) {
            for (size_t len = 0; len <= 40; len++) {
                fill_pattern(got, BUF, 3);
                fill_pattern(want, BUF, 3);
                void *ret = core_memmove(got + to, got + from, len);
                memmove(want + to, want + from, len);
                assert_ptr_equal(ret, got + to);
                assert_memory_equal(got, want, BUF);
            }
        }
    }
}

static void memcmp_orders_as_unsigned_bytes(void **state)
{
    unsigned char a[16] = "abcdefgh", b[16] = "abcdefgh";
    assert_int_equal(core_memcmp(a, b, 8), 0);
    assert_int_equal(core_memcmp(a, b, 0), 0);
    b[5] = 0x80; // above every ASCII byte: signed-char comparison would get this wrong
    assert_true(core_memcmp(a, b, 8) < 0);
    assert_true(core_memcmp(b, a, 8) > 0);
    assert_int_equal(core_memcmp(a, b, 5), 0);
    for (int i = 0; i < 256; i++) {
        unsigned char x = (unsigned char)i, y = 0x7f;
        assert_int_equal(sign(core_memcmp(&x, &y, 1)), sign(memcmp(&x, &y, 1)));
    }
}

static void strlen_and_strnlen_stop_at_nul_or_bound(void **state)
{
    assert_int_equal(core_strlen(""), 0);
    assert_int_equal(core_strlen("kernel"), 6);
    assert_int_equal(core_strnlen("kernel", 3), 3);
    assert_int_equal(core_strnlen("kernel", 100), 6);
    char unterminated[4] = {'a', 'b', 'c', 'd'};
    assert_int_equal(core_strnlen(unterminated, sizeof(unterminated)), 4);
    assert_int_equal(core_strnlen(unterminated, 0), 0);
    // Bytes above 0x7f (a char is signed here) are characters like any other.
    assert_int_equal(core_strlen("caf\xc3\xa9 \xff"), 7);
    assert_int_equal(core_strnlen("\x80\xfe", 100), 2);
}

static void strcmp_and_strncmp_match_libc_signs(void **state)
{
    static const char *words[] = {"", "a", "ab", "abc", "abd", "b", "\x80", "A"};
    size_t n = sizeof(words) / sizeof(words[0]);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            assert_int_equal(sign(core_strcmp(words[i], words[j])),
                             sign(strcmp(words[i], words[j])));
            for (size_t k = 0; k < 4; k++)
                assert_int_equal(sign(core_strncmp(words[i], words[j], k)),
                                 sign(strncmp(words[i], words[j], k)));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memset_matches_libc_at_every_offset_and_length),
        cmocka_unit_test(memcpy_matches_libc_for_all_relative_alignments),
        cmocka_unit_test(memmove_handles_overlap_in_both_directions),
        cmocka_unit_test(memcmp_orders_as_unsigned_bytes),
        cmocka_unit_test(strlen_and_strnlen_stop_at_nul_or_bound),
        cmocka_unit_test(strcmp_and_strncmp_match_libc_signs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
