// The kernel's lock-order check (see lockcheck.h).
#include "kernel/lockcheck.h"
#include "core/cmdline.h"
#include "core/fmt.h"
#include "core/panic.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "kernel/params.h"
#include "platform/x86_64/percpu.h"

KERNEL_PARAM(lockcheck);

#define LOCKCHECK_MSG_MAX 160

static bool enabled, wanted; // wanted: not turned off on the command line

// Reports a broken rule: the check goes off first, so the report's own locks are not checked.
_Noreturn static void broken(const char *msg)
{
    __atomic_store_n(&enabled, false, __ATOMIC_RELAXED);
    panic("%s (CPU %u)", msg, percpu()->index);
}

// One step of this CPU's held set (lockorder_acquire or lockorder_release), when the check is on.
static void step(int (*op)(struct lockorder *, const struct lock_class *, char *, size_t),
                 const struct lock_class *cls)
{
    if (!__atomic_load_n(&enabled, __ATOMIC_RELAXED))
        return;
    char msg[LOCKCHECK_MSG_MAX];
    if (op(&percpu()->locks, cls, msg, sizeof(msg)) != 0)
        broken(msg);
}

void spin_check_acquire(const struct lock_class *cls)
{
    step(lockorder_acquire, cls);
}

void spin_check_release(const struct lock_class *cls)
{
    step(lockorder_release, cls);
}

void lockcheck_enable(const char *cmdline)
{
    char value[8];
    wanted = !(cmdline_get(cmdline, "lockcheck", value, sizeof(value)) >= 0 &&
               strcmp(value, "off") == 0);
    __atomic_store_n(&enabled, wanted, __ATOMIC_RELEASE);
}

bool lockcheck_enabled(void)
{
    return __atomic_load_n(&enabled, __ATOMIC_RELAXED);
}

void lockcheck_may_sleep(const char *what)
{
    if (!lockcheck_enabled())
        return;
    const struct lockorder *held = &percpu()->locks;
    if (held->depth > 0) {
        char msg[LOCKCHECK_MSG_MAX];
        fmt_snprintf(msg, sizeof(msg), "lock order: %s while holding %s (rank %u)", what,
                     held->held[held->depth - 1]->name, held->held[held->depth - 1]->rank);
        broken(msg);
    }
}

void lockcheck_reset(void)
{
    if (!wanted)
        return; // not enabled yet (GS may not hold a struct percpu), or turned off
    percpu()->locks = (struct lockorder){0};
    __atomic_store_n(&enabled, wanted, __ATOMIC_RELEASE);
}
