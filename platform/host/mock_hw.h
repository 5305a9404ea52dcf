// Host-side implementation of core/hw.h for the unit tests: every port and memory-mapped register
// access is logged in one log, reads are answered from per-port and per-address scripts, "physical
// memory" is an arena, and panic() fails the running cmocka test (or is caught by
// expect_assert_failure).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// One logged access. Port I/O (hw_in*/hw_out*) is 'r' or 'w' with the port in `port`; a
// memory-mapped register access (hw_mmio_read32/hw_mmio_write32) is 'R' or 'W', width 4, with the
// register's address in `port`. The four fields keep the positional form {'w', 1, 0x3f8, 0x41}.
struct mock_io {
    char dir;       // 'r'/'w': a port read/write; 'R'/'W': a memory-mapped read/write
    uint8_t width;  // 1, 2 or 4 bytes (always 4 for 'R'/'W')
    uintptr_t port; // the I/O port, or the register's address for 'R'/'W'
    uint32_t value; // the value written, or the value the read returned
};

// Forgets the log, the scripts, the defaults (ports and addresses), the irq state and the arena.
void mock_hw_reset(void);

// The log of port and memory-mapped accesses, interleaved as they happened, oldest first.
size_t mock_io_count(void);
const struct mock_io *mock_io_at(size_t index);

// Queues `value` as the answer to the next read of `port` (reads of a port consume its queue in
// order). When a port's queue is empty, a read returns the port's default (see below), or all
// ones (the floating-bus value) when no default was set.
void mock_io_script(uint16_t port, uint32_t value);
void mock_io_default(uint16_t port, uint32_t value);

// The same for the memory-mapped register at `addr` (hw_mmio_read32): queued answers first, then
// the address's default, else all ones (0xffffffff, what a read of nothing returns on most buses).
// Ports and addresses are separate: port 0x40 and address 0x40 have scripts of their own. At most
// MOCK_MMIO_DEFAULT_MAX addresses have a default at once (setting one again replaces it); more fail
// the test.
#define MOCK_MMIO_DEFAULT_MAX 64
void mock_mmio_script(uintptr_t addr, uint32_t value);
void mock_mmio_default(uintptr_t addr, uint32_t value);

// Copies the bytes written to `port` (in order, reads skipped) into buf, at most cap of them;
// returns how many writes there were in all.
size_t mock_io_written(uint16_t port, uint8_t *buf, size_t cap);

// The same for the memory-mapped register at `addr`: the 32-bit values written, at most cap.
size_t mock_mmio_written(uintptr_t addr, uint32_t *buf, size_t cap);

// Asserts (cmocka) that the log holds exactly these accesses, in order: direction (which also
// tells ports from memory-mapped registers), width, port or address, and value.
void mock_io_assert_log(const struct mock_io *expected, size_t count);

// Makes [base, base + size) of "physical memory" reachable through hw_phys_to_virt, backed by a
// zeroed host buffer that is returned. Replaces any earlier arena.
void *mock_phys_arena(uint64_t base, size_t size);

// Interrupt state as seen through hw_irq_save/hw_irq_restore; starts enabled.
bool mock_irq_enabled(void);

// hw_invlpg calls since the last reset, and the last address flushed.
size_t mock_invlpg_count(void);
uint64_t mock_invlpg_last(void);

// The calls of core/spinlock.h's lock-order hooks since the last reset: whether it was an acquire,
// and the class. Returns how many there were (the first 64 are kept) and points *log at them.
struct lock_class;
struct mock_spin_check {
    bool acquire;
    const struct lock_class *cls;
};
size_t mock_spin_checks(const struct mock_spin_check **log);

// The message of the last panic() (empty when none since the last reset).
const char *mock_panic_message(void);
