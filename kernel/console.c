// The kernel console (see console.h).
#include "kernel/console.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/hw.h"
#include "core/spinlock.h"

#include <stdbool.h>

#define VGA_PHYS    0xb8000
#define SERIAL_BAUD 115200

static struct vga_writer vga;
static struct serial_port com1;
static struct spinlock lock;
static uint64_t bytes_written;
static bool serial_mid_line; // the last byte sent to COM1 was not a newline

void console_init(void)
{
    vga_init(&vga, hw_phys_to_virt(VGA_PHYS, VGA_COLS * VGA_ROWS * 2));
    // A failed loopback test leaves com1 not ready; serial_write then drops the output.
    (void)serial_init(&com1, SERIAL_COM1, SERIAL_BAUD);
}

// Writes to COM1 and, when ctx is non-NULL (it is then the VGA writer), to the screen; keeps the
// byte count and whether COM1 is mid-line. Callers hold the lock.
static void write_locked(void *ctx, const char *s, size_t len)
{
    struct vga_writer *screen = ctx;
    if (screen != NULL)
        vga_write(screen, s, len);
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

static void start_line(bool on_vga)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    if (serial_mid_line)
        serial_write(&com1, "\n", 1);
    serial_mid_line = false;
    if (on_vga && vga_column(&vga) != 0)
        vga_write(&vga, "\n", 1);
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
    vga_put_at(&vga, 0, VGA_COLS - 1, (uint8_t)c);
    spin_unlock_irqrestore(&lock, flags);
}

void console_set_color(enum vga_color fg, enum vga_color bg)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    vga_set_color(&vga, fg, bg);
    spin_unlock_irqrestore(&lock, flags);
}

uint64_t console_bytes_written(void)
{
    return __atomic_load_n(&bytes_written, __ATOMIC_RELAXED);
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
        vga_write(&vga, op->text, op->len);
        serial_write_raw(&com1, op->text, op->len);
        bytes_written += op->len;
        serial_mid_line = true;
        break;
    case LE_OP_NEWLINE: write_locked(&vga, "\n", 1); break; // COM1 gets CR LF
    default: {
        if (op->kind == LE_OP_LEFT)
            vga_cursor_left(&vga, (unsigned)op->len);
        else if (op->kind == LE_OP_ERASE)
            vga_erase_to_eol(&vga);
        size_t n = le_term_bytes(op, seq, sizeof(seq));
        serial_write_raw(&com1, seq, n);
        bytes_written += n;
        break;
    }
    }
    spin_unlock_irqrestore(&lock, flags);
}

const struct vga_writer *console_vga(void)
{
    return &vga;
}

void console_break_lock(void)
{
    spin_break(&lock);
}
