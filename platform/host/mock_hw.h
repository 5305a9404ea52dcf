// Host-side implementation of core/hw.h for the unit tests: every port access is logged, reads are
// answered from per-port scripts, "physical memory" is an arena, and panic() fails the running
// cmocka test (or is caught by expect_assert_failure).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mock_io {
    char dir;      // 'r' for a read, 'w' for a write
    uint8_t width; // 1, 2 or 4 bytes
    uint16_t port;
    uint32_t value; // the value written, or the value the read returned
};

// Forgets the log, the scripts, the defaults, the irq state and the arena.
void mock_hw_reset(void);

// The port log, oldest first.
size_t mock_io_count(void);
const struct mock_io *mock_io_at(size_t index);

// Queues `value` as the answer to the next read of `port` (reads of a port consume its queue in
// order). When a port's queue is empty, a read returns the port's default (see below), or all
// ones (the floating-bus value) when no default was set.
void mock_io_script(uint16_t port, uint32_t value);
void mock_io_default(uint16_t port, uint32_t value);

// Copies the bytes written to `port` (in order, reads skipped) into buf, at most cap of them;
// returns how many writes there were in all.
size_t mock_io_written(uint16_t port, uint8_t *buf, size_t cap);

// Asserts (cmocka) that the log holds exactly these accesses, in order.
void mock_io_assert_log(const struct mock_io *expected, size_t count);

// Makes [base, base + size) of "physical memory" reachable through hw_phys_to_virt, backed by a
// zeroed host buffer that is returned. Replaces any earlier arena.
void *mock_phys_arena(uint64_t base, size_t size);

// Interrupt state as seen through hw_irq_save/hw_irq_restore; starts enabled.
bool mock_irq_enabled(void);

// hw_invlpg calls since the last reset, and the last address flushed.
size_t mock_invlpg_count(void);
uint64_t mock_invlpg_last(void);

// The message of the last panic() (empty when none since the last reset).
const char *mock_panic_message(void);
