// libFuzzer target for core/paging: a sequence of pt_map / pt_unmap / pt_protect / pt_map_range /
// pt_translate / pt_walk calls on one page table over the mock arena, with a frame source over a
// pool of arena frames that the input can make fail (E_NOMEM) or hand out an unreachable frame
// (E_RANGE). Every answer is checked against the shadow in test/fuzz/fuzz_paging_model.h (pages
// and their flags and sizes, intermediate entries and their USER bit) and core/paging.h:
//   - each error code where paging.h documents it, in its order of checks, and "on failure
//     nothing changes": the pages (pt_walk), and the tables (frames out);
//   - translations: frame + offset, page size, effective flags (USER only if every level has it);
//   - tables freed when empty: after every call the frames out are exactly the root plus one
//     table per intermediate entry the shadow needs; after unmapping everything only the root is
//     out, after pt_destroy none (pt_destroy with pages still mapped frees every table too);
//   - frames: zeroed by the mapper (the source fills them with 0xa5), never freed twice or
//     unknown, ASan-poisoned while in the pool (a touch of a freed table crashes), and a linked
//     table goes back only after a TLB flush in the same call;
//   - flushes: unmap and protect flush virt, failures of them flush nothing, pt_map flushes only
//     when it widens an existing entry or when it unlinks the tables of a failed call.
//
// Input (bytes past its end read as 0):
//   header  b0 % 4: 1 pt_init first meets no frame, 2 an unreachable one; b0 & 4: pt_destroy
//           with the pages still mapped (else everything is unmapped first).
//   op      byte % 11: 0-1 map (virt 2, size 1, phys 1, flags 1); 2 unmap page [byte]; 3 unmap
//           any (virt 2); 4 protect any (virt 2, flags 1); 5 map_range (virt 2, phys 1, len 1,
//           flags 1, sizes 1); 6 translate (virt 2, offset 1); 7 source (byte: % 4 = 0 no
//           limit, 1 only (byte / 4) % 4 more frames, 2 the next one unreachable, 3 neither);
//           8 walk stopping at [byte]; 9 protect page [byte] (flags 1); 10 translate every page.
//           Sizes, frames, flags and ranges are decoded by decode_size, decode_phys, decode_flags
//           and op_map_range below (each has bad values: E_INVAL, E_ALIGN).
//   virt    two bytes: the PML4 index from b0 & 7, PDPT from b0 >> 3 & 7, PD from b1 & 7, PT
//           from b1 >> 3 & 7 (each from a list of indices at the edges); b0 >> 6: 2 makes it
//           non-canonical, 3 misaligns it by an amount from b1 >> 6.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/host/mock_hw.h"
#include "test/fuzz/fuzz_check.h"
#include "test/fuzz/fuzz_paging_model.h"
#include "test/fuzz/fuzz_paging_source.h"

#define MAX_STEPS 600 // map_range calls with more steps are not made

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct page_table pt;

// ---- decoding ---------------------------------------------------------------------------------

static uint64_t decode_virt(struct in *in)
{
    static const uint64_t top[8] = {0, 1, 255, 256, 511, 2, 128, 384};
    static const uint64_t mid[8] = {0, 1, 2, 511, 510, 3, 256, 100};
    static const uint64_t skew[4] = {8, 0x1000, 0x200000, 0x1008};
    uint8_t b0 = byte(in), b1 = byte(in);
    uint64_t t = top[b0 & 7];
    uint64_t virt = t << 39 | mid[b0 >> 3 & 7] << 30 | mid[b1 & 7] << 21 | mid[b1 >> 3 & 7] << 12;
    if (t >= 256)
        virt |= 0xffff000000000000ull;
    if (b0 >> 6 == 2)
        virt ^= 1ull << 47; // bits 63..48 no longer copy bit 47
    else if (b0 >> 6 == 3)
        virt += skew[b1 >> 6];
    return virt;
}

static uint64_t decode_flags(uint8_t b)
{
    uint64_t f = 0;
    f |= b & 1 ? PTE_WRITABLE : 0;
    f |= b & 2 ? PTE_USER : 0;
    f |= b & 4 ? PTE_WRITE_THROUGH | PTE_CACHE_DISABLE : 0;
    f |= b & 8 ? PTE_ACCESSED | PTE_DIRTY : 0;
    f |= b & 16 ? PTE_GLOBAL : 0;
    f |= b & 32 ? PTE_NX : 0;
    f |= b & 64 ? 1ull << 9 | 1ull << 52 | 1ull << 62 : 0; // bits the OS may use
    if ((b & 0xc0) == 0xc0)
        f |= b & 4 ? PTE_HUGE : 1ull << (12 + (b & 31)); // E_INVAL
    return f;
}

static uint64_t decode_size(uint8_t b)
{
    static const uint64_t sizes[4] = {PAGE_SIZE_4K, PAGE_SIZE_2M, PAGE_SIZE_1G, 0};
    uint64_t s = sizes[b % 4];
    return s != 0 ? s : b & 4 ? 2 * PAGE_SIZE_2M : 0;
}

static uint64_t decode_phys(uint8_t b, uint64_t size)
{
    uint64_t s = size != 0 ? size : PAGE_SIZE_4K;
    switch (b >> 6) {
    case 2: return (b & 0x3f) * s + (s == PAGE_SIZE_4K ? 8 : PAGE_SIZE_4K); // misaligned
    case 3: return PT_PHYS_LIMIT - s + (b & 0x3f) * s;                      // the limit
    default: return (b & 0x7f) * s;
    }
}

// ---- the calls ------------------------------------------------------------------------------

static void check_translate(uint64_t virt)
{
    const struct pm_page *p = pm_canonical(virt) ? pm_covering(virt) : NULL;
    int want = !pm_canonical(virt) ? E_INVAL : p == NULL ? E_NOENT : 0;
    struct pt_translation t;
    memset(&t, 0x5a, sizeof(t));
    size_t flushes = mock_invlpg_count();
    int rc = pt_translate(&pt, virt, &t);
    CHECK(rc == want && pt_translate(&pt, virt, NULL) == want, "translate(%#llx) = %d, expected %d",
          (unsigned long long)virt, rc, want);
    if (rc == 0) {
        struct pt_translation e = pm_translation(p, virt);
        CHECK(t.phys == e.phys && t.flags == e.flags && t.page_size == e.page_size,
              "translate(%#llx) = {%#llx, %#llx, %#llx}, expected {%#llx, %#llx, %#llx}",
              (unsigned long long)virt, (unsigned long long)t.phys, (unsigned long long)t.flags,
              (unsigned long long)t.page_size, (unsigned long long)e.phys,
              (unsigned long long)e.flags, (unsigned long long)e.page_size);
    }
    CHECK(mock_invlpg_count() == flushes, "translate flushed");
}

static void op_map(struct in *in)
{
    uint64_t virt = decode_virt(in), size = decode_size(byte(in));
    uint64_t phys = decode_phys(byte(in), size), flags = decode_flags(byte(in));
    if (size != 0 && pm_canonical(virt) && virt % PAGE_SIZE_4K == 0)
        virt &= ~(size - 1); // keep it aligned unless the input misaligned it
    if (pm.npages == PM_MAX_PAGES)
        return;
    int created;
    int want = pm_map_check(virt, phys, size, flags, &created);
    size_t flushes = begin(true);
    int rc = pt_map(&pt, virt, phys, size, flags);
    CHECK(rc == want, "map(%#llx, %#llx, %#llx, %#llx) = %d, expected %d", (unsigned long long)virt,
          (unsigned long long)phys, (unsigned long long)size, (unsigned long long)flags, rc, want);
    bool flush = rc == 0 ? pm_map_apply(virt, phys, size, flags) : created > 0;
    CHECK(mock_invlpg_count() == flushes + flush && (!flush || mock_invlpg_last() == virt),
          "map(%#llx) = %d: %zu flushes, expected %d", (unsigned long long)virt, rc,
          mock_invlpg_count() - flushes, flush);
    check_frames("map");
}

static void unmap(uint64_t virt)
{
    int found = pm_find_base(virt);
    uint64_t phys = 0x5a5a, want_phys = found >= 0 ? pm.pages[found].phys : 0x5a5a;
    size_t flushes = begin(true);
    int rc = pt_unmap(&pt, virt, &phys);
    CHECK(rc == (found >= 0 ? 0 : found) && phys == want_phys,
          "unmap(%#llx) = %d with frame %#llx, expected %d with %#llx", (unsigned long long)virt,
          rc, (unsigned long long)phys, found >= 0 ? 0 : found, (unsigned long long)want_phys);
    if (rc == 0) {
        pm_remove((size_t)found);
        CHECK(mock_invlpg_count() > flushes && mock_invlpg_last() == virt, "unmap did not flush");
    } else {
        CHECK(mock_invlpg_count() == flushes, "a failed unmap flushed");
    }
    check_frames("unmap");
}

static void protect(uint64_t virt, uint64_t flags)
{
    int found = (flags & PM_BAD_FLAGS) ? E_INVAL : pm_find_base(virt);
    size_t flushes = begin(false);
    int rc = pt_protect(&pt, virt, flags);
    CHECK(rc == (found >= 0 ? 0 : found), "protect(%#llx, %#llx) = %d, expected %d",
          (unsigned long long)virt, (unsigned long long)flags, rc, found >= 0 ? 0 : found);
    if (rc == 0) {
        pm_protect_apply((size_t)found, flags);
        CHECK(mock_invlpg_count() > flushes && mock_invlpg_last() == virt, "protect: no flush");
        check_translate(virt);
    } else {
        CHECK(mock_invlpg_count() == flushes, "a failed protect flushed");
    }
    check_frames("protect");
}

// Predicts pt_map_range step by step on the shadow, undoing the steps when one fails.
static int model_range(uint64_t virt, uint64_t phys, uint64_t len, uint64_t flags, uint64_t sizes)
{
    size_t first = pm.npages;
    pm.peek_base = 0;
    for (uint64_t off = 0; off < len;) {
        uint64_t s = pm_step(virt + off, phys + off, len - off, sizes);
        int created;
        int rc = pm_map_check(virt + off, phys + off, s, flags, &created);
        if (rc != 0) {
            while (pm.npages > first) // pm_remove moves the last page into the hole
                pm_remove(pm.npages - 1);
            pm.peek_base = 0;
            return rc;
        }
        pm.peek_base += (size_t)created;
        pm_map_apply(virt + off, phys + off, s, flags);
        off += s;
    }
    pm.peek_base = 0;
    return 0;
}

static void op_map_range(struct in *in)
{
    uint64_t virt = decode_virt(in);
    uint8_t bp = byte(in), bl = byte(in), bf = byte(in), bs = byte(in);
    uint64_t phys =
        (bp % 64) * PAGE_SIZE_2M + (bp & 0x40 ? PAGE_SIZE_4K : 0) + (bp & 0x80 ? PAGE_SIZE_1G : 0);
    uint64_t len = (bl % 16) * PAGE_SIZE_4K + (bl >> 4 & 3) * PAGE_SIZE_2M +
                   (bl >> 6 & 1) * PAGE_SIZE_1G + (bl >> 7) * 17 * PAGE_SIZE_2M;
    uint64_t flags = decode_flags(bf);
    uint64_t sizes =
        (bs & 1 ? PAGE_SIZE_4K : 0) | (bs & 2 ? PAGE_SIZE_2M : 0) | (bs & 4 ? PAGE_SIZE_1G : 0);
    sizes |= bs & 8 ? 0x8000 : 0; // E_INVAL
    switch (bs >> 4 & 3) {
    case 1: len += 1ull << 47; break;                 // runs past its half: E_INVAL
    case 2: phys = PT_PHYS_LIMIT - len + 4096; break; // reaches 2^52: E_INVAL
    case 3: phys = PT_PHYS_LIMIT - len; break;        // ends at the limit: fine
    default: break;
    }
    int want = pm_range_check(virt, phys, len, flags, sizes);
    if (want == 0) {
        uint64_t steps = 0;
        for (uint64_t off = 0; off < len && steps <= MAX_STEPS; steps++)
            off += pm_step(virt + off, phys + off, len - off, sizes);
        if (steps > MAX_STEPS || pm.npages + steps > PM_MAX_PAGES)
            return; // too slow, or more pages than the shadow holds
        want = model_range(virt, phys, len, flags, sizes);
    }
    begin(true);
    int rc = pt_map_range(&pt, virt, phys, len, flags, sizes);
    CHECK(rc == want, "map_range(%#llx, %#llx, %#llx, %#llx, %#llx) = %d, expected %d",
          (unsigned long long)virt, (unsigned long long)phys, (unsigned long long)len,
          (unsigned long long)flags, (unsigned long long)sizes, rc, want);
    check_frames("map_range");
}

struct walk {
    struct pm_page seen[PM_MAX_PAGES + 1];
    size_t n, stop;
};

static int visit(void *ctx, uint64_t virt, const struct pt_translation *t)
{
    struct walk *w = ctx;
    CHECK(w->n <= pm.npages, "walk visits more than the %zu pages", pm.npages);
    w->seen[w->n++] = (struct pm_page){virt, t->phys, t->page_size, t->flags};
    return w->n - 1 == w->stop ? 7 : 0;
}

static int by_virt(const void *a, const void *b)
{
    uint64_t x = ((const struct pm_page *)a)->virt, y = ((const struct pm_page *)b)->virt;
    return (x > y) - (x < y);
}

// pt_walk visits every page in increasing address order (the lower half first, which unsigned
// order gives) with the translation of its base, and stops at the first non-zero answer.
static void check_walk(size_t stop)
{
    static struct walk w;
    static struct pm_page sorted[PM_MAX_PAGES];
    w.n = 0;
    w.stop = stop;
    memcpy(sorted, pm.pages, pm.npages * sizeof(sorted[0]));
    qsort(sorted, pm.npages, sizeof(sorted[0]), by_virt);
    int rc = pt_walk(&pt, visit, &w);
    bool stopped = stop < pm.npages;
    CHECK(rc == (stopped ? 7 : 0) && w.n == (stopped ? stop + 1 : pm.npages),
          "walk (stop at %zu) = %d after %zu pages, %zu mapped", stop, rc, w.n, pm.npages);
    for (size_t i = 0; i < w.n; i++) {
        struct pt_translation e = pm_translation(&sorted[i], sorted[i].virt);
        CHECK(w.seen[i].virt == sorted[i].virt && w.seen[i].phys == e.phys &&
                  w.seen[i].size == e.page_size && w.seen[i].flags == e.flags,
              "walk page %zu: %#llx -> %#llx, size %#llx, flags %#llx; expected %#llx -> %#llx, "
              "size %#llx, flags %#llx",
              i, (unsigned long long)w.seen[i].virt, (unsigned long long)w.seen[i].phys,
              (unsigned long long)w.seen[i].size, (unsigned long long)w.seen[i].flags,
              (unsigned long long)sorted[i].virt, (unsigned long long)e.phys,
              (unsigned long long)e.page_size, (unsigned long long)e.flags);
    }
}

static void op_source(uint8_t b)
{
    switch (b % 4) {
    case 1: src.budget = b / 4 % 4; break;
    case 2: src.outside_next = true; break;
    case 3: src.budget = -1, src.outside_next = false; break;
    default: src.budget = -1; break;
    }
}

static void op(struct in *in)
{
    uint8_t k, o = byte(in) % 11;
    switch (o) {
    case 2:
        k = byte(in);
        if (pm.npages > 0)
            unmap(pm.pages[k % pm.npages].virt);
        break;
    case 3: unmap(decode_virt(in)); break;
    case 4: {
        uint64_t virt = decode_virt(in);
        protect(virt, decode_flags(byte(in)));
        break;
    }
    case 5: op_map_range(in); break;
    case 6: {
        uint64_t virt = decode_virt(in);
        check_translate(virt + byte(in) * 0x10101ull);
        break;
    }
    case 7: op_source(byte(in)); break;
    case 8: check_walk(byte(in)); break;
    case 9: {
        k = byte(in);
        uint8_t f = byte(in);
        if (pm.npages > 0)
            protect(pm.pages[k % pm.npages].virt, decode_flags(f));
        break;
    }
    case 10:
        for (size_t i = 0; i < pm.npages; i++) {
            check_translate(pm.pages[i].virt);
            check_translate(pm.pages[i].virt + pm.pages[i].size - 1);
        }
        break;
    default: op_map(in); break;
    }
}

// pt_init meeting a source with no frame, or with an unreachable one: it fails, leaves root 0
// and keeps no frame.
static void init_failure(int want)
{
    struct pt_frames frames = {src_alloc, src_free, &src};
    if (want == E_NOMEM)
        src.budget = 0;
    else
        src.outside_next = true;
    int rc = pt_init(&pt, frames);
    CHECK(rc == want && pt.root == 0 && src.live == 0, "pt_init = %d, root %#llx, %zu frames out",
          rc, (unsigned long long)pt.root, src.live);
    src.budget = -1;
    src.outside_next = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = {data, size};
    uint8_t head = byte(&in);
    mock_hw_reset();
    memset(&src, 0, sizeof(src));
    src.arena = mock_phys_arena(ARENA_BASE, POOL * PAGE_SIZE_4K);
    ASAN_POISON_MEMORY_REGION(src.arena, POOL * PAGE_SIZE_4K);
    src.budget = -1;
    memset(&pm, 0, sizeof(pm));
    pm.peek = src_peek;
    if (head % 4 == 1 || head % 4 == 2)
        init_failure(head % 4 == 1 ? E_NOMEM : E_RANGE);
    int rc = pt_init(&pt, (struct pt_frames){src_alloc, src_free, &src});
    CHECK(rc == 0 && pt.root == ARENA_BASE && src.live == 1, "pt_init = %d", rc);
    while (in.n > 0)
        op(&in);
    check_walk(SIZE_MAX);
    if (!(head & 4)) {
        while (pm.npages > 0)
            unmap(pm.pages[pm.npages - 1].virt);
        CHECK(src.live == 1, "%zu frames out with nothing mapped", src.live);
        check_walk(SIZE_MAX);
    }
    src.budget = 0; // pt_destroy allocates nothing
    pt_destroy(&pt);
    CHECK(src.live == 0 && pt.root == 0, "pt_destroy left %zu frames out", src.live);
    pt_destroy(&pt);
    ASAN_UNPOISON_MEMORY_REGION(src.arena, POOL * PAGE_SIZE_4K);
    return 0;
}
