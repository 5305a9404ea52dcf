#!/usr/bin/env python3
"""The QEMU machine every boot of this project uses, written once: `make run`, `run-serial`,
`debug` and `screenshot` (scripts/tools.mk), scripts/screenshot.py and the scenario runner
(test/qemu/run.py) all start from these flags and add only what their use needs.

    scripts/qemu_flags.py       prints the flags as shell words (the Makefile reads them this way)
    scripts/qemu_flags.py --heap-trace FILE
                                prints only the heap trace's device, writing to FILE

Python callers import BASE, a list of arguments.
"""
import shlex

BASE = [
    "-accel", "tcg",  # emulated, never KVM: the same CPU model on every machine, and no /dev/kvm
    "-m", "128M",     # the RAM the README's boot screen shows; a scenario's `args: -m` overrides
    "-no-reboot",     # a triple fault stops QEMU (exit status 0) instead of rebooting in a loop
]

DEBUGCON_PORT = 0xE9  # kernel/coverage/kcov.c writes its coverage stream here
# kernel/heap.c writes its heap trace here (heap_trace=1): a second isa-debugcon, so a coverage
# image may record both. Not 0x402, where SeaBIOS writes its own log whenever a debugcon is there.
HEAP_TRACE_PORT = 0xEA


def debugcon(path):
    """QEMU's debug console on DEBUGCON_PORT, every byte written to the file at path (the
    coverage stream of an image built by `make coverage`; it never mixes with the serial port)."""
    return ["-device", f"isa-debugcon,iobase={DEBUGCON_PORT:#x},chardev=kcov",
            "-chardev", f"file,id=kcov,path={path}"]


def heap_trace(path):
    """QEMU's debug console on HEAP_TRACE_PORT, every byte written to the file at path (the heap
    trace of a kernel booted with heap_trace=1, docs/heap-trace.md)."""
    return ["-device", f"isa-debugcon,iobase={HEAP_TRACE_PORT:#x},chardev=htrace",
            "-chardev", f"file,id=htrace,path={path}"]


if __name__ == "__main__":
    import sys
    if sys.argv[1:2] == ["--heap-trace"] and len(sys.argv) == 3:
        print(shlex.join(heap_trace(sys.argv[2])))
    elif len(sys.argv) == 1:
        print(shlex.join(BASE))
    else:
        sys.exit("usage: qemu_flags.py [--heap-trace FILE]")
