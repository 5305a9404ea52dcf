/*
 * The common kernel-thread cases (threads.c: create, join, exit codes, sleep, wait queues, the
 * mutex, the executor beside threads) on four CPUs, where a thread may resume on another CPU than
 * the one it blocked on.
 *
 * qemu-scenario
 * args: -machine q35 -smp 4
 */
#include "test/qemu/threads.c"
