// Expected port logs for the tests of port-driven drivers (test_pic.c, test_pit.c,
// test_serial.c): W and R are one byte-wide write or read in platform/host/mock_hw.h's log,
// ASSERT_LOG compares the whole log with a list of them. Header-only, macros only.
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
#define ASSERT_LOG(...)                                                                            \
    do {                                                                                           \
        const struct mock_io want_[] = {__VA_ARGS__};                                              \
        mock_io_assert_log(want_, sizeof(want_) / sizeof(want_[0]));                               \
    } while (0)
