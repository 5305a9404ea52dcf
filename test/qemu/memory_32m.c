/*
 * The kernel boots and builds its address space in 32 MiB of RAM.
 *
 * qemu-scenario
 * args: -m 32M
 */
#include "core/frame.h"
#include "core/hw.h"
#include "kernel/ktest.h"
#include "kernel/vm.h"

KTEST(frames_cover_the_small_memory)
{
    uint64_t total = frame_total(vm_frames()) * FRAME_SIZE;
    KT_ASSERT(total > 16ull << 20); // most of the 32 MiB, minus the first MiB, kernel, tables
    KT_ASSERT(total < 32ull << 20);
}

KTEST(every_free_frame_can_be_allocated_and_written)
{
    struct frame_allocator *fa = vm_frames();
    uint64_t n = frame_free_count(fa), got = 0;
    uint64_t first = 0, f;
    // Chain the frames through their first word (in the direct map), then free them all.
    while ((f = frame_alloc(fa)) != 0) {
        *(volatile uint64_t *)hw_phys_to_virt(f, 8) = first;
        first = f;
        got++;
    }
    KT_ASSERT_EQ(got, n);
    while (first != 0) {
        uint64_t next = *(volatile uint64_t *)hw_phys_to_virt(first, 8);
        KT_ASSERT_EQ(frame_free(fa, first), 0);
        first = next;
    }
    KT_ASSERT_EQ(frame_free_count(fa), n);
}
