// The scheduler's queues and policies (see sched.h): singly linked FIFOs for the run queue and the
// wait queues, a list sorted by deadline for the sleepers. No locking: the caller's.
#include "core/sched.h"
#include "core/err.h"
#include "core/panic.h"

#include <stddef.h>

static void push_back(struct sched_waitq *q, struct sched_thread *t)
{
    t->next = NULL;
    if (q->tail != NULL)
        q->tail->next = t;
    else
        q->head = t;
    q->tail = t;
}

static struct sched_thread *pop_front(struct sched_waitq *q)
{
    struct sched_thread *t = q->head;
    if (t == NULL)
        return NULL;
    q->head = t->next;
    if (q->head == NULL)
        q->tail = NULL;
    return t; // t->next is stale: it is read only while t is queued, and queuing sets it
}

static void make_ready(struct sched *s, struct sched_thread *t)
{
    t->state = SCHED_READY;
    push_back(&s->ready, t);
}

// cpu's current thread, which must exist (the caller asks it to block or end).
static struct sched_thread *running(struct sched *s, uint32_t cpu)
{
    KASSERT(s != NULL);
    KASSERT(cpu < s->cpus);
    struct sched_thread *t = s->current[cpu];
    KASSERT(t != NULL);
    return t;
}

int sched_init(struct sched *s, uint32_t cpus, uint32_t slice)
{
    KASSERT(s != NULL);
    *s = (struct sched){.next_id = 1};
    if (cpus == 0 || cpus > SCHED_CPUS_MAX || slice == 0)
        return E_INVAL;
    s->cpus = cpus;
    s->slice = slice;
    return 0;
}

// A NEW or DEAD t becomes a thread in `state` with the next id; false when t is in use.
static bool start(struct sched *s, struct sched_thread *t, const char *name)
{
    if (t->state != SCHED_NEW && t->state != SCHED_DEAD)
        return false;
    *t = (struct sched_thread){.name = name, .id = s->next_id++, .cpus_allowed = SCHED_CPUS_ALL};
    s->live++;
    return true;
}

int sched_add(struct sched *s, struct sched_thread *t, const char *name)
{
    KASSERT(s != NULL);
    KASSERT(t != NULL);
    if (!start(s, t, name))
        return E_INVAL;
    make_ready(s, t);
    return 0;
}

static bool allowed(const struct sched_thread *t, uint32_t cpu)
{
    return (t->cpus_allowed >> cpu & 1u) != 0;
}

// The first ready thread cpu may run, unlinked from the run queue; NULL when there is none.
static struct sched_thread *take_ready_for(struct sched *s, uint32_t cpu)
{
    struct sched_thread *prev = NULL;
    for (struct sched_thread *t = s->ready.head; t != NULL; prev = t, t = t->next) {
        if (!allowed(t, cpu))
            continue;
        if (prev == NULL)
            s->ready.head = t->next;
        else
            prev->next = t->next;
        if (s->ready.tail == t)
            s->ready.tail = prev;
        return t;
    }
    return NULL;
}

bool sched_ready_for(const struct sched *s, uint32_t cpu)
{
    KASSERT(s != NULL);
    KASSERT(cpu < s->cpus);
    for (const struct sched_thread *t = s->ready.head; t != NULL; t = t->next) {
        if (allowed(t, cpu))
            return true;
    }
    return false;
}

int sched_set_cpus(struct sched *s, struct sched_thread *t, uint32_t mask)
{
    KASSERT(s != NULL);
    KASSERT(t != NULL);
    uint32_t usable = (1u << s->cpus) - 1; // cpus <= SCHED_CPUS_MAX
    if ((mask & usable) == 0 || t->state == SCHED_NEW || t->state == SCHED_DEAD)
        return E_INVAL;
    t->cpus_allowed = mask;
    return 0;
}

int sched_adopt(struct sched *s, uint32_t cpu, struct sched_thread *t, const char *name)
{
    KASSERT(s != NULL);
    KASSERT(t != NULL);
    KASSERT(cpu < s->cpus);
    if (s->current[cpu] != NULL)
        return E_BUSY;
    if (!start(s, t, name))
        return E_INVAL;
    t->state = SCHED_RUNNING;
    t->slice_left = s->slice;
    t->picks = 1;
    s->current[cpu] = t;
    return 0;
}

struct sched_thread *sched_current(const struct sched *s, uint32_t cpu)
{
    KASSERT(s != NULL);
    KASSERT(cpu < s->cpus);
    return s->current[cpu];
}

struct sched_thread *sched_pick_next(struct sched *s, uint32_t cpu)
{
    KASSERT(s != NULL);
    KASSERT(cpu < s->cpus);
    struct sched_thread *prev = s->current[cpu];
    if (prev != NULL && prev->state == SCHED_RUNNING)
        make_ready(s, prev);
    struct sched_thread *next = take_ready_for(s, cpu);
    s->current[cpu] = next;
    if (next != NULL) {
        next->state = SCHED_RUNNING;
        next->slice_left = s->slice;
        next->picks++;
    }
    return next;
}

bool sched_tick(struct sched *s, uint32_t cpu, uint64_t now)
{
    KASSERT(s != NULL);
    KASSERT(cpu < s->cpus);
    KASSERT(now >= s->now);
    struct sched_thread *cur = s->current[cpu];
    if (cur != NULL) {
        cur->ticks_run++;
        if (cur->slice_left > 0)
            cur->slice_left--;
    }
    s->now = now;
    while (s->sleepers != NULL && s->sleepers->deadline <= now) {
        struct sched_thread *t = s->sleepers;
        s->sleepers = t->next;
        make_ready(s, t);
    }
    return (cur == NULL || cur->slice_left == 0 || !allowed(cur, cpu)) && sched_ready_for(s, cpu);
}

uint64_t sched_now(const struct sched *s)
{
    KASSERT(s != NULL);
    return s->now;
}

uint32_t sched_ready_count(const struct sched *s)
{
    KASSERT(s != NULL);
    uint32_t n = 0;
    for (const struct sched_thread *t = s->ready.head; t != NULL; t = t->next)
        n++;
    return n;
}

int sched_sleep(struct sched *s, uint32_t cpu, uint64_t ticks)
{
    struct sched_thread *t = running(s, cpu);
    if (ticks == 0)
        return 0;
    uint64_t deadline = s->now + ticks;
    t->deadline = deadline < ticks ? UINT64_MAX : deadline;
    t->state = SCHED_SLEEPING;
    // After every sleeper due no later: equal deadlines wake in the order they slept.
    struct sched_thread **link = &s->sleepers;
    while (*link != NULL && (*link)->deadline <= t->deadline)
        link = &(*link)->next;
    t->next = *link;
    *link = t;
    return SCHED_SWITCH;
}

int sched_wait(struct sched *s, uint32_t cpu, struct sched_waitq *wq)
{
    struct sched_thread *t = running(s, cpu);
    KASSERT(wq != NULL);
    t->state = SCHED_BLOCKED;
    push_back(wq, t);
    return SCHED_SWITCH;
}

struct sched_thread *sched_wake_one(struct sched *s, struct sched_waitq *wq)
{
    KASSERT(s != NULL);
    KASSERT(wq != NULL);
    struct sched_thread *t = pop_front(wq);
    if (t != NULL)
        make_ready(s, t);
    return t;
}

uint32_t sched_wake_all(struct sched *s, struct sched_waitq *wq)
{
    uint32_t n = 0;
    while (sched_wake_one(s, wq) != NULL)
        n++;
    return n;
}

void sched_exit(struct sched *s, uint32_t cpu, int code)
{
    struct sched_thread *t = running(s, cpu);
    t->exit_code = code;
    t->state = SCHED_EXITED;
    sched_wake_all(s, &t->joiners);
}

int sched_join(struct sched *s, uint32_t cpu, struct sched_thread *t, int *code)
{
    struct sched_thread *self = running(s, cpu);
    KASSERT(t != NULL);
    KASSERT(code != NULL);
    if (t == self || t->state == SCHED_NEW)
        return E_INVAL;
    if (t->state == SCHED_DEAD)
        return E_NOENT;
    if (t->state == SCHED_EXITED) {
        *code = t->exit_code;
        t->state = SCHED_DEAD;
        s->live--;
        return 0;
    }
    if (t->joiners.head != NULL)
        return E_BUSY;
    return sched_wait(s, cpu, &t->joiners);
}

const char *sched_state_name(enum sched_state state)
{
    static const char *const names[] = {"new",     "ready",  "running", "sleeping",
                                        "blocked", "exited", "dead"};
    unsigned i = (unsigned)state;
    return i < sizeof(names) / sizeof(names[0]) ? names[i] : "?";
}
