// The frame source of test/fuzz/fuzz_paging.c: table frames from a pool of mock arena frames,
// which the input can make run dry (E_NOMEM) or hand out one unreachable frame (E_RANGE). It
// fills every frame it hands out or takes back with POISON (the mapper must zero new tables),
// keeps the free ones ASan-poisoned (a touch of a freed table crashes), rejects a frame it did not
// hand out or a second free of one, and checks that a linked table comes back only after a flush
// in the same call. src_peek tells the shadow (fuzz_paging_model.h) what the next answers will be.
#pragma once

#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/host/mock_hw.h"
#include "test/fuzz/fuzz_paging_model.h"

#define PS static __attribute__((unused))

#define ARENA_BASE   0x200000ull
#define POOL         48 // table frames: the source runs dry past them
#define OUTSIDE_BASE (1ull << 40)
#define POISON       0xa5

#include "test/fuzz/fuzz_check.h"

static struct src {
    uint8_t *arena;
    bool used[POOL];
    size_t live, outside_live; // frames out: all, and the unreachable ones among them
    long budget;               // allocations that still succeed; -1: no limit
    bool outside_next;         // the next allocation returns an unreachable frame
    uint64_t outside_seq;
    bool flush_first;  // a linked table going back must follow a flush made in this call
    size_t flush_base; // mock_invlpg_count() when the call started
} src;

PS uint64_t src_alloc(void *ctx)
{
    CHECK(ctx == &src, "alloc got ctx %p", ctx);
    if (src.budget == 0)
        return 0;
    if (src.budget > 0)
        src.budget--;
    if (src.outside_next) {
        src.outside_next = false;
        src.live++;
        src.outside_live++;
        return OUTSIDE_BASE + (src.outside_seq++ % 1024) * PAGE_SIZE_4K;
    }
    for (size_t i = 0; i < POOL; i++) {
        if (!src.used[i]) {
            src.used[i] = true;
            src.live++;
            uint8_t *frame = src.arena + i * PAGE_SIZE_4K;
            ASAN_UNPOISON_MEMORY_REGION(frame, PAGE_SIZE_4K);
            memset(frame, POISON, PAGE_SIZE_4K); // the mapper must zero it
            return ARENA_BASE + i * PAGE_SIZE_4K;
        }
    }
    return 0;
}

PS void src_free(void *ctx, uint64_t phys)
{
    CHECK(ctx == &src, "free got ctx %p", ctx);
    if (phys >= OUTSIDE_BASE) {
        CHECK(phys % PAGE_SIZE_4K == 0 && src.outside_live > 0, "freed unknown frame %#llx",
              (unsigned long long)phys);
        src.outside_live--;
        src.live--;
        return;
    }
    uint64_t i = (phys - ARENA_BASE) / PAGE_SIZE_4K;
    CHECK(phys >= ARENA_BASE && phys % PAGE_SIZE_4K == 0 && i < POOL && src.used[i],
          "freed frame %#llx that is not out", (unsigned long long)phys);
    CHECK(!src.flush_first || mock_invlpg_count() > src.flush_base,
          "table %#llx handed back before any flush", (unsigned long long)phys);
    src.used[i] = false;
    src.live--;
    memset(src.arena + i * PAGE_SIZE_4K, POISON, PAGE_SIZE_4K);
    ASAN_POISON_MEMORY_REGION(src.arena + i * PAGE_SIZE_4K, PAGE_SIZE_4K);
}

// The source's answer to the k-th allocation from now, frees aside (the model's pm_peek_fn).
PS int src_peek(size_t k)
{
    long budget = src.budget;
    bool outside = src.outside_next;
    size_t free = 0;
    for (size_t i = 0; i < POOL; i++)
        free += !src.used[i];
    for (size_t i = 0;; i++) {
        int answer;
        if (budget == 0) {
            answer = 0;
        } else {
            budget -= budget > 0;
            answer = outside ? -1 : free > 0 ? 1 : 0;
            free -= answer == 1;
            outside = false;
        }
        if (i == k)
            return answer;
    }
}

// Starts a call: frees of linked tables in it must come after a flush when `linked`.
PS size_t begin(bool linked)
{
    src.flush_first = linked;
    src.flush_base = mock_invlpg_count();
    return src.flush_base;
}

// After every call: the root and one table per intermediate entry are out, nothing else.
PS void check_frames(const char *after)
{
    src.flush_first = false;
    CHECK(src.live == 1 + pm.nentries && src.outside_live == 0,
          "after %s: %zu frames out (%zu unreachable), the shadow needs %zu", after, src.live,
          src.outside_live, 1 + pm.nentries);
}
