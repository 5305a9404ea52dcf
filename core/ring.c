// Single-producer single-consumer ring: positions modulo 2 * capacity, acquire/release handoff.
#include "core/ring.h"
#include "core/err.h"
#include "core/panic.h"

#include <stddef.h>

// The number of distinct positions, 2 * capacity; 64-bit because it is 2^32 at the largest
// capacity.
static uint64_t positions(const struct ring *r)
{
    return 2 * (uint64_t)r->capacity;
}

static uint32_t advance(const struct ring *r, uint32_t pos)
{
    return (uint64_t)pos + 1 == positions(r) ? 0 : pos + 1;
}

static uint32_t slot_of(const struct ring *r, uint32_t pos)
{
    return pos < r->capacity ? pos : pos - r->capacity;
}

// Values between head and tail: (tail - head) mod 2 * capacity.
static uint32_t distance(const struct ring *r, uint32_t head, uint32_t tail)
{
    uint64_t d = (uint64_t)tail + positions(r) - head;
    if (d >= positions(r))
        d -= positions(r);
    return (uint32_t)d;
}

int ring_init_at(struct ring *r, uint32_t *slots, uint32_t capacity, uint32_t start)
{
    KASSERT(r != NULL);
    KASSERT(slots != NULL);
    r->slots = slots;
    r->capacity = 0;
    r->head = 0;
    r->tail = 0;
    if (capacity == 0 || capacity > RING_MAX_CAPACITY || start >= 2 * (uint64_t)capacity)
        return E_INVAL;
    r->capacity = capacity;
    r->head = start;
    r->tail = start;
    return 0;
}

int ring_init(struct ring *r, uint32_t *slots, uint32_t capacity)
{
    return ring_init_at(r, slots, capacity, 0);
}

bool ring_push(struct ring *r, uint32_t value)
{
    KASSERT(r != NULL);
    uint32_t tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED); // ours: only we write it
    // Acquire pairs with the consumer's release of head: its read of the slot we may reuse is
    // complete before we overwrite it.
    uint32_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
    if (distance(r, head, tail) == r->capacity)
        return false;
    r->slots[slot_of(r, tail)] = value;
    // Release: the value is in its slot before the consumer can see the new tail.
    __atomic_store_n(&r->tail, advance(r, tail), __ATOMIC_RELEASE);
    return true;
}

bool ring_pop(struct ring *r, uint32_t *value)
{
    KASSERT(r != NULL);
    KASSERT(value != NULL);
    uint32_t head = __atomic_load_n(&r->head, __ATOMIC_RELAXED); // ours: only we write it
    // Acquire pairs with the producer's release of tail: the slot's value is visible.
    uint32_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
    if (head == tail)
        return false;
    *value = r->slots[slot_of(r, head)];
    // Release: our read of the slot is done before the producer may reuse it.
    __atomic_store_n(&r->head, advance(r, head), __ATOMIC_RELEASE);
    return true;
}

uint32_t ring_count(const struct ring *r)
{
    KASSERT(r != NULL);
    uint32_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
    uint32_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
    uint32_t n = distance(r, head, tail);
    // A third context can load head, miss a pop and a push, then load tail: the distance may
    // then exceed capacity, which no real state has.
    return n > r->capacity ? r->capacity : n;
}

bool ring_is_empty(const struct ring *r)
{
    return ring_count(r) == 0;
}

bool ring_is_full(const struct ring *r)
{
    return ring_count(r) == r->capacity;
}
