# kernel/: kmain, the init order, console, panic and the in-kernel test runner.
KERNEL_SRCS += $(wildcard kernel/*.c)
