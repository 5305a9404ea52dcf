// Expected I/O logs for the tests of port-driven drivers (test_pic.c, test_pit.c, test_serial.c)
// and memory-mapped ones (test_cmsdk_uart.c, test_systick.c, test_cm_fault.c): W and R are one
// byte-wide port write or read in platform/host/mock_hw.h's log, MW and MR one 32-bit
// memory-mapped register write or read; ASSERT_LOG compares the whole log with a list of them.
// Header-only, macros only.
#pragma once

#include "platform/host/mock_hw.h"

#include <stddef.h>

#define W(port, value)                                                                             \
    {                                                                                              \
        'w', 1, (port), (value)                                                                    \
    }
#define R(port, value)                                                                             \
    {                                                                                              \
        'r', 1, (port), (value)                                                                    \
    }
#define MW(addr, value)                                                                            \
    {                                                                                              \
        'W', 4, (addr), (value)                                                                    \
    }
#define MR(addr, value)                                                                            \
    {                                                                                              \
        'R', 4, (addr), (value)                                                                    \
    }
#define ASSERT_LOG(...)                                                                            \
    do {                                                                                           \
        const struct mock_io want_[] = {__VA_ARGS__};                                              \
        mock_io_assert_log(want_, sizeof(want_) / sizeof(want_[0]));                               \
    } while (0)
