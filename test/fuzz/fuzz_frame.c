// libFuzzer target for core/frame. The input describes a boot memory map (up to 15 entries of any
// type, unaligned, overlapping, or overflowing 64 bits), reserved ranges (up to 7, unaligned, or
// with end < base), a bitmap limit and where the "physical memory" arena lies (the bitmaps must
// land in it), then a stream of frame_alloc / frame_alloc_from / frame_free / frame_is_free calls.
// A model written here from core/frame.h predicts every answer:
//   - frame_init: which frames are managed (every byte usable: covered by a usable entry and by
//     no entry of another type, at or above FRAME_LOW, touched by no reserved range, not the
//     bitmaps), where the bitmaps go (the lowest run of such frames that holds them below the
//     limit and inside the arena) and its result (0, E_INVAL, E_NOMEM or E_RANGE);
//   - frame_alloc: next fit from the 64-frame group of the last frame_alloc, wrapping once, 0
//     when nothing is free; frame_alloc_from: the lowest free frame at or above min_phys (rounded
//     up), leaving frame_alloc's search where it was;
//   - frame_free: 0, E_ALIGN (unaligned), E_RANGE (not managed: the first MiB, reserved, the
//     bitmaps, holes, outside the span) or E_INVAL (already free); frame_is_free as the shadow.
// After every call frame_check must hold and frame_free_count match; no frame is handed out
// twice (the shadow says it was free). At the end every live frame is freed: all free again.
//
// Input (bytes past its end read as 0):
//   header  b0: entries (b0 % 16), b0 & 0x10 passes map NULL; b1: reserved ranges (b1 % 8),
//           b1 & 0x08 passes reserved NULL; b2: bitmap limit (< 0x80: none, else FRAME_LOW +
//           (b2 & 0x7f) * 64 KiB + 5); b3: arena at (b3 % 16) * 512 KiB, (b3 / 16 + 1) * 256 KiB.
//   entry   6 bytes: base frame (16 bits), length in frames (16 bits), adjust (low nibble n:
//           base + n * 255, high nibble m: length - m * 255), type (b & 3 != 0: usable; else
//           BOOT_MEM_RESERVED + b / 4, any value; 0xfc: an entry whose end overflows 64 bits).
//   range   4 bytes: base frame (16 bits), length in frames (8 bits), adjust (low nibble: base
//           + n * 255; high nibble: length - m * 255; 0xff: end < base).
//   op      byte % 8: 0-2 alloc; 3 alloc_from (frame 16 bits, then b: b & 1 adds 256 MiB, and
//           b / 2 * 33 bytes more); 4 free live [byte]; 5 free any address (frame 16 bits, then b:
//           b & 1 adds 256 MiB, b >= 0x80 misaligns by b % 64); 6 free a freed frame again
//           [byte]; 7 is_free of an address (as 5) and frees of two far ones (E_ALIGN, E_RANGE).
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/frame.h"
#include "platform/host/mock_hw.h"

#define DOMAIN_FRAMES (1u << 17) // the model's world: [0, 512 MiB); entries end below 2^17 + 2^16
#define DOMAIN_END    ((uint64_t)(DOMAIN_FRAMES + 65536u) << FRAME_SHIFT)
#define WORDS         ((DOMAIN_FRAMES + 65536u) / 64)
#define MAX_ENTRIES   15
#define MAX_RANGES    7
#define MAX_LIVE      4096
#define MAX_GHOSTS    64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "test/fuzz/fuzz_check.h"

static uint32_t u16(struct in *in)
{
    uint32_t lo = byte(in);
    return lo | (uint32_t)byte(in) << 8;
}

// The shadow: one bit per frame of the domain for managed frames and for free ones.
static struct model {
    uint64_t managed[WORDS], free[WORDS];
    uint64_t lo;     // the first frame of the span (bit 0 of the allocator's bitmaps)
    uint64_t cursor; // frame_alloc's group: frames lo + 64 * cursor ...
    uint64_t total, nfree;
    uint64_t live[MAX_LIVE], ghosts[MAX_GHOSTS];
    size_t nlive, nghost;
} m;

static struct frame_allocator fa;

static bool bit(const uint64_t *w, uint64_t f)
{
    return f < (uint64_t)WORDS * 64 && (w[f / 64] >> (f % 64)) & 1;
}

static void set_bit(uint64_t *w, uint64_t f, bool v)
{
    if (v)
        w[f / 64] |= 1ull << (f % 64);
    else
        w[f / 64] &= ~(1ull << (f % 64));
}

// The lowest frame at or above f whose bit is set, or 0 (frame 0 is never managed).
static uint64_t lowest_from(const uint64_t *bits, uint64_t f)
{
    for (uint64_t w = f / 64; w < WORDS; w++) {
        uint64_t v = bits[w] & (w == f / 64 ? ~0ull << (f % 64) : ~0ull);
        if (v != 0)
            return w * 64 + (uint64_t)__builtin_ctzll(v);
    }
    return 0;
}

// One past the highest frame whose bit is set (0 when none is).
static uint64_t highest(const uint64_t *bits)
{
    for (uint64_t w = WORDS; w-- > 0;) {
        if (bits[w] != 0)
            return w * 64 + 64 - (uint64_t)__builtin_clzll(bits[w]);
    }
    return 0;
}

// ---- frame_init's model ---------------------------------------------------------------------

struct world {
    struct boot_mmap_entry map[MAX_ENTRIES];
    struct frame_range res[MAX_RANGES];
    size_t n, nres;
    bool map_null, res_null;
    uint64_t limit, arena_base, arena_size;
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

// Whether the bytes from boundary p up to the next boundary are available (constant there).
static bool available(const struct world *w, uint64_t p)
{
    bool usable = false;
    for (size_t i = 0; i < w->n; i++) {
        const struct boot_mmap_entry *e = &w->map[i];
        if (p >= e->base && p - e->base < e->length) {
            if (e->type != BOOT_MEM_USABLE)
                return false;
            usable = true;
        }
    }
    for (size_t i = 0; i < w->nres; i++) {
        if (p >= w->res[i].base && p < w->res[i].end)
            return false;
    }
    return usable && p >= FRAME_LOW;
}

// Marks in m.managed every frame all of whose bytes are available; returns how many.
static uint64_t mark_available(const struct world *w)
{
    uint64_t b[2 * (MAX_ENTRIES + MAX_RANGES) + 3];
    size_t nb = 0;
    b[nb++] = 0;
    b[nb++] = FRAME_LOW;
    b[nb++] = DOMAIN_END;
    for (size_t i = 0; i < w->n; i++) {
        b[nb++] = w->map[i].base < DOMAIN_END ? w->map[i].base : DOMAIN_END;
        uint64_t end = w->map[i].base + w->map[i].length;
        b[nb++] = end < DOMAIN_END ? end : DOMAIN_END;
    }
    for (size_t i = 0; i < w->nres; i++) {
        b[nb++] = w->res[i].base < DOMAIN_END ? w->res[i].base : DOMAIN_END;
        b[nb++] = w->res[i].end < DOMAIN_END ? w->res[i].end : DOMAIN_END;
    }
    qsort(b, nb, sizeof(b[0]), cmp_u64);
    uint64_t count = 0, start = 0;
    bool open = false;
    for (size_t i = 0; i + 1 < nb; i++) {
        if (b[i] == b[i + 1])
            continue;
        bool avail = available(w, b[i]);
        if (avail && !open)
            start = b[i];
        if (!avail && open) {
            for (uint64_t f = (start + FRAME_SIZE - 1) / FRAME_SIZE; f < b[i] / FRAME_SIZE; f++) {
                set_bit(m.managed, f, true);
                count++;
            }
        }
        open = avail;
    }
    CHECK(!open, "the model's domain ends inside an available range");
    return count;
}

// frame_init's expected result; on success m describes the allocator.
static int model_init(const struct world *w)
{
    memset(&m, 0, sizeof(m));
    if ((w->map_null && w->n > 0) || (w->res_null && w->nres > 0))
        return E_INVAL;
    for (size_t i = 0; i < w->n; i++) {
        if (w->map[i].base + w->map[i].length < w->map[i].base)
            return E_INVAL;
    }
    for (size_t i = 0; i < w->nres; i++) {
        if (w->res[i].end < w->res[i].base)
            return E_INVAL;
    }
    uint64_t usable = mark_available(w);
    if (usable == 0)
        return E_NOMEM;
    uint64_t lo = lowest_from(m.managed, 0), hi = highest(m.managed);
    uint64_t words = (hi - lo + 63) / 64, bytes = 2 * words * 8;
    uint64_t need = (bytes + FRAME_SIZE - 1) / FRAME_SIZE, at = 0;
    int rc = E_NOMEM;
    for (uint64_t f = lo; f < hi && rc != 0;) {
        uint64_t f1 = f;
        while (bit(m.managed, f1))
            f1++;
        bool fits = f1 - f >= need && f + need <= w->limit >> FRAME_SHIFT;
        if (fits && f * FRAME_SIZE >= w->arena_base &&
            f * FRAME_SIZE + bytes <= w->arena_base + w->arena_size) {
            at = f;
            rc = 0;
        } else if (fits) {
            rc = E_RANGE;
        }
        for (f = f1; f < hi && !bit(m.managed, f); f++)
            ;
    }
    if (rc != 0)
        return rc;
    if (usable == need)
        return E_NOMEM;
    for (uint64_t f = at; f < at + need; f++)
        set_bit(m.managed, f, false);
    memcpy(m.free, m.managed, sizeof(m.free));
    m.lo = lo;
    m.total = m.nfree = usable - need;
    return 0;
}

static void decode_world(struct in *in, struct world *w)
{
    uint8_t b0 = byte(in), b1 = byte(in), b2 = byte(in), b3 = byte(in);
    *w = (struct world){
        .n = b0 % 16,
        .map_null = (b0 & 0x10) != 0,
        .nres = b1 % 8,
        .res_null = (b1 & 0x08) != 0,
        .limit = b2 < 0x80 ? UINT64_MAX : FRAME_LOW + (uint64_t)(b2 & 0x7f) * 65536 + 5,
        .arena_base = (uint64_t)(b3 % 16) * 512 * 1024,
        .arena_size = (uint64_t)(b3 / 16 + 1) * 256 * 1024,
    };
    for (size_t i = 0; i < w->n; i++) {
        uint64_t base = (uint64_t)u16(in) << FRAME_SHIFT, len = (uint64_t)u16(in) << FRAME_SHIFT;
        uint8_t adj = byte(in), type = byte(in);
        base += (adj & 15u) * 255u;
        len -= len >= (adj >> 4) * 255u ? (adj >> 4) * 255u : len;
        if (type == 0xfc) // ends past 2^64
            w->map[i] =
                (struct boot_mmap_entry){UINT64_MAX - base, len + base + 1, BOOT_MEM_USABLE};
        else
            w->map[i] = (struct boot_mmap_entry){
                base, len, (type & 3) != 0 ? BOOT_MEM_USABLE : BOOT_MEM_RESERVED + type / 4u};
    }
    for (size_t i = 0; i < w->nres; i++) {
        uint64_t base = (uint64_t)u16(in) << FRAME_SHIFT, len = (uint64_t)byte(in) << FRAME_SHIFT;
        uint8_t adj = byte(in);
        base += (adj & 15u) * 255u;
        len -= len >= (adj >> 4) * 255u ? (adj >> 4) * 255u : len;
        w->res[i] = adj == 0xff ? (struct frame_range){base + 1, base}
                                : (struct frame_range){base, base + len};
    }
}

// The allocator's counts and invariants, and the shadow's answer for one address.
static void check_state(const char *after)
{
    CHECK(frame_check(&fa), "frame_check fails after %s", after);
    CHECK(frame_total(&fa) == m.total, "after %s: total %llu, expected %llu", after,
          (unsigned long long)frame_total(&fa), (unsigned long long)m.total);
    CHECK(frame_free_count(&fa) == m.nfree, "after %s: %llu free, expected %llu", after,
          (unsigned long long)frame_free_count(&fa), (unsigned long long)m.nfree);
}

static void take(uint64_t f)
{
    CHECK(bit(m.free, f), "frame %#llx handed out but not free", (unsigned long long)f);
    set_bit(m.free, f, false);
    m.nfree--;
    m.live[m.nlive++] = f;
}

static void op_alloc(void)
{
    if (m.nlive == MAX_LIVE)
        return; // the model could not give them all back
    uint64_t want = m.nfree == 0 ? 0 : lowest_from(m.free, m.lo + 64 * m.cursor);
    if (want == 0)
        want = lowest_from(m.free, 0); // wrap
    uint64_t got = frame_alloc(&fa);
    CHECK(got == want << FRAME_SHIFT, "frame_alloc = %#llx, expected %#llx (group %llu)",
          (unsigned long long)got, (unsigned long long)(want << FRAME_SHIFT),
          (unsigned long long)m.cursor);
    if (want != 0) {
        take(want);
        m.cursor = (want - m.lo) / 64;
    }
}

static void op_alloc_from(struct in *in)
{
    uint32_t f = u16(in);
    uint8_t b = byte(in);
    if (m.nlive == MAX_LIVE)
        return;
    uint64_t min = ((uint64_t)f << FRAME_SHIFT | (uint64_t)(b & 1) << 28) + (b >> 1) * 33u;
    uint64_t want = lowest_from(m.free, (min + FRAME_SIZE - 1) >> FRAME_SHIFT);
    uint64_t got = frame_alloc_from(&fa, min);
    CHECK(got == want << FRAME_SHIFT, "frame_alloc_from(%#llx) = %#llx, expected %#llx",
          (unsigned long long)min, (unsigned long long)got,
          (unsigned long long)(want << FRAME_SHIFT));
    if (want != 0)
        take(want);
}

static void forget_live(uint64_t f)
{
    for (size_t i = 0; i < m.nlive; i++) {
        if (m.live[i] == f) {
            m.live[i] = m.live[--m.nlive];
            break;
        }
    }
    m.ghosts[m.nghost++ % MAX_GHOSTS] = f;
}

// frame_free of any address, with the answer the shadow gives.
static void free_addr(uint64_t phys)
{
    uint64_t f = phys >> FRAME_SHIFT;
    int want = phys % FRAME_SIZE != 0 ? E_ALIGN
               : !bit(m.managed, f)   ? E_RANGE
               : bit(m.free, f)       ? E_INVAL
                                      : 0;
    CHECK(frame_is_free(&fa, phys) == (want == E_INVAL), "frame_is_free(%#llx), expected %d",
          (unsigned long long)phys, want == E_INVAL);
    int rc = frame_free(&fa, phys);
    CHECK(rc == want, "frame_free(%#llx) = %d, expected %d", (unsigned long long)phys, rc, want);
    if (rc == 0) {
        set_bit(m.free, f, true);
        m.nfree++;
        forget_live(f);
    }
}

static uint64_t any_addr(struct in *in)
{
    uint32_t f = u16(in);
    uint8_t b = byte(in);
    return ((uint64_t)f << FRAME_SHIFT | (uint64_t)(b & 1) << 28) + (b >> 1 < 64 ? 0 : b % 64u);
}

static void op(struct in *in)
{
    uint8_t k, o = byte(in) % 8;
    switch (o) {
    case 3: op_alloc_from(in); break;
    case 4:
        k = byte(in);
        if (m.nlive > 0)
            free_addr(m.live[k % m.nlive] << FRAME_SHIFT);
        break;
    case 5: free_addr(any_addr(in)); break;
    case 6:
        k = byte(in);
        if (m.nghost > 0) {
            size_t n = m.nghost < MAX_GHOSTS ? m.nghost : MAX_GHOSTS;
            free_addr(m.ghosts[k % n] << FRAME_SHIFT);
        }
        break;
    case 7: {
        uint64_t phys = any_addr(in);
        CHECK(frame_is_free(&fa, phys) ==
                  (phys % FRAME_SIZE == 0 && bit(m.free, phys >> FRAME_SHIFT)),
              "frame_is_free(%#llx)", (unsigned long long)phys);
        free_addr(UINT64_MAX - (phys & ~(uint64_t)(FRAME_SIZE - 1))); // unaligned: E_ALIGN
        free_addr((UINT64_MAX - phys) & ~(uint64_t)(FRAME_SIZE - 1)); // far past the span
        break;
    }
    default: op_alloc(); break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = {data, size};
    static struct world w;
    decode_world(&in, &w);
    mock_hw_reset();
    mock_phys_arena(w.arena_base, (size_t)w.arena_size);
    int want = model_init(&w);
    memset(&fa, 0xa5, sizeof(fa)); // frame_init must set every field
    int rc =
        frame_init(&fa, w.map_null ? NULL : w.map, w.n, w.res_null ? NULL : w.res, w.nres, w.limit);
    CHECK(rc == want, "frame_init = %d, expected %d", rc, want);
    if (rc != 0) {
        memset(&m, 0, sizeof(m)); // an empty allocator: nothing to allocate, nothing to free
        CHECK(frame_alloc(&fa) == 0 && frame_alloc_from(&fa, 0) == 0, "an empty allocator gave");
        free_addr(FRAME_LOW);
        free_addr(FRAME_LOW + 1);
        check_state("a failed frame_init");
        return 0;
    }
    check_state("frame_init");
    while (in.n > 0) {
        op(&in);
        check_state("an operation");
    }
    // Everything back, newest first: every managed frame is free again.
    while (m.nlive > 0)
        free_addr(m.live[m.nlive - 1] << FRAME_SHIFT);
    CHECK(m.nfree == m.total, "%llu frames still out", (unsigned long long)(m.total - m.nfree));
    check_state("freeing everything");
    return 0;
}
