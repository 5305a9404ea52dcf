// Single-instruction CPU helpers for kernel code (inline asm lives here and in platform/x86_64).
#pragma once

#include <stddef.h>
#include <stdint.h>

// The operand of lgdt and lidt: a descriptor table's limit (size - 1) and linear base.
struct cpu_table_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static inline void cpu_halt(void)
{
    __asm__ volatile("hlt");
}

static inline void cpu_disable_irq(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline void cpu_enable_irq(void)
{
    __asm__ volatile("sti" ::: "memory");
}

// Enables interrupts and halts in one step: STI takes effect after the next instruction, so an
// interrupt that arrived while they were off wakes this HLT instead of being missed.
static inline void cpu_enable_irq_and_halt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

// Time-stamp counter; ordered after earlier instructions by lfence.
// Writes len bytes from buf to an I/O port, one byte at a time (rep outsb).
static inline void cpu_outsb(uint16_t port, const void *buf, size_t len)
{
    __asm__ volatile("rep outsb" : "+S"(buf), "+c"(len) : "d"(port) : "memory");
}

static inline uint64_t cpu_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t cpu_read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t cpu_read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline void cpu_write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory");
}

static inline uint64_t cpu_read_flags(void)
{
    uint64_t v;
    __asm__ volatile("pushfq; popq %0" : "=r"(v)::"memory");
    return v;
}

static inline void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
                     : "a"(leaf), "c"(sub));
}

// Model-specific registers: rdmsr/wrmsr of MSR `msr` (edx:eax is the 64-bit value). An MSR the
// CPU does not have raises #GP.
static inline uint64_t cpu_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
                     : "memory");
}

// Halts forever with interrupts off.
_Noreturn static inline void cpu_stop(void)
{
    for (;;) {
        cpu_disable_irq();
        cpu_halt();
    }
}

// Resets the machine the hard way: loads an empty IDT and raises an interrupt. The CPU finds no
// gate for it, nor for the #GP and double fault that follow, and shuts down (a triple fault),
// which the chipset answers with a reset (QEMU with -no-reboot stops instead).
_Noreturn static inline void cpu_triple_fault(void)
{
    static const struct cpu_table_ptr empty = {0, 0};
    __asm__ volatile("lidt %0; int3" ::"m"(empty) : "memory");
    cpu_stop();
}
