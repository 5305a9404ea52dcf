// A lock-order check for debug builds: every lock belongs to a class with a rank, and a context
// may take a lock only when its rank is above the rank of every lock that context already holds.
// Two contexts that both follow the rule can never wait for each other in a cycle (each waits
// only for a lock ranked above all it holds), so a deadlock between locks is reported the first
// time the order is broken, on any run, not only on the run where the timing makes it happen.
//
// A rank order is stricter than the order a program needs (two locks never taken together still
// get an order), in exchange for a check that is one comparison and needs no graph; docs/ lists
// the kernel's classes and ranks. Two locks of one class cannot be held together (equal ranks),
// nor can one be taken twice: both are reported too.
//
// The held set is a `struct lockorder` per context: per CPU for spinlocks (which keep interrupts
// off while held, so nothing else runs on that CPU in between), per thread for sleeping locks.
// The module keeps no global state and does no locking: the caller owns the set.
#pragma once

#include <stddef.h>
#include <stdint.h>

#define LOCKORDER_DEPTH 8 // locks one context may hold at once

struct lock_class {
    const char *name; // for the report
    unsigned rank;    // 1..UINT_MAX: locks are taken in increasing rank
};

// Zero-initialised (e.g. static) is an empty set. Only held[0..depth) is meaningful: held[] is in
// increasing rank order, and slots past depth keep whatever was released from them.
struct lockorder {
    const struct lock_class *held[LOCKORDER_DEPTH]; // held[0..depth), in the order taken
    size_t depth;
};

// Records that the context holding `set` takes a lock of class `c`. Returns 0 when allowed;
// otherwise records nothing, writes one line saying what was wrong into msg (msg_size bytes, cut
// to fit; msg may be NULL when msg_size is 0) and returns:
//   E_RANGE   c's rank is not above the highest rank held (taken out of order; the message names
//             both classes and their ranks);
//   E_EXIST   a lock of class c is already held (taken twice, or two of one class);
//   E_TOOBIG  LOCKORDER_DEPTH locks are already held;
//   E_INVAL   c's rank is 0 or its name NULL.
// set and c must not be NULL (KASSERT).
int lockorder_acquire(struct lockorder *set, const struct lock_class *c, char *msg,
                      size_t msg_size);

// Records that the context releases its lock of class c, wherever it sits in the set (locks may
// be released in any order). Returns 0, or E_NOENT (with a message) when no lock of class c is
// held. set and c must not be NULL (KASSERT).
int lockorder_release(struct lockorder *set, const struct lock_class *c, char *msg,
                      size_t msg_size);

// The highest rank held, 0 when the set is empty. set must not be NULL (KASSERT).
unsigned lockorder_top(const struct lockorder *set);
