// Timer queue: a binary min-heap of (deadline, seq, waker) guarded by an interrupt-safe spinlock.
#include "core/task/timer.h"
#include "core/panic.h"

#include <stddef.h>

static bool earlier(const struct timer_entry *a, const struct timer_entry *b)
{
    return a->deadline != b->deadline ? a->deadline < b->deadline : a->seq < b->seq;
}

static void swap(struct timer_entry *a, struct timer_entry *b)
{
    struct timer_entry t = *a;
    *a = *b;
    *b = t;
}

static void sift_up(struct timer_queue *q, uint32_t i)
{
    while (i > 0 && earlier(&q->heap[i], &q->heap[(i - 1) / 2])) {
        swap(&q->heap[i], &q->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static void sift_down(struct timer_queue *q, uint32_t i)
{
    for (;;) {
        uint32_t min = i;
        uint64_t l = 2 * (uint64_t)i + 1, r = l + 1;
        if (l < q->count && earlier(&q->heap[l], &q->heap[min]))
            min = (uint32_t)l;
        if (r < q->count && earlier(&q->heap[r], &q->heap[min]))
            min = (uint32_t)r;
        if (min == i)
            return;
        swap(&q->heap[i], &q->heap[min]);
        i = min;
    }
}

// Takes entry i out, keeping the heap in order. Lock held.
static void remove_at(struct timer_queue *q, uint32_t i)
{
    q->heap[i] = q->heap[--q->count];
    if (i == q->count)
        return;
    sift_up(q, i);
    sift_down(q, i);
}

int timer_queue_init(struct timer_queue *q, struct timer_entry *entries, uint32_t capacity)
{
    KASSERT(q != NULL);
    KASSERT(entries != NULL);
    *q = (struct timer_queue){.heap = entries, .capacity = capacity};
    return capacity == 0 ? E_INVAL : 0;
}

void timer_sleep_init(struct timer_sleep *s, struct timer_queue *q, uint64_t now, uint64_t ticks)
{
    KASSERT(s != NULL);
    KASSERT(q != NULL);
    uint64_t deadline = now + ticks;
    *s = (struct timer_sleep){.q = q, .deadline = deadline < now ? UINT64_MAX : deadline};
}

// Puts (s->deadline, *w) in the queue. Returns 0 or E_BUSY when it is full.
static int enqueue(struct timer_sleep *s, const struct waker *w)
{
    struct timer_queue *q = s->q;
    unsigned long flags = spin_lock_irqsave(&q->lock);
    int rc = E_BUSY;
    if (q->count < q->capacity) {
        s->seq = q->next_seq++;
        q->heap[q->count] = (struct timer_entry){s->deadline, s->seq, *w};
        sift_up(q, q->count++);
        rc = 0;
    }
    spin_unlock_irqrestore(&q->lock, flags);
    return rc;
}

int timer_sleep_poll(struct timer_sleep *s, uint64_t now, const struct waker *w)
{
    KASSERT(s != NULL);
    KASSERT(w != NULL);
    if (now >= s->deadline)
        return POLL_READY;
    if (s->registered)
        return POLL_PENDING;
    int rc = enqueue(s, w);
    if (rc != 0)
        return rc;
    s->registered = true;
    return POLL_PENDING;
}

void timer_sleep_cancel(struct timer_sleep *s)
{
    KASSERT(s != NULL);
    if (!s->registered)
        return;
    struct timer_queue *q = s->q;
    unsigned long flags = spin_lock_irqsave(&q->lock);
    for (uint32_t i = 0; i < q->count; i++) {
        if (q->heap[i].seq == s->seq) {
            remove_at(q, i);
            break;
        }
    }
    spin_unlock_irqrestore(&q->lock, flags);
    s->registered = false;
}

int timer_tick(struct timer_queue *q, uint64_t now)
{
    KASSERT(q != NULL);
    int woken = 0;
    unsigned long flags = spin_lock_irqsave(&q->lock);
    while (q->count > 0 && q->heap[0].deadline <= now) {
        if (waker_wake_from_irq(&q->heap[0].waker) != 0) {
            woken = E_BUSY;
            break;
        }
        remove_at(q, 0);
        woken++;
    }
    spin_unlock_irqrestore(&q->lock, flags);
    return woken;
}

uint32_t timer_count(struct timer_queue *q)
{
    KASSERT(q != NULL);
    unsigned long flags = spin_lock_irqsave(&q->lock);
    uint32_t n = q->count;
    spin_unlock_irqrestore(&q->lock, flags);
    return n;
}

bool timer_next_deadline(struct timer_queue *q, uint64_t *deadline)
{
    KASSERT(q != NULL);
    KASSERT(deadline != NULL);
    unsigned long flags = spin_lock_irqsave(&q->lock);
    bool any = q->count > 0;
    if (any)
        *deadline = q->heap[0].deadline;
    spin_unlock_irqrestore(&q->lock, flags);
    return any;
}
