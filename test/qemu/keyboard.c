/*
 * Keys typed through QMP reach the PS/2 IRQ handler, are decoded and echoed on serial and on the
 * VGA screen: lower and upper case, digits, a shifted symbol, Backspace and Enter.
 *
 * qemu-scenario
 * expect-serial: ^Hello World 42!\x08 \x08X$
 * screen typed_line: row 23 = "Hello World 42X"
 * screen typed_line: row 24 = ""
 */
#include "kernel/keyboard.h"
#include "core/vga.h"
#include "kernel/console.h"
#include "kernel/ktest.h"
#include "platform/x86_64/cpu.h"

// Echoes queued keys until `events` key events were seen or the keyboard stays quiet for 50
// timer ticks' worth of halts.
static unsigned echo_until(unsigned events)
{
    unsigned seen = 0, idle = 0;
    while (seen < events && idle < 50) {
        unsigned n = keyboard_echo_pending();
        seen += n;
        idle = n ? 0 : idle + 1;
        if (n == 0)
            cpu_halt();
    }
    return seen;
}

KTEST(typed_keys_are_echoed)
{
    kprintf("\n");
    KT_ASSERT(ktest_host_type("Hello World 42!\bX\n"));
    // Press and release of 14 plain keys, and shift down, key down, key up, shift up for H, W,
    // ! and X: 14 * 2 + 4 * 4 = 44 key events.
    unsigned seen = echo_until(44);
    KT_ASSERT_EQ(seen, 44);
    char row[VGA_COLS + 1];
    vga_row_text(console_vga(), VGA_ROWS - 2, row, sizeof(row));
    KT_ASSERT_STR_EQ(row, "Hello World 42X");
    KT_ASSERT_EQ(keyboard_dropped(), 0);
    KT_ASSERT(ktest_host_check_screen("typed_line"));
}
