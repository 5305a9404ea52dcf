// Tests for core/sched's CPU masks: a pinned thread runs only where its mask allows, the others
// keep their round-robin order around it, the run queue stays whole when a thread is taken from
// its middle or its end, sched_tick and sched_ready_for look only at threads the CPU may run, and
// the bad masks and states sched_set_cpus refuses.
#include "test/unit/sched_test.h"

static int setup3(void **state)
{
    sched_setup(state);
    assert_int_equal(sched_init(&s, 3, 2), 0);
    return 0;
}

static int pick_on(uint32_t cpu)
{
    return index_of(sched_pick_next(&s, cpu));
}

static void assert_ready(const int *want, unsigned n)
{
    int got[THREADS];
    assert_int_equal(ready_order(got, THREADS), n);
    assert_memory_equal(got, want, n * sizeof(int));
    // The tail is the last thread: a push after it keeps the queue whole.
    if (n == 0)
        assert_null(s.ready.tail);
    else
        assert_ptr_equal(s.ready.tail, &th[want[n - 1]]);
}

static void a_new_thread_may_run_anywhere(void **state)
{
    add_threads(1);
    assert_int_equal(th[0].cpus_allowed, SCHED_CPUS_ALL);
    assert_int_equal(pick_on(2), 0);
}

static void a_pinned_thread_waits_for_its_cpu(void **state)
{
    add_threads(3);
    assert_int_equal(sched_set_cpus(&s, &th[0], 1u << 1), 0);
    assert_int_equal(th[0].cpus_allowed, 2);
    assert_int_equal(pick_on(0), 1); // th[0] is passed over, not dropped
    assert_ready((const int[]){0, 2}, 2);
    assert_int_equal(pick_on(2), 2);
    assert_ready((const int[]){0}, 1);
    assert_false(sched_ready_for(&s, 0));
    assert_false(sched_ready_for(&s, 2));
    assert_true(sched_ready_for(&s, 1));
    assert_int_equal(pick_on(1), 0);
    assert_ready(NULL, 0);
}

// Taking the thread at the end of the queue moves the tail back; the next push lands after it.
static void taking_the_last_ready_thread_keeps_the_tail(void **state)
{
    add_threads(3);
    assert_int_equal(sched_set_cpus(&s, &th[0], 1u << 2), 0);
    assert_int_equal(sched_set_cpus(&s, &th[1], 1u << 2), 0);
    assert_int_equal(pick_on(0), 2); // the last one
    assert_ready((const int[]){0, 1}, 2);
    assert_int_equal(sched_add(&s, &th[3], "t"), 0);
    assert_ready((const int[]){0, 1, 3}, 3);
    assert_int_equal(sched_set_cpus(&s, &th[3], 1u << 1), 0);
    assert_int_equal(pick_on(1), 3); // the last again, after the first two
    assert_ready((const int[]){0, 1}, 2);
    assert_int_equal(pick_on(2), 0);
    assert_ready((const int[]){1}, 1);
}

// The current thread goes to the back before the pick: a pinned thread alone keeps its CPU, and
// a CPU with nothing it may run goes idle even though threads wait for the others.
static void a_cpu_idles_beside_threads_it_may_not_run(void **state)
{
    add_threads(2);
    assert_int_equal(sched_set_cpus(&s, &th[0], 1u << 0), 0);
    assert_int_equal(sched_set_cpus(&s, &th[1], 1u << 0), 0);
    assert_int_equal(pick_on(1), -1);
    assert_int_equal(pick_on(0), 0);
    assert_int_equal(pick_on(0), 1);
    assert_int_equal(pick_on(0), 0);
    assert_ready((const int[]){1}, 1);
    assert_false(sched_tick(&s, 1, 1)); // idle, but nothing it may run
    assert_false(sched_tick(&s, 0, 1)); // slice of 2 not spent
    assert_true(sched_tick(&s, 0, 2));
}

// A running thread whose new mask leaves its CPU out keeps running until it leaves; the tick
// asks for the switch once another thread may run there, and the thread moves.
static void a_mask_that_leaves_the_cpu_out_moves_the_thread(void **state)
{
    add_threads(2);
    assert_int_equal(pick_on(0), 0);
    assert_int_equal(sched_set_cpus(&s, &th[0], 1u << 1), 0);
    assert_int_equal(th[0].state, SCHED_RUNNING);
    assert_true(sched_tick(&s, 0, 1)); // th[1] may run on 0: switch at once, slice or not
    assert_int_equal(pick_on(0), 1);
    assert_ready((const int[]){0}, 1);
    assert_false(sched_ready_for(&s, 0));
    assert_int_equal(pick_on(1), 0);
    // Alone with nothing else for its CPU, such a thread is not asked to switch.
    assert_int_equal(sched_set_cpus(&s, &th[0], 1u << 2), 0);
    assert_false(sched_tick(&s, 1, 2));
}

static void sleepers_woken_by_a_tick_count_for_the_cpu(void **state)
{
    add_threads(2);
    assert_int_equal(pick_on(0), 0);
    assert_int_equal(sched_set_cpus(&s, &th[0], 1u << 1), 0);
    assert_int_equal(sched_sleep(&s, 0, 1), SCHED_SWITCH);
    assert_int_equal(pick_on(0), 1);
    assert_false(sched_tick(&s, 2, 1)); // th[0] woke, but only CPU 1 may run it
    assert_true(sched_ready_for(&s, 1));
    assert_true(sched_tick(&s, 1, 1)); // idle CPU 1 may
}

static void bad_masks_and_states_are_refused(void **state)
{
    add_threads(1);
    assert_int_equal(sched_set_cpus(&s, &th[0], 0), E_INVAL);
    assert_int_equal(sched_set_cpus(&s, &th[0], 1u << 3), E_INVAL); // only CPUs 0-2 exist
    assert_int_equal(sched_set_cpus(&s, &th[0], ~7u), E_INVAL);
    assert_int_equal(th[0].cpus_allowed, SCHED_CPUS_ALL);
    // Bits past the count are kept with a usable one, and never match.
    assert_int_equal(sched_set_cpus(&s, &th[0], (1u << 3) | (1u << 2)), 0);
    assert_int_equal(th[0].cpus_allowed, 0xc);
    assert_int_equal(pick_on(0), -1);
    assert_int_equal(pick_on(2), 0);
    // NEW and DEAD threads have no mask to set.
    assert_int_equal(sched_set_cpus(&s, &th[5], 1), E_INVAL);
    assert_int_equal(th[5].cpus_allowed, 0);
    assert_int_equal(sched_add(&s, &th[1], "t"), 0);
    assert_int_equal(pick_on(0), 1);
    sched_exit(&s, 0, 7);
    assert_int_equal(sched_set_cpus(&s, &th[1], 1), 0); // a zombie still has one
    assert_int_equal(pick_on(0), -1);
    int code;
    assert_int_equal(sched_add(&s, &th[2], "joiner"), 0);
    assert_int_equal(pick_on(1), 2);
    assert_int_equal(sched_join(&s, 1, &th[1], &code), 0);
    assert_int_equal(sched_set_cpus(&s, &th[1], 1), E_INVAL);
    // On one CPU, only bit 0 is usable.
    assert_int_equal(sched_init(&s, 1, 1), 0);
    memset(th, 0, sizeof(th));
    add_threads(1);
    assert_int_equal(sched_set_cpus(&s, &th[0], 2), E_INVAL);
    assert_int_equal(sched_set_cpus(&s, &th[0], 1), 0);
    // A scheduler whose init failed has no CPU at all.
    assert_int_equal(sched_init(&s, 0, 1), E_INVAL);
    assert_int_equal(sched_set_cpus(&s, &th[0], 1), E_INVAL);
}

static void null_arguments_and_bad_cpus_panic(void **state)
{
    add_threads(1);
    expect_assert_failure(sched_set_cpus(NULL, &th[0], 1));
    expect_assert_failure(sched_set_cpus(&s, NULL, 1));
    expect_assert_failure(sched_ready_for(NULL, 0));
    expect_assert_failure(sched_ready_for(&s, 3));
    expect_assert_failure(sched_ready_for(&s, 4));
    assert_non_null(strstr(mock_panic_message(), "sched_ready_for"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup3)
    const struct CMUnitTest tests[] = {
        T(a_new_thread_may_run_anywhere),
        T(a_pinned_thread_waits_for_its_cpu),
        T(taking_the_last_ready_thread_keeps_the_tail),
        T(a_cpu_idles_beside_threads_it_may_not_run),
        T(a_mask_that_leaves_the_cpu_out_moves_the_thread),
        T(sleepers_woken_by_a_tick_count_for_the_cpu),
        T(bad_masks_and_states_are_refused),
        T(null_arguments_and_bad_cpus_panic),
    };
    return cmocka_run_group_tests_name("sched_affinity", tests, NULL, NULL);
}
