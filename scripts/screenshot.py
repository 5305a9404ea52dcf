#!/usr/bin/env python3
"""Boots an image in QEMU and saves a PNG screenshot of its screen through QMP `screendump`.

Usage: screenshot.py [--uefi] [--seconds S] [--type TEXT [--after S]] OUTPUT.png -- QEMU-ARGS...
Waits --seconds (default 2), then types TEXT on the keyboard if given (C escapes as the QEMU
runner's @@type: \\n is Enter) and waits --after seconds more (default 1), then takes the shot.
The machine is scripts/qemu_flags.py's; QEMU-ARGS add the image (e.g. -cdrom build/kernel.iso).
--uefi boots it under OVMF (qemu_flags.uefi, with a fresh variable store) instead of SeaBIOS.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "test" / "qemu"))
import qmp  # noqa: E402
import qemu_flags  # noqa: E402  (scripts/qemu_flags.py, beside this file)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("output")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--type", help="keys to type before the shot (e.g. 'help\\n')")
    ap.add_argument("--after", type=float, default=1.0)
    ap.add_argument("--uefi", action="store_true", help="boot under OVMF")
    ap.add_argument("qemu_args", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    qemu_args = [a for a in args.qemu_args if a != "--"]
    with tempfile.TemporaryDirectory() as tmp:
        sock = os.path.join(tmp, "qmp.sock")
        if args.uefi:
            qemu_args = qemu_flags.uefi(os.path.join(tmp, "ovmf_vars.fd")) + qemu_args
        proc = subprocess.Popen([args.qemu, *qemu_flags.BASE, "-display", "none", "-qmp",
                                 f"unix:{sock},server=on,wait=off"] + qemu_args,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        try:
            time.sleep(args.seconds)
            mon = qmp.QMP(sock)
            try:
                if args.type:
                    mon.type_text(qmp.decode_escapes(args.type))
                    time.sleep(args.after)
                mon.execute("screendump", filename=os.path.abspath(args.output), format="png")
            finally:
                mon.close()
        finally:
            proc.kill()
            proc.wait()
    print(f"screenshot: {args.output}")


if __name__ == "__main__":
    main()
