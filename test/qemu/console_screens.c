/*
 * console_pick_screen's choices on a PVH boot, which has no framebuffer: the kernel picked VGA
 * text. The tests then pick again with boot information made up here: an RGB framebuffer in a
 * RAM frame (one 8x16 cell at 32 bpp, read back), then the screens the console refuses (none
 * from a UEFI loader, an indexed one, one too large to map), each leaving serial alone and said
 * once on serial.
 *
 * qemu-scenario
 * expect-serial: \.\.\.\tconsole: framebuffer, 1x1 cells of 8x16 at 0xffffc00000000000, write-combining \(PAT entry 1\)$
 * expect-serial: \.\.\.\tconsole: no screen \(framebuffer: none from a UEFI loader, which has no VGA text mode\): serial only$
 * expect-serial: \.\.\.\tconsole: no screen \(framebuffer: not RGB\): serial only$
 * expect-serial: \.\.\.\tconsole: no screen \(framebuffer: cannot map it, .*\): serial only$
 */
#include "core/bootinfo.h"
#include "core/hw.h"
#include "core/string.h"
#include "kernel/console.h"
#include "kernel/vm.h"
#include "test/qemu/ktest/ktest.h"

#define CELL_PIXELS (8 * 16)

static struct boot_info bi; // large: not on the stack

KTEST(pvh_boot_keeps_vga_text)
{
    KT_ASSERT_EQ(console_screen()->kind, CONSOLE_SCREEN_VGA);
    KT_ASSERT(console_fbcon() == NULL);
}

// The bits of the cell that are not background (black), one byte per scanline as a font's.
static void cell_bits(const volatile uint32_t *px, uint8_t bits[16])
{
    for (unsigned y = 0; y < 16; y++) {
        bits[y] = 0;
        for (unsigned x = 0; x < 8; x++)
            bits[y] |= (uint8_t)((px[y * 8 + x] != 0) << (7 - x));
    }
}

KTEST(an_rgb_framebuffer_becomes_the_screen)
{
    uint64_t frame = vm_frame_alloc();
    KT_ASSERT(frame != 0);
    memset(&bi, 0, sizeof(bi));
    bi.framebuffer = (struct boot_framebuffer){.present = true,
                                               .bpp = 32,
                                               .type = BOOT_FB_RGB,
                                               .pitch = 32,
                                               .width = 8,
                                               .height = 16,
                                               .addr = frame,
                                               .red = {16, 8},
                                               .green = {8, 8},
                                               .blue = {0, 8}};
    console_pick_screen(&bi);
    KT_ASSERT_EQ(console_screen()->kind, CONSOLE_SCREEN_FRAMEBUFFER);
    const struct fbcon *fb = console_fbcon();
    KT_ASSERT(fb != NULL);
    KT_ASSERT_EQ(fb->cols, 1);
    const volatile uint32_t *px = hw_phys_to_virt(frame, CELL_PIXELS * 4);
    uint8_t a[16], b[16], corner[16];

    console_write("\nA", 2); // the one cell shows A, cursor under it (the row is full)
    cell_bits(px, a);
    console_write("\nB", 2);
    cell_bits(px, b);
    KT_ASSERT(memcmp(a, b, sizeof(a)) != 0);
    console_set_corner('A'); // the heartbeat's cell is the same one here: A again, no cursor
    cell_bits(px, corner);
    KT_ASSERT(memcmp(a + 0, corner + 0, 13) == 0); // rows 13-15 hold the cursor in `a`

    console_set_color(VGA_LIGHT_RED, VGA_BLUE);
    console_write("\n", 1); // the row blanked in the new background: blue
    KT_ASSERT_EQ(px[0], 0x0000aau);
    console_set_color(VGA_LIGHT_GRAY, VGA_BLACK);
    struct le_op text = {.kind = LE_OP_TEXT, .text = "C", .len = 1};
    struct le_op left = {.kind = LE_OP_LEFT, .len = 1};
    struct le_op erase = {.kind = LE_OP_ERASE};
    console_edit(&text);
    console_edit(&left);
    console_edit(&erase); // blanks C in black: only the cursor's rows stay lit
    cell_bits(px, a);
    for (unsigned y = 0; y < 13; y++)
        KT_ASSERT_EQ(a[y], 0);
    console_start_line();
    console_write("\n", 1);
}

KTEST(no_framebuffer_from_uefi_is_serial_only)
{
    memset(&bi, 0, sizeof(bi));
    bi.efi.system_table_bits = 64;
    console_pick_screen(&bi);
    KT_ASSERT_EQ(console_screen()->kind, CONSOLE_SCREEN_NONE);
    KT_ASSERT(console_fbcon() == NULL);
    uint16_t before[VGA_COLS];
    const struct vga_writer *vga = console_vga();
    for (unsigned c = 0; c < VGA_COLS; c++)
        before[c] = vga->cells[(VGA_ROWS - 1) * VGA_COLS + c];
    kprintf("serial only now\n");
    console_set_corner('*');
    console_start_line();
    for (unsigned c = 0; c < VGA_COLS; c++)
        KT_ASSERT_EQ(vga->cells[(VGA_ROWS - 1) * VGA_COLS + c], before[c]);
}

KTEST(an_indexed_framebuffer_is_not_drawn_on)
{
    memset(&bi, 0, sizeof(bi));
    bi.framebuffer = (struct boot_framebuffer){
        .present = true, .bpp = 8, .type = BOOT_FB_INDEXED, .pitch = 8, .width = 8, .height = 16};
    console_pick_screen(&bi);
    KT_ASSERT_EQ(console_screen()->kind, CONSOLE_SCREEN_NONE);
}

KTEST(a_framebuffer_too_large_to_map_is_not_drawn_on)
{
    memset(&bi, 0, sizeof(bi));
    bi.framebuffer = (struct boot_framebuffer){.present = true,
                                               .bpp = 32,
                                               .type = BOOT_FB_RGB,
                                               .pitch = 0x10000000,
                                               .width = 8,
                                               .height = 16,
                                               .addr = 0x100000000ull,
                                               .red = {16, 8},
                                               .green = {8, 8},
                                               .blue = {0, 8}};
    console_pick_screen(&bi);
    KT_ASSERT_EQ(console_screen()->kind, CONSOLE_SCREEN_NONE);
    KT_ASSERT_EQ(vm_map_framebuffer(0x1000, 0, &(void *){NULL}), E_RANGE);
}
