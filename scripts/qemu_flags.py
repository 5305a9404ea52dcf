#!/usr/bin/env python3
"""The QEMU machine every boot of this project uses, written once: `make run`, `run-serial`,
`debug` and `screenshot` (scripts/tools.mk), scripts/screenshot.py and the scenario runner
(test/qemu/run.py) all start from these flags and add only what their use needs.

    scripts/qemu_flags.py       prints the flags as shell words (the Makefile reads them this way)

Python callers import BASE, a list of arguments.
"""
import shlex

BASE = [
    "-accel", "tcg",  # emulated, never KVM: the same CPU model on every machine, and no /dev/kvm
    "-m", "128M",     # the RAM the README's boot screen shows; a scenario's `args: -m` overrides
    "-no-reboot",     # a triple fault stops QEMU (exit status 0) instead of rebooting in a loop
]

DEBUGCON_PORT = 0xE9  # kernel/coverage/kcov.c writes its coverage stream here


def debugcon(path):
    """QEMU's debug console on DEBUGCON_PORT, every byte written to the file at path (the
    coverage stream of an image built by `make coverage`; it never mixes with the serial port)."""
    return ["-device", f"isa-debugcon,iobase={DEBUGCON_PORT:#x},chardev=kcov",
            "-chardev", f"file,id=kcov,path={path}"]


if __name__ == "__main__":
    print(shlex.join(BASE))
