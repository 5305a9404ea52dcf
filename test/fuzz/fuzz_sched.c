// libFuzzer target for core/sched. The input picks a scheduler (1-4 CPUs, a slice of 1-4 ticks)
// and a stream of operations on 12 threads and 2 wait queues; a model written here from
// core/sched.h (arrays of thread indexes in queue order) predicts every answer and, after every
// call, every queue's order (run queue, sleepers, wait queues, joiners), every thread's state,
// each CPU's current thread and slice, and the clock. The kernel's way of blocking is followed:
// after an answer of SCHED_SWITCH the same CPU picks the next thread. Calls whose arguments the
// header calls caller bugs (an idle CPU asked to block) are not made.
//
// Input (bytes past its end read as 0):
//   header  b0: CPUs 1 + b0 % 4, slice 1 + b0 / 4 % 4.
//   op      b: cpu (b / 16 % CPUs), kind b % 10, then for:
//           0 add [thread]; 1 tick [advance 0-3]; 2 pick; 3 sleep [ticks 0-7]; 4 wait [queue];
//           5 wake one [queue]; 6 wake all [queue]; 7 exit [code]; 8 join [thread];
//           9 adopt [thread].
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/sched.h"

#define THREADS 12
#define WAITQS  2
#define CPUS    4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "test/fuzz/fuzz_check.h"

struct list {
    int at[THREADS];
    int n;
};

static struct sched s;
static struct sched_thread th[THREADS];
static struct sched_waitq wqs[WAITQS];

static struct {
    enum sched_state state[THREADS];
    uint64_t deadline[THREADS];
    uint32_t slice_left[THREADS];
    int code[THREADS];
    struct list ready, sleepers, wq[WAITQS], joiners[THREADS];
    int current[CPUS];
    uint64_t now;
} m;

static int index_of(const struct sched_thread *t)
{
    return t == NULL ? -1 : (int)(t - th);
}

static void push(struct list *l, int i)
{
    CHECK(l->n < THREADS, "a list of more than %d threads", THREADS);
    l->at[l->n++] = i;
}

static int pop(struct list *l)
{
    int i = l->at[0];
    memmove(l->at, l->at + 1, (size_t)(--l->n) * sizeof(int));
    return i;
}

static void ready(int i)
{
    m.state[i] = SCHED_READY;
    push(&m.ready, i);
}

static void pick(uint32_t cpu)
{
    int cur = m.current[cpu];
    if (cur >= 0 && m.state[cur] == SCHED_RUNNING)
        ready(cur);
    int next = m.ready.n > 0 ? pop(&m.ready) : -1;
    m.current[cpu] = next;
    if (next >= 0) {
        m.state[next] = SCHED_RUNNING;
        m.slice_left[next] = s.slice;
    }
    int got = index_of(sched_pick_next(&s, cpu));
    CHECK(got == next, "cpu %u picked %d, the model %d", cpu, got, next);
}

static void same_list(const char *what, const struct list *l, const struct sched_waitq *q)
{
    const struct sched_thread *t = q->head;
    for (int k = 0; k < l->n; k++, t = t->next)
        CHECK(index_of(t) == l->at[k], "%s[%d] is %d, the model's %d", what, k, index_of(t),
              l->at[k]);
    CHECK(t == NULL, "%s longer than the model's %d", what, l->n);
    CHECK(index_of(q->tail) == (l->n > 0 ? l->at[l->n - 1] : -1), "%s's tail", what);
}

static void same(uint32_t cpus)
{
    for (uint32_t c = 0; c < cpus; c++)
        CHECK(index_of(sched_current(&s, c)) == m.current[c], "cpu %u's current", c);
    same_list("run queue", &m.ready, &s.ready);
    const struct sched_thread *t = s.sleepers;
    for (int k = 0; k < m.sleepers.n; k++, t = t->next)
        CHECK(index_of(t) == m.sleepers.at[k], "sleeper %d", k);
    CHECK(t == NULL, "more sleepers than the model's %d", m.sleepers.n);
    for (int q = 0; q < WAITQS; q++)
        same_list("wait queue", &m.wq[q], &wqs[q]);
    for (int i = 0; i < THREADS; i++) {
        CHECK(th[i].state == m.state[i], "thread %d is %s, the model's %s", i,
              sched_state_name(th[i].state), sched_state_name(m.state[i]));
        same_list("joiners", &m.joiners[i], &th[i].joiners);
        if (m.state[i] == SCHED_RUNNING)
            CHECK(th[i].slice_left == m.slice_left[i], "thread %d's slice", i);
        if (m.state[i] == SCHED_SLEEPING)
            CHECK(th[i].deadline == m.deadline[i], "thread %d's deadline", i);
        if (m.state[i] == SCHED_EXITED)
            CHECK(th[i].exit_code == m.code[i], "thread %d's exit code", i);
    }
    CHECK(sched_ready_count(&s) == (uint32_t)m.ready.n, "ready count");
    CHECK(sched_now(&s) == m.now, "clock");
}

static bool in_use(int i)
{
    return m.state[i] != SCHED_NEW && m.state[i] != SCHED_DEAD;
}

static void tick(uint32_t cpu, uint32_t cpus, uint64_t now)
{
    int cur = m.current[cpu];
    if (cur >= 0 && m.slice_left[cur] > 0)
        m.slice_left[cur]--;
    m.now = now;
    while (m.sleepers.n > 0 && m.deadline[m.sleepers.at[0]] <= now)
        ready(pop(&m.sleepers));
    bool want = m.ready.n > 0 && (cur < 0 || m.slice_left[cur] == 0);
    bool got = sched_tick(&s, cpu, now);
    CHECK(got == want, "tick on cpu %u of %u said %d", cpu, cpus, got);
    if (want)
        pick(cpu);
}

static void sleep_for(uint32_t cpu, int cur, uint64_t ticks)
{
    int rc = sched_sleep(&s, cpu, ticks);
    CHECK(rc == (ticks == 0 ? 0 : SCHED_SWITCH), "sleep of %llu: %d", (unsigned long long)ticks,
          rc);
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
    pick(cpu);
}

static void join(uint32_t cpu, int cur, int target)
{
    int want, code = 0x5a5a;
    if (target == cur || m.state[target] == SCHED_NEW)
        want = E_INVAL;
    else if (m.state[target] == SCHED_DEAD)
        want = E_NOENT;
    else if (m.state[target] == SCHED_EXITED)
        want = 0;
    else if (m.joiners[target].n > 0)
        want = E_BUSY;
    else
        want = SCHED_SWITCH;
    int rc = sched_join(&s, cpu, &th[target], &code);
    CHECK(rc == want, "join of %d by %d: %d, the model %d", target, cur, rc, want);
    if (want == 0) {
        CHECK(code == m.code[target], "exit code %d, the model %d", code, m.code[target]);
        m.state[target] = SCHED_DEAD;
    } else if (want == SCHED_SWITCH) {
        m.state[cur] = SCHED_BLOCKED;
        push(&m.joiners[target], cur);
        pick(cpu);
    } else {
        CHECK(code == 0x5a5a, "an error wrote the exit code");
    }
}

static void exit_with(uint32_t cpu, int cur, int code)
{
    sched_exit(&s, cpu, code);
    m.state[cur] = SCHED_EXITED;
    m.code[cur] = code;
    while (m.joiners[cur].n > 0)
        ready(pop(&m.joiners[cur]));
    pick(cpu);
}

static void add_or_adopt(uint32_t cpu, int i, bool adopt)
{
    int want = in_use(i) ? E_INVAL : 0;
    if (adopt && m.current[cpu] >= 0)
        want = E_BUSY;
    int rc = adopt ? sched_adopt(&s, cpu, &th[i], "f") : sched_add(&s, &th[i], "f");
    CHECK(rc == want, "%s of %d: %d, the model %d", adopt ? "adopt" : "add", i, rc, want);
    if (rc != 0)
        return;
    if (!adopt) {
        ready(i);
        return;
    }
    m.state[i] = SCHED_RUNNING;
    m.slice_left[i] = s.slice;
    m.current[cpu] = i;
}

static void wake(int q, bool all)
{
    if (all) {
        uint32_t n = (uint32_t)m.wq[q].n;
        while (m.wq[q].n > 0)
            ready(pop(&m.wq[q]));
        CHECK(sched_wake_all(&s, &wqs[q]) == n, "wake all of %u", n);
        return;
    }
    int want = m.wq[q].n > 0 ? pop(&m.wq[q]) : -1;
    if (want >= 0)
        ready(want);
    CHECK(index_of(sched_wake_one(&s, &wqs[q])) == want, "wake one: not %d", want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = {data, size};
    uint8_t head = byte(&in);
    uint32_t cpus = 1 + head % CPUS, slice = 1 + head / CPUS % 4;
    memset(th, 0, sizeof(th));
    memset(wqs, 0, sizeof(wqs));
    memset(&m, 0, sizeof(m));
    for (int c = 0; c < CPUS; c++)
        m.current[c] = -1;
    CHECK(sched_init(&s, cpus, slice) == 0, "init");
    for (size_t ops = 0; in.n > 0 && ops < 4096; ops++) {
        uint8_t b = byte(&in);
        uint32_t cpu = (uint32_t)(b / 16) % cpus;
        int cur = m.current[cpu];
        unsigned kind = b % 10;
        if (cur < 0 && (kind == 3 || kind == 4 || kind == 7 || kind == 8))
            kind = 2; // an idle CPU blocks nothing: it picks instead
        switch (kind) {
        case 0: add_or_adopt(cpu, byte(&in) % THREADS, false); break;
        case 1: tick(cpu, cpus, m.now + byte(&in) % 4); break;
        case 2: pick(cpu); break;
        case 3: sleep_for(cpu, cur, byte(&in) % 8); break;
        case 4: {
            int q = byte(&in) % WAITQS;
            CHECK(sched_wait(&s, cpu, &wqs[q]) == SCHED_SWITCH, "wait");
            m.state[cur] = SCHED_BLOCKED;
            push(&m.wq[q], cur);
            pick(cpu);
            break;
        }
        case 5: wake(byte(&in) % WAITQS, false); break;
        case 6: wake(byte(&in) % WAITQS, true); break;
        case 7: exit_with(cpu, cur, (int)byte(&in) - 128); break;
        case 8: join(cpu, cur, byte(&in) % THREADS); break;
        default: add_or_adopt(cpu, byte(&in) % THREADS, true); break;
        }
        same(cpus);
    }
    return 0;
}
