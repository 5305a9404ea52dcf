// Cortex-M (ARMv7-M) fault reporting, the counterpart of core/exception.h: the fault exception
// names, the System Control Block's fault status registers and their bits, what a fault handler
// learns from the stacked exception frame, and the report the kernel prints.
#pragma once

#include <stddef.h>
#include <stdint.h>

// Exception numbers (ARMv7-M Architecture Reference Manual, B1.5.2).
#define CM_EXC_HARDFAULT  3
#define CM_EXC_MEMMANAGE  4
#define CM_EXC_BUSFAULT   5
#define CM_EXC_USAGEFAULT 6

// System Control Block fault registers (ARMv7-M ARM, B3.2.2).
#define CM_SCB_SHCSR 0xE000ED24u // System Handler Control and State: fault handler enables
#define CM_SCB_CFSR  0xE000ED28u // Configurable Fault Status: MMFSR, BFSR, UFSR
#define CM_SCB_HFSR  0xE000ED2Cu // HardFault Status
#define CM_SCB_MMFAR 0xE000ED34u // MemManage Fault Address
#define CM_SCB_BFAR  0xE000ED38u // BusFault Address

// CFSR bits (B3.2.15). MemManage Fault Status, bits 7:0:
#define CM_CFSR_IACCVIOL  (1u << 0) // instruction fetch from a region the MPU forbids
#define CM_CFSR_DACCVIOL  (1u << 1) // data access the MPU forbids (MMFAR holds the address)
#define CM_CFSR_MUNSTKERR (1u << 3) // MemManage fault unstacking on exception return
#define CM_CFSR_MSTKERR   (1u << 4) // MemManage fault stacking on exception entry
#define CM_CFSR_MLSPERR   (1u << 5) // MemManage fault saving the lazy floating-point state
#define CM_CFSR_MMARVALID (1u << 7) // MMFAR holds the faulting address
// BusFault Status, bits 15:8:
#define CM_CFSR_IBUSERR     (1u << 8)  // bus error on an instruction fetch
#define CM_CFSR_PRECISERR   (1u << 9)  // precise data bus error (BFAR holds the address)
#define CM_CFSR_IMPRECISERR (1u << 10) // imprecise data bus error (a buffered write, say)
#define CM_CFSR_UNSTKERR    (1u << 11) // bus error unstacking on exception return
#define CM_CFSR_STKERR      (1u << 12) // bus error stacking on exception entry
#define CM_CFSR_LSPERR      (1u << 13) // bus error saving the lazy floating-point state
#define CM_CFSR_BFARVALID   (1u << 15) // BFAR holds the faulting address
// UsageFault Status, bits 31:16:
#define CM_CFSR_UNDEFINSTR (1u << 16) // undefined instruction
#define CM_CFSR_INVSTATE   (1u << 17) // invalid state (e.g. a branch with the Thumb bit clear)
#define CM_CFSR_INVPC      (1u << 18) // invalid EXC_RETURN on exception return
#define CM_CFSR_NOCP       (1u << 19) // coprocessor instruction with the coprocessor off or absent
#define CM_CFSR_UNALIGNED  (1u << 24) // unaligned access while CCR.UNALIGN_TRP is set
#define CM_CFSR_DIVBYZERO  (1u << 25) // division by zero while CCR.DIV_0_TRP is set

// HFSR bits (B3.2.16).
#define CM_HFSR_VECTTBL  (1u << 1)  // bus error reading the vector table
#define CM_HFSR_FORCED   (1u << 30) // a configurable fault escalated to HardFault
#define CM_HFSR_DEBUGEVT (1u << 31) // a debug event while debugging was off

// The exception frame (B1.5.6): the CPU pushes r0, r1, r2, r3, r12, lr, the return address and
// xPSR, 8 words; with floating-point state active also s0-s15, FPSCR and a reserved word, 18 more.
// When it moved the stack pointer down one more word to align the frame to 8 bytes it sets xPSR
// bit 9; EXC_RETURN bit 4 is 0 when the frame is the extended (floating-point) one.
#define CM_FRAME_WORDS    8u
#define CM_FP_FRAME_WORDS 18u
#define CM_XPSR_ALIGNED   (1u << 9)
#define CM_EXC_RETURN_STD (1u << 4)

// What the kernel knows of a fault when it reports it.
struct cm_fault_info {
    uint32_t exc; // the exception number (CM_EXC_*)
    uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
    uint32_t sp; // the stack pointer before the frame was pushed
    uint32_t exc_return;
    uint32_t cfsr, hfsr, mmfar, bfar;
};

// Reads CFSR, HFSR, MMFAR and BFAR, in that order, into f through the door (hw_mmio_read32). Only
// reads: the status bits stay set. The other fields are left alone. Panics if f is NULL.
void cm_fault_read_status(struct cm_fault_info *f);

// Fills f from the exception frame the CPU pushed at `frame`: exc and exc_return as given, r0..xpsr
// the 8 stacked words, and sp the stack pointer the interrupted code had: the frame's address
// plus 8 words, plus 4 bytes when xPSR bit 9 says the CPU aligned the stack, plus 18 words when
// bit 4 of exc_return is 0 (an extended frame). sp is the low 32 bits of that sum (all of it on
// a Cortex-M). The status fields (cfsr, hfsr, mmfar, bfar) are left alone. Panics if f or frame
// is NULL.
void cm_fault_from_frame(struct cm_fault_info *f, uint32_t exc, const uint32_t *frame,
                         uint32_t exc_return);

// "HARD FAULT", "MEMMANAGE FAULT", "BUS FAULT", "USAGE FAULT"; any other exception number is
// "EXCEPTION". Never NULL.
const char *cm_fault_name(uint32_t exc);

// Writes the words for every set CFSR bit, lowest bit first, separated by ", ": "instruction
// access violation", "data access violation", "MMFAR valid", ... ("reserved bit N" for a bit the
// architecture reserves); 0 gives "". Returns what snprintf would: the full length, truncating to
// cap (cap 0: only counts, and buf may be NULL). buf NULL with cap > 0 is a caller bug (panic).
int cm_fault_cfsr_decode(uint32_t cfsr, char *buf, size_t cap);

// The same for HFSR: "vector table read", "forced", "debug event", "reserved bit N".
int cm_fault_hfsr_decode(uint32_t hfsr, char *buf, size_t cap);

// Formats the multi-line report the kernel prints for a fault:
//   EXCEPTION: MEMMANAGE FAULT (exception 4)
//     CFSR 0x82 [data access violation, MMFAR valid]
//     MMFAR 0x20000000
//     HFSR 0x40000000 [forced]
//     r0 0x0 r1 0x1 r2 0x2 r3 0x3 r12 0xc
//     lr 0x8000123 pc 0x8000456 xpsr 0x21000000 sp 0x20001000
// Hex numbers always with 0x, 0 as 0x0. The CFSR line is always there, its bracket only when
// CFSR is not 0; the MMFAR line only when CFSR.MMARVALID is set, the BFAR line only when
// CFSR.BFARVALID is; the HFSR line for a HardFault, or for any exception when HFSR is not 0, its
// bracket only when HFSR is not 0. Returns the full length as snprintf does; f NULL, or buf NULL
// with cap > 0, is a caller bug (panic).
int cm_fault_format(const struct cm_fault_info *f, char *buf, size_t cap);
