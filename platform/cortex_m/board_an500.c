// The mps2-an500 board: a Cortex-M7 (double-precision FPU, 16 MPU regions) at 25 MHz, as QEMU
// models it.
#include "platform/cortex_m/board.h"

const struct cm_board cm_board = {
    .name = "mps2-an500",
    .cpu = "Cortex-M7",
    .sysclk_hz = 25000000,
    .ram =
        {
            {0x00000000u, 4u << 20, "ZBT SSRAM1 (code)"},
            {0x20000000u, 4u << 20, "ZBT SSRAM2&3 (data)"},
            {0x60000000u, 16u << 20, "PSRAM"},
        },
};
