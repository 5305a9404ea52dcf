/*
 * Stress: 2000 thread create/join cycles, eight threads at a time churning the heap (yielding
 * and preempted in between their calls), every exit code checked; the thread table filled to the last slot;
 * the heap's checker clean at the end.
 *
 * qemu-scenario
 * expect-serial: stress: 2000 threads
 */
#include "core/string.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/thread.h"
#include "test/qemu/ktest/ktest.h"

#define CYCLES  2000
#define AT_ONCE 8
#define LIVE    16
#define STEPS   128

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

// Allocates and frees blocks of 8-512 bytes, each filled with its own byte and checked before
// it is freed. Returns the seed's low bits when every block came back intact, else -1 (or -2 when
// the heap ran out).
static int churn(void *arg)
{
    uint64_t seed = (uint64_t)(uintptr_t)arg, s = seed;
    uint8_t *blocks[LIVE] = {0};
    size_t sizes[LIVE] = {0};
    int rc = (int)(seed & 0xffff);
    for (int step = 0; step < STEPS; step++) {
        if (step % 32 == 31)
            thread_yield(); // interleave the threads' heap calls (preemption does too, rarely)
        unsigned i = (unsigned)(next_random(&s) % LIVE);
        if (blocks[i] != NULL) {
            for (size_t k = 0; k < sizes[i]; k++)
                rc = blocks[i][k] == (uint8_t)(i + seed) ? rc : -1;
            kfree(blocks[i]);
            blocks[i] = NULL;
            continue;
        }
        sizes[i] = 8 + (size_t)(next_random(&s) % 505);
        blocks[i] = kmalloc(sizes[i]);
        if (blocks[i] == NULL)
            return -2;
        memset(blocks[i], (uint8_t)(i + seed), sizes[i]);
    }
    for (unsigned i = 0; i < LIVE; i++)
        kfree(blocks[i]);
    return rc;
}

KTEST(two_thousand_create_join_cycles_with_heap_churn)
{
    uint64_t switches = thread_switches(), preemptions = thread_preemptions();
    for (int cycle = 0; cycle < CYCLES; cycle += AT_ONCE) {
        struct thread *t[AT_ONCE];
        for (int i = 0; i < AT_ONCE; i++) {
            t[i] = thread_create(churn, (void *)(uintptr_t)(cycle + i + 1), "churn");
            KT_ASSERT(t[i] != NULL);
        }
        for (int i = 0; i < AT_ONCE; i++) {
            int code;
            KT_ASSERT_EQ(thread_join(t[i], &code), 0);
            KT_ASSERT_EQ(code, (cycle + i + 1) & 0xffff);
        }
    }
    char msg[128];
    KT_ASSERT_EQ(heap_check(msg, sizeof(msg)), 0);
    struct thread_entry list[4];
    KT_ASSERT_EQ(thread_list(list, 4), 2); // boot and idle again
    kprintf("stress: %d threads created and joined, %llu switches (%llu preemptions), heap "
            "check clean\n",
            CYCLES, (unsigned long long)(thread_switches() - switches),
            (unsigned long long)(thread_preemptions() - preemptions));
}

static int returns_arg(void *arg)
{
    return (int)(uintptr_t)arg;
}

// THREAD_MAX slots hold the idle thread and THREAD_MAX - 1 others; one more is refused until a
// join frees a slot.
KTEST(the_thread_table_fills_and_frees)
{
    static struct thread *t[THREAD_MAX];
    for (int i = 0; i < THREAD_MAX - 1; i++) {
        t[i] = thread_create(returns_arg, (void *)(uintptr_t)i, "fill");
        KT_ASSERT(t[i] != NULL);
    }
    KT_ASSERT(thread_create(returns_arg, NULL, "one too many") == NULL);
    int code;
    KT_ASSERT_EQ(thread_join(t[0], &code), 0);
    t[0] = thread_create(returns_arg, (void *)(uintptr_t)0, "again");
    KT_ASSERT(t[0] != NULL);
    for (int i = 0; i < THREAD_MAX - 1; i++) {
        KT_ASSERT_EQ(thread_join(t[i], &code), 0);
        KT_ASSERT_EQ(code, i);
    }
}
