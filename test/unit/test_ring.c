// Tests for core/ring.c: FIFO order, the full and empty edges, wrap-around of slots and of
// positions (including at 2^32 with the largest capacity), odd capacities, bad arguments, and a
// two-thread producer/consumer run that checks every value arrives once and in order. The random
// runs and the two-thread run are a tenth and a twenty-fifth of their long-tier size in the fast
// tier (test/unit/sweep.h).
#define _GNU_SOURCE // mmap flags and pthreads under -std=c11
#include "core/ring.h"
#include "platform/host/mock_hw.h"
#include "test/unit/sweep.h"

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <cmocka.h>

#define SEED 20240611u

static uint32_t storage[1000];

static int setup(void **state)
{
    mock_hw_reset();
    memset(storage, 0xee, sizeof(storage));
    return 0;
}

static void push_ok(struct ring *r, uint32_t v)
{
    assert_true(ring_push(r, v));
}

static uint32_t pop_ok(struct ring *r)
{
    uint32_t v = 0;
    assert_true(ring_pop(r, &v));
    return v;
}

static void init_makes_an_empty_ring(void **state)
{
    struct ring r;
    assert_int_equal(ring_init(&r, storage, 8), 0);
    assert_int_equal(r.capacity, 8);
    assert_int_equal(ring_count(&r), 0);
    assert_true(ring_is_empty(&r));
    assert_false(ring_is_full(&r));
}

static void values_come_out_in_fifo_order(void **state)
{
    struct ring r;
    assert_int_equal(ring_init(&r, storage, 8), 0);
    push_ok(&r, 10);
    push_ok(&r, 0);
    push_ok(&r, UINT32_MAX);
    assert_int_equal(ring_count(&r), 3);
    assert_int_equal(pop_ok(&r), 10);
    assert_int_equal(pop_ok(&r), 0);
    assert_int_equal(pop_ok(&r), UINT32_MAX);
    assert_true(ring_is_empty(&r));
}

static void push_to_full_ring_fails_and_changes_nothing(void **state)
{
    struct ring r;
    assert_int_equal(ring_init(&r, storage, 4), 0);
    for (uint32_t i = 0; i < 4; i++)
        push_ok(&r, i);
    assert_true(ring_is_full(&r));
    struct ring before;
    memcpy(&before, &r, sizeof(r));
    assert_false(ring_push(&r, 99));
    assert_memory_equal(&r, &before, sizeof(r));
    assert_int_equal(storage[4], 0xeeeeeeee); // nothing written past the end either
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(pop_ok(&r), i);
}

static void pop_from_empty_ring_fails_and_leaves_value(void **state)
{
    struct ring r;
    assert_int_equal(ring_init(&r, storage, 4), 0);
    uint32_t v = 1234;
    assert_false(ring_pop(&r, &v));
    assert_int_equal(v, 1234);
    push_ok(&r, 5);
    assert_int_equal(pop_ok(&r), 5);
    assert_false(ring_pop(&r, &v));
    assert_int_equal(v, 1234);
}

static void capacity_1_alternates_full_and_empty(void **state)
{
    struct ring r;
    assert_int_equal(ring_init(&r, storage, 1), 0);
    for (uint32_t i = 0; i < 10; i++) {
        assert_true(ring_is_empty(&r));
        push_ok(&r, i);
        assert_true(ring_is_full(&r));
        assert_false(ring_push(&r, 77));
        assert_int_equal(pop_ok(&r), i);
    }
    assert_int_equal(storage[1], 0xeeeeeeee);
}

static void capacity_100_holds_exactly_100(void **state)
{
    struct ring r;
    assert_int_equal(ring_init(&r, storage, 100), 0);
    for (uint32_t i = 0; i < 100; i++) {
        assert_false(ring_is_full(&r));
        push_ok(&r, i);
    }
    assert_true(ring_is_full(&r));
    assert_false(ring_push(&r, 100));
    assert_int_equal(ring_count(&r), 100);
    assert_int_equal(storage[100], 0xeeeeeeee);
}

static void wraps_around_many_times_at_steady_fill(void **state)
{
    struct ring r;
    assert_int_equal(ring_init(&r, storage, 7), 0);
    uint32_t next_in = 0, next_out = 0;
    for (; next_in < 5; next_in++)
        push_ok(&r, next_in);
    for (int i = 0; i < 100000; i++) { // 100000 / 7 laps of the slots, 7000 of the positions
        push_ok(&r, next_in++);
        assert_int_equal(pop_ok(&r), next_out++);
        assert_int_equal(ring_count(&r), 5);
    }
}

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

// Random pushes and pops against a counter model: pushes succeed exactly while fewer than
// capacity values are in, pops return the values in order.
static void random_run(uint32_t seed, uint32_t capacity, uint32_t start, uint32_t steps)
{
    struct ring r;
    assert_int_equal(ring_init_at(&r, storage, capacity, start), 0);
    uint32_t x = seed, in = 0, out = 0;
    for (uint32_t i = 0; i < steps; i++) {
        if (xorshift(&x) % 2) {
            bool ok = ring_push(&r, in);
            if (ok != (in - out < capacity))
                fail_msg("capacity %u step %u: push %d (seed %u)", capacity, i, ok, seed);
            in += ok;
        } else {
            uint32_t v = 0;
            bool ok = ring_pop(&r, &v);
            if (ok != (in != out) || (ok && v != out))
                fail_msg("capacity %u step %u: pop %d %u (seed %u)", capacity, i, ok, v, seed);
            out += ok;
        }
        assert_int_equal(ring_count(&r), in - out);
    }
}

static void odd_capacities_behave_like_a_queue(void **state)
{
    static const uint32_t caps[] = {1, 2, 3, 5, 7, 100, 999, 1000};
    uint32_t seed = (uint32_t)sweep_seed("odd capacities", SEED, UINT32_MAX);
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        random_run(seed, caps[i], 0, (uint32_t)sweep_size(20000, 200000));
}

static void positions_wrap_at_twice_the_capacity(void **state)
{
    struct ring r;
    assert_int_equal(ring_init_at(&r, storage, 100, 197), 0);
    for (uint32_t i = 0; i < 100; i++)
        push_ok(&r, i); // the tail passes 199 -> 0
    assert_true(ring_is_full(&r));
    assert_int_equal(r.tail, 97);
    assert_int_equal(pop_ok(&r), 0);
    assert_int_equal(ring_count(&r), 99);
    uint32_t seed = (uint32_t)sweep_seed("positions wrap", SEED, UINT32_MAX);
    random_run(seed, 100, 199, (uint32_t)sweep_size(10000, 100000));
    random_run(seed, 3, 5, (uint32_t)sweep_size(10000, 100000));
}

// The largest capacity has 2^32 positions: the only case where a position wraps at 2^32. The
// ring touches only the slots around the wrap, so 8 GiB of unbacked address space will do; the
// test is skipped where the host cannot reserve that much.
#define BIG_BYTES ((size_t)RING_MAX_CAPACITY * sizeof(uint32_t))

static uint32_t *map_big_slots(void)
{
    void *p = mmap(NULL, BIG_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        skip();
    return p;
}

static void largest_capacity_wraps_positions_at_2_pow_32(void **state)
{
    uint32_t *big = map_big_slots();
    struct ring r;
    assert_int_equal(ring_init_at(&r, big, RING_MAX_CAPACITY, UINT32_MAX - 2), 0);
    for (uint32_t i = 0; i < 6; i++)
        push_ok(&r, i);
    assert_int_equal(r.tail, 3);
    assert_int_equal(ring_count(&r), 6);
    assert_int_equal(big[RING_MAX_CAPACITY - 1], 2);
    assert_int_equal(big[0], 3);
    for (uint32_t i = 0; i < 6; i++)
        assert_int_equal(pop_ok(&r), i);
    assert_true(ring_is_empty(&r));
    munmap(big, BIG_BYTES);
}

static void largest_capacity_is_full_across_the_wrap(void **state)
{
    uint32_t *big = map_big_slots();
    struct ring r;
    assert_int_equal(ring_init_at(&r, big, RING_MAX_CAPACITY, UINT32_MAX), 0);
    // As if capacity - 1 values had been pushed: set by hand, pushing them would touch 8 GiB.
    r.head = UINT32_MAX - (RING_MAX_CAPACITY - 1);
    big[0] = 3;
    assert_int_equal(ring_count(&r), RING_MAX_CAPACITY - 1);
    push_ok(&r, 10);
    assert_int_equal(r.tail, 0);
    assert_true(ring_is_full(&r));
    assert_false(ring_push(&r, 11));
    assert_int_equal(big[RING_MAX_CAPACITY - 1], 10);
    assert_int_equal(pop_ok(&r), 3); // the head's slot is 2^31 mod capacity = 0
    push_ok(&r, 12);
    assert_true(ring_is_full(&r));
    munmap(big, BIG_BYTES);
}

static void bad_capacity_gives_einval_and_an_unusable_ring(void **state)
{
    static const uint32_t bad[] = {0, RING_MAX_CAPACITY + 1, UINT32_MAX};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct ring r;
        assert_int_equal(ring_init(&r, storage, bad[i]), E_INVAL);
        assert_int_equal(r.capacity, 0);
        assert_false(ring_push(&r, 1));
        uint32_t v = 7;
        assert_false(ring_pop(&r, &v));
        assert_int_equal(v, 7);
        assert_true(ring_is_empty(&r));
        assert_true(ring_is_full(&r));
    }
    assert_int_equal(storage[0], 0xeeeeeeee);
}

static void start_outside_the_positions_gives_einval(void **state)
{
    struct ring r;
    assert_int_equal(ring_init_at(&r, storage, 10, 20), E_INVAL);
    assert_int_equal(r.capacity, 0);
    assert_int_equal(ring_init_at(&r, storage, 10, UINT32_MAX), E_INVAL);
    assert_int_equal(ring_init_at(&r, storage, 10, 19), 0);
}

static void init_starts_both_positions_at_slot_0(void **state)
{
    struct ring r;
    r.head = r.tail = 7;
    assert_int_equal(ring_init(&r, storage, 4), 0);
    assert_int_equal(r.head, 0);
    assert_int_equal(r.tail, 0);
    push_ok(&r, 42);
    assert_int_equal(storage[0], 42);
}

// A third context can see head and tail from different moments (ring.c, ring_count): a distance
// above the capacity, which no real state has, still counts as full.
static void count_of_an_impossible_distance_is_the_capacity(void **state)
{
    struct ring r;
    assert_int_equal(ring_init(&r, storage, 4), 0);
    r.tail = 6; // 6 positions ahead of head 0, of 8
    assert_int_equal(ring_count(&r), 4);
    assert_true(ring_is_full(&r));
}

static void null_arguments_panic(void **state)
{
    struct ring r;
    uint32_t v;
    expect_assert_failure(ring_init(NULL, storage, 4));
    assert_non_null(strstr(mock_panic_message(), "ring_init"));
    expect_assert_failure(ring_init(&r, NULL, 4));
    assert_int_equal(ring_init(&r, storage, 4), 0);
    expect_assert_failure(ring_push(NULL, 1));
    expect_assert_failure(ring_pop(NULL, &v));
    expect_assert_failure(ring_pop(&r, NULL));
    assert_non_null(strstr(mock_panic_message(), "ring_pop"));
    expect_assert_failure(ring_count(NULL));
    expect_assert_failure(ring_is_empty(NULL));
    expect_assert_failure(ring_is_full(NULL));
}

static uint32_t hammer_n; // values through the ring
static struct ring hammer_ring;
static unsigned long full_spins; // pushes that found the ring full; the producer's only

// Spins (yielding now and then, for hosts with fewer free cores than threads) until it fits.
static void *producer(void *arg)
{
    for (uint32_t i = 0; i < hammer_n; i++) {
        while (!ring_push(&hammer_ring, i)) {
            if (++full_spins % 256 == 0)
                sched_yield();
        }
    }
    return NULL;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void two_threads_pass_every_value_once_in_order(void **state)
{
    assert_int_equal(ring_init(&hammer_ring, storage, 100), 0);
    hammer_n = (uint32_t)sweep_size(200000, 5000000);
    full_spins = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, producer, NULL), 0);
    unsigned long empty_spins = 0;
    for (uint32_t expect = 0, v; expect < hammer_n;) {
        if (!ring_pop(&hammer_ring, &v)) {
            if (++empty_spins % 256 == 0)
                sched_yield();
        } else if (v != expect++) {
            fail_msg("popped %u, expected %u", v, expect - 1);
        }
    }
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_true(ring_is_empty(&hammer_ring));
    printf("ring hammer: %u values in order through capacity 100 in %.3f s; "
           "%lu pushes found it full, %lu pops found it empty\n",
           hammer_n, seconds_since(&t0), full_spins, empty_spins);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(init_makes_an_empty_ring),
        T(values_come_out_in_fifo_order),
        T(push_to_full_ring_fails_and_changes_nothing),
        T(pop_from_empty_ring_fails_and_leaves_value),
        T(capacity_1_alternates_full_and_empty),
        T(capacity_100_holds_exactly_100),
        T(wraps_around_many_times_at_steady_fill),
        T(odd_capacities_behave_like_a_queue),
        T(positions_wrap_at_twice_the_capacity),
        T(largest_capacity_wraps_positions_at_2_pow_32),
        T(largest_capacity_is_full_across_the_wrap),
        T(bad_capacity_gives_einval_and_an_unusable_ring),
        T(start_outside_the_positions_gives_einval),
        T(init_starts_both_positions_at_slot_0),
        T(count_of_an_impossible_distance_is_the_capacity),
        T(null_arguments_panic),
        T(two_threads_pass_every_value_once_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
