// The MPU guard under the thread stack: the counterpart of the x86 kernel's unmapped guard page.
// One ARMv7-M MPU region covers the guard (sections.ld: CM_GUARD bytes between the handler stack
// and the thread stack) with no access for anyone and execute-never; PRIVDEFENA keeps the default
// memory map everywhere else, so nothing but the guard changes. A thread-mode access to the
// guard, a stack overflow among them, is then a MemManage fault, reported by fault.c from the
// handler stack, which the overflow cannot have touched. docs/cortex-m.md explains the design.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define MPU_TYPE 0xE000ED90u // DREGION (bits 15:8): how many regions; 0 = no MPU
#define MPU_CTRL 0xE000ED94u
#define MPU_RNR  0xE000ED98u // region number the next RBAR/RASR access selects
#define MPU_RBAR 0xE000ED9Cu
#define MPU_RASR 0xE000EDA0u

#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2) // the default memory map where no region matches
#define MPU_RASR_ENABLE     (1u << 0)
#define MPU_RASR_XN         (1u << 28)
#define MPU_GUARD_REGION    0u

// The guard's bounds, from the linker script.
uintptr_t mpu_guard_start(void);
uintptr_t mpu_guard_end(void);
// Whether [addr, addr + len) overlaps the guard.
bool mpu_in_guard(uintptr_t addr, uint32_t len);

// Programs region MPU_GUARD_REGION over the guard and enables the MPU with PRIVDEFENA. Returns
// 0, or E_NOENT when the CPU has no MPU (nothing changed). Panics when the linker script's guard
// is not a power of two of at least 32 bytes aligned to its size (the ARMv7-M MPU's rule).
int mpu_guard_init(void);
