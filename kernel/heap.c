// The kernel heap (see heap.h).
#include "kernel/heap.h"
#include "core/alloc/bump.h"
#include "core/alloc/fixed_block.h"
#include "core/alloc/linked_list.h"
#include "core/cmdline.h"
#include "core/err.h"
#include "core/panic.h"
#include "core/string.h"
#include "kernel/console.h"
#include "kernel/vm.h"

#define PAGE     4096ull
#define HEADER   16u // kmalloc's size header, keeping 16-byte alignment
#define MIN_GROW (64 * 1024)

static union {
    struct bump_heap bump;
    struct ll_heap ll;
    struct fsb_heap fsb;
} heaps;
static struct allocator *heap;
static size_t mapped, limit;

// Maps `bytes` (whole pages) at the end of the heap; on failure unmaps what it mapped.
static int map_more(size_t bytes)
{
    uint64_t nx = vm_info()->nx ? PTE_NX : 0;
    for (size_t off = 0; off < bytes; off += PAGE) {
        uint64_t frame = frame_alloc(vm_frames());
        int err = frame == 0 ? E_NOMEM
                             : pt_map(vm_kernel_table(), HEAP_START + mapped + off, frame,
                                      PAGE_SIZE_4K, PTE_WRITABLE | PTE_GLOBAL | nx);
        if (err != 0) {
            if (frame != 0)
                frame_free(vm_frames(), frame);
            for (size_t undo = 0; undo < off; undo += PAGE) {
                uint64_t phys;
                if (pt_unmap(vm_kernel_table(), HEAP_START + mapped + undo, &phys) == 0)
                    frame_free(vm_frames(), phys);
            }
            return err;
        }
    }
    mapped += bytes;
    return 0;
}

static size_t parse_limit(const char *cmdline)
{
    uint32_t kib;
    int err = cmdline_get_u32(cmdline, "heap_max", &kib);
    if (err == E_NOENT)
        return HEAP_DEFAULT_MAX;
    if (err != 0) {
        kprintf("WARNING: heap_max: %s; using %llu KiB\n", err_str(err),
                (unsigned long long)(HEAP_DEFAULT_MAX >> 10));
        return HEAP_DEFAULT_MAX;
    }
    if ((uint64_t)kib * 1024 < HEAP_INITIAL_SIZE) {
        kprintf("WARNING: heap_max must be at least %u KiB; using %llu KiB\n",
                HEAP_INITIAL_SIZE / 1024, (unsigned long long)(HEAP_DEFAULT_MAX >> 10));
        return HEAP_DEFAULT_MAX;
    }
    return (size_t)kib * 1024;
}

static struct allocator *start_design(const char *name, void *region, size_t size)
{
    if (strcmp(name, "bump") == 0) {
        KASSERT(bump_init(&heaps.bump, region, size) == 0);
        return &heaps.bump.base;
    }
    if (strcmp(name, "linked_list") == 0) {
        KASSERT(ll_init(&heaps.ll, region, size) == 0);
        return &heaps.ll.base;
    }
    KASSERT(fsb_init(&heaps.fsb, region, size) == 0);
    return &heaps.fsb.base;
}

static bool is_design(const char *name)
{
    return strcmp(name, "bump") == 0 || strcmp(name, "linked_list") == 0 ||
           strcmp(name, "fixed_block") == 0;
}

void heap_init(const char *cmdline)
{
    char name[16];
    int n = cmdline_get(cmdline, "alloc", name, sizeof(name));
    if (n == E_NOENT) {
        memcpy(name, "fixed_block", sizeof("fixed_block"));
    } else if (n < 0 || !is_design(name)) {
        kprintf("WARNING: alloc=%s is not a design (bump, linked_list, fixed_block); using "
                "fixed_block\n",
                name);
        memcpy(name, "fixed_block", sizeof("fixed_block"));
    }
    limit = parse_limit(cmdline);
    size_t initial = (HEAP_INITIAL_SIZE + PAGE - 1) & ~(PAGE - 1);
    if (map_more(initial) != 0)
        panic("heap_init: no memory for the initial %zu-byte heap", initial);
    heap = start_design(name, (void *)HEAP_START, initial);
}

// Maps enough for a request of size/align and hands it to the design; false when at the limit
// or out of frames.
static bool grow_for(size_t size, size_t align)
{
    size_t want = size + align + HEADER + 64; // what the design may need around the block
    if (want < size)
        return false;
    want = want < MIN_GROW ? MIN_GROW : want;
    want = (want + PAGE - 1) & ~(PAGE - 1);
    if (want > limit - mapped)
        want = (limit - mapped) & ~(PAGE - 1);
    if (want == 0 || map_more(want) != 0)
        return false;
    return alloc_grow(heap, want) == 0;
}

void *heap_alloc(size_t size, size_t align)
{
    KASSERT(heap != NULL);
    void *p = alloc_alloc(heap, size, align);
    while (p == NULL && size != 0 && alloc_align_ok(align) && grow_for(size, align))
        p = alloc_alloc(heap, size, align);
    return p;
}

int heap_free(void *ptr, size_t size, size_t align)
{
    KASSERT(heap != NULL);
    return alloc_free(heap, ptr, size, align);
}

void *kmalloc(size_t size)
{
    if (size == 0 || size > SIZE_MAX - HEADER)
        return NULL;
    uint8_t *block = heap_alloc(size + HEADER, HEADER);
    if (block == NULL)
        return NULL;
    *(size_t *)block = size;
    return block + HEADER;
}

void kfree(void *ptr)
{
    if (ptr == NULL)
        return;
    uint8_t *block = (uint8_t *)ptr - HEADER;
    int err = heap_free(block, *(size_t *)block + HEADER, HEADER);
    if (err != 0)
        kprintf("WARNING: kfree(%p): %s\n", ptr, err_str(err));
}

const struct allocator *heap_allocator(void)
{
    return heap;
}

size_t heap_mapped(void)
{
    return mapped;
}

size_t heap_limit(void)
{
    return limit;
}
