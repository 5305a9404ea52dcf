// The memory helpers of the Arm run-time ABI (RTABI, section 4.3.4), which clang calls for
// block copies and clears it does not inline (zeroing a struct, say): __aeabi_memcpy, _memmove,
// _memset and _memclr, each also with a 4 and an 8 suffix (the caller promises that alignment,
// which these do not need). A C library would provide them; the firmware has none, so they are
// core/string's functions under the ABI's names. Note the argument order of __aeabi_memset:
// (dest, n, c). GCC calls the C names instead.
#include "core/string.h"

#include <stddef.h>

void cm_aeabi_memcpy(void *dest, const void *src, size_t n);
void cm_aeabi_memmove(void *dest, const void *src, size_t n);
void cm_aeabi_memset(void *dest, size_t n, int c);
void cm_aeabi_memclr(void *dest, size_t n);

void cm_aeabi_memcpy(void *dest, const void *src, size_t n)
{
    memcpy(dest, src, n);
}

void cm_aeabi_memmove(void *dest, const void *src, size_t n)
{
    memmove(dest, src, n);
}

void cm_aeabi_memset(void *dest, size_t n, int c)
{
    memset(dest, c, n);
}

void cm_aeabi_memclr(void *dest, size_t n)
{
    memset(dest, 0, n);
}

#define AEABI_ALIAS(name, impl) __typeof__(impl) name __attribute__((alias(#impl)))

AEABI_ALIAS(__aeabi_memcpy, cm_aeabi_memcpy);
AEABI_ALIAS(__aeabi_memcpy4, cm_aeabi_memcpy);
AEABI_ALIAS(__aeabi_memcpy8, cm_aeabi_memcpy);
AEABI_ALIAS(__aeabi_memmove, cm_aeabi_memmove);
AEABI_ALIAS(__aeabi_memmove4, cm_aeabi_memmove);
AEABI_ALIAS(__aeabi_memmove8, cm_aeabi_memmove);
AEABI_ALIAS(__aeabi_memset, cm_aeabi_memset);
AEABI_ALIAS(__aeabi_memset4, cm_aeabi_memset);
AEABI_ALIAS(__aeabi_memset8, cm_aeabi_memset);
AEABI_ALIAS(__aeabi_memclr, cm_aeabi_memclr);
AEABI_ALIAS(__aeabi_memclr4, cm_aeabi_memclr);
AEABI_ALIAS(__aeabi_memclr8, cm_aeabi_memclr);
