# core/: hardware-independent sources, built into the kernel and into the host tests.
CORE_SRCS += $(wildcard core/*.c core/*/*.c)
