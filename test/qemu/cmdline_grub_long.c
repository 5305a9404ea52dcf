/*
 * Far past the limit through the multiboot2 door: GRUB hands over a 6000-byte command line, the
 * kernel keeps 4096 bytes or fewer, cut where a word ends, reports the cut and boots.
 *
 * qemu-scenario
 * boot: iso
 * timeout: 20
 * cmdline: alloc=bump timer_hz=50
 * cmdline-length: 6000
 * expect-serial: ^WARNING: command line longer than 4096 bytes: its last \d+ bytes were dropped$
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

KTEST(booted_through_multiboot2)
{
    KT_ASSERT_EQ(kernel_boot_info()->protocol, BOOT_MULTIBOOT2);
}

KTEST(the_line_is_cut_where_a_word_ends)
{
    const struct boot_info *bi = kernel_boot_info();
    size_t kept = strlen(bi->cmdline);
    KT_ASSERT(kept <= BOOTINFO_CMDLINE_LIMIT);
    KT_ASSERT_EQ(kept + bi->cmdline_dropped, 6000);
    const char *last = last_word(bi->cmdline);
    KT_ASSERT_EQ(strlen(last), 15);
}

KTEST(what_was_kept_is_applied_and_the_dropped_end_is_not)
{
    KT_ASSERT_STR_EQ(heap_design(), "bump");
    KT_ASSERT_EQ(pit_divisor(), (PIT_BASE_HZ + PIT_DEFAULT_HZ / 2) / PIT_DEFAULT_HZ);
}
