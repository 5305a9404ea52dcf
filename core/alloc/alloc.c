// What the heap designs share beyond the inline helpers of core/alloc/alloc.h.
#include "core/alloc/alloc.h"
#include "core/err.h"
#include "core/fmt.h"

#include <stdarg.h>

int alloc_check_fail(char *msg, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    fmt_vsnprintf(msg, cap, f, ap);
    va_end(ap);
    return E_FORMAT;
}
