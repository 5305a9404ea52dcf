// Lock-order check (see lockorder.h).
#include "core/lockorder.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/panic.h"

#include <stdarg.h>

static int report(int code, char *msg, size_t msg_size, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fmt_vsnprintf(msg, msg_size, format, ap);
    va_end(ap);
    return code;
}

// held[] is in increasing rank order (a lock is taken only above every rank held, and a release
// keeps the others' order), so the last lock held is the highest.
unsigned lockorder_top(const struct lockorder *set)
{
    KASSERT(set != NULL);
    return set->depth == 0 ? 0 : set->held[set->depth - 1]->rank;
}

int lockorder_acquire(struct lockorder *set, const struct lock_class *c, char *msg, size_t msg_size)
{
    KASSERT(set != NULL && c != NULL);
    if (c->rank == 0 || c->name == NULL)
        return report(E_INVAL, msg, msg_size, "lock order: class %s has rank %u; ranks start at 1",
                      c->name != NULL ? c->name : "(unnamed)", c->rank);
    for (size_t i = 0; i < set->depth; i++) {
        if (set->held[i] == c)
            return report(E_EXIST, msg, msg_size, "lock order: %s (rank %u) taken while held",
                          c->name, c->rank);
    }
    if (c->rank <= lockorder_top(set)) {
        const struct lock_class *top = set->held[set->depth - 1];
        return report(E_RANGE, msg, msg_size,
                      "lock order: %s (rank %u) taken while holding %s (rank %u)", c->name, c->rank,
                      top->name, top->rank);
    }
    if (set->depth == LOCKORDER_DEPTH)
        return report(E_TOOBIG, msg, msg_size,
                      "lock order: %s (rank %u) taken while %u locks are held", c->name, c->rank,
                      LOCKORDER_DEPTH);
    set->held[set->depth++] = c;
    return 0;
}

int lockorder_release(struct lockorder *set, const struct lock_class *c, char *msg, size_t msg_size)
{
    KASSERT(set != NULL && c != NULL);
    for (size_t i = 0; i < set->depth; i++) {
        if (set->held[i] == c) {
            for (size_t j = i + 1; j < set->depth; j++)
                set->held[j - 1] = set->held[j];
            set->depth--;
            return 0;
        }
    }
    return report(E_NOENT, msg, msg_size, "lock order: %s released but not held",
                  c->name != NULL ? c->name : "(unnamed)");
}
