/*
 * The firmware on both Cortex-M machines: printing works before any other initialisation, the
 * banner names the board its CPU really is, the command line arrives through semihosting, and
 * what the reset handler promises holds (the FPU on, .data copied, .bss zeroed, thread mode on
 * the thread stack); the door's answers on this machine (identity over the RAMs, no ports); a
 * command-line word nobody reads, and a timer rate SysTick cannot make (1 Hz needs a reload
 * above its 24 bits), each reported.
 *
 * qemu-scenario
 * arch: cortex-m4 cortex-m7
 * cmdline: cm_basic_boot timer_hz=1
 * expect-serial: ^Hello World!$
 * expect-serial: ^boot: mps2-an(386 \(Cortex-M4\)|500 \(Cortex-M7\)), cmdline "cm_basic_boot timer_hz=1"$
 * expect-serial: ^WARNING: unknown command-line word "cm_basic_boot" ignored$
 * expect-serial: ^WARNING: timer_hz=1: invalid argument; using 100 Hz$
 * expect-serial: ^mpu: thread stack 16 KiB at 0x[0-9a-f]+, guard 0x[0-9a-f]+-0x[0-9a-f]+$
 */
#include "core/hw.h"
#include "core/string.h"
#include "platform/cortex_m/board.h"
#include "platform/cortex_m/console.h"
#include "test/qemu/ktest/ktest.h"

#define SCB_CPUID 0xE000ED00u // PARTNO in bits 15:4
#define SCB_CPACR 0xE000ED88u // CP10 and CP11 access in bits 23:20

extern uint8_t __cm_thread_stack_bottom[], __cm_thread_stack_top[];

static int initialised = 42; // .data: its value comes from the load image
static int zeroed;           // .bss

// Runs right after the console is up: nothing else (faults, MPU, heap, SysTick) is set up.
KTEST_EARLY(println_before_any_init)
{
    uint64_t before = console_bytes_written();
    kprintf("cm_basic_boot: printed before init\n");
    KT_ASSERT(console_bytes_written() > before);
}

KTEST_EARLY(data_was_copied_and_bss_zeroed)
{
    KT_ASSERT_EQ(initialised, 42);
    KT_ASSERT_EQ(zeroed, 0);
}

// The FPU answers (the reset handler granted CP10 and CP11 before any C ran).
KTEST_EARLY(fpu_is_enabled)
{
    KT_ASSERT_EQ((hw_mmio_read32(SCB_CPACR) >> 20) & 0xfu, 0xfu);
    volatile float a = 1.5f, b = 2.25f;
    float product = a * b;
    KT_ASSERT(product == 3.375f);
}

// Thread mode uses PSP (CONTROL.SPSEL), and the stack pointer lies in the thread stack.
KTEST_EARLY(thread_mode_runs_on_the_thread_stack)
{
    uint32_t control;
    uintptr_t sp;
    __asm__ volatile("mrs %0, control\n\tmov %1, sp" : "=r"(control), "=r"(sp));
    KT_ASSERT_EQ(control & 2u, 2u);
    KT_ASSERT(sp > (uintptr_t)__cm_thread_stack_bottom && sp <= (uintptr_t)__cm_thread_stack_top);
}

KTEST(the_cpu_is_the_boards)
{
    uint32_t partno = (hw_mmio_read32(SCB_CPUID) >> 4) & 0xfffu;
    KT_ASSERT_EQ(partno, strcmp(cm_board.cpu, "Cortex-M4") == 0 ? 0xc24u : 0xc27u);
}

KTEST(phys_to_virt_is_the_identity_over_the_rams)
{
    for (size_t i = 0; i < CM_RAMS; i++) {
        const struct cm_ram *r = &cm_board.ram[i];
        KT_ASSERT(hw_phys_to_virt(r->base, 16) == (void *)r->base);
        KT_ASSERT(hw_phys_to_virt(r->base + r->size - 1, 1) == (void *)(r->base + r->size - 1));
        KT_ASSERT(hw_phys_to_virt(r->base + r->size - 1, 2) == NULL);
        KT_ASSERT(hw_phys_to_virt(r->base + r->size, 1) == NULL);
    }
    KT_ASSERT(hw_phys_to_virt(CM_UART0_BASE, 4) == NULL);  // a device, not RAM
    KT_ASSERT(hw_phys_to_virt(0x100000000ull, 1) == NULL); // beyond 32 bits
}

// MMIO through the door: the FPGA I/O LED register keeps what is written to its two bits.
KTEST(mmio_reads_back_the_led_register)
{
    hw_mmio_write32(CM_FPGAIO_LED, 2);
    KT_ASSERT_EQ(hw_mmio_read32(CM_FPGAIO_LED) & 3u, 2);
    hw_mmio_write32(CM_FPGAIO_LED, 1);
    KT_ASSERT_EQ(hw_mmio_read32(CM_FPGAIO_LED) & 3u, 1);
}

// No I/O ports on this machine: a core/ module that reaches for one is stopped with a panic,
// which the test runner catches in thread mode and goes on.
KTEST_SHOULD_PANIC(port_io_panics)
{
    (void)hw_inb(0x60);
}

KTEST(the_runner_goes_on_after_a_panic)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask" : "=r"(primask));
    KT_ASSERT_EQ(primask, 0); // the jump back restored the interrupt mask panic had set
}
