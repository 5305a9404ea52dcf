// The fairness measure the thread scenarios share: n busy threads run for a while from the
// calling thread, then each one's ticks run (core/sched's count) is printed and summed up.
#pragma once

#include <stdint.h>

#include "kernel/console.h"
#include "kernel/thread.h"
#include "test/qemu/ktest/ktest.h"

#define FAIRNESS_MAX 16

struct fairness {
    uint64_t ticks[FAIRNESS_MAX];
    uint64_t lo, hi, total;
};

// Creates n threads of fn (thread i gets args[i], or NULL when args is NULL), sleeps `ticks`
// ticks, sets *stop, joins them and fills *out; prints "fairness: <label>: ticks ... (spread S,
// total T)". Returns false when a thread could not be created or joined.
static inline bool fairness_run(int (*fn)(void *), void *const *args, int n, uint64_t ticks,
                                volatile bool *stop, const char *label, struct fairness *out)
{
    struct thread *t[FAIRNESS_MAX];
    if (n > FAIRNESS_MAX)
        return false;
    *stop = false;
    for (int i = 0; i < n; i++) {
        t[i] = thread_create(fn, args != NULL ? args[i] : NULL, "busy");
        if (t[i] == NULL)
            return false;
    }
    thread_sleep_ticks(ticks);
    *stop = true;
    *out = (struct fairness){.lo = UINT64_MAX};
    for (int i = 0; i < n; i++) {
        if (thread_join(t[i], NULL) != 0)
            return false;
        uint64_t run = t[i]->st.ticks_run; // the struct outlives the join until its slot is reused
        out->ticks[i] = run;
        out->lo = run < out->lo ? run : out->lo;
        out->hi = run > out->hi ? run : out->hi;
        out->total += run;
    }
    kprintf("fairness: %s: ticks", label);
    for (int i = 0; i < n; i++)
        kprintf(" %llu", (unsigned long long)out->ticks[i]);
    kprintf(" (spread %llu, total %llu)\n", (unsigned long long)(out->hi - out->lo),
            (unsigned long long)out->total);
    return true;
}
