/*
 * The GRUB ISO boots through the multiboot2 door and hands over GRUB's name, the command line from
 * grub.cfg and a memory map. On BIOS grub.cfg keeps VGA text mode although the header asks for a
 * framebuffer (gfxpayload=text), which GRUB reports as an EGA text framebuffer.
 *
 * qemu-scenario
 * boot: iso
 * timeout: 20
 * cmdline: grub_boot marker=42
 * expect-serial: ^boot: multiboot2, loader "GRUB [^"]+", cmdline "grub_boot marker=42"$
 * expect-serial: ^framebuffer: EGA text 80x25 at 0xb8000$
 */
#include "core/bootinfo.h"
#include "core/string.h"
#include "kernel/kernel.h"
#include "test/qemu/ktest/ktest.h"

KTEST(booted_through_multiboot2)
{
    KT_ASSERT_EQ(kernel_boot_info()->protocol, BOOT_MULTIBOOT2);
}

KTEST(bootloader_is_grub)
{
    KT_ASSERT(strncmp(kernel_boot_info()->bootloader, "GRUB", 4) == 0);
}

KTEST(command_line_comes_from_grub_cfg)
{
    KT_ASSERT_STR_EQ(kernel_boot_info()->cmdline, "grub_boot marker=42");
}

KTEST(memory_map_has_usable_ram_above_1mib)
{
    const struct boot_info *bi = kernel_boot_info();
    uint64_t usable = 0;
    for (size_t i = 0; i < bi->mmap_count; i++) {
        if (bi->mmap[i].type == BOOT_MEM_USABLE && bi->mmap[i].base >= 0x100000)
            usable += bi->mmap[i].length;
    }
    KT_ASSERT(usable >= 64ull << 20); // the runner gives QEMU 128 MiB
}

KTEST(screen_stays_in_vga_text_mode)
{
    const struct boot_framebuffer *fb = &kernel_boot_info()->framebuffer;
    KT_ASSERT(fb->present);
    KT_ASSERT_EQ(fb->type, BOOT_FB_EGA_TEXT);
    KT_ASSERT_EQ(fb->addr, 0xb8000);
    KT_ASSERT_EQ(fb->width, 80);
    KT_ASSERT_EQ(fb->height, 25);
}
