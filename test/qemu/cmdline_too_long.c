/*
 * A command line past the kernel's 4096-byte limit still boots: it is cut where a word ends, the
 * cut is reported, and what was kept is applied (alloc=bump) while the dropped last word
 * (timer_hz=50) is not. 4120 bytes, because QEMU 7.2's PVH loader itself holds no more than 4127
 * (docs/design.md); cmdline_grub_long goes far beyond through GRUB.
 *
 * qemu-scenario
 * cmdline: alloc=bump timer_hz=50
 * cmdline-length: 4120
 * expect-serial: ^WARNING: command line longer than 4096 bytes: its last 30 bytes were dropped$
 */
#include "core/bootinfo.h"
#include "core/pit.h"
#include "core/string.h"
#include "kernel/heap.h"
#include "kernel/kernel.h"
#include "test/qemu/ktest/ktest.h"

static const char *last_word(const char *s)
{
    const char *word = s;
    for (; *s != '\0'; s++)
        word = *s == ' ' ? s + 1 : word;
    return word;
}

KTEST(the_line_is_cut_where_a_word_ends)
{
    const struct boot_info *bi = kernel_boot_info();
    size_t kept = strlen(bi->cmdline);
    KT_ASSERT(kept <= BOOTINFO_CMDLINE_LIMIT);
    KT_ASSERT_EQ(kept + bi->cmdline_dropped, 4120);
    // The last word kept is a whole filler word ("pad00254=xxxxxx").
    const char *last = last_word(bi->cmdline);
    KT_ASSERT_EQ(strlen(last), 15);
    KT_ASSERT(strncmp(last, "pad", 3) == 0);
}

KTEST(what_was_kept_is_applied)
{
    KT_ASSERT_STR_EQ(heap_design(), "bump");
}

KTEST(the_dropped_last_word_is_not)
{
    KT_ASSERT_EQ(pit_divisor(), (PIT_BASE_HZ + PIT_DEFAULT_HZ / 2) / PIT_DEFAULT_HZ);
}
