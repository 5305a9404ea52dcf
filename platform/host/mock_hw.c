// Recording mocks behind core/hw.h for host unit tests (see mock_hw.h).
#include "platform/host/mock_hw.h"
#include "core/hw.h"
#include "core/panic.h"
#include "core/spinlock.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define SCRIPT_MAX 4096

// A queued answer: to a read of a port (mmio false) or of a memory-mapped register (mmio true).
struct scripted {
    bool mmio;
    uintptr_t where;
    uint32_t value;
    bool used;
};

struct mmio_default {
    uintptr_t addr;
    uint32_t value;
};

static struct mock_io *io_log; // grows as needed: benchmarks may log millions of accesses
static size_t io_log_len, io_log_cap;
static struct scripted script[SCRIPT_MAX];
static size_t script_len;
static bool has_default[65536];
static uint32_t default_value[65536];
static struct mmio_default mmio_defaults[MOCK_MMIO_DEFAULT_MAX];
static size_t mmio_default_len;
static bool irq_on = true;
static size_t invlpg_count;
static uint64_t invlpg_last;
static uint8_t *arena;
static uint64_t arena_base;
static size_t arena_size;
static char panic_msg[512];
static struct mock_spin_check spin_log[64];
static size_t spin_log_len;

void mock_hw_reset(void)
{
    io_log_len = 0;
    script_len = 0;
    memset(has_default, 0, sizeof(has_default));
    mmio_default_len = 0;
    irq_on = true;
    invlpg_count = 0;
    invlpg_last = 0;
    free(arena);
    arena = NULL;
    arena_base = 0;
    arena_size = 0;
    panic_msg[0] = '\0';
    spin_log_len = 0;
}

static void log_spin_check(bool acquire, const struct lock_class *cls)
{
    if (spin_log_len < sizeof(spin_log) / sizeof(spin_log[0]))
        spin_log[spin_log_len] = (struct mock_spin_check){acquire, cls};
    spin_log_len++;
}

void spin_check_acquire(const struct lock_class *cls)
{
    log_spin_check(true, cls);
}

void spin_check_release(const struct lock_class *cls)
{
    log_spin_check(false, cls);
}

size_t mock_spin_checks(const struct mock_spin_check **log)
{
    *log = spin_log;
    return spin_log_len;
}

static void log_access(char dir, uint8_t width, uintptr_t port, uint32_t value)
{
    if (io_log_len == io_log_cap) {
        io_log_cap = io_log_cap ? 2 * io_log_cap : 4096;
        io_log = realloc(io_log, io_log_cap * sizeof(*io_log));
        assert_non_null(io_log);
    }
    io_log[io_log_len++] = (struct mock_io){dir, width, port, value};
}

size_t mock_io_count(void)
{
    return io_log_len;
}

const struct mock_io *mock_io_at(size_t index)
{
    assert_true(index < io_log_len);
    return &io_log[index];
}

static void add_script(bool mmio, uintptr_t where, uint32_t value)
{
    assert_true(script_len < SCRIPT_MAX);
    script[script_len++] = (struct scripted){mmio, where, value, false};
}

// The oldest unused scripted answer for this port or address, marked used; false when none.
static bool take_script(bool mmio, uintptr_t where, uint32_t *value)
{
    for (size_t i = 0; i < script_len; i++) {
        if (!script[i].used && script[i].mmio == mmio && script[i].where == where) {
            script[i].used = true;
            *value = script[i].value;
            return true;
        }
    }
    return false;
}

void mock_io_script(uint16_t port, uint32_t value)
{
    add_script(false, port, value);
}

void mock_io_default(uint16_t port, uint32_t value)
{
    has_default[port] = true;
    default_value[port] = value;
}

void mock_mmio_script(uintptr_t addr, uint32_t value)
{
    add_script(true, addr, value);
}

void mock_mmio_default(uintptr_t addr, uint32_t value)
{
    for (size_t i = 0; i < mmio_default_len; i++) {
        if (mmio_defaults[i].addr == addr) {
            mmio_defaults[i].value = value;
            return;
        }
    }
    assert_true(mmio_default_len < MOCK_MMIO_DEFAULT_MAX);
    mmio_defaults[mmio_default_len++] = (struct mmio_default){addr, value};
}

static uint32_t read_port(uint16_t port, uint8_t width)
{
    uint32_t mask = width == 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
    uint32_t value = 0xffffffffu;
    if (!take_script(false, port, &value) && has_default[port])
        value = default_value[port];
    value &= mask;
    log_access('r', width, port, value);
    return value;
}

uint8_t hw_inb(uint16_t port)
{
    return (uint8_t)read_port(port, 1);
}

uint16_t hw_inw(uint16_t port)
{
    return (uint16_t)read_port(port, 2);
}

uint32_t hw_inl(uint16_t port)
{
    return read_port(port, 4);
}

void hw_outb(uint16_t port, uint8_t value)
{
    log_access('w', 1, port, value);
}

void hw_outw(uint16_t port, uint16_t value)
{
    log_access('w', 2, port, value);
}

void hw_outl(uint16_t port, uint32_t value)
{
    log_access('w', 4, port, value);
}

uint32_t hw_mmio_read32(uintptr_t addr)
{
    uint32_t value = 0xffffffffu;
    if (!take_script(true, addr, &value)) {
        for (size_t i = 0; i < mmio_default_len; i++) {
            if (mmio_defaults[i].addr == addr) {
                value = mmio_defaults[i].value;
                break;
            }
        }
    }
    log_access('R', 4, addr, value);
    return value;
}

void hw_mmio_write32(uintptr_t addr, uint32_t value)
{
    log_access('W', 4, addr, value);
}

size_t mock_io_written(uint16_t port, uint8_t *buf, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < io_log_len; i++) {
        if (io_log[i].dir == 'w' && io_log[i].port == port) {
            if (n < cap)
                buf[n] = (uint8_t)io_log[i].value;
            n++;
        }
    }
    return n;
}

size_t mock_mmio_written(uintptr_t addr, uint32_t *buf, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < io_log_len; i++) {
        if (io_log[i].dir == 'W' && io_log[i].port == addr) {
            if (n < cap)
                buf[n] = io_log[i].value;
            n++;
        }
    }
    return n;
}

void mock_io_assert_log(const struct mock_io *expected, size_t count)
{
    for (size_t i = 0; i < count && i < io_log_len; i++) {
        const struct mock_io *got = &io_log[i];
        if (got->dir != expected[i].dir || got->width != expected[i].width ||
            got->port != expected[i].port || got->value != expected[i].value) {
            fail_msg("access %zu: expected %c%u 0x%" PRIxPTR "=0x%" PRIx32 ", got %c%u 0x%" PRIxPTR
                     "=0x%" PRIx32,
                     i, expected[i].dir, expected[i].width, expected[i].port, expected[i].value,
                     got->dir, got->width, got->port, got->value);
        }
    }
    assert_int_equal(io_log_len, count);
}

void *mock_phys_arena(uint64_t base, size_t size)
{
    free(arena);
    arena = calloc(1, size);
    assert_non_null(arena);
    arena_base = base;
    arena_size = size;
    return arena;
}

void *hw_phys_to_virt(uint64_t phys, size_t len)
{
    if (len == 0)
        len = 1;
    if (arena == NULL || phys < arena_base)
        return NULL;
    uint64_t off = phys - arena_base;
    if (off > arena_size || len > arena_size - off)
        return NULL;
    return arena + off;
}

void hw_invlpg(uint64_t virt)
{
    invlpg_count++;
    invlpg_last = virt;
}

size_t mock_invlpg_count(void)
{
    return invlpg_count;
}

uint64_t mock_invlpg_last(void)
{
    return invlpg_last;
}

unsigned long hw_irq_save(void)
{
    unsigned long was = irq_on;
    irq_on = false;
    return was;
}

void hw_irq_restore(unsigned long flags)
{
    irq_on = flags != 0;
}

bool mock_irq_enabled(void)
{
    return irq_on;
}

void hw_relax(void) {}

const char *mock_panic_message(void)
{
    return panic_msg;
}

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
    va_end(ap);
    // Inside expect_assert_failure() this jumps back to the test; otherwise it fails the test.
    mock_assert(0, panic_msg, file, line);
    abort();
}
