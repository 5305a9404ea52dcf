/*
 * Printing works before any other initialisation, and the boot banner reports the PVH door.
 *
 * qemu-scenario
 * cmdline: basic_boot marker=7
 * expect-serial: ^Hello World!$
 * expect-serial: ^boot: PVH, cmdline "basic_boot marker=7"$
 */
#include "core/bootinfo.h"
#include "core/vga.h"
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "test/qemu/ktest/ktest.h"

KTEST_EARLY(hello_world_is_on_the_screen)
{
    char row[VGA_COLS + 1];
    vga_row_text(console_vga(), VGA_ROWS - 2, row, sizeof(row));
    KT_ASSERT_STR_EQ(row, "Hello World!");
}

// Runs right after the console is up: nothing else (boot info, later GDT/IDT/memory) is set up.
KTEST_EARLY(println_before_any_init)
{
    uint64_t before = console_bytes_written();
    kprintf("basic_boot: printed before init\n");
    KT_ASSERT(console_bytes_written() > before);
    char row[VGA_COLS + 1];
    vga_row_text(console_vga(), VGA_ROWS - 2, row, sizeof(row));
    KT_ASSERT_STR_EQ(row, "basic_boot: printed before init");
}

KTEST(boot_info_says_pvh_with_the_command_line)
{
    const struct boot_info *bi = kernel_boot_info();
    KT_ASSERT_EQ(bi->protocol, BOOT_PVH);
    KT_ASSERT_STR_EQ(bi->cmdline, "basic_boot marker=7");
    KT_ASSERT(bi->mmap_count > 0);
}
