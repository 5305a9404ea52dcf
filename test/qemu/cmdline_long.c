/*
 * A 3000-byte command line is kept whole: its last word (timer_hz=50) is applied, and a key given
 * twice takes its last value (alloc, timer_hz), with a warning naming the value used. The filler
 * words are unknown to the kernel: the first eight are named, the rest counted in one line.
 *
 * qemu-scenario
 * cmdline: alloc=bump timer_hz=20 alloc=linked_list timer_hz=50
 * cmdline-length: 3000
 * expect-serial: ^WARNING: alloc given 2 times; using the last, "alloc=linked_list"$
 * expect-serial: ^WARNING: timer_hz given 2 times; using the last, "timer_hz=50"$
 * expect-serial: ^WARNING: unknown command-line word "pad00007=xxxxxx" ignored$
 * expect-serial: ^WARNING: 176 more unknown command-line words ignored$
 */
#include "core/bootinfo.h"
#include "core/pit.h"
#include "core/string.h"
#include "kernel/heap.h"
#include "kernel/kernel.h"
#include "test/qemu/ktest/ktest.h"

KTEST(the_whole_line_is_kept)
{
    KT_ASSERT_EQ(strlen(kernel_boot_info()->cmdline), 3000);
    KT_ASSERT_EQ(kernel_boot_info()->cmdline_dropped, 0);
}

KTEST(the_last_word_is_applied)
{
    KT_ASSERT_EQ(pit_divisor(), (PIT_BASE_HZ + 25) / 50);
}

KTEST(a_repeated_key_takes_its_last_value)
{
    KT_ASSERT_STR_EQ(heap_design(), "linked_list");
}
