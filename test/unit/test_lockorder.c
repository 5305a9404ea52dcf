// Tests for core/lockorder.c: the rank rule, double takes, the depth limit, releases in any
// order, bad classes, the exact messages, and a seeded random run against a model of the rule.
#include "core/err.h"
#include "core/lockorder.h"
#include "platform/host/mock_hw.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const struct lock_class heap = {"heap", 20}, vm = {"vm", 30}, sched = {"sched", 40},
                               console = {"console", 90}, vm_twin = {"vm-twin", 30};
static char msg[128];

static int setup(void **state)
{
    mock_hw_reset();
    memset(msg, 0x5a, sizeof(msg));
    return 0;
}

static void acquire_ok(struct lockorder *s, const struct lock_class *c)
{
    int rc = lockorder_acquire(s, c, msg, sizeof(msg));
    if (rc != 0)
        fail_msg("taking %s: %d \"%s\"", c->name, rc, msg);
}

static void release_ok(struct lockorder *s, const struct lock_class *c)
{
    assert_int_equal(lockorder_release(s, c, msg, sizeof(msg)), 0);
}

static void increasing_ranks_are_allowed(void **state)
{
    struct lockorder s = {0};
    assert_int_equal(lockorder_top(&s), 0);
    acquire_ok(&s, &heap);
    acquire_ok(&s, &vm);
    acquire_ok(&s, &console);
    assert_int_equal(s.depth, 3);
    assert_ptr_equal(s.held[0], &heap);
    assert_ptr_equal(s.held[1], &vm);
    assert_ptr_equal(s.held[2], &console);
    assert_int_equal(lockorder_top(&s), 90);
    release_ok(&s, &console);
    release_ok(&s, &vm);
    release_ok(&s, &heap);
    assert_int_equal(s.depth, 0);
    assert_int_equal(lockorder_top(&s), 0);
}

static void a_lower_rank_after_a_higher_is_reported(void **state)
{
    struct lockorder s = {0};
    acquire_ok(&s, &heap);
    acquire_ok(&s, &sched);
    assert_int_equal(lockorder_acquire(&s, &vm, msg, sizeof(msg)), E_RANGE);
    assert_string_equal(msg, "lock order: vm (rank 30) taken while holding sched (rank 40)");
    assert_int_equal(s.depth, 2); // nothing recorded
    assert_ptr_equal(s.held[1], &sched);
    // The highest held rank counts, wherever it sits: release heap, sched still bars vm.
    release_ok(&s, &heap);
    assert_int_equal(lockorder_acquire(&s, &vm, msg, sizeof(msg)), E_RANGE);
    release_ok(&s, &sched);
    acquire_ok(&s, &vm);
}

// The top is the highest rank held, not the last taken: after releasing the highest in the middle
// of the set, the next highest bars what is below it.
static void the_top_is_the_highest_rank_held_anywhere(void **state)
{
    struct lockorder s = {0};
    acquire_ok(&s, &heap);
    acquire_ok(&s, &vm);
    acquire_ok(&s, &sched);
    release_ok(&s, &vm); // out of order: allowed
    assert_int_equal(s.depth, 2);
    assert_ptr_equal(s.held[0], &heap);
    assert_ptr_equal(s.held[1], &sched);
    assert_int_equal(lockorder_top(&s), 40);
    assert_int_equal(lockorder_acquire(&s, &vm, msg, sizeof(msg)), E_RANGE);
    release_ok(&s, &heap);
    assert_int_equal(lockorder_top(&s), 40);
    assert_ptr_equal(s.held[0], &sched);
}

// A released lock's old slot is not read again: taken again, released twice.
static void released_slots_are_forgotten(void **state)
{
    struct lockorder s = {0};
    acquire_ok(&s, &heap);
    acquire_ok(&s, &vm);
    release_ok(&s, &vm);
    assert_int_equal(lockorder_release(&s, &vm, msg, sizeof(msg)), E_NOENT);
    acquire_ok(&s, &vm);
    assert_int_equal(s.depth, 2);
    release_ok(&s, &heap);
    release_ok(&s, &vm);
    assert_int_equal(lockorder_release(&s, &heap, msg, sizeof(msg)), E_NOENT);
    assert_int_equal(lockorder_release(&s, &vm, msg, sizeof(msg)), E_NOENT);
}

static void equal_ranks_are_out_of_order(void **state)
{
    struct lockorder s = {0};
    acquire_ok(&s, &vm);
    assert_int_equal(lockorder_acquire(&s, &vm_twin, msg, sizeof(msg)), E_RANGE);
    assert_string_equal(msg, "lock order: vm-twin (rank 30) taken while holding vm (rank 30)");
}

static void taking_a_held_class_again_is_reported(void **state)
{
    struct lockorder s = {0};
    acquire_ok(&s, &heap);
    acquire_ok(&s, &vm);
    assert_int_equal(lockorder_acquire(&s, &vm, msg, sizeof(msg)), E_EXIST);
    assert_string_equal(msg, "lock order: vm (rank 30) taken while held");
    // Held below the top too: still a second take, not an order question.
    assert_int_equal(lockorder_acquire(&s, &heap, msg, sizeof(msg)), E_EXIST);
    assert_string_equal(msg, "lock order: heap (rank 20) taken while held");
    assert_int_equal(s.depth, 2);
}

static void the_depth_is_bounded(void **state)
{
    static struct lock_class classes[LOCKORDER_DEPTH + 1];
    static char names[LOCKORDER_DEPTH + 1][8];
    struct lockorder s = {0};
    for (unsigned i = 0; i <= LOCKORDER_DEPTH; i++) {
        snprintf(names[i], sizeof(names[i]), "l%u", i);
        classes[i] = (struct lock_class){names[i], i + 1};
    }
    for (unsigned i = 0; i < LOCKORDER_DEPTH; i++)
        acquire_ok(&s, &classes[i]);
    assert_int_equal(lockorder_acquire(&s, &classes[LOCKORDER_DEPTH], msg, sizeof(msg)), E_TOOBIG);
    assert_string_equal(msg, "lock order: l8 (rank 9) taken while 8 locks are held");
    assert_int_equal(s.depth, LOCKORDER_DEPTH);
    release_ok(&s, &classes[0]);
    acquire_ok(&s, &classes[LOCKORDER_DEPTH]);
    assert_ptr_equal(s.held[LOCKORDER_DEPTH - 1], &classes[LOCKORDER_DEPTH]);
}

static void releasing_what_is_not_held_is_reported(void **state)
{
    struct lockorder s = {0};
    assert_int_equal(lockorder_release(&s, &heap, msg, sizeof(msg)), E_NOENT);
    assert_string_equal(msg, "lock order: heap released but not held");
    acquire_ok(&s, &heap);
    assert_int_equal(lockorder_release(&s, &vm_twin, msg, sizeof(msg)), E_NOENT);
    assert_int_equal(s.depth, 1);
    release_ok(&s, &heap);
    assert_int_equal(lockorder_release(&s, &heap, msg, sizeof(msg)), E_NOENT);
    const struct lock_class unnamed = {NULL, 5};
    assert_int_equal(lockorder_release(&s, &unnamed, msg, sizeof(msg)), E_NOENT);
    assert_string_equal(msg, "lock order: (unnamed) released but not held");
}

static void bad_classes_are_refused(void **state)
{
    struct lockorder s = {0};
    const struct lock_class zero = {"zero", 0}, unnamed = {NULL, 5};
    assert_int_equal(lockorder_acquire(&s, &zero, msg, sizeof(msg)), E_INVAL);
    assert_string_equal(msg, "lock order: class zero has rank 0; ranks start at 1");
    assert_int_equal(lockorder_acquire(&s, &unnamed, msg, sizeof(msg)), E_INVAL);
    assert_string_equal(msg, "lock order: class (unnamed) has rank 5; ranks start at 1");
    assert_int_equal(s.depth, 0);
}

static void messages_fit_or_are_cut(void **state)
{
    struct lockorder s = {0};
    acquire_ok(&s, &sched);
    char small[12];
    assert_int_equal(lockorder_acquire(&s, &heap, small, sizeof(small)), E_RANGE);
    assert_string_equal(small, "lock order:");
    assert_int_equal(lockorder_acquire(&s, &heap, NULL, 0), E_RANGE); // counting only
    assert_int_equal(lockorder_release(&s, &heap, NULL, 0), E_NOENT);
    assert_int_equal(s.depth, 1);
}

static void null_arguments_panic(void **state)
{
    struct lockorder s = {0};
    expect_assert_failure(lockorder_acquire(NULL, &heap, msg, sizeof(msg)));
    assert_non_null(strstr(mock_panic_message(), "lockorder_acquire"));
    expect_assert_failure(lockorder_acquire(&s, NULL, msg, sizeof(msg)));
    expect_assert_failure(lockorder_release(NULL, &heap, msg, sizeof(msg)));
    expect_assert_failure(lockorder_release(&s, NULL, msg, sizeof(msg)));
    assert_non_null(strstr(mock_panic_message(), "lockorder_release"));
    expect_assert_failure(lockorder_top(NULL));
}

// Random takes and releases of six classes against a model: a take is allowed exactly when the
// class is not held, the depth is below the limit and its rank is above every held rank.
static void random_run_matches_the_model(void **state)
{
    static const struct lock_class c[6] = {{"a", 10}, {"b", 20}, {"c", 20},
                                           {"d", 30}, {"e", 40}, {"f", 50}};
    unsigned seed = 20261129u;
    printf("random_run_matches_the_model: seed %u\n", seed);
    srand(seed);
    struct lockorder s = {0};
    bool held[6] = {false};
    for (int step = 0; step < 20000; step++) {
        int k = rand() % 6;
        if (rand() % 2 == 0) {
            unsigned top = 0;
            size_t depth = 0;
            for (int i = 0; i < 6; i++) {
                if (held[i]) {
                    depth++;
                    top = c[i].rank > top ? c[i].rank : top;
                }
            }
            int want = held[k] ? E_EXIST : c[k].rank <= top ? E_RANGE : 0;
            assert_int_equal(lockorder_acquire(&s, &c[k], msg, sizeof(msg)), want);
            held[k] = held[k] || want == 0;
            assert_int_equal(lockorder_top(&s), want == 0 ? c[k].rank : top);
            assert_int_equal(s.depth, depth + (want == 0));
        } else {
            assert_int_equal(lockorder_release(&s, &c[k], msg, sizeof(msg)), held[k] ? 0 : E_NOENT);
            held[k] = false;
        }
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(increasing_ranks_are_allowed),
        T(a_lower_rank_after_a_higher_is_reported),
        T(the_top_is_the_highest_rank_held_anywhere),
        T(released_slots_are_forgotten),
        T(equal_ranks_are_out_of_order),
        T(taking_a_held_class_again_is_reported),
        T(the_depth_is_bounded),
        T(releasing_what_is_not_held_is_reported),
        T(bad_classes_are_refused),
        T(messages_fit_or_are_cut),
        T(null_arguments_panic),
        T(random_run_matches_the_model),
    };
    return cmocka_run_group_tests_name("lockorder", tests, NULL, NULL);
}
