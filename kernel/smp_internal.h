// What kernel/smp.c (the start-up) and kernel/smp_ipi.c (the IPIs) share; nothing else includes it.
#pragma once

#include <stdbool.h>
#include <stdint.h>

// CPUs online: indices 0 .. smp_online - 1 are up (written with release ordering).
extern unsigned smp_online;

// Installs the IPI vectors' handlers (trap_set_handler).
void smp_ipi_init(void);

// The boot line after "smp: N of M CPUs online": each AP's start-up time.
void smp_print_start_times(void);
