// The firmware console (see console.h).
#include "platform/cortex_m/console.h"
#include "core/cmsdk_uart.h"
#include "core/fmt.h"
#include "core/spinlock.h"
#include "platform/cortex_m/board.h"

#include <stdbool.h>

static struct cmsdk_uart uart;
static struct spinlock lock;
static uint64_t bytes_written; // under the lock
static bool mid_line;          // the last byte sent was not a newline

void console_init(void)
{
    // On failure uart.ready stays false and cmsdk_uart_write drops the output.
    (void)cmsdk_uart_init(&uart, CM_UART0_BASE, cm_board.sysclk_hz, CM_UART_BAUD);
}

// The sink's write: to the UART, counting. Callers hold the lock.
static void write_locked(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    cmsdk_uart_write(&uart, s, len);
    bytes_written += len;
    if (len > 0)
        mid_line = s[len - 1] != '\n';
}

void console_write(const char *s, size_t len)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    write_locked(NULL, s, len);
    spin_unlock_irqrestore(&lock, flags);
}

// Formats under the lock, so lines from different contexts never interleave.
int kprintf(const char *fmt, ...)
{
    static const struct fmt_sink sink = {write_locked, NULL};
    va_list ap;
    va_start(ap, fmt);
    unsigned long flags = spin_lock_irqsave(&lock);
    int n = fmt_vformat(&sink, fmt, ap);
    spin_unlock_irqrestore(&lock, flags);
    va_end(ap);
    return n;
}

void console_start_line(void)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    if (mid_line)
        cmsdk_uart_write(&uart, "\n", 1); // not counted: it only ends what was printed
    mid_line = false;
    spin_unlock_irqrestore(&lock, flags);
}

uint64_t console_bytes_written(void)
{
    // 64 bits cannot be read in one access here: read under the lock.
    unsigned long flags = spin_lock_irqsave(&lock);
    uint64_t n = bytes_written;
    spin_unlock_irqrestore(&lock, flags);
    return n;
}

int console_getc(void)
{
    unsigned long flags = spin_lock_irqsave(&lock);
    int c = cmsdk_uart_getc(&uart);
    spin_unlock_irqrestore(&lock, flags);
    return c;
}

void console_break_lock(void)
{
    spin_break(&lock);
}
