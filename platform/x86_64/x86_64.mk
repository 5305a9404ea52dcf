# platform/x86_64: boot, CPU helpers and the kernel's implementation of core/hw.h. jump.S (setjmp
# and longjmp) serves only the QEMU test runner, so only scenario images link it.
ARCH_TEST_SRCS := platform/x86_64/jump.S
ARCH_SRCS += $(filter-out $(ARCH_TEST_SRCS),$(wildcard platform/x86_64/*.S platform/x86_64/*.c))
