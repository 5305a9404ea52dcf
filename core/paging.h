// x86_64 4-level page tables (Intel SDM vol. 3 ch. 4.5): the walker (translate, walk) and the
// mapper (map, unmap, protect, map a range). Tables are reached ONLY through
// hw_phys_to_virt(table, 4096): the direct map in the kernel, an arena in the host tests.
//
// Layout: PML4 (level 4) -> PDPT (3) -> PD (2) -> PT (1), 512 entries of 8 bytes each; virtual
// address bits 47..39, 38..30, 29..21 and 20..12 index the four levels. A PDPT entry with HUGE
// set maps a 1 GiB page, a PD entry with HUGE a 2 MiB page, a PT entry a 4 KiB page. Addresses
// are 48-bit canonical (bits 63..47 all equal); 5-level paging and PAT are not supported.
//
// Invariants kept by this module: every table other than the root holds at least one present
// entry (tables that become empty are freed at once), intermediate entries it creates are
// PRESENT | WRITABLE (| USER), and huge pages never sit in the PML4.
//
// Caller's contract, for every function:
//   - One page_table is used from one context at a time: no two calls on the same table run
//     concurrently (take a lock around them). The MMU may walk the tables meanwhile; every entry
//     is written with one 64-bit store, a new table is zeroed before it is linked.
//   - The functions flush only the current CPU's TLB, with hw_invlpg (harmless when `pt` is not
//     the active address space). Other CPUs (shootdown) and CR3 switches are the caller's job.
//   - frames.alloc returns 4 KiB-aligned frames below 2^52 (a panic says otherwise) that belong
//     to this page_table until handed back through frames.free.
//   - pt is initialised (pt_init succeeded) and not destroyed; a NULL pt, or one whose root is 0,
//     panics.
// Time bounds: pt_translate and pt_protect O(4) entry reads; pt_map O(4) plus at most 3 frame
// allocations; pt_unmap, and a failed pt_map, O(4) plus a scan of up to 512 entries per table
// checked for emptiness (at most 3, stopping at the first that is not empty);
// pt_map_range O(len / 4 KiB) maps in the worst case (each O(1)), and as many unmaps on rollback;
// pt_walk and pt_destroy O(512 * number of tables).
#pragma once

#include <stdint.h>

typedef uint64_t pte_t;

#define PT_ENTRIES 512
#define PT_LEVELS  4

#define PAGE_SIZE_4K 0x1000ull
#define PAGE_SIZE_2M 0x200000ull
#define PAGE_SIZE_1G 0x40000000ull

// Entry bits (SDM tables 4-14..4-20). Bits 9-11 and 52-62 are ignored by the MMU and free for
// the OS; this module keeps them as given.
#define PTE_PRESENT       (1ull << 0)  // the entry maps a page or references a table
#define PTE_WRITABLE      (1ull << 1)  // writes allowed (at every level on the path)
#define PTE_USER          (1ull << 2)  // CPL 3 may access (at every level on the path)
#define PTE_WRITE_THROUGH (1ull << 3)  // PWT: write-through caching
#define PTE_CACHE_DISABLE (1ull << 4)  // PCD: not cached
#define PTE_ACCESSED      (1ull << 5)  // set by the MMU on access
#define PTE_DIRTY         (1ull << 6)  // set by the MMU on write (leaves only)
#define PTE_HUGE          (1ull << 7)  // PS: a 1 GiB (PDPT) or 2 MiB (PD) page, not a table
#define PTE_GLOBAL        (1ull << 8)  // kept in the TLB across CR3 loads (with CR4.PGE)
#define PTE_NX            (1ull << 63) // no instruction fetch (with EFER.NXE), at any level
#define PTE_ADDR_MASK     0x000ffffffffff000ull // bits 51..12: the frame or table address

#define PT_PHYS_LIMIT (1ull << 52) // physical addresses are below this

// Where page tables come from. alloc returns the physical address of a free 4 KiB frame, or 0
// when there is none (so frame 0 is never used for a table); free takes back a frame that alloc
// returned. The mapper zeroes new tables itself.
struct pt_frames {
    uint64_t (*alloc)(void *ctx);
    void (*free)(void *ctx, uint64_t phys);
    void *ctx;
};

struct page_table {
    uint64_t root; // physical address of the PML4 (what CR3 is loaded with); 0 when unusable
    struct pt_frames frames;
};

struct pt_translation {
    uint64_t phys; // the physical address of the byte at virt (page base + offset)
    // The effective flags: WRITABLE if every level has it, USER if every level has it, NX if any
    // level has it, and the leaf's other bits 0-11 and 52-62 (PRESENT, PWT, PCD, ACCESSED, DIRTY,
    // HUGE for 2 MiB and 1 GiB pages, GLOBAL, the OS bits). Never address bits.
    uint64_t flags;
    uint64_t page_size; // PAGE_SIZE_4K, PAGE_SIZE_2M or PAGE_SIZE_1G
};

// Allocates a PML4 through frames, zeroes it and makes pt an empty address space over it.
// Returns 0, E_NOMEM (alloc gave 0) or E_RANGE (the frame is not reachable through
// hw_phys_to_virt; it is handed back). On failure pt->root is 0. Panics if pt, frames.alloc or
// frames.free is NULL.
int pt_init(struct page_table *pt, struct pt_frames frames);

// Looks virt up like the MMU would and, when out is not NULL, fills it in. Returns:
//   0        virt lies in a 4 KiB, 2 MiB or 1 GiB page (any offset inside it).
//   E_INVAL  virt is not canonical.
//   E_NOENT  nothing maps virt.
//   E_RANGE  a table on the way is not reachable through hw_phys_to_virt.
// Changes nothing; reads the accessed/dirty bits as they are.
int pt_translate(const struct page_table *pt, uint64_t virt, struct pt_translation *out);

// Maps one page of page_size (4K, 2M or 1G) at virt to phys: the leaf becomes
// phys | flags | PRESENT (| HUGE for 2M and 1G). Missing tables on the way are created
// PRESENT | WRITABLE (| USER when flags has USER). An existing intermediate entry on the way
// gains WRITABLE and USER when flags has them (so the leaf's own bits decide; NX there is left
// alone), and then virt is flushed; otherwise nothing is flushed (a not-present entry is never
// cached). Arguments are checked in this order; returns:
//   0        mapped.
//   E_INVAL  page_size is not one of the three; flags has address bits or HUGE; virt is not
//            canonical; phys is at or above 2^52.
//   E_ALIGN  virt or phys is not a multiple of page_size.
//   E_HUGE   a bigger huge page higher up already covers virt.
//   E_EXIST  the slot is taken: by a leaf of the same size, or (for 2M and 1G) by a table of
//            smaller pages. Tables never stay empty, so such a table always maps something.
//   E_NOMEM  no frame for a table.
//   E_RANGE  a table on the way is not reachable, or a new frame is not (it is handed back).
// On any failure the address space is as before: the tables this call created are unlinked,
// virt is flushed if there were any (they were briefly linked), then they are freed; nothing is
// widened.
int pt_map(struct page_table *pt, uint64_t virt, uint64_t phys, uint64_t page_size, uint64_t flags);

// Removes the page that starts at virt (a 4 KiB page, or a whole huge page when virt is its
// base), stores its frame in *phys_out unless phys_out is NULL, frees the tables that became
// empty (never the root) and flushes virt (before the tables are handed back). Returns:
//   0        unmapped.
//   E_INVAL  virt is not canonical.
//   E_ALIGN  virt is not 4 KiB aligned.
//   E_NOENT  nothing maps virt.
//   E_HUGE   virt lies inside a huge page but not at its base (the page stays).
//   E_RANGE  a table on the way is not reachable.
// On failure nothing changes and nothing is flushed.
int pt_unmap(struct page_table *pt, uint64_t virt, uint64_t *phys_out);

// Replaces the flags of the page that starts at virt with flags, keeping its address, PRESENT
// and HUGE (ACCESSED and DIRTY become what flags says), widens the intermediate entries like
// pt_map, and flushes virt. Returns 0, or E_INVAL (flags has address bits or HUGE; virt not
// canonical), E_ALIGN, E_NOENT, E_HUGE, E_RANGE as pt_unmap, changing nothing.
int pt_protect(struct page_table *pt, uint64_t virt, uint64_t flags);

// Maps [virt, virt + len) to [phys, phys + len) with pt_map, each step with the largest size in
// page_sizes (a mask of PAGE_SIZE_4K | PAGE_SIZE_2M | PAGE_SIZE_1G) to which both addresses are
// aligned and that the remaining length holds. Returns 0 (len 0 maps nothing), or:
//   E_INVAL  page_sizes is 0 or has other bits; flags as pt_map; the virtual range is not
//            canonical (either end, or it crosses the hole); the physical range reaches 2^52.
//   E_ALIGN  virt, phys or len is not a multiple of the smallest size in page_sizes (4 KiB when
//            page_sizes has it): then no mix of allowed sizes could cover the range exactly.
//   any error of pt_map (E_EXIST, E_HUGE, E_NOMEM, E_RANGE) from a step: everything this call
//            mapped is unmapped again (tables freed, TLB flushed), so the address space is as
//            before except that intermediate entries widened by earlier steps stay widened.
int pt_map_range(struct page_table *pt, uint64_t virt, uint64_t phys, uint64_t len, uint64_t flags,
                 uint64_t page_sizes);

// Calls fn(ctx, virt, &translation) for every page mapped in pt, in increasing (canonical)
// address order, lower half first; translation.phys is the page base. Stops at, and returns,
// the first non-zero value fn returns; returns E_RANGE when a table is not reachable (after
// visiting the pages before it), 0 when every page was visited. fn must not change pt.
typedef int (*pt_visit_fn)(void *ctx, uint64_t virt, const struct pt_translation *t);
int pt_walk(const struct page_table *pt, pt_visit_fn fn, void *ctx);

// Hands every table, the root included, back through frames.free (not the mapped frames: those
// belong to the caller) and leaves pt->root 0. Tables not reachable through hw_phys_to_virt are
// freed without looking inside. pt must not be the active address space, and no table may be
// shared with another page_table. Does nothing when pt->root is already 0; panics if pt is NULL.
void pt_destroy(struct page_table *pt);
