#!/usr/bin/env python3
"""Writes the seed corpus of test/fuzz/fuzz_sched.c into test/fuzz/corpus/sched/.

The input format is the one the comment at the top of fuzz_sched.c describes: a header byte
(CPUs, slice), then operations of a kind byte (kind % 10, CPU in bits 4-5) and one argument.
Run it from anywhere after changing a seed; the outputs are committed.
"""
from corpus import write_seeds

ADD, TICK, PICK, SLEEP, WAIT, WAKE_ONE, WAKE_ALL, EXIT, JOIN, ADOPT = range(10)


def op(kind, arg=0, cpu=0):
    # kind + 10 * k keeps kind % 10; the CPU index sits in b / 16.
    b = next(v for v in range(kind, 256, 10) if v // 16 % 4 == cpu)
    return bytes([b, arg])


def seed(cpus, slice_, *ops):
    return bytes([(cpus - 1) | (slice_ - 1) << 2]) + b"".join(ops)


def round_robin():
    return seed(1, 2, *(op(ADD, i) for i in range(4)), op(PICK), *(op(TICK, 1) for _ in range(16)))


def sleepers():
    ops = [op(ADD, i) for i in range(5)] + [op(PICK)]
    for ticks in (5, 3, 5, 1, 3):
        ops.append(op(SLEEP, ticks))
    ops += [op(TICK, 1) for _ in range(6)]
    return seed(1, 3, *ops)


def join_and_wait():
    return seed(1, 1, op(ADD, 0), op(ADD, 1), op(ADD, 2), op(PICK), op(JOIN, 1), op(WAIT, 0),
                op(EXIT, 7), op(WAKE_ALL, 0), op(PICK), op(JOIN, 1), op(JOIN, 1), op(JOIN, 0))


def two_cpus():
    return seed(2, 1, op(ADOPT, 0, 0), op(ADOPT, 1, 1), op(ADD, 2), op(ADD, 3), op(TICK, 1, 0),
                op(TICK, 0, 1), op(JOIN, 0, 1), op(EXIT, 3, 0), op(PICK, 0, 1), op(JOIN, 0, 1))


write_seeds("sched", {
    "round_robin.bin": round_robin(),
    "sleepers.bin": sleepers(),
    "join_and_wait.bin": join_and_wait(),
    "two_cpus.bin": two_cpus(),
})
