// The shadow of test/fuzz/fuzz_paging.c: what core/paging.h says a page table holds after a
// sequence of calls, kept without looking at the tables. It holds the mapped pages (virtual base,
// frame, size, flags as given) and the intermediate entries that must exist (the table entries on
// the path of some page; tables never stay empty, so an entry exists exactly while a page lies
// under it) with their USER bit (set when created for a USER page, widened by pt_map and
// pt_protect, never cleared while the entry lives). It predicts each call's answer, including
// which frame source answer ends a pt_map (the source is deterministic: test/fuzz/fuzz_paging.c
// tells the model what its next answers will be).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/paging.h"

#define PM static __attribute__((unused))

#define PM_MAX_PAGES   1024
#define PM_MAX_ENTRIES (3 * PM_MAX_PAGES)
#define PM_BAD_FLAGS   (PTE_ADDR_MASK | PTE_HUGE)

struct pm_page {
    uint64_t virt, phys, size, flags;
};

struct pm_entry {
    int level;       // the table the entry sits in: 4 (PML4), 3 (PDPT) or 2 (PD)
    uint64_t prefix; // virt >> level_shift(level), the entry's slot in the address space
    bool user;
};

// What the frame source will answer to the next allocations (see fuzz_paging.c): 1 a reachable
// frame, 0 no frame (E_NOMEM), -1 an unreachable frame (E_RANGE).
typedef int (*pm_peek_fn)(size_t k);

static struct pm {
    struct pm_page pages[PM_MAX_PAGES];
    struct pm_entry entries[PM_MAX_ENTRIES];
    size_t npages, nentries;
    pm_peek_fn peek;
    size_t peek_base; // allocations already made by earlier steps of the call being predicted
} pm;

PM unsigned pm_shift(int level)
{
    return 12u + 9u * (unsigned)(level - 1);
}

PM int pm_level(uint64_t size)
{
    return size == PAGE_SIZE_4K ? 1 : size == PAGE_SIZE_2M ? 2 : size == PAGE_SIZE_1G ? 3 : 0;
}

PM bool pm_canonical(uint64_t virt)
{
    return virt >> 47 == 0 || virt >> 47 == 0x1ffff;
}

// The 48-bit address the prefixes are taken from (the sign-extension bits dropped).
PM uint64_t pm_low48(uint64_t virt)
{
    return virt & ((1ull << 48) - 1);
}

PM uint64_t pm_prefix(uint64_t virt, int level)
{
    return pm_low48(virt) >> pm_shift(level);
}

PM struct pm_entry *pm_entry_at(uint64_t virt, int level)
{
    for (size_t i = 0; i < pm.nentries; i++) {
        if (pm.entries[i].level == level && pm.entries[i].prefix == pm_prefix(virt, level))
            return &pm.entries[i];
    }
    return NULL;
}

// The page covering virt, or NULL.
PM struct pm_page *pm_covering(uint64_t virt)
{
    for (size_t i = 0; i < pm.npages; i++) {
        if (virt - pm.pages[i].virt < pm.pages[i].size)
            return &pm.pages[i];
    }
    return NULL;
}

// Whether a page smaller than size lies inside [virt, virt + size).
PM bool pm_smaller_inside(uint64_t virt, uint64_t size)
{
    for (size_t i = 0; i < pm.npages; i++) {
        if (pm.pages[i].size < size && pm.pages[i].virt - virt < size)
            return true;
    }
    return false;
}

// The entries a page of `level` at virt sits under that do not exist yet.
PM int pm_missing(uint64_t virt, int level)
{
    int n = 0;
    for (int l = level + 1; l <= PT_LEVELS; l++)
        n += pm_entry_at(virt, l) == NULL;
    return n;
}

// pt_map's answer, without changing the model; *created: the tables it makes before failing.
PM int pm_map_check(uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags, int *created)
{
    int level = pm_level(size);
    *created = 0;
    if (level == 0 || (flags & PM_BAD_FLAGS) || !pm_canonical(virt) || phys >= PT_PHYS_LIMIT)
        return E_INVAL;
    if ((virt | phys) & (size - 1))
        return E_ALIGN;
    const struct pm_page *p = pm_covering(virt);
    if (p != NULL && p->size > size)
        return E_HUGE;
    if (p != NULL || pm_smaller_inside(virt, size))
        return E_EXIST;
    for (int k = 0; k < pm_missing(virt, level); k++) {
        int answer = pm.peek(pm.peek_base + (size_t)k);
        if (answer <= 0)
            return answer == 0 ? E_NOMEM : E_RANGE;
        (*created)++;
    }
    return 0;
}

// Applies a pt_map that succeeded; returns whether an existing entry gained USER (a flush).
PM bool pm_map_apply(uint64_t virt, uint64_t phys, uint64_t size, uint64_t flags)
{
    bool user = (flags & PTE_USER) != 0, widened = false;
    for (int l = pm_level(size) + 1; l <= PT_LEVELS; l++) {
        struct pm_entry *e = pm_entry_at(virt, l);
        if (e == NULL) {
            pm.entries[pm.nentries++] = (struct pm_entry){l, pm_prefix(virt, l), user};
        } else if (user && !e->user) {
            e->user = true;
            widened = true;
        }
    }
    pm.pages[pm.npages++] = (struct pm_page){virt, phys, size, flags};
    return widened;
}

// Removes the page at index i and the entries with no page left under them.
PM void pm_remove(size_t i)
{
    pm.pages[i] = pm.pages[--pm.npages];
    for (size_t j = 0; j < pm.nentries;) {
        const struct pm_entry *e = &pm.entries[j];
        bool used = false;
        for (size_t k = 0; k < pm.npages && !used; k++) {
            const struct pm_page *p = &pm.pages[k];
            used = pm_level(p->size) < e->level && pm_prefix(p->virt, e->level) == e->prefix;
        }
        if (used)
            j++;
        else
            pm.entries[j] = pm.entries[--pm.nentries];
    }
}

// The page pt_unmap and pt_protect act on: its index, or the error they return.
PM int pm_find_base(uint64_t virt)
{
    if (!pm_canonical(virt))
        return E_INVAL;
    if (virt & (PAGE_SIZE_4K - 1))
        return E_ALIGN;
    const struct pm_page *p = pm_covering(virt);
    if (p == NULL)
        return E_NOENT;
    if (p->virt != virt)
        return E_HUGE;
    return (int)(p - pm.pages);
}

PM void pm_protect_apply(size_t i, uint64_t flags)
{
    pm.pages[i].flags = flags;
    for (int l = pm_level(pm.pages[i].size) + 1; l <= PT_LEVELS; l++) {
        if (flags & PTE_USER)
            pm_entry_at(pm.pages[i].virt, l)->user = true;
    }
}

// What pt_translate reports for page p: USER only when every entry above has it too (they all
// have WRITABLE and none has NX: the module creates them PRESENT | WRITABLE and only widens).
PM struct pt_translation pm_translation(const struct pm_page *p, uint64_t virt)
{
    uint64_t flags = p->flags | PTE_PRESENT | (p->size > PAGE_SIZE_4K ? PTE_HUGE : 0);
    for (int l = pm_level(p->size) + 1; l <= PT_LEVELS; l++) {
        if (!pm_entry_at(p->virt, l)->user)
            flags &= ~PTE_USER;
    }
    return (struct pt_translation){p->phys + (virt - p->virt), flags, p->size};
}

// pt_map_range's step size at an offset (paging.h: the largest allowed size both addresses are
// aligned to and the remaining length holds, else the smallest allowed).
PM uint64_t pm_step(uint64_t virt, uint64_t phys, uint64_t left, uint64_t sizes)
{
    for (uint64_t s = PAGE_SIZE_1G; s > PAGE_SIZE_4K; s >>= 9) {
        if ((sizes & s) && ((virt | phys) & (s - 1)) == 0 && left >= s)
            return s;
    }
    return sizes & -sizes;
}

// pt_map_range's argument checks: E_INVAL, E_ALIGN or 0.
PM int pm_range_check(uint64_t virt, uint64_t phys, uint64_t len, uint64_t flags, uint64_t sizes)
{
    const uint64_t all = PAGE_SIZE_4K | PAGE_SIZE_2M | PAGE_SIZE_1G;
    if (sizes == 0 || (sizes & ~all) || (flags & PM_BAD_FLAGS) || !pm_canonical(virt))
        return E_INVAL;
    if (phys >= PT_PHYS_LIMIT || len > PT_PHYS_LIMIT - phys)
        return E_INVAL;
    // The last byte in the same half as the first, without wrapping past 2^64.
    if (len > 0 && (virt + (len - 1) < virt || !pm_canonical(virt + (len - 1)) ||
                    (virt + (len - 1)) >> 47 != virt >> 47))
        return E_INVAL;
    uint64_t smallest = sizes & -sizes;
    if ((virt | phys | len) & (smallest - 1))
        return E_ALIGN;
    return 0;
}
