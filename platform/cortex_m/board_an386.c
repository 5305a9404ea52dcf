// The mps2-an386 board: a Cortex-M4 (single-precision FPU, 8 MPU regions) at 25 MHz.
#include "platform/cortex_m/board.h"

const struct cm_board cm_board = {
    .name = "mps2-an386",
    .cpu = "Cortex-M4",
    .sysclk_hz = 25000000,
    .ram =
        {
            {0x00000000u, 4u << 20, "ZBT SSRAM1 (code)"},
            {0x20000000u, 4u << 20, "ZBT SSRAM2&3 (data)"},
            {0x21000000u, 16u << 20, "PSRAM"},
        },
};
