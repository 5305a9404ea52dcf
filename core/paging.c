// The x86_64 4-level page-table walker and mapper; see paging.h for the contract.
#include "core/paging.h"
#include "core/err.h"
#include "core/hw.h"
#include "core/panic.h"

#include <stdbool.h>
#include <stddef.h>

#define LEVEL_PT   1
#define LEVEL_PML4 4
#define TABLE_SIZE 4096u
#define ACCESS     (PTE_WRITABLE | PTE_USER | PTE_NX) // the bits that combine across levels
#define MAP_SIZES  (PAGE_SIZE_4K | PAGE_SIZE_2M | PAGE_SIZE_1G)

// The tables and entries on one virtual address's path. tab[level] is the table of that level
// (tab[4] the root), NULL for the levels the walk did not reach; depth is the lowest level it
// reached.
struct path {
    pte_t *tab[PT_LEVELS + 1];
    uint64_t phys[PT_LEVELS + 1];
    int depth;
};

static unsigned level_shift(int level)
{
    return 12u + 9u * (unsigned)(level - 1);
}

// The bytes one entry of `level` covers: 4 KiB, 2 MiB, 1 GiB, 512 GiB.
static uint64_t level_size(int level)
{
    return 1ull << level_shift(level);
}

static pte_t *slot(const struct path *p, uint64_t virt, int level)
{
    return &p->tab[level][(virt >> level_shift(level)) & (PT_ENTRIES - 1)];
}

static bool canonical(uint64_t virt)
{
    uint64_t top = virt >> 47;
    return top == 0 || top == 0x1ffff;
}

// The MMU may walk the tables at any time: read and write each entry as one 64-bit access, and
// (release) let no earlier store, such as the zeroing of a new table, move after the write.
// Entries lie in 4 KiB-aligned tables, so they are 8-byte aligned, which a 32-bit compiler does
// not assume of a uint64_t (and would then not make the access one).
typedef pte_t aligned_pte __attribute__((aligned(8)));

static pte_t pte_get(const pte_t *e)
{
    return __atomic_load_n((const aligned_pte *)e, __ATOMIC_RELAXED);
}

static void pte_set(pte_t *e, pte_t value)
{
    __atomic_store_n((aligned_pte *)e, value, __ATOMIC_RELEASE);
}

// A PT entry is always a leaf (its bit 7 is PAT); a PML4 entry never is (bit 7 is reserved).
static bool is_leaf(pte_t e, int level)
{
    return level == LEVEL_PT || (level < LEVEL_PML4 && (e & PTE_HUGE));
}

static uint64_t leaf_frame(pte_t e, int level)
{
    return e & PTE_ADDR_MASK & ~(level_size(level) - 1);
}

// WRITABLE and USER survive only if every level has them, NX if any level has it.
static uint64_t combine(uint64_t access, pte_t e)
{
    return (access & e & (PTE_WRITABLE | PTE_USER)) | ((access | e) & PTE_NX);
}

static struct pt_translation describe(pte_t leaf, int level, uint64_t access)
{
    return (struct pt_translation){
        .phys = leaf_frame(leaf, level),
        .flags = (leaf & ~PTE_ADDR_MASK & ~ACCESS) | combine(access, leaf),
        .page_size = level_size(level),
    };
}

static pte_t *table_at(uint64_t phys)
{
    return hw_phys_to_virt(phys, TABLE_SIZE);
}

// A zeroed table in *phys_out. E_NOMEM: no frame; E_RANGE: unreachable (the frame goes back).
static int new_table(const struct page_table *pt, uint64_t *phys_out)
{
    uint64_t phys = pt->frames.alloc(pt->frames.ctx);
    if (phys == 0)
        return E_NOMEM;
    if ((phys & (PAGE_SIZE_4K - 1)) != 0 || phys >= PT_PHYS_LIMIT)
        panic("pt: frames.alloc returned 0x%llx, not a 4 KiB frame below 2^52",
              (unsigned long long)phys);
    pte_t *t = table_at(phys);
    if (t == NULL) {
        pt->frames.free(pt->frames.ctx, phys);
        return E_RANGE;
    }
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        t[i] = 0;
    *phys_out = phys;
    return 0;
}

// Follows virt's path from the root down to `stop`, filling p. Returns the last level visited:
// `stop`, or the first level above it whose entry is a leaf or, when make is 0, not present.
// When make is not 0, a missing table is created and linked with `make` as its entry's flags.
// Fails with E_RANGE (a table is unreachable) or new_table's errors, p then filled as far as the
// walk got.
static int walk_to(const struct page_table *pt, uint64_t virt, int stop, uint64_t make,
                   struct path *p)
{
    *p = (struct path){.depth = LEVEL_PML4 + 1};
    uint64_t table = pt->root;
    for (int level = LEVEL_PML4;; level--) {
        p->tab[level] = table_at(table);
        if (p->tab[level] == NULL)
            return E_RANGE;
        p->phys[level] = table;
        p->depth = level;
        pte_t e = pte_get(slot(p, virt, level));
        if (level == stop || ((e & PTE_PRESENT) && is_leaf(e, level)))
            return level;
        if (e & PTE_PRESENT) {
            table = e & PTE_ADDR_MASK;
            continue;
        }
        if (make == 0)
            return level;
        int rc = new_table(pt, &table);
        if (rc != 0)
            return rc;
        pte_set(slot(p, virt, level), table | make);
    }
}

static bool table_empty(const pte_t *t)
{
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if (pte_get(&t[i]) & PTE_PRESENT)
            return false;
    }
    return true;
}

// Unlinks the empty tables on p's path from the lowest reached upwards (never the root), then
// flushes virt when it unlinked any or `flush` is set, and only then hands the tables back, so
// no paging-structure cache still points into a freed frame.
static void release_empty(const struct page_table *pt, const struct path *p, uint64_t virt,
                          bool flush)
{
    uint64_t dead[PT_LEVELS];
    int n = 0;
    for (int level = p->depth; level < LEVEL_PML4 && p->tab[level] != NULL; level++) {
        if (!table_empty(p->tab[level]))
            break;
        pte_set(slot(p, virt, level + 1), 0);
        dead[n++] = p->phys[level];
    }
    if (flush || n > 0)
        hw_invlpg(virt);
    for (int i = 0; i < n; i++)
        pt->frames.free(pt->frames.ctx, dead[i]);
}

// Gives the entries above the leaf at `level` the WRITABLE and USER bits flags has; returns
// whether any entry changed (a cached copy may then be stale).
static bool widen_parents(const struct path *p, uint64_t virt, int level, uint64_t flags)
{
    uint64_t want = flags & (PTE_WRITABLE | PTE_USER);
    bool changed = false;
    for (int l = level + 1; l <= LEVEL_PML4; l++) {
        pte_t *e = slot(p, virt, l);
        pte_t old = pte_get(e);
        if ((old & want) != want) {
            pte_set(e, old | want);
            changed = true;
        }
    }
    return changed;
}

// A caller bug: no table, or one that pt_init did not set up (or pt_destroy took down).
#define CHECK_TABLE(pt) KASSERT((pt) != NULL && (pt)->root != 0)

int pt_init(struct page_table *pt, struct pt_frames frames)
{
    KASSERT(pt != NULL);
    KASSERT(frames.alloc != NULL && frames.free != NULL);
    pt->root = 0;
    pt->frames = frames;
    uint64_t root;
    int rc = new_table(pt, &root);
    if (rc == 0)
        pt->root = root;
    return rc;
}

int pt_translate(const struct page_table *pt, uint64_t virt, struct pt_translation *out)
{
    CHECK_TABLE(pt);
    if (!canonical(virt))
        return E_INVAL;
    struct path p;
    int level = walk_to(pt, virt, LEVEL_PT, 0, &p);
    if (level < 0)
        return level;
    pte_t leaf = pte_get(slot(&p, virt, level));
    if (!(leaf & PTE_PRESENT))
        return E_NOENT;
    if (out != NULL) {
        uint64_t access = PTE_WRITABLE | PTE_USER;
        for (int l = LEVEL_PML4; l > level; l--)
            access = combine(access, pte_get(slot(&p, virt, l)));
        *out = describe(leaf, level, access);
        out->phys |= virt & (out->page_size - 1);
    }
    return 0;
}

static int size_level(uint64_t page_size)
{
    switch (page_size) {
    case PAGE_SIZE_4K: return 1;
    case PAGE_SIZE_2M: return 2;
    case PAGE_SIZE_1G: return 3;
    default: return 0;
    }
}

static bool bad_flags(uint64_t flags)
{
    return (flags & (PTE_ADDR_MASK | PTE_HUGE)) != 0;
}

int pt_map(struct page_table *pt, uint64_t virt, uint64_t phys, uint64_t page_size, uint64_t flags)
{
    CHECK_TABLE(pt);
    int target = size_level(page_size);
    if (target == 0 || bad_flags(flags) || !canonical(virt) || phys >= PT_PHYS_LIMIT)
        return E_INVAL;
    if (((virt | phys) & (page_size - 1)) != 0)
        return E_ALIGN;
    struct path p;
    uint64_t make = PTE_PRESENT | PTE_WRITABLE | (flags & PTE_USER);
    int level = walk_to(pt, virt, target, make, &p);
    int rc = level < 0 ? level : level > target ? E_HUGE : 0;
    if (rc == 0 && (pte_get(slot(&p, virt, target)) & PTE_PRESENT))
        rc = E_EXIST;
    if (rc != 0) {
        release_empty(pt, &p, virt, false);
        return rc;
    }
    pte_set(slot(&p, virt, target), phys | flags | PTE_PRESENT | (target > 1 ? PTE_HUGE : 0));
    if (widen_parents(&p, virt, target, flags))
        hw_invlpg(virt);
    return 0;
}

// Finds the leaf that starts at virt for unmap and protect: its level, or E_INVAL, E_ALIGN,
// E_RANGE, E_NOENT, E_HUGE as documented there.
static int find_leaf(const struct page_table *pt, uint64_t virt, struct path *p)
{
    if (!canonical(virt))
        return E_INVAL;
    if ((virt & (PAGE_SIZE_4K - 1)) != 0)
        return E_ALIGN;
    int level = walk_to(pt, virt, LEVEL_PT, 0, p);
    if (level < 0)
        return level;
    if (!(pte_get(slot(p, virt, level)) & PTE_PRESENT))
        return E_NOENT;
    if ((virt & (level_size(level) - 1)) != 0)
        return E_HUGE;
    return level;
}

int pt_unmap(struct page_table *pt, uint64_t virt, uint64_t *phys_out)
{
    CHECK_TABLE(pt);
    struct path p;
    int level = find_leaf(pt, virt, &p);
    if (level < 0)
        return level;
    pte_t *e = slot(&p, virt, level);
    uint64_t frame = leaf_frame(pte_get(e), level);
    pte_set(e, 0);
    release_empty(pt, &p, virt, true);
    if (phys_out != NULL)
        *phys_out = frame;
    return 0;
}

int pt_protect(struct page_table *pt, uint64_t virt, uint64_t flags)
{
    CHECK_TABLE(pt);
    if (bad_flags(flags))
        return E_INVAL;
    struct path p;
    int level = find_leaf(pt, virt, &p);
    if (level < 0)
        return level;
    pte_t *e = slot(&p, virt, level);
    pte_t keep = level == LEVEL_PT ? PTE_ADDR_MASK : PTE_ADDR_MASK | PTE_HUGE;
    pte_set(e, (pte_get(e) & keep) | flags | PTE_PRESENT);
    widen_parents(&p, virt, level, flags);
    hw_invlpg(virt);
    return 0;
}

// The size of the next pt_map_range step: the largest allowed size to which both addresses are
// aligned and that `left` holds. check_range made sure the smallest allowed size always fits.
static uint64_t step_size(uint64_t virt, uint64_t phys, uint64_t left, uint64_t sizes)
{
    for (uint64_t s = PAGE_SIZE_1G; s > PAGE_SIZE_4K; s >>= 9) {
        if ((sizes & s) && ((virt | phys) & (s - 1)) == 0 && left >= s)
            return s;
    }
    return sizes & -sizes;
}

static int check_range(uint64_t virt, uint64_t phys, uint64_t len, uint64_t flags, uint64_t sizes)
{
    if (sizes == 0 || (sizes & ~MAP_SIZES) != 0 || bad_flags(flags))
        return E_INVAL;
    if (!canonical(virt) || phys >= PT_PHYS_LIMIT || len > PT_PHYS_LIMIT - phys)
        return E_INVAL;
    // len <= 2^52 now, so the range can wrap past 2^64 only from the upper half, into the lower.
    uint64_t last = virt + len - 1;
    if (len > 0 && (last >> 47) != (virt >> 47))
        return E_INVAL;                 // runs into the non-canonical hole, or wraps
    uint64_t smallest = sizes & -sizes; // the sizes are powers of two
    if (((virt | phys | len) & (smallest - 1)) != 0)
        return E_ALIGN;
    return 0;
}

// Unmaps the first `done` bytes that pt_map_range mapped, step by step as it mapped them.
static void undo_range(struct page_table *pt, uint64_t virt, uint64_t phys, uint64_t done,
                       uint64_t sizes)
{
    for (uint64_t off = 0; off < done;) {
        uint64_t s = step_size(virt + off, phys + off, done - off, sizes);
        int rc = pt_unmap(pt, virt + off, NULL);
        KASSERT(rc == 0);
        off += s;
    }
}

int pt_map_range(struct page_table *pt, uint64_t virt, uint64_t phys, uint64_t len, uint64_t flags,
                 uint64_t page_sizes)
{
    CHECK_TABLE(pt);
    int rc = check_range(virt, phys, len, flags, page_sizes);
    if (rc != 0)
        return rc;
    for (uint64_t off = 0; off < len;) {
        uint64_t s = step_size(virt + off, phys + off, len - off, page_sizes);
        rc = pt_map(pt, virt + off, phys + off, s, flags);
        if (rc != 0) {
            undo_range(pt, virt, phys, off, page_sizes);
            return rc;
        }
        off += s;
    }
    return 0;
}

// Visits the table at `phys` of `level`, whose first entry maps `base`; `access` holds the
// combined bits of the entries above.
static int visit(uint64_t phys, int level, uint64_t base, uint64_t access, pt_visit_fn fn,
                 void *ctx)
{
    const pte_t *t = table_at(phys);
    if (t == NULL)
        return E_RANGE;
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        pte_t e = pte_get(&t[i]);
        if (!(e & PTE_PRESENT))
            continue;
        uint64_t virt = base + i * level_size(level);
        if (virt & (1ull << 47))
            virt |= 0xffff000000000000ull; // the upper half, sign-extended
        int rc;
        if (is_leaf(e, level)) {
            struct pt_translation tr = describe(e, level, access);
            rc = fn(ctx, virt, &tr);
        } else {
            rc = visit(e & PTE_ADDR_MASK, level - 1, virt, combine(access, e), fn, ctx);
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

int pt_walk(const struct page_table *pt, pt_visit_fn fn, void *ctx)
{
    CHECK_TABLE(pt);
    KASSERT(fn != NULL);
    return visit(pt->root, LEVEL_PML4, 0, PTE_WRITABLE | PTE_USER, fn, ctx);
}

static void free_tree(const struct page_table *pt, uint64_t phys, int level)
{
    const pte_t *t = table_at(phys);
    for (unsigned i = 0; t != NULL && level > LEVEL_PT && i < PT_ENTRIES; i++) {
        pte_t e = pte_get(&t[i]);
        if ((e & PTE_PRESENT) && !is_leaf(e, level))
            free_tree(pt, e & PTE_ADDR_MASK, level - 1);
    }
    pt->frames.free(pt->frames.ctx, phys);
}

void pt_destroy(struct page_table *pt)
{
    KASSERT(pt != NULL);
    if (pt->root != 0)
        free_tree(pt, pt->root, LEVEL_PML4);
    pt->root = 0;
}
