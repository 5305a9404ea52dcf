// The one door from core/ to the hardware; platform/x86_64 implements it for the kernel,
// platform/host implements it as recording mocks for the unit tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

// Port I/O. On the host every access is logged and every read is answered from a script
// (see platform/host/mock_hw.h).
uint8_t hw_inb(uint16_t port);
uint16_t hw_inw(uint16_t port);
uint32_t hw_inl(uint16_t port);
void hw_outb(uint16_t port, uint8_t value);
void hw_outw(uint16_t port, uint16_t value);
void hw_outl(uint16_t port, uint32_t value);

// Memory-mapped I/O: one 32-bit register read or write at `addr`, the register's address as the
// CPU sees it (where paging is on, the caller has mapped it uncached). Each is a single access of
// exactly 32 bits, never merged, split, cached or reordered with other hw_* accesses. On the host
// every access is logged and every read answered from a script, as for port I/O.
uint32_t hw_mmio_read32(uintptr_t addr);
void hw_mmio_write32(uintptr_t addr, uint32_t value);

// Returns a pointer through which the `len` bytes of physical memory at `phys` can be read and
// written, or NULL when any byte of that range is not reachable (not in the direct map in the
// kernel, outside the arena on the host) or when phys + len overflows. len 0 is treated as 1.
void *hw_phys_to_virt(uint64_t phys, size_t len);

// Flushes the TLB entry of one virtual address (after unmap or remap).
void hw_invlpg(uint64_t virt);

// Disables interrupts and returns the previous state, to be handed to hw_irq_restore.
unsigned long hw_irq_save(void);
void hw_irq_restore(unsigned long flags);

// Hints a spin-wait loop (pause); a no-op on the host.
void hw_relax(void);
