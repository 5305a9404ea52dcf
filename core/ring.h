// A bounded lock-free single-producer single-consumer FIFO of uint32_t values over storage the
// caller supplies: the keyboard's scancode queue (IRQ 1 pushes, the keyboard task pops) and the
// executor's ready queue (wakers push, the executor pops).
//
// Concurrency contract: at any time at most ONE context pushes (an interrupt handler, or one
// thread) and at most ONE context pops; each may run on another CPU or interrupt the other. No
// locks, no interrupt masking; push and pop each finish in a bounded number of steps. The
// positions are read and written with __atomic acquire/release, so a value written into a slot is
// visible before the position that publishes it, and a slot is not reused before its value was
// read, on weakly ordered CPUs too.
//
// Any capacity 1..RING_MAX_CAPACITY works, not only powers of two: the two positions count
// modulo 2 * capacity, position p lives in slot p mod capacity, and the ring holds
// (tail - head) mod (2 * capacity) values, so full (capacity) and empty (0) differ without a spare
// slot and no position ever wraps at 2^32 unless 2 * capacity is exactly 2^32.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

#define RING_MAX_CAPACITY (1u << 31) // 2 * capacity positions must fit in a uint32_t

struct ring {
    uint32_t *slots;   // capacity values, owned by the caller
    uint32_t capacity; // 0 after a failed init: then nothing can be pushed or popped
    // Each position on its own cache line so the two sides do not slow each other down.
    _Alignas(64) uint32_t head; // next position to pop, 0..2*capacity-1; written by the consumer
    _Alignas(64) uint32_t tail; // next position to push, 0..2*capacity-1; written by the producer
};

// Makes r an empty ring over slots[0..capacity-1]; no value is read before it was pushed, so
// slots need not be initialised. Returns:
//   0        success.
//   E_INVAL  capacity is 0 or above RING_MAX_CAPACITY; r is then an empty ring of capacity 0
//            (every push fails, every pop finds it empty).
// Panics if r or slots is NULL. Not concurrent with any other use of r.
int ring_init(struct ring *r, uint32_t *slots, uint32_t capacity);

// ring_init with both positions starting at `start` instead of 0, so tests can drive the
// positions across their wrap point (2 * capacity) without pushing billions of values. E_INVAL
// also when start >= 2 * capacity (r then as after a failed ring_init).
int ring_init_at(struct ring *r, uint32_t *slots, uint32_t capacity, uint32_t start);

// Producer side: appends value and returns true, or returns false and changes nothing when the
// ring is full. Panics if r is NULL.
bool ring_push(struct ring *r, uint32_t value);

// Consumer side: removes the oldest value into *value and returns true, or returns false and
// leaves *value alone when the ring is empty. Panics if r or value is NULL.
bool ring_pop(struct ring *r, uint32_t *value);

// How many values the ring holds, 0..capacity. Exact when neither side runs during the call.
// Otherwise a snapshot that may be out of date when it returns: called by the producer it may be
// too high (the consumer may have popped since), called by the consumer it may be too low (the
// producer may have pushed since); from a third context it is only a hint. Panics if r is NULL.
uint32_t ring_count(const struct ring *r);

// ring_count(r) == 0 and ring_count(r) == capacity, with the same caveats: the consumer's "empty"
// and the producer's "full" may stop being true at once, but are never wrong the other way round
// (the consumer's "not empty" and the producer's "not full" stay true until it acts). A ring of
// capacity 0 is both empty and full. Panics if r is NULL.
bool ring_is_empty(const struct ring *r);
bool ring_is_full(const struct ring *r);
