/*
 * The stress run of threads_stress on four CPUs: 2000 create/join cycles with heap churn, the
 * threads spread over every CPU (each churns from whichever CPU picks it), the table filled to
 * its last slot, the heap's checker clean at the end.
 *
 * qemu-scenario
 * args: -machine q35 -smp 4
 * expect-serial: stress: 2000 threads
 */
#include "test/qemu/threads_stress.c"
