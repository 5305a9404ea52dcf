// Physical frame allocator: hands out and takes back 4 KiB frames of the usable memory the boot
// memory map describes, keeping out of the first MiB, the caller's reserved ranges (the kernel
// image, the boot info block...) and its own bookkeeping.
//
// Bookkeeping: two bitmaps of one bit per frame over the span [first, first + nframes) from the
// lowest usable frame (which may end up holding the bitmaps themselves, so not managed) to the
// highest managed frame: `free` (set: the frame can be handed out) and `managed` (set: the frame
// belongs to the allocator at all, so frame_free can tell a frame that was never usable from one
// that is allocated). Cost: 2 bits per 4 KiB frame of span, i.e. 64 KiB per GiB of span, rounded
// up to whole frames (a 5 GiB span: 80 frames, 320 KiB). Holes inside the span (a PCI hole below
// 4 GiB) cost as much as memory. frame_init carves the bitmaps out of the usable memory itself and
// reaches them through hw_phys_to_virt.
//
// Nothing here zeroes, reads or writes the frames themselves: only the bitmaps are touched.
//
// Concurrency: none. The caller serialises every call on one allocator (the kernel holds a lock
// with interrupts disabled).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bootinfo.h"

#define FRAME_SIZE  4096u
#define FRAME_SHIFT 12
#define FRAME_LOW   0x100000u // the first MiB: never handed out (BIOS, real-mode structures)

// A range of physical bytes [base, end); empty when end == base.
struct frame_range {
    uint64_t base, end;
};

// All fields are private to core/frame.c; read them only in tests. A zeroed struct (and the
// struct after a failed frame_init) is an empty allocator: nothing to allocate, nothing to free.
struct frame_allocator {
    uint64_t bitmap_phys;   // physical address of the bitmaps (free words, then managed words)
    uint64_t bitmap_frames; // frames the bitmaps occupy, from bitmap_phys
    uint64_t *free_bits;    // bit i % 64 of word i / 64 set: frame first + i free
    uint64_t *managed_bits; // bit i set: frame first + i is managed (usable, not reserved)
    uint64_t first;         // frame number (phys >> 12) of bit 0
    uint64_t nframes;       // frames the bitmaps cover
    uint64_t words;         // 64-bit words in each bitmap
    uint64_t total;         // managed frames
    uint64_t nfree;         // free frames
    uint64_t cursor;        // word where the next search starts (that of the last allocation)
};

// Builds the allocator over the boot memory map `map` (n entries) minus `reserved` (nreserved
// ranges). The map may be in any order; entries may overlap, touch and be unaligned; length 0
// entries cover nothing. A byte is usable when some BOOT_MEM_USABLE entry covers it and no entry
// of any other type does (those win). A frame is managed when all its 4096 bytes are usable, it
// lies at or above FRAME_LOW, no reserved range touches it, and it does not hold the bitmaps.
//
// The bitmaps go at the start of the lowest run of contiguous usable, unreserved frames at or
// above FRAME_LOW that holds them entirely below the byte address bitmap_limit (UINT64_MAX: no
// limit) and where hw_phys_to_virt reaches all their bytes; runs too small for them, runs where
// they would cross the limit, and runs where they would be unreachable are skipped.
//
// Returns 0 on success, with every managed frame free. Otherwise leaves *fa an empty allocator
// and returns:
//   E_INVAL  map is NULL with n > 0; reserved is NULL with nreserved > 0; a map entry whose
//            base + length overflows 64 bits; a reserved range with end < base.
//   E_NOMEM  no managed frame would remain (no usable memory at or above FRAME_LOW, or all of it
//            reserved or taken by the bitmaps); no run holds the bitmaps below bitmap_limit.
//   E_RANGE  runs below the limit would hold the bitmaps, but hw_phys_to_virt reaches none of
//            them.
// Panics if fa is NULL. Time: O((n + nreserved)^2) for the map, plus O(nframes / 64).
int frame_init(struct frame_allocator *fa, const struct boot_mmap_entry *map, size_t n,
               const struct frame_range *reserved, size_t nreserved, uint64_t bitmap_limit);

// Takes a free frame and returns its physical address (4 KiB aligned, never 0), or 0 when none is
// left. The frame's contents are whatever was there: not zeroed.
//
// Order: next fit. The search starts at the 64-frame group (bitmap word) of the last allocation,
// takes the lowest free frame at or above that group's start, and wraps to the lowest address
// only when nothing above is free. Hence the allocator consumes memory bottom-up: a call never
// returns a frame above the lowest managed frame that no call has returned since frame_init.
// Without frees in between, successive calls return the managed frames in ascending address
// order; and as long as fewer than N distinct frames were handed out since frame_init, where N is
// the number of managed frames below an address A, every frame returned lies below A (the kernel
// relies on this while only the first 4 GiB are mapped). A freed frame in the current group is
// reused at once; one in a lower group only after the search wraps.
//
// Panics if fa is NULL. Time: O(words scanned), amortised O(1) while memory is consumed
// bottom-up; O(nframes / 64) at worst.
uint64_t frame_alloc(struct frame_allocator *fa);

// Takes the lowest free frame at or above the byte address min_phys (an unaligned min_phys rounds
// up to the next frame) and returns its physical address, or 0 when no free frame lies there: all
// taken, min_phys past the highest managed frame, or an empty allocator. For a caller that needs a
// frame in a given range, e.g. a test of memory above 4 GiB, where frame_alloc would first hand
// out everything below.
//
// It leaves frame_alloc's search where it was: frame_alloc's order and its guarantees above hold
// as before, counting the frames this call hands out among those handed out since frame_init.
//
// Panics if fa is NULL. Time: O(words from min_phys's to the first with a free frame at or above
// it); O(nframes / 64) at worst.
uint64_t frame_alloc_from(struct frame_allocator *fa, uint64_t min_phys);

// Gives the frame at phys back. Returns 0 on success; otherwise changes nothing and returns, in
// this order of checks:
//   E_ALIGN  phys is not 4 KiB aligned.
//   E_RANGE  phys is not a frame this allocator manages: outside the span, or inside it but never
//            usable (the first MiB, a reserved range, the bitmaps, a hole or non-usable entry).
//   E_INVAL  the frame is already free (a double free: every managed frame starts free).
// Panics if fa is NULL. Time: O(1).
int frame_free(struct frame_allocator *fa, uint64_t phys);

// True when phys is the (aligned) address of a managed frame that is currently free; false for
// an allocated frame and for any address frame_free would refuse with E_ALIGN or E_RANGE.
// Panics if fa is NULL. Time: O(1).
bool frame_is_free(const struct frame_allocator *fa, uint64_t phys);

// Managed frames (usable minus the first MiB, the reserved ranges and the bitmaps), and how many
// of them are free. Panics if fa is NULL. Time: O(1).
uint64_t frame_total(const struct frame_allocator *fa);
uint64_t frame_free_count(const struct frame_allocator *fa);

// Checks the allocator's invariants: free frames are managed, the counts match the bitmaps, the
// bitmaps' own frames are not managed, no bit lies past the span, the cursor is inside the
// bitmap. True when all hold. For tests and debug builds. Panics if fa is NULL.
// Time: O(nframes / 64).
bool frame_check(const struct frame_allocator *fa);
