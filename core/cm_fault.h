// Cortex-M fault reporting, the counterpart of core/exception.h: the stacked frame and the fault
// status registers turned into a report. (Stand-in until the cm-core branch lands.)
#pragma once

#include <stddef.h>
#include <stdint.h>

#define CM_EXC_HARDFAULT  3u
#define CM_EXC_MEMMANAGE  4u
#define CM_EXC_BUSFAULT   5u
#define CM_EXC_USAGEFAULT 6u

#define CM_SCB_SHCSR 0xE000ED24u
#define CM_SCB_CFSR  0xE000ED28u
#define CM_SCB_HFSR  0xE000ED2Cu
#define CM_SCB_MMFAR 0xE000ED34u
#define CM_SCB_BFAR  0xE000ED38u

#define CM_CFSR_MSTKERR   (1u << 4)
#define CM_CFSR_MMARVALID (1u << 7)
#define CM_CFSR_STKERR    (1u << 12)
#define CM_CFSR_BFARVALID (1u << 15)

struct cm_fault_info {
    uint32_t exc;
    uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
    uint32_t sp; // the stack pointer before the frame was pushed
    uint32_t exc_return;
    uint32_t cfsr, hfsr, mmfar, bfar;
};

void cm_fault_read_status(struct cm_fault_info *f);
void cm_fault_from_frame(struct cm_fault_info *f, uint32_t exc, const uint32_t *frame,
                         uint32_t exc_return);
const char *cm_fault_name(uint32_t exc);
int cm_fault_cfsr_decode(uint32_t cfsr, char *buf, size_t cap);
int cm_fault_hfsr_decode(uint32_t hfsr, char *buf, size_t cap);
int cm_fault_format(const struct cm_fault_info *f, char *buf, size_t cap);
