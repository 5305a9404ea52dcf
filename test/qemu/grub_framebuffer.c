/*
 * On BIOS with `bios-video: framebuffer` the ISO's grub.cfg leaves the header's request alone, so
 * GRUB sets the 1024x768x32 graphics mode through VBE instead of keeping VGA text mode: the
 * multiboot2 framebuffer tag describes it, and the kernel's console draws on its pixels (which the
 * runner reads back from a screendump); serial and the timer work as before.
 *
 * qemu-scenario
 * boot: iso
 * bios-video: framebuffer
 * timeout: 20
 * expect-serial: ^console: framebuffer, 128x48 cells of 8x16 at 0xffffc00000000000, write-combining \(PAT entry 1\)$
 * screen hello: row 11 = "Hello World!"
 * expect-serial: ^framebuffer: 1024x768, 32 bpp RGB \(red 16:8, green 8:8, blue 0:8\), pitch 4096, 3072 KiB at 0x[0-9a-f]+$
 */
#include "core/bootinfo.h"
#include "core/pit.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "platform/x86_64/cpu.h"
#include "test/qemu/ktest/ktest.h"

KTEST(framebuffer_is_the_mode_the_header_asks_for)
{
    const struct boot_info *bi = kernel_boot_info();
    KT_ASSERT_EQ(bi->protocol, BOOT_MULTIBOOT2);
    const struct boot_framebuffer *fb = &bi->framebuffer;
    KT_ASSERT(fb->present);
    KT_ASSERT_EQ(fb->type, BOOT_FB_RGB);
    KT_ASSERT_EQ(fb->width, 1024);
    KT_ASSERT_EQ(fb->height, 768);
    KT_ASSERT_EQ(fb->bpp, 32);
    KT_ASSERT(fb->addr >= 0x100000);            // the linear framebuffer, not 0xb8000
    KT_ASSERT_EQ(bi->efi.system_table_bits, 0); // BIOS: no EFI tags
}

KTEST(pit_ticks)
{
    uint64_t start = pit_ticks();
    while (pit_ticks() < start + 5)
        cpu_halt();
    KT_ASSERT(irq_count(IRQ_TIMER) >= 5);
}

// The console chose the framebuffer over VGA text; the runner finds the boot's first line in its
// pixels.
KTEST(console_draws_on_the_framebuffer)
{
    KT_ASSERT_EQ(console_screen()->kind, CONSOLE_SCREEN_FRAMEBUFFER);
    KT_ASSERT(ktest_host_check_screen("hello"));
}
