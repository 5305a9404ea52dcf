// The task executor: a table of tasks indexed by id, a ready queue of ids, wakers that queue ids.
//
// Invariant: a slot's queued bit is set exactly while its id is in the ready queue or a producer
// is between setting the bit and pushing (or, when the push fails, clearing it again). Only the
// executor clears it after popping, so each live id is in the queue at most once.
#include "core/hw.h"
#include "core/panic.h"
#include "core/task/task.h"

#include <stddef.h>

#define QUEUED 1u

static uint64_t word_of(uint32_t id, bool queued)
{
    return (uint64_t)id << 1 | (queued ? QUEUED : 0);
}

static struct exec_slot *slot_of(const struct executor *ex, uint32_t id)
{
    return &ex->slots[id % ex->nslots];
}

// Producer side of the ready queue. The caller has interrupts disabled, so on one CPU the lock is
// never found taken; elsewhere it is held for one ring_push.
static bool push_id(struct executor *ex, uint32_t id)
{
    while (__atomic_exchange_n(&ex->push_lock, 1, __ATOMIC_ACQUIRE))
        hw_relax();
    bool ok = ring_push(&ex->ready, id);
    __atomic_store_n(&ex->push_lock, 0, __ATOMIC_RELEASE);
    return ok;
}

int exec_init(struct executor *ex, struct exec_slot *slots, uint32_t nslots, uint32_t *queue,
              uint32_t queue_cap)
{
    KASSERT(ex != NULL);
    KASSERT(slots != NULL);
    KASSERT(queue != NULL);
    *ex = (struct executor){.slots = slots, .nslots = nslots};
    for (uint32_t i = 0; i < nslots; i++)
        slots[i] = (struct exec_slot){0};
    int rc = ring_init(&ex->ready, queue, queue_cap);
    if (nslots == 0) {
        ex->slots = NULL; // spawns and wakes then panic instead of dividing by 0
        return E_INVAL;
    }
    return rc;
}

void exec_set_idle(struct executor *ex, void (*idle)(struct executor *ex, void *ctx), void *ctx)
{
    KASSERT(ex != NULL);
    ex->idle = idle;
    ex->idle_ctx = ctx;
}

// The first id after ex->next_id whose slot is free, or 0 when every slot is taken. Visiting
// 2 * nslots ids covers every slot: consecutive ids visit consecutive slots except where the ids
// wrap (2^32 need not be a multiple of nslots, and id 0 is skipped), so at most nslots - 1 ids
// before the wrap, id 0, then ids 1 .. nslots, which cover every slot.
static uint32_t free_id(const struct executor *ex)
{
    uint32_t id = ex->next_id;
    for (uint64_t tries = 0; tries < 2 * (uint64_t)ex->nslots; tries++) {
        if (++id == 0)
            continue;
        if (__atomic_load_n(&slot_of(ex, id)->state, __ATOMIC_RELAXED) == 0)
            return id;
    }
    return 0;
}

int exec_spawn(struct executor *ex, struct task *t)
{
    KASSERT(ex != NULL && ex->slots != NULL);
    KASSERT(t != NULL && t->poll != NULL);
    uint32_t id = free_id(ex);
    if (id == 0)
        return E_NOMEM;
    struct exec_slot *s = slot_of(ex, id);
    s->task = t;
    s->waker = (struct waker){ex, id};
    // Release: task and waker are in place before any waker can see the id.
    __atomic_store_n(&s->state, word_of(id, true), __ATOMIC_RELEASE);
    unsigned long flags = hw_irq_save();
    bool ok = push_id(ex, id);
    hw_irq_restore(flags);
    if (!ok) {
        // Nobody holds this id yet, so nobody else can have touched the slot.
        __atomic_store_n(&s->state, 0, __ATOMIC_RELEASE);
        s->task = NULL;
        t->id = 0;
        return E_BUSY;
    }
    ex->next_id = id;
    ex->live++;
    t->id = id;
    return 0;
}

int waker_wake_from_irq(const struct waker *w)
{
    KASSERT(w != NULL);
    struct executor *ex = w->ex;
    if (ex == NULL || w->id == 0)
        return 0;
    KASSERT(ex->slots != NULL); // an executor whose init failed
    struct exec_slot *s = slot_of(ex, w->id);
    uint64_t cur = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
    do {
        if (cur != word_of(w->id, false))
            return 0; // finished, unknown, or already queued
    } while (!__atomic_compare_exchange_n(&s->state, &cur, word_of(w->id, true), false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    if (push_id(ex, w->id))
        return 0;
    // Undo our bit so a later wake can try again. If the task finished (or its slot was reused)
    // meanwhile the word is no longer ours and the exchange rightly fails.
    uint64_t ours = word_of(w->id, true);
    __atomic_compare_exchange_n(&s->state, &ours, word_of(w->id, false), false, __ATOMIC_ACQ_REL,
                                __ATOMIC_RELAXED);
    return E_BUSY;
}

int waker_wake(const struct waker *w)
{
    unsigned long flags = hw_irq_save();
    int rc = waker_wake_from_irq(w);
    hw_irq_restore(flags);
    return rc;
}

// Polls the task with this id if it is still alive. Returns whether it was polled.
static bool poll_id(struct executor *ex, uint32_t id)
{
    struct exec_slot *s = slot_of(ex, id);
    uint64_t cur = word_of(id, true);
    // Clear the queued bit before polling: a wake from now on queues the task again.
    if (!__atomic_compare_exchange_n(&s->state, &cur, word_of(id, false), false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        KASSERT(cur >> 1 != id); // popped but not marked queued: the invariant is broken
        return false;            // a stale id: that task finished
    }
    struct task *t = s->task;
    if (t->poll(t, &s->waker) == POLL_READY) {
        // A wake racing with this may have queued the id again; that entry is now stale.
        __atomic_store_n(&s->state, 0, __ATOMIC_RELEASE);
        s->task = NULL;
        ex->live--;
    }
    return true;
}

bool exec_run_ready(struct executor *ex)
{
    KASSERT(ex != NULL);
    bool polled = false;
    uint32_t id;
    for (uint32_t n = ring_count(&ex->ready); n > 0 && ring_pop(&ex->ready, &id); n--)
        polled |= poll_id(ex, id);
    return polled;
}

void exec_run(struct executor *ex)
{
    KASSERT(ex != NULL);
    while (ex->live > 0) {
        if (exec_run_ready(ex) || exec_has_ready(ex))
            continue;
        if (ex->idle != NULL)
            ex->idle(ex, ex->idle_ctx);
        else
            hw_relax();
    }
}

bool exec_has_ready(const struct executor *ex)
{
    KASSERT(ex != NULL);
    return !ring_is_empty(&ex->ready);
}

uint32_t exec_live(const struct executor *ex)
{
    KASSERT(ex != NULL);
    return ex->live;
}
