// The heap trace format's writer (see heaptrace.h).
#include "core/heaptrace.h"
#include "core/fmt.h"
#include "core/panic.h"

const char *htrace_op_name(enum htrace_op op)
{
    switch (op) {
    case HTRACE_ALLOC: return "alloc";
    case HTRACE_FREE: return "free";
    case HTRACE_GROW: return "grow";
    }
    return NULL;
}

size_t htrace_format(char *buf, size_t cap, enum htrace_op op, uint64_t size, uint64_t align,
                     uint64_t address, int64_t result)
{
    const char *name = htrace_op_name(op);
    KASSERT(buf != NULL && cap >= HTRACE_LINE_MAX && name != NULL);
    // At most 88 characters (heaptrace.h), so it fits cap whole and n is its length.
    int n = fmt_snprintf(buf, cap, "%s %llu %llu 0x%llx %lld\n", name, (unsigned long long)size,
                         (unsigned long long)align, (unsigned long long)address, (long long)result);
    return (size_t)n;
}
