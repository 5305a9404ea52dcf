// The firmware's implementation of core/hw.h: memory-mapped registers as volatile 32-bit
// accesses, the interrupt mask as PRIMASK, physical memory as the board's RAMs (no MMU: an
// address is its own), and no port I/O, which the machine does not have.
#include "core/hw.h"
#include "core/panic.h"
#include "core/spinlock.h"
#include "platform/cortex_m/board.h"

// ARMv7-M has no I/O ports: a core/ module that reaches for one on this machine is a bug.
uint8_t hw_inb(uint16_t port)
{
    panic("hw_inb(%#x): no port I/O on Cortex-M", port);
}

uint16_t hw_inw(uint16_t port)
{
    panic("hw_inw(%#x): no port I/O on Cortex-M", port);
}

uint32_t hw_inl(uint16_t port)
{
    panic("hw_inl(%#x): no port I/O on Cortex-M", port);
}

void hw_outb(uint16_t port, uint8_t value)
{
    panic("hw_outb(%#x, %#x): no port I/O on Cortex-M", port, value);
}

void hw_outw(uint16_t port, uint16_t value)
{
    panic("hw_outw(%#x, %#x): no port I/O on Cortex-M", port, value);
}

void hw_outl(uint16_t port, uint32_t value)
{
    panic("hw_outl(%#x, %#lx): no port I/O on Cortex-M", port, (unsigned long)value);
}

// Device memory in the default memory map (the peripherals at 0x40000000, the system control
// space at 0xE0000000) is strongly ordered: a volatile access is one bus access, in order.
uint32_t hw_mmio_read32(uintptr_t addr)
{
    return *(const volatile uint32_t *)addr;
}

void hw_mmio_write32(uintptr_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}

void *hw_phys_to_virt(uint64_t phys, size_t len)
{
    if (len == 0)
        len = 1;
    for (size_t i = 0; i < CM_RAMS; i++) {
        const struct cm_ram *r = &cm_board.ram[i];
        if (phys >= r->base && phys - r->base < r->size && len <= r->size - (phys - r->base))
            return (void *)(uintptr_t)phys;
    }
    return NULL;
}

// No MMU, no TLB: nothing is cached that a remap could leave stale.
void hw_invlpg(uint64_t virt)
{
    (void)virt;
}

// PRIMASK bit 0 set masks every exception of configurable priority (interrupts, SysTick); the
// faults still escalate to HardFault. The previous state is the return value.
unsigned long hw_irq_save(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask & 1u;
}

void hw_irq_restore(unsigned long flags)
{
    if (!(flags & 1u))
        __asm__ volatile("cpsie i" ::: "memory");
}

// One core, no SMT: nothing to yield to while spinning.
void hw_relax(void)
{
    __asm__ volatile("nop" ::: "memory");
}

// core/spinlock.h's lock-order hooks: the firmware gives its locks no class, so these are never
// called; they exist for the link.
void spin_check_acquire(const struct lock_class *cls)
{
    (void)cls;
}

void spin_check_release(const struct lock_class *cls)
{
    (void)cls;
}
