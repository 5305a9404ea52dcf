# platform/x86_64: boot, CPU helpers and the kernel's implementation of core/hw.h.
ARCH_SRCS += $(wildcard platform/x86_64/*.S platform/x86_64/*.c)
