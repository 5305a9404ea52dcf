// Boot stage hooks (see stage.h).
#include "kernel/stage.h"

extern const struct stage_hook __stage_hooks_start[], __stage_hooks_end[];

unsigned stage_reached(enum kernel_stage stage)
{
    unsigned ran = 0;
    for (const struct stage_hook *h = __stage_hooks_start; h < __stage_hooks_end; h++) {
        if (h->stage == (uint32_t)stage) {
            h->fn();
            ran++;
        }
    }
    return ran;
}
