// The board the firmware runs on: its name, CPU, clock and RAMs. One file per machine defines
// cm_board (board_an386.c, board_an500.c) and the build links the machine's; everything the two
// boards share is a constant here.
#pragma once

#include <stddef.h>
#include <stdint.h>

#define CM_UART0_BASE 0x40004000u // CMSDK APB UART 0: the console (QEMU's first serial port)
#define CM_UART_BAUD  115200u
#define CM_FPGAIO_LED 0x40028000u // FPGA I/O: bits 0-1 drive the user LEDs
#define CM_RAMS       3

struct cm_ram {
    uintptr_t base;
    size_t size;
    const char *name;
};

struct cm_board {
    const char *name;   // QEMU's machine name
    const char *cpu;    // "Cortex-M4"
    uint32_t sysclk_hz; // the CPU's and the peripherals' clock (SysTick counts it)
    struct cm_ram ram[CM_RAMS];
};

extern const struct cm_board cm_board;
