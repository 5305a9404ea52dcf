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

if __name__ == "__main__":
    print(shlex.join(BASE))
