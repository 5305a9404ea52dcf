// core/sched's answers to bad arguments: NULL pointers, CPU indexes out of range, an idle CPU
// asked to block, time going back (all caller bugs: panics), and sched_init's refusals.
#include "test/unit/sched_test.h"

static void init_refuses_bad_cpu_counts_and_slices(void **state)
{
    assert_int_equal(sched_init(&s, 0, 1), E_INVAL);
    assert_int_equal(s.cpus, 0);
    assert_int_equal(sched_init(&s, SCHED_CPUS_MAX + 1, 1), E_INVAL);
    assert_int_equal(s.cpus, 0);
    assert_int_equal(sched_init(&s, 1, 0), E_INVAL);
    assert_int_equal(s.cpus, 0);
    assert_int_equal(s.slice, 0);
    expect_assert_failure(sched_current(&s, 0)); // a refused scheduler has no CPU
    assert_int_equal(sched_init(&s, SCHED_CPUS_MAX, 1), 0);
    assert_int_equal(s.cpus, SCHED_CPUS_MAX);
    assert_int_equal(s.slice, 1);
    assert_int_equal(s.next_id, 1);
    assert_int_equal(sched_now(&s), 0);
    assert_null(sched_current(&s, SCHED_CPUS_MAX - 1));
    expect_assert_failure(sched_current(&s, SCHED_CPUS_MAX));
}

static void null_pointers_panic(void **state)
{
    struct sched_waitq wq = {0};
    int code;
    expect_assert_failure(sched_init(NULL, 1, 1));
    expect_assert_failure(sched_add(NULL, &th[0], "t"));
    expect_assert_failure(sched_add(&s, NULL, "t"));
    expect_assert_failure(sched_adopt(NULL, 0, &th[0], "t"));
    expect_assert_failure(sched_adopt(&s, 0, NULL, "t"));
    expect_assert_failure(sched_current(NULL, 0));
    expect_assert_failure(sched_pick_next(NULL, 0));
    expect_assert_failure(sched_tick(NULL, 0, 1));
    expect_assert_failure(sched_now(NULL));
    expect_assert_failure(sched_ready_count(NULL));
    expect_assert_failure(sched_sleep(NULL, 0, 1));
    expect_assert_failure(sched_wait(NULL, 0, &wq));
    expect_assert_failure(sched_wake_one(NULL, &wq));
    expect_assert_failure(sched_wake_one(&s, NULL));
    expect_assert_failure(sched_wake_all(NULL, &wq));
    expect_assert_failure(sched_wake_all(&s, NULL));
    expect_assert_failure(sched_exit(NULL, 0, 0));
    expect_assert_failure(sched_join(NULL, 0, &th[0], &code));
    add_threads(2);
    assert_int_equal(pick(), 0);
    expect_assert_failure(sched_wait(&s, 0, NULL));
    expect_assert_failure(sched_join(&s, 0, NULL, &code));
    expect_assert_failure(sched_join(&s, 0, &th[1], NULL));
    assert_int_equal(th[0].state, SCHED_RUNNING);
}

static void cpu_out_of_range_panics(void **state)
{
    struct sched_waitq wq = {0};
    int code;
    add_threads(2);
    assert_int_equal(pick(), 0);
    expect_assert_failure(sched_adopt(&s, 1, &th[5], "t"));
    expect_assert_failure(sched_current(&s, 1));
    expect_assert_failure(sched_pick_next(&s, 1));
    expect_assert_failure(sched_tick(&s, 1, 1));
    expect_assert_failure(sched_sleep(&s, 1, 1));
    expect_assert_failure(sched_wait(&s, 1, &wq));
    expect_assert_failure(sched_exit(&s, 1, 0));
    expect_assert_failure(sched_join(&s, 1, &th[1], &code));
    expect_assert_failure(sched_current(&s, UINT32_MAX));
    // Above the count and past the table, where current[] would read the (non-empty) run queue.
    const uint32_t past = SCHED_CPUS_MAX;
    expect_assert_failure(sched_adopt(&s, past, &th[5], "t"));
    expect_assert_failure(sched_current(&s, past));
    expect_assert_failure(sched_pick_next(&s, past));
    expect_assert_failure(sched_tick(&s, past, 1));
    expect_assert_failure(sched_sleep(&s, past, 1));
    expect_assert_failure(sched_wait(&s, past, &wq));
    expect_assert_failure(sched_exit(&s, past, 0));
    expect_assert_failure(sched_join(&s, past, &th[1], &code));
    assert_int_equal(th[5].state, SCHED_NEW);
    assert_int_equal(sched_ready_count(&s), 1);
}

// With every CPU slot in use, index SCHED_CPUS_MAX would read past current[] into the run queue
// (which is not empty here): the checks must come first.
static void cpu_just_past_the_table_panics(void **state)
{
    struct sched_waitq wq = {0};
    int code;
    const uint32_t past = SCHED_CPUS_MAX;
    assert_int_equal(sched_init(&s, SCHED_CPUS_MAX, 2), 0);
    add_threads(3);
    expect_assert_failure(sched_adopt(&s, past, &th[5], "t"));
    expect_assert_failure(sched_current(&s, past));
    expect_assert_failure(sched_pick_next(&s, past));
    expect_assert_failure(sched_tick(&s, past, 1));
    expect_assert_failure(sched_sleep(&s, past, 1));
    expect_assert_failure(sched_wait(&s, past, &wq));
    expect_assert_failure(sched_exit(&s, past, 0));
    expect_assert_failure(sched_join(&s, past, &th[1], &code));
    assert_int_equal(sched_ready_count(&s), 3);
    assert_int_equal(th[0].state, SCHED_READY);
    assert_int_equal(th[0].ticks_run, 0);
    assert_int_equal(th[5].state, SCHED_NEW);
    assert_null(wq.head);
    assert_null(s.sleepers);
    assert_int_equal(sched_now(&s), 0);
}

static void an_idle_cpu_cannot_block_or_exit(void **state)
{
    struct sched_waitq wq = {0};
    int code;
    add_threads(1);
    expect_assert_failure(sched_sleep(&s, 0, 1));
    expect_assert_failure(sched_wait(&s, 0, &wq));
    expect_assert_failure(sched_exit(&s, 0, 0));
    expect_assert_failure(sched_join(&s, 0, &th[0], &code));
    assert_int_equal(th[0].state, SCHED_READY);
    assert_null(wq.head);
}

static void time_going_back_panics(void **state)
{
    add_threads(1);
    assert_int_equal(pick(), 0);
    sched_tick(&s, 0, 5);
    expect_assert_failure(sched_tick(&s, 0, 4));
    assert_int_equal(sched_now(&s), 5);
    sched_tick(&s, 0, 5); // the same time again is fine
    assert_int_equal(th[0].ticks_run, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(init_refuses_bad_cpu_counts_and_slices, sched_setup),
        cmocka_unit_test_setup(null_pointers_panic, sched_setup),
        cmocka_unit_test_setup(cpu_out_of_range_panics, sched_setup),
        cmocka_unit_test_setup(cpu_just_past_the_table_panics, sched_setup),
        cmocka_unit_test_setup(an_idle_cpu_cannot_block_or_exit, sched_setup),
        cmocka_unit_test_setup(time_going_back_panics, sched_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
