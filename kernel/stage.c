// Boot stage hooks (see stage.h).
#include "kernel/stage.h"

#include <stdbool.h>

#include "core/panic.h"

extern const struct stage_hook __stage_hooks_start[], __stage_hooks_end[];

unsigned stage_reached(enum kernel_stage stage)
{
    static bool reached[STAGE_COUNT];
    KASSERT((unsigned)stage < STAGE_COUNT);
    if (__atomic_exchange_n(&reached[stage], true, __ATOMIC_ACQ_REL))
        return 0;
    unsigned ran = 0;
    for (const struct stage_hook *h = __stage_hooks_start; h < __stage_hooks_end; h++) {
        if (h->stage == (uint32_t)stage) {
            h->fn();
            ran++;
        }
    }
    return ran;
}
