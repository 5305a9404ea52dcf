/*
 * The kernel boots and builds its address space in 32 MiB of RAM.
 *
 * qemu-scenario
 * args: -m 32M
 */
#include "core/frame.h"
#include "core/hw.h"
#include "kernel/vm.h"
#include "test/qemu/ktest/ktest.h"

KTEST(frames_cover_the_small_memory)
{
    uint64_t total;
    vm_frame_counts(NULL, &total);
    total *= FRAME_SIZE;
    KT_ASSERT(total > 16ull << 20); // most of the 32 MiB, minus the first MiB, kernel, tables
    KT_ASSERT(total < 32ull << 20);
}

KTEST(every_free_frame_can_be_allocated_and_written)
{
    uint64_t n, got = 0;
    vm_frame_counts(&n, NULL);
    uint64_t first = 0, f;
    // Chain the frames through their first word (in the direct map), then free them all.
    while ((f = vm_frame_alloc()) != 0) {
        *(volatile uint64_t *)hw_phys_to_virt(f, 8) = first;
        first = f;
        got++;
    }
    KT_ASSERT_EQ(got, n);
    while (first != 0) {
        uint64_t next = *(volatile uint64_t *)hw_phys_to_virt(first, 8);
        KT_ASSERT_EQ(vm_frame_free(first), 0);
        first = next;
    }
    uint64_t after;
    vm_frame_counts(&after, NULL);
    KT_ASSERT_EQ(after, n);
}
