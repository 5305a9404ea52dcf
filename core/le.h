// Little-endian loads from a byte pointer with no alignment requirement, for the tables firmware
// and loaders hand the kernel (boot information, ACPI). Compilers turn these into single loads;
// memcpy would be a real call in the freestanding kernel build.
#pragma once

#include <stdint.h>

static inline uint16_t le_load16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t le_load32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le_load64(const uint8_t *p)
{
    return (uint64_t)le_load32(p) | (uint64_t)le_load32(p + 4) << 32;
}
