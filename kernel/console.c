// The kernel console (see console.h).
#include "kernel/console.h"
#include "core/err.h"
#include "core/fbcon.h"
#include "core/fmt.h"
#include "core/hw.h"
#include "core/spinlock.h"
#include "kernel/lockcheck.h"
#include "kernel/vm.h"
#include "platform/x86_64/cpu.h"

#include <stdbool.h>

#define VGA_PHYS    0xb8000
#define SERIAL_BAUD 115200

static struct vga_writer vga;
static struct serial_port com1;
static struct spinlock lock = LOCKCHECK_SPINLOCK("console", LOCK_RANK_CONSOLE);
static uint64_t bytes_written;
static bool serial_mid_line; // the last byte sent to COM1 was not a newline
static struct fbcon fb;
static struct console_screen_info screen = {.kind = CONSOLE_SCREEN_VGA};
static bool picked; // console_pick_screen has run
// What went to the screen before console_pick_screen, redrawn on a framebuffer when one is picked
// (the boot's first lines: "Hello World!" and the banner). Bytes past its size are not kept.
static char early[CONSOLE_EARLY_MAX];
static size_t early_len;

void console_init(void)
{
    vga_init(&vga, hw_phys_to_virt(VGA_PHYS, VGA_COLS * VGA_ROWS * 2));
    // A failed loopback test leaves com1 not ready; serial_write then drops the output.
    (void)serial_init(&com1, SERIAL_COM1, SERIAL_BAUD);
}

// Writes to whichever screen the console has (none: nothing) and, before one is picked, keeps the
// bytes for console_pick_screen. Callers hold the lock.
static void screen_write(const char *s, size_t len)
{
    if (screen.kind == CONSOLE_SCREEN_VGA)
        vga_write(&vga, s, len);
    else if (screen.kind == CONSOLE_SCREEN_FRAMEBUFFER)
        fbcon_write(&fb, s, len);
    for (size_t i = 0; !picked && i < len && early_len < sizeof(early); i++)
        early[early_len++] = s[i];
}

// Writes to COM1 and, when ctx is non-NULL, to the screen; keeps the byte count and whether COM1
// is mid-line. Callers hold the lock.
static void write_locked(void *ctx, const char *s, size_t len)
{
    if (ctx != NULL)
        screen_write(s, len);
    serial_write(&com1, s, len);
    bytes_written += len;
    if (len > 0)
        serial_mid_line = s[len - 1] != '\n';
}

void console_write(const char *s, size_t len)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    write_locked(&vga, s, len);
    spin_unlock_irqrestore(&lock, flags);
}

// Formats under the lock, so lines from different contexts never interleave.
static int print_locked(const struct fmt_sink *sink, const char *fmt, va_list ap)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    int n = fmt_vformat(sink, fmt, ap);
    spin_unlock_irqrestore(&lock, flags);
    return n;
}

static int kvprintf(const char *fmt, va_list ap)
{
    static const struct fmt_sink both = {write_locked, &vga};
    return print_locked(&both, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int kprintf_serial(const char *fmt, ...)
{
    static const struct fmt_sink serial_only = {write_locked, NULL};
    va_list ap;
    va_start(ap, fmt);
    int n = print_locked(&serial_only, fmt, ap);
    va_end(ap);
    return n;
}

static unsigned screen_column(void)
{
    if (screen.kind == CONSOLE_SCREEN_FRAMEBUFFER)
        return fbcon_column(&fb);
    return screen.kind == CONSOLE_SCREEN_VGA ? vga_column(&vga) : 0;
}

static void start_line(bool on_vga)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    if (serial_mid_line)
        serial_write(&com1, "\n", 1);
    serial_mid_line = false;
    if (on_vga && screen_column() != 0)
        screen_write("\n", 1);
    spin_unlock_irqrestore(&lock, flags);
}

void console_start_line(void)
{
    start_line(true);
}

void console_start_line_serial(void)
{
    start_line(false);
}

void console_set_corner(char c)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    if (screen.kind == CONSOLE_SCREEN_VGA)
        vga_put_at(&vga, 0, VGA_COLS - 1, (uint8_t)c);
    else if (screen.kind == CONSOLE_SCREEN_FRAMEBUFFER)
        fbcon_put_at(&fb, 0, fb.cols - 1, (uint8_t)c);
    spin_unlock_irqrestore(&lock, flags);
}

void console_set_color(enum vga_color fg, enum vga_color bg)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    vga_set_color(&vga, fg, bg); // kept on every screen: cheap, and console_vga shows it
    if (screen.kind == CONSOLE_SCREEN_FRAMEBUFFER)
        fbcon_set_color(&fb, fg, bg);
    spin_unlock_irqrestore(&lock, flags);
}

uint64_t console_bytes_written(void)
{
    return __atomic_load_n(&bytes_written, __ATOMIC_RELAXED);
}

bool console_flush_serial(void)
{
    return serial_flush(&com1, SERIAL_FLUSH_POLLS);
}

int console_serial_getc(void)
{
    return serial_getc(&com1);
}

int console_serial_rx_irq(bool on)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    int err = 0;
    if (on)
        err = serial_rx_irq_enable(&com1);
    else
        serial_rx_irq_disable(&com1);
    spin_unlock_irqrestore(&lock, flags);
    return com1.ready ? err : E_IO;
}

void console_edit(const struct le_op *op)
{
    char seq[LE_TERM_BYTES_MAX];
    unsigned long flags = spin_lock_irqsave(&lock);
    switch (op->kind) {
    case LE_OP_TEXT:
        screen_write(op->text, op->len);
        serial_write_raw(&com1, op->text, op->len);
        bytes_written += op->len;
        serial_mid_line = true;
        break;
    case LE_OP_NEWLINE: write_locked(&vga, "\n", 1); break; // COM1 gets CR LF
    default: {
        if (screen.kind == CONSOLE_SCREEN_VGA && op->kind == LE_OP_LEFT)
            vga_cursor_left(&vga, (unsigned)op->len);
        else if (screen.kind == CONSOLE_SCREEN_VGA && op->kind == LE_OP_ERASE)
            vga_erase_to_eol(&vga);
        else if (screen.kind == CONSOLE_SCREEN_FRAMEBUFFER && op->kind == LE_OP_LEFT)
            fbcon_cursor_left(&fb, (unsigned)op->len);
        else if (screen.kind == CONSOLE_SCREEN_FRAMEBUFFER && op->kind == LE_OP_ERASE)
            fbcon_erase_to_eol(&fb);
        size_t n = le_term_bytes(op, seq, sizeof(seq));
        serial_write_raw(&com1, seq, n);
        bytes_written += n;
        break;
    }
    }
    spin_unlock_irqrestore(&lock, flags);
}

// Maps the loader's RGB framebuffer and binds fb to it; 0 or the error of vm_map_framebuffer or
// fbcon_init (with *why saying which).
static int bind_framebuffer(const struct boot_framebuffer *f, const char **why)
{
    struct fbcon_fb desc = {
        .width = f->width,
        .height = f->height,
        .pitch = f->pitch,
        .bpp = f->bpp,
        .red = {f->red.pos, f->red.size},
        .green = {f->green.pos, f->green.size},
        .blue = {f->blue.pos, f->blue.size},
    };
    *why = "cannot map it";
    int err = vm_map_framebuffer(f->addr, (uint64_t)f->pitch * f->height, &desc.base);
    if (err == 0) {
        *why = "cannot draw on it";
        err = fbcon_init(&fb, &desc);
    }
    return err;
}

void console_pick_screen(const struct boot_info *bi)
{
    const struct boot_framebuffer *f = &bi->framebuffer;
    bool efi = bi->efi.system_table_bits != 0 || bi->efi.mmap_entries != 0;
    const char *why = NULL;
    enum console_screen kind = CONSOLE_SCREEN_VGA; // no framebuffer tag on BIOS, or EGA text
    int err = 0;
    if (f->present && f->type == BOOT_FB_RGB) {
        err = bind_framebuffer(f, &why);
        kind = err == 0 ? CONSOLE_SCREEN_FRAMEBUFFER : CONSOLE_SCREEN_NONE;
    } else if (f->present && f->type != BOOT_FB_EGA_TEXT) {
        why = "not RGB";
        kind = CONSOLE_SCREEN_NONE;
    } else if (!f->present && efi) {
        why = "none from a UEFI loader, which has no VGA text mode";
        kind = CONSOLE_SCREEN_NONE;
    }
    unsigned long flags = spin_lock_irqsave(&lock);
    screen.kind = kind;
    picked = true;
    if (kind == CONSOLE_SCREEN_FRAMEBUFFER) {
        uint64_t start = cpu_rdtsc();
        fbcon_write(&fb, early, early_len);
        screen.redraw_cycles = cpu_rdtsc() - start;
        screen.redraw_bytes = early_len;
    }
    spin_unlock_irqrestore(&lock, flags);
    if (kind == CONSOLE_SCREEN_FRAMEBUFFER)
        kprintf("console: framebuffer, %ux%u cells of 8x16 at %#llx, %s\n", fb.cols, fb.rows,
                (unsigned long long)VM_FRAMEBUFFER_BASE,
                vm_info()->pat_wc ? "write-combining (PAT entry 1)" : "uncached (no PAT)");
    else if (kind == CONSOLE_SCREEN_NONE)
        kprintf_serial("console: no screen (framebuffer: %s%s%s): serial only\n", why,
                       err != 0 ? ", " : "", err != 0 ? err_str(err) : "");
}

const struct console_screen_info *console_screen(void)
{
    return &screen;
}

const struct fbcon *console_fbcon(void)
{
    return screen.kind == CONSOLE_SCREEN_FRAMEBUFFER ? &fb : NULL;
}

const struct vga_writer *console_vga(void)
{
    return &vga;
}

void console_break_lock(void)
{
    spin_break(&lock);
}
