# platform/host: the mocks behind core/hw.h that the host unit tests link with.
HOST_SRCS += $(wildcard platform/host/*.c)
