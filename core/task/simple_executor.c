// The busy-polling executor: polls every unfinished task in turn until all have finished.
#include "core/panic.h"
#include "core/task/task.h"

#include <stddef.h>

void simple_exec_run(struct task **tasks, uint32_t n)
{
    KASSERT(tasks != NULL || n == 0);
    static const struct waker noop = {NULL, 0};
    uint32_t left = 0;
    for (uint32_t i = 0; i < n; i++)
        left += tasks[i] != NULL;
    while (left > 0) {
        for (uint32_t i = 0; i < n; i++) {
            struct task *t = tasks[i];
            if (t == NULL || t->poll(t, &noop) == POLL_PENDING)
                continue;
            tasks[i] = NULL;
            left--;
        }
    }
}
