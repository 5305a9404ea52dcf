// Fixtures shared by the core/sched tests: a scheduler over a static table of threads, and
// helpers that drive it the way the kernel does (block, then pick the next thread).
#pragma once

#include "core/err.h"
#include "core/sched.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define THREADS 16

static struct sched s;
static struct sched_thread th[THREADS];

__attribute__((unused)) static int sched_setup(void **state)
{
    (void)state;
    mock_hw_reset();
    memset(th, 0, sizeof(th));
    assert_int_equal(sched_init(&s, 1, 3), 0);
    return 0;
}

// Adds th[0..n) in order (ids 1..n), all ready.
__attribute__((unused)) static void add_threads(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        assert_int_equal(sched_add(&s, &th[i], "t"), 0);
        assert_int_equal(th[i].id, i + 1);
    }
}

// The index in th of a thread, or -1 for NULL.
__attribute__((unused)) static int index_of(const struct sched_thread *t)
{
    return t == NULL ? -1 : (int)(t - th);
}

// Picks the next thread on CPU 0 and returns its index (-1: idle).
__attribute__((unused)) static int pick(void)
{
    return index_of(sched_pick_next(&s, 0));
}

// The indexes of the run queue, front first, into out; returns how many.
__attribute__((unused)) static unsigned ready_order(int *out, unsigned cap)
{
    unsigned n = 0;
    for (struct sched_thread *t = s.ready.head; t != NULL && n < cap; t = t->next)
        out[n++] = index_of(t);
    return n;
}
