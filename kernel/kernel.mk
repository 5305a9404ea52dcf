# kernel/: kmain and the init order, console, panic, traps and IRQs, memory, heap, tasks.
KERNEL_SRCS += $(wildcard kernel/*.c)
