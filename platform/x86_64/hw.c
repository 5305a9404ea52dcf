// The kernel's implementation of core/hw.h: port I/O, the direct map, TLB and interrupt flag.
#include "core/hw.h"
#include "platform/x86_64/cpu.h"
#include "platform/x86_64/hw_x86.h"
#include "platform/x86_64/layout.h"

#define RFLAGS_IF (1ul << 9)

// How much physical memory the direct map at PHYS_MAP_BASE covers (boot.S maps 4 GiB).
static uint64_t phys_map_size = BOOT_PHYS_MAP_SIZE;

uint8_t hw_inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

uint16_t hw_inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

uint32_t hw_inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

void hw_outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" ::"a"(value), "Nd"(port));
}

void hw_outw(uint16_t port, uint16_t value)
{
    __asm__ volatile("outw %0, %1" ::"a"(value), "Nd"(port));
}

void hw_outl(uint16_t port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" ::"a"(value), "Nd"(port));
}

uint32_t hw_mmio_read32(uintptr_t addr)
{
    return *(const volatile uint32_t *)addr;
}

void hw_mmio_write32(uintptr_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}

void hw_set_phys_map_size(uint64_t size)
{
    phys_map_size = size;
}

void *hw_phys_to_virt(uint64_t phys, size_t len)
{
    if (len == 0)
        len = 1;
    if (phys >= phys_map_size || len > phys_map_size - phys)
        return NULL;
    return (void *)(PHYS_MAP_BASE + phys);
}

void hw_invlpg(uint64_t virt)
{
    __asm__ volatile("invlpg (%0)" ::"r"(virt) : "memory");
}

unsigned long hw_irq_save(void)
{
    unsigned long flags = cpu_read_flags();
    cpu_disable_irq();
    return flags & RFLAGS_IF;
}

void hw_irq_restore(unsigned long flags)
{
    if (flags & RFLAGS_IF)
        cpu_enable_irq();
}

void hw_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}
