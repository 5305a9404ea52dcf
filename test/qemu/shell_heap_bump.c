/*
 * The shell's heap commands on the bump design in a small heap: `heap bench` runs the heap out of
 * memory and says how many allocations failed; the heap is still sound after it.
 *
 * qemu-scenario
 * cmdline: alloc=bump heap_max=256
 * expect-serial: heap: bump, 100 KiB mapped at 0xffffa00000000000, grows to 256 KiB$
 * expect-serial: ^heap bench: bump, small churn \(1000 live, 8-128 B\), seed 0x7$
 * expect-serial: ^  \d+ allocations failed \(out of memory\)$
 * expect-serial: ^heap check: ok \(bump\)$
 */
#include "kernel/shell.h"
#include "test/qemu/ktest/ktest.h"

KTEST(bench_runs_a_small_bump_heap_out_of_memory)
{
    KT_ASSERT_EQ(shell_execute("heap"), 0);
    KT_ASSERT_EQ(shell_execute("heap bench 20000 7"), 0);
    KT_ASSERT_EQ(shell_execute("heap check"), 0);
}
