// Tests for core/task's limits: task ids (from 1, skipping busy slots, wrapping past zero), a full
// ready queue (E_BUSY on wake and on spawn, nothing lost), a full task table (E_NOMEM), and bad
// init arguments and NULLs.
#include "test/unit/task_test.h"

static void ids_increase_from_1(void **state)
{
    struct counter c[5];
    for (uint32_t i = 0; i < 5; i++) {
        counter_init(&c[i], 1);
        assert_int_equal(exec_spawn(&ex, &c[i].task), 0);
        assert_int_equal(c[i].task.id, i + 1);
    }
    exec_run(&ex);
    struct counter d;
    counter_init(&d, 1);
    assert_int_equal(exec_spawn(&ex, &d.task), 0);
    assert_int_equal(d.task.id, 6);
}

static void ids_skip_those_whose_slot_is_busy(void **state)
{
    struct exec_slot four[4];
    assert_int_equal(exec_init(&ex, four, 4, queue, EXEC_QUEUE_DEFAULT), 0);
    struct counter c[4], d;
    for (int i = 0; i < 4; i++) {
        counter_init(&c[i], i == 1 ? 1 : 2); // id 2 finishes at once
        assert_int_equal(exec_spawn(&ex, &c[i].task), 0);
    }
    exec_run_ready(&ex);
    counter_init(&d, 1);
    assert_int_equal(exec_spawn(&ex, &d.task), 0);
    assert_int_equal(d.task.id, 6); // 5 would be slot 1, still busy; 6 is slot 2, free
}

static void ids_wrap_past_zero(void **state)
{
    ex.next_id = UINT32_MAX - 1;
    struct counter a, b;
    counter_init(&a, 1);
    counter_init(&b, 1);
    assert_int_equal(exec_spawn(&ex, &a.task), 0);
    assert_int_equal(exec_spawn(&ex, &b.task), 0);
    assert_int_equal(a.task.id, UINT32_MAX);
    assert_int_equal(b.task.id, 1);
    exec_run(&ex);
    assert_int_equal(a.polls + b.polls, 2);
}

static void full_ready_queue_gives_ebusy_and_stays_intact(void **state)
{
    uint32_t small[2];
    assert_int_equal(exec_init(&ex, slots, 16, small, 2), 0);
    struct counter c[3];
    for (int i = 0; i < 3; i++) {
        counter_init(&c[i], 3);
        assert_int_equal(exec_spawn(&ex, &c[i].task), 0);
        exec_run_ready(&ex);
    }
    assert_int_equal(waker_wake(&c[0].waker), 0);
    assert_int_equal(waker_wake(&c[1].waker), 0);
    assert_int_equal(waker_wake(&c[2].waker), E_BUSY);
    assert_int_equal(ring_count(&ex.ready), 2);
    exec_run_ready(&ex);
    assert_int_equal(c[0].polls, 2);
    assert_int_equal(c[1].polls, 2);
    assert_int_equal(c[2].polls, 1);
    assert_int_equal(waker_wake(&c[2].waker), 0); // still wakeable
    exec_run_ready(&ex);
    assert_int_equal(c[2].polls, 2);
}

static void spawn_into_full_queue_gives_ebusy_and_is_undone(void **state)
{
    uint32_t small[1];
    assert_int_equal(exec_init(&ex, slots, 16, small, 1), 0);
    struct counter a, b;
    counter_init(&a, 1);
    counter_init(&b, 1);
    assert_int_equal(exec_spawn(&ex, &a.task), 0);
    b.task.id = 77; // a task struct used before: the failed spawn clears its old id too
    assert_int_equal(exec_spawn(&ex, &b.task), E_BUSY);
    assert_int_equal(b.task.id, 0);
    assert_int_equal(exec_live(&ex), 1);
    exec_run(&ex);
    assert_int_equal(b.polls, 0);
    assert_int_equal(exec_spawn(&ex, &b.task), 0);
    assert_int_equal(b.task.id, 2); // the failed spawn used no id
}

static void full_table_gives_enomem(void **state)
{
    struct exec_slot two[2];
    assert_int_equal(exec_init(&ex, two, 2, queue, EXEC_QUEUE_DEFAULT), 0);
    struct counter c[3];
    for (int i = 0; i < 3; i++)
        counter_init(&c[i], 1);
    assert_int_equal(exec_spawn(&ex, &c[0].task), 0);
    assert_int_equal(exec_spawn(&ex, &c[1].task), 0);
    assert_int_equal(exec_spawn(&ex, &c[2].task), E_NOMEM);
    assert_int_equal(c[2].task.id, 0);
    assert_int_equal(exec_live(&ex), 2);
    assert_int_equal(ring_count(&ex.ready), 2);
}

static void bad_init_gives_einval_and_null_panics(void **state)
{
    assert_int_equal(exec_init(&ex, slots, 0, queue, 1), E_INVAL);
    assert_int_equal(exec_init(&ex, slots, 1, queue, 0), E_INVAL);
    expect_assert_failure(exec_init(NULL, slots, 1, queue, 1));
    struct task no_poll = {0};
    assert_int_equal(exec_init(&ex, slots, 1, queue, 1), 0);
    expect_assert_failure(exec_spawn(&ex, &no_poll));
    expect_assert_failure(waker_wake(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(ids_increase_from_1),
        T(ids_skip_those_whose_slot_is_busy),
        T(ids_wrap_past_zero),
        T(full_ready_queue_gives_ebusy_and_stays_intact),
        T(spawn_into_full_queue_gives_ebusy_and_is_undone),
        T(full_table_gives_enomem),
        T(bad_init_gives_einval_and_null_panics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
