/*
 * The hybrid ISO boots under UEFI firmware (OVMF): GRUB's x86_64-efi half loads the kernel through
 * the multiboot2 door with the graphics mode the header asks for (UEFI has no VGA text mode), the
 * EFI system table and memory map, boot services exited; the banner shows them on serial.
 *
 * qemu-scenario
 * boot: uefi
 * cmdline: uefi_boot marker=3
 * expect-serial: ^Hello World!$
 * expect-serial: ^boot: multiboot2, loader "GRUB [^"]+", cmdline "uefi_boot marker=3"$
 * expect-serial: ^framebuffer: 1024x768, 32 bpp RGB \(red 16:8, green 8:8, blue 0:8\), pitch 4096, 3072 KiB at 0x[0-9a-f]+$
 * expect-serial: ^console: framebuffer, 128x48 cells of 8x16 at 0xffffc00000000000, write-combining \(PAT entry 1\)$
 * expect-serial: ^paging: .* uncached \(not RAM\), PAT entry 1 write-combining$
 * screen hello: row 7 = "Hello World!"
 * screen hello: row 8 = "boot: multiboot2, loader \"GRUB 2.06-13+deb12u2\", cmdline \"uefi_boot marker=3\""
 * expect-serial: ^efi: system table at 0x[0-9a-f]+ \(64-bit\), memory map of [1-9][0-9]* descriptors, boot services exited$
 */
#include "core/bootinfo.h"
#include "core/hw.h"
#include "core/string.h"
#include "kernel/bench.h"
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "kernel/vm.h"
#include "test/qemu/ktest/ktest.h"

#define EFI_SYSTEM_TABLE_SIGNATURE 0x5453595320494249ull // "IBI SYST" (UEFI spec 4.3)

KTEST(booted_through_multiboot2_by_grub)
{
    const struct boot_info *bi = kernel_boot_info();
    KT_ASSERT_EQ(bi->protocol, BOOT_MULTIBOOT2);
    KT_ASSERT(strncmp(bi->bootloader, "GRUB", 4) == 0);
    KT_ASSERT_STR_EQ(bi->cmdline, "uefi_boot marker=3");
}

KTEST(framebuffer_is_the_mode_the_header_asks_for)
{
    const struct boot_framebuffer *fb = &kernel_boot_info()->framebuffer;
    KT_ASSERT(fb->present);
    KT_ASSERT_EQ(fb->type, BOOT_FB_RGB);
    KT_ASSERT_EQ(fb->width, 1024);
    KT_ASSERT_EQ(fb->height, 768);
    KT_ASSERT_EQ(fb->bpp, 32);
    KT_ASSERT(fb->pitch >= 1024 * 4);
    // OVMF's GOP: blue in the low byte, then green, then red (PixelBlueGreenRedReserved8BitPerColor).
    KT_ASSERT_EQ(fb->red.pos, 16);
    KT_ASSERT_EQ(fb->green.pos, 8);
    KT_ASSERT_EQ(fb->blue.pos, 0);
    KT_ASSERT_EQ(fb->red.size, 8);
    KT_ASSERT_EQ(fb->green.size, 8);
    KT_ASSERT_EQ(fb->blue.size, 8);
}

// The framebuffer is memory the kernel reaches: through the direct map (below 4 GiB), a pixel
// written reads back.
KTEST(framebuffer_is_reachable)
{
    const struct boot_framebuffer *fb = &kernel_boot_info()->framebuffer;
    volatile uint32_t *last =
        hw_phys_to_virt(fb->addr + (uint64_t)fb->pitch * (fb->height - 1), fb->pitch);
    KT_ASSERT(last != NULL);
    last[fb->width - 1] = 0x00ff8000u;
    KT_ASSERT_EQ(last[fb->width - 1], 0x00ff8000u);
}

KTEST(efi_system_table_is_given_and_signed)
{
    const struct boot_efi *efi = &kernel_boot_info()->efi;
    KT_ASSERT_EQ(efi->system_table_bits, 64);
    const uint64_t *table = hw_phys_to_virt(efi->system_table, sizeof(uint64_t));
    KT_ASSERT(table != NULL);
    KT_ASSERT_EQ(*table, EFI_SYSTEM_TABLE_SIGNATURE);
    KT_ASSERT(!efi->boot_services); // GRUB called ExitBootServices
}

// GRUB gives both memory maps: the multiboot one (tag 6) is used, the EFI one (tag 17) counted.
KTEST(memory_map_has_usable_ram_above_1mib)
{
    const struct boot_info *bi = kernel_boot_info();
    KT_ASSERT(bi->efi.mmap_entries > 0);
    KT_ASSERT(!bi->efi.mmap_used);
    uint64_t usable = 0;
    for (size_t i = 0; i < bi->mmap_count; i++) {
        if (bi->mmap[i].type == BOOT_MEM_USABLE && bi->mmap[i].base >= 0x100000)
            usable += bi->mmap[i].length;
    }
    KT_ASSERT(usable >= 64ull << 20); // the runner gives QEMU 128 MiB; OVMF keeps some
}

// The console draws on the framebuffer, mapped write-combining at its own address; the runner
// reads the pixels back (a screendump, decoded against the font) and finds the boot's first line.
KTEST(console_draws_on_the_framebuffer)
{
    const struct console_screen_info *screen = console_screen();
    KT_ASSERT_EQ(screen->kind, CONSOLE_SCREEN_FRAMEBUFFER);
    const struct fbcon *fb = console_fbcon();
    KT_ASSERT(fb != NULL);
    KT_ASSERT_EQ(fb->cols, 128);
    KT_ASSERT_EQ(fb->rows, 48);
    struct pt_translation t;
    KT_ASSERT_EQ(vm_translate(VM_FRAMEBUFFER_BASE, &t), 0);
    KT_ASSERT_EQ(t.phys, kernel_boot_info()->framebuffer.addr);
    KT_ASSERT(t.flags & PTE_NX);
    KT_ASSERT_EQ(t.flags & (PTE_WRITE_THROUGH | PTE_CACHE_DISABLE), PTE_WRITE_THROUGH); // WC
    uint64_t khz = bench_tsc_khz();
    KT_ASSERT(khz > 0 && screen->redraw_bytes > 0);
    kprintf("fbcon: the first %llu bytes redrawn in %llu cycles, %llu ns per byte\n",
            (unsigned long long)screen->redraw_bytes, (unsigned long long)screen->redraw_cycles,
            (unsigned long long)(screen->redraw_cycles * 1000000 / khz / screen->redraw_bytes));
    KT_ASSERT(ktest_host_check_screen("hello"));
}
