#!/usr/bin/env python3
"""The QEMU machine every boot of this project uses, written once: `make run`, `run-serial`,
`debug` and `screenshot` (scripts/tools.mk), scripts/screenshot.py and the scenario runner
(test/qemu/run.py) all start from these flags and add only what their use needs.

    scripts/qemu_flags.py       prints the flags as shell words (the Makefile reads them this way)
    scripts/qemu_flags.py --heap-trace FILE
                                prints only the heap trace's device, writing to FILE
    scripts/qemu_flags.py --uefi VARS
                                copies OVMF's variables template to VARS (a fresh copy) and
                                prints the flags that add the UEFI firmware: OVMF's code
                                read-only and VARS as its variable store
    scripts/qemu_flags.py --cortex-m MACHINE [CMDLINE]
                                prints the flags of qemu-system-arm for a Cortex-M machine
                                (cortex-m4, cortex-m7), semihosting passing CMDLINE

Python callers import BASE, a list of arguments, uefi() and cortex_m().
"""
import shlex
import shutil

BASE = [
    "-accel", "tcg",  # emulated, never KVM: the same CPU model on every machine, and no /dev/kvm
    "-m", "128M",     # the RAM the README's boot screen shows; a scenario's `args: -m` overrides
    "-no-reboot",     # a triple fault stops QEMU (exit status 0) instead of rebooting in a loop
]

DEBUGCON_PORT = 0xE9  # kernel/coverage/kcov.c writes its coverage stream here
# kernel/heap.c writes its heap trace here (heap_trace=1): a second isa-debugcon, so a coverage
# image may record both. Not 0x402, where SeaBIOS writes its own log whenever a debugcon is there.
HEAP_TRACE_PORT = 0xEA


# UEFI firmware for QEMU: Debian's ovmf (scripts/deps.sh installs it), the 2 MiB flash layout. The
# code is shared and never written; the variable store is per machine and OVMF writes it (boot
# entries, the console it found), so every boot gets a fresh copy of the template.
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"


def uefi(vars_path):
    """Copies OVMF's variables template to vars_path (replacing what is there) and returns the
    flags that boot the machine with OVMF: its code on the first flash chip, read-only, and
    vars_path on the second; and no network card, whose iPXE driver OVMF would otherwise load
    (half a second under TCG) for a kernel that has no use for it. Boot a hybrid ISO with -cdrom
    on top."""
    shutil.copyfile(OVMF_VARS, vars_path)
    return ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
            "-drive", f"if=pflash,format=raw,unit=1,file={vars_path}", "-nic", "none"]


# The Cortex-M machines (platform/cortex_m) and the QEMU boards that are them. A board has a fixed
# RAM size (16 MiB), so no -m; its UART0 is QEMU's first serial port.
CORTEX_M_BOARDS = {"cortex-m4": "mps2-an386", "cortex-m7": "mps2-an500"}


def cortex_m(machine, cmdline=""):
    """qemu-system-arm's flags for a Cortex-M machine: the board, TCG, and semihosting on, which
    the firmware exits through (with its status, as isa-debug-exit on x86) and reads its command
    line from: the words of `cmdline` after a first word "firmware" (the program's name), each
    an arg= of -semihosting-config, commas doubled as QEMU's option syntax wants."""
    args = "".join(f",arg={word.replace(',', ',,')}" for word in ["firmware", *cmdline.split()])
    return ["-M", CORTEX_M_BOARDS[machine], "-accel", "tcg",
            "-semihosting-config", f"enable=on,target=native{args}"]


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
    elif sys.argv[1:2] == ["--uefi"] and len(sys.argv) == 3:
        print(shlex.join(uefi(sys.argv[2])))
    elif sys.argv[1:2] == ["--cortex-m"] and len(sys.argv) in (3, 4) and \
            sys.argv[2] in CORTEX_M_BOARDS:
        print(shlex.join(cortex_m(*sys.argv[2:])))
    elif len(sys.argv) == 1:
        print(shlex.join(BASE))
    else:
        sys.exit("usage: qemu_flags.py [--heap-trace FILE | --uefi VARS | "
                 "--cortex-m MACHINE [CMDLINE]]")
