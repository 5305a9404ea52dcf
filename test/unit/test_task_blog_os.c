// Tests for core/task run as blog_os runs its first tasks: the busy-poll simple executor, and
// blog_os's "async number 42" example awaited through a yield.
#include "test/unit/task_test.h"

#include <stdio.h>
#include <string.h>

// ---- the simple executor ------------------------------------------------------------------

static void simple_executor_polls_every_task_until_all_finish(void **state)
{
    struct counter a, b, c;
    counter_init(&a, 1);
    counter_init(&b, 3);
    counter_init(&c, 5);
    struct task *tasks[] = {&a.task, NULL, &b.task, &c.task};
    simple_exec_run(tasks, 4);
    assert_int_equal(a.polls, 1);
    assert_int_equal(b.polls, 3);
    assert_int_equal(c.polls, 5);
    for (int i = 0; i < 4; i++)
        assert_null(tasks[i]);
    assert_null(b.waker.ex); // the no-op waker, {NULL, 0}
    assert_int_equal(b.waker.id, 0);
    simple_exec_run(NULL, 0);
}

static void simple_executor_with_null_tasks_and_some_is_a_caller_bug(void **state)
{
    expect_assert_failure(simple_exec_run(NULL, 1));
    assert_non_null(strstr(mock_panic_message(), "simple_exec_run"));
}

// ---- blog_os's example: async fn async_number() -> u32 { 42 } awaited by example_task -------

struct async_number {
    bool yielded;
};

// Yields once (wakes itself, pending), then is ready with 42: the await path is exercised.
static enum poll_result async_number_poll(struct async_number *f, const struct waker *w,
                                          uint32_t *out)
{
    if (!f->yielded) {
        f->yielded = true;
        assert_int_equal(waker_wake(w), 0);
        return POLL_PENDING;
    }
    *out = 42;
    return POLL_READY;
}

struct example_task {
    enum { EX_START, EX_AWAIT_NUMBER } at;
    struct async_number number;
    char printed[64];
};

static enum poll_result example_task_poll(struct task *t, const struct waker *w)
{
    struct example_task *e = t->state;
    uint32_t number;
    switch (e->at) {
    case EX_START:
        e->number = (struct async_number){0};
        e->at = EX_AWAIT_NUMBER;
        // fall through
    case EX_AWAIT_NUMBER:
        if (async_number_poll(&e->number, w, &number) == POLL_PENDING)
            return POLL_PENDING;
        snprintf(e->printed, sizeof(e->printed), "async number: %u", number);
        return POLL_READY;
    }
    return POLL_READY;
}

static void example_task_prints_async_number_42(void **state)
{
    struct example_task e = {0};
    struct task t = {.poll = example_task_poll, .state = &e};
    assert_int_equal(exec_spawn(&ex, &t), 0);
    exec_run(&ex);
    assert_string_equal(e.printed, "async number: 42");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(simple_executor_polls_every_task_until_all_finish),
        T(simple_executor_with_null_tasks_and_some_is_a_caller_bug),
        T(example_task_prints_async_number_42),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
