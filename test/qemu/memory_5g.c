/*
 * With 5 GiB of RAM, memory above 4 GiB is in the direct map and its frames are usable; on a CPU
 * with 1 GiB pages (-cpu max) the direct map uses them.
 *
 * qemu-scenario
 * args: -m 5G -cpu max
 */
#include "core/frame.h"
#include "core/hw.h"
#include "core/paging.h"
#include "kernel/kernel.h"
#include "kernel/vm.h"
#include "test/qemu/ktest/ktest.h"

#define GIB (1ull << 30)

KTEST(direct_map_uses_1_gib_pages)
{
    KT_ASSERT_EQ(vm_info()->direct_page, PAGE_SIZE_1G);
}

KTEST(direct_map_covers_all_memory)
{
    KT_ASSERT(vm_info()->phys_mapped >= 5 * GIB);
    uint64_t total;
    vm_frame_counts(NULL, &total);
    KT_ASSERT(total * FRAME_SIZE > 4 * GIB);
}

// The first whole frame of usable RAM at or above 4 GiB in the boot memory map; 0 when none.
static uint64_t first_frame_above_4_gib(void)
{
    const struct boot_info *bi = kernel_boot_info();
    uint64_t first = 0;
    for (size_t i = 0; i < bi->mmap_count; i++) {
        const struct boot_mmap_entry *e = &bi->mmap[i];
        uint64_t start = e->base > 4 * GIB ? e->base : 4 * GIB;
        start = (start + FRAME_SIZE - 1) & ~(uint64_t)(FRAME_SIZE - 1);
        if (e->type == BOOT_MEM_USABLE && start + FRAME_SIZE <= e->base + e->length &&
            (first == 0 || start < first))
            first = start;
    }
    return first;
}

// Nothing has taken memory above 4 GiB yet (frame_alloc goes bottom-up through the 3 GiB below),
// so the frame allocator hands out the memory map's first frame there; it holds what is written
// to it through the direct map, at the virtual address the kernel's page table maps to it.
KTEST(a_frame_above_4_gib_is_usable)
{
    uint64_t expect = first_frame_above_4_gib(), free_before, free_now;
    KT_ASSERT(expect != 0);
    vm_frame_counts(&free_before, NULL);
    uint64_t f = vm_frame_alloc_from(4 * GIB);
    KT_ASSERT_EQ(f, expect);
    vm_frame_counts(&free_now, NULL);
    KT_ASSERT_EQ(free_now, free_before - 1);
    volatile uint64_t *p = hw_phys_to_virt(f, FRAME_SIZE);
    KT_ASSERT(p != NULL);
    struct pt_translation t;
    KT_ASSERT_EQ(vm_translate((uint64_t)(uintptr_t)p, &t), 0);
    KT_ASSERT_EQ(t.phys, f);
    for (uint64_t i = 0; i < FRAME_SIZE / 8; i++)
        p[i] = f ^ (i * 0x9e3779b97f4a7c15ull);
    for (uint64_t i = 0; i < FRAME_SIZE / 8; i++)
        KT_ASSERT_EQ(p[i], f ^ (i * 0x9e3779b97f4a7c15ull));
    KT_ASSERT_EQ(vm_frame_free(f), 0);
    vm_frame_counts(&free_now, NULL);
    KT_ASSERT_EQ(free_now, free_before);
}
