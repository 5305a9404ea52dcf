// Tests for core/task/executor.c that `make mutate` asked for: a free slot found when the ids wrap
// past 0 with the slots before it busy, stale ids popped from the queue (their slot free, or
// reused by a larger id), an id popped while its slot says it is not queued (a broken invariant
// panics), the producer lock making a waker wait, the undo of a spawn into a full queue, an
// executor whose init failed, and the NULL panics, each naming its function.
#define _GNU_SOURCE // pthreads and nanosleep under -std=c11
#include "test/unit/task_test.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

// Ids wrapping past 0 make slot residues restart: with 4 slots, after id 0xfffffffc come
// 0xfffffffd-0xffffffff (slots 1-3), 0 (no id), then 1-3 (slots 1-3 again) and 4, the first id
// of slot 0. Slots 1-3 busy and slot 0 free, spawn must go that far.
static void spawn_finds_the_free_slot_across_the_id_wrap(void **state)
{
    struct exec_slot four[4];
    assert_int_equal(exec_init(&ex, four, 4, queue, EXEC_QUEUE_DEFAULT), 0);
    ex.next_id = 0xfffffff8u;
    struct counter c[4], d;
    for (int i = 0; i < 4; i++) {
        counter_init(&c[i], i == 3 ? 1 : 100); // 0xfffffffc, in slot 0, finishes at once
        assert_int_equal(exec_spawn(&ex, &c[i].task), 0);
    }
    assert_int_equal(c[3].task.id, 0xfffffffcu);
    exec_run_ready(&ex);
    assert_int_equal(exec_live(&ex), 3);
    counter_init(&d, 1);
    assert_int_equal(exec_spawn(&ex, &d.task), 0);
    assert_int_equal(d.task.id, 4);
    struct counter e;
    counter_init(&e, 1);
    assert_int_equal(exec_spawn(&ex, &e.task), E_NOMEM);
}

// Wakes itself, then finishes: its id stays queued, stale.
static enum poll_result wake_then_finish(struct task *t, const struct waker *w)
{
    int *polls = t->state;
    (*polls)++;
    assert_int_equal(waker_wake(w), 0);
    return POLL_READY;
}

static void stale_id_of_a_free_slot_is_skipped(void **state)
{
    int polls = 0;
    struct task t = {.poll = wake_then_finish, .state = &polls};
    assert_int_equal(exec_spawn(&ex, &t), 0);
    assert_true(exec_run_ready(&ex));
    assert_true(exec_has_ready(&ex));  // the stale id
    assert_false(exec_run_ready(&ex)); // popped, nothing polled
    assert_int_equal(polls, 1);
    assert_false(exec_has_ready(&ex));
}

static void stale_id_of_a_reused_slot_is_skipped(void **state)
{
    struct exec_slot one[1];
    assert_int_equal(exec_init(&ex, one, 1, queue, EXEC_QUEUE_DEFAULT), 0);
    int polls = 0;
    struct task t = {.poll = wake_then_finish, .state = &polls};
    struct counter c;
    counter_init(&c, 1);
    assert_int_equal(exec_spawn(&ex, &t), 0); // id 1
    exec_run_ready(&ex);                      // finishes, id 1 queued again
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    assert_int_equal(c.task.id, 2);   // the same slot
    assert_true(exec_run_ready(&ex)); // stale 1 skipped, 2 polled
    assert_int_equal(polls, 1);
    assert_int_equal(c.polls, 1);
}

static void id_popped_while_not_marked_queued_panics(void **state)
{
    struct counter c;
    counter_init(&c, 2);
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    exec_run_ready(&ex); // pending, not queued
    assert_true(ring_push(&ex.ready, c.task.id));
    expect_assert_failure(exec_run_ready(&ex));
    assert_non_null(strstr(mock_panic_message(), "poll_id"));
}

static void *wake_from_thread(void *arg)
{
    assert_int_equal(waker_wake_from_irq(arg), 0);
    return NULL;
}

// Another producer holds the lock: a wake waits for it before pushing.
static void a_wake_waits_for_the_producer_lock(void **state)
{
    struct counter c;
    counter_init(&c, 2);
    assert_int_equal(exec_spawn(&ex, &c.task), 0);
    exec_run_ready(&ex);
    __atomic_store_n(&ex.push_lock, 1, __ATOMIC_RELEASE);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, wake_from_thread, &c.waker), 0);
    nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    assert_int_equal(ring_count(&ex.ready), 0);
    __atomic_store_n(&ex.push_lock, 0, __ATOMIC_RELEASE);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(ring_count(&ex.ready), 1);
}

static void executor_whose_init_failed_panics_on_spawn_and_wake(void **state)
{
    struct executor bad;
    struct counter c;
    counter_init(&c, 1);
    assert_int_equal(exec_init(&bad, slots, 0, queue, 4), E_INVAL);
    expect_assert_failure(exec_spawn(&bad, &c.task));
    assert_non_null(strstr(mock_panic_message(), "exec_spawn"));
    expect_assert_failure(waker_wake(&(struct waker){&bad, 1}));
    assert_non_null(strstr(mock_panic_message(), "waker_wake_from_irq"));
}

static void null_arguments_panic_in_the_function_called(void **state)
{
    struct executor other;
    expect_assert_failure(exec_init(&other, NULL, 4, queue, 4));
    assert_non_null(strstr(mock_panic_message(), "exec_init"));
    expect_assert_failure(exec_init(&other, slots, 4, NULL, 4));
    assert_non_null(strstr(mock_panic_message(), "exec_init"));
    expect_assert_failure(exec_set_idle(NULL, NULL, NULL));
    assert_non_null(strstr(mock_panic_message(), "exec_set_idle"));
    expect_assert_failure(exec_run_ready(NULL));
    assert_non_null(strstr(mock_panic_message(), "exec_run_ready"));
    expect_assert_failure(exec_run(NULL));
    assert_non_null(strstr(mock_panic_message(), "exec_run"));
    expect_assert_failure(exec_has_ready(NULL));
    assert_non_null(strstr(mock_panic_message(), "exec_has_ready"));
    expect_assert_failure(exec_live(NULL));
    assert_non_null(strstr(mock_panic_message(), "exec_live"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(spawn_finds_the_free_slot_across_the_id_wrap),
        T(stale_id_of_a_free_slot_is_skipped),
        T(stale_id_of_a_reused_slot_is_skipped),
        T(id_popped_while_not_marked_queued_panics),
        T(a_wake_waits_for_the_producer_lock),
        T(executor_whose_init_failed_panics_on_spawn_and_wake),
        T(null_arguments_panic_in_the_function_called),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
