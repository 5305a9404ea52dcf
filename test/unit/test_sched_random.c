// core/sched against a simple model over a seeded random run of every operation (add, yield,
// tick, sleep, wait, wake one/all, exit, join), comparing every queue's order and every thread's
// state after each step; and fairness: N always-ready threads over T ticks begin slices within one
// of each other.
#include "test/unit/sched_test.h"
#include "test/unit/sweep.h"

// ---- the model: arrays of thread indexes in queue order ----------------------------------------

#define WAITQS 2

struct list {
    int at[THREADS];
    int n;
};

static struct {
    enum sched_state state[THREADS];
    uint64_t deadline[THREADS];
    uint32_t slice_left[THREADS];
    int code[THREADS];
    int joiner[THREADS]; // the thread blocked joining it, -1 none
    struct list ready, sleepers, wq[WAITQS];
    int current; // -1 idle
    uint64_t now;
} m;

static struct sched_waitq wqs[WAITQS];

static void list_push(struct list *l, int i)
{
    l->at[l->n++] = i;
}

static int list_pop(struct list *l)
{
    int i = l->at[0];
    memmove(l->at, l->at + 1, (size_t)(--l->n) * sizeof(int));
    return i;
}

static void model_ready(int i)
{
    m.state[i] = SCHED_READY;
    list_push(&m.ready, i);
}

static int model_pick(void)
{
    if (m.current >= 0 && m.state[m.current] == SCHED_RUNNING)
        model_ready(m.current);
    m.current = m.ready.n > 0 ? list_pop(&m.ready) : -1;
    if (m.current >= 0) {
        m.state[m.current] = SCHED_RUNNING;
        m.slice_left[m.current] = s.slice;
    }
    return m.current;
}

static void assert_list(const struct list *l, const struct sched_thread *head,
                        const struct sched_thread *tail)
{
    const struct sched_thread *t = head;
    for (int k = 0; k < l->n; k++, t = t->next)
        assert_int_equal(index_of(t), l->at[k]);
    assert_null(t);
    assert_int_equal(index_of(tail), l->n > 0 ? l->at[l->n - 1] : -1);
}

static void assert_same(void)
{
    assert_int_equal(index_of(sched_current(&s, 0)), m.current);
    assert_list(&m.ready, s.ready.head, s.ready.tail);
    const struct sched_thread *t = s.sleepers;
    for (int k = 0; k < m.sleepers.n; k++, t = t->next)
        assert_int_equal(index_of(t), m.sleepers.at[k]);
    assert_null(t);
    for (int q = 0; q < WAITQS; q++)
        assert_list(&m.wq[q], wqs[q].head, wqs[q].tail);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(th[i].state, m.state[i]);
        if (m.state[i] == SCHED_RUNNING)
            assert_int_equal(th[i].slice_left, m.slice_left[i]);
        if (m.state[i] == SCHED_SLEEPING)
            assert_int_equal(th[i].deadline, m.deadline[i]);
        if (m.state[i] == SCHED_EXITED)
            assert_int_equal(th[i].exit_code, m.code[i]);
    }
    assert_int_equal(sched_ready_count(&s), m.ready.n);
    assert_int_equal(sched_now(&s), m.now);
}

static uint64_t rng;

static uint32_t next(uint32_t bound)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % bound);
}

static void step_tick(void)
{
    uint64_t now = m.now + next(3);
    if (m.current >= 0 && m.slice_left[m.current] > 0)
        m.slice_left[m.current]--;
    m.now = now;
    while (m.sleepers.n > 0 && m.deadline[m.sleepers.at[0]] <= now)
        model_ready(list_pop(&m.sleepers));
    bool want = m.ready.n > 0 && (m.current < 0 || m.slice_left[m.current] == 0);
    assert_int_equal(sched_tick(&s, 0, now), want);
    if (want)
        assert_int_equal(pick(), model_pick());
}

static void step_sleep(int cur)
{
    uint64_t ticks = next(5);
    int rc = sched_sleep(&s, 0, ticks);
    assert_int_equal(rc, ticks == 0 ? 0 : SCHED_SWITCH);
    if (ticks == 0)
        return;
    m.state[cur] = SCHED_SLEEPING;
    m.deadline[cur] = m.now + ticks;
    int k = m.sleepers.n;
    while (k > 0 && m.deadline[m.sleepers.at[k - 1]] > m.deadline[cur])
        k--;
    memmove(m.sleepers.at + k + 1, m.sleepers.at + k, (size_t)(m.sleepers.n - k) * sizeof(int));
    m.sleepers.at[k] = cur;
    m.sleepers.n++;
    assert_int_equal(pick(), model_pick());
}

static void step_join(int cur)
{
    int target = (int)next(THREADS), code = 12345;
    int want;
    if (target == cur || m.state[target] == SCHED_NEW)
        want = E_INVAL;
    else if (m.state[target] == SCHED_DEAD)
        want = E_NOENT;
    else if (m.state[target] == SCHED_EXITED)
        want = 0;
    else if (m.joiner[target] >= 0)
        want = E_BUSY;
    else
        want = SCHED_SWITCH;
    assert_int_equal(sched_join(&s, 0, &th[target], &code), want);
    if (want == 0) {
        assert_int_equal(code, m.code[target]);
        m.state[target] = SCHED_DEAD;
    } else if (want == SCHED_SWITCH) {
        m.state[cur] = SCHED_BLOCKED;
        m.joiner[target] = cur;
        assert_int_equal(pick(), model_pick());
    }
}

static void step_exit(int cur)
{
    int code = (int)next(1000) - 500;
    sched_exit(&s, 0, code);
    m.state[cur] = SCHED_EXITED;
    m.code[cur] = code;
    if (m.joiner[cur] >= 0)
        model_ready(m.joiner[cur]);
    m.joiner[cur] = -1;
    assert_int_equal(pick(), model_pick());
}

static void step_add(void)
{
    int i = (int)next(THREADS);
    bool free = m.state[i] == SCHED_NEW || m.state[i] == SCHED_DEAD;
    assert_int_equal(sched_add(&s, &th[i], "r"), free ? 0 : E_INVAL);
    if (free) {
        model_ready(i);
        m.joiner[i] = -1;
    }
}

static void step(void)
{
    int cur = m.current;
    uint32_t op = next(10);
    int q = (int)next(WAITQS);
    if (cur < 0 && op >= 6)
        op = next(6); // an idle CPU only adds, ticks, wakes and picks
    switch (op) {
    case 0: step_add(); break;
    case 1:
    case 2: step_tick(); break;
    case 3: assert_int_equal(pick(), model_pick()); break;
    case 4: {
        struct sched_thread *t = sched_wake_one(&s, &wqs[q]);
        int want = m.wq[q].n > 0 ? list_pop(&m.wq[q]) : -1;
        if (want >= 0)
            model_ready(want);
        assert_int_equal(index_of(t), want);
        break;
    }
    case 5: {
        uint32_t n = (uint32_t)m.wq[q].n;
        while (m.wq[q].n > 0)
            model_ready(list_pop(&m.wq[q]));
        assert_int_equal(sched_wake_all(&s, &wqs[q]), n);
        break;
    }
    case 6: step_sleep(cur); break;
    case 7:
        assert_int_equal(sched_wait(&s, 0, &wqs[q]), SCHED_SWITCH);
        m.state[cur] = SCHED_BLOCKED;
        list_push(&m.wq[q], cur);
        assert_int_equal(pick(), model_pick());
        break;
    case 8: step_exit(cur); break;
    default: step_join(cur); break;
    }
    assert_same();
}

static void random_runs_match_the_model(void **state)
{
    uint64_t seed = sweep_seed("sched model", 0x5eed5c4edull, UINT64_MAX);
    uint64_t runs = sweep_size(20, 400), steps = sweep_size(2000, 20000);
    for (uint64_t run = 0; run < runs; run++) {
        rng = seed + run * 0x9e3779b97f4a7c15ull;
        if (rng == 0)
            rng = 1;
        memset(th, 0, sizeof(th));
        memset(&m, 0, sizeof(m));
        memset(wqs, 0, sizeof(wqs));
        for (int i = 0; i < THREADS; i++)
            m.joiner[i] = -1;
        m.current = -1;
        assert_int_equal(sched_init(&s, 1, 1 + next(4)), 0);
        for (uint64_t k = 0; k < steps; k++)
            step();
    }
}

// ---- fairness ----------------------------------------------------------------------------------

// n always-ready threads, switching whenever sched_tick says so, for `ticks` ticks.
static void run_busy(unsigned n, uint32_t slice, uint64_t ticks)
{
    memset(th, 0, sizeof(th));
    assert_int_equal(sched_init(&s, 1, slice), 0);
    add_threads(n);
    pick();
    for (uint64_t now = 1; now <= ticks; now++) {
        if (sched_tick(&s, 0, now))
            pick();
    }
    uint64_t lo = UINT64_MAX, hi = 0, tlo = UINT64_MAX, thi = 0;
    for (unsigned i = 0; i < n; i++) {
        lo = th[i].picks < lo ? th[i].picks : lo;
        hi = th[i].picks > hi ? th[i].picks : hi;
        tlo = th[i].ticks_run < tlo ? th[i].ticks_run : tlo;
        thi = th[i].ticks_run > thi ? th[i].ticks_run : thi;
    }
    assert_true(hi - lo <= 1);
    assert_true(thi - tlo <= slice); // at most one slice apart in time
    uint64_t total = 0;
    for (unsigned i = 0; i < n; i++)
        total += th[i].ticks_run;
    assert_int_equal(total, ticks);
}

static void busy_threads_get_slices_within_one(void **state)
{
    for (unsigned n = 1; n <= THREADS; n++) {
        for (uint32_t slice = 1; slice <= 5; slice++) {
            run_busy(n, slice, 1000);
            run_busy(n, slice, 997);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(random_runs_match_the_model, sched_setup),
        cmocka_unit_test_setup(busy_threads_get_slices_within_one, sched_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
