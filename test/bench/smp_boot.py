#!/usr/bin/env python3
"""Boot time of the kernel with 1, 2, 4 and 8 CPUs, against 1 CPU in the same run.

    test/bench/smp_boot.py [--kernel build/kernel.elf] [--rounds 3] [--cpus 1 2 4 8]
                           [--machine q35]

Boots the kernel under QEMU (TCG, the project's machine: scripts/qemu_flags.py) once per CPU count
per round, the counts interleaved within each round so a change in the host's load hits them all
alike, and times each boot from QEMU's start until the shell's prompt line on the serial port. It
also reads what the kernel itself prints: the start-up of the other CPUs (`smp: N of M CPUs online
... in X us`) and the IPI round trips (`smp: IPI round trip, TSC cycles (min/median of 16)`).
Prints one row per CPU count: the median wall time, its ratio to one CPU's, the median start-up
time and the median of the round-trip medians. Under TCG every figure is emulated.
"""
import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import qemu_flags  # noqa: E402

READY = b"kernel shell: type help for the commands"
ONLINE = re.compile(rb"^smp: (\d+) of (\d+) CPUs online \(APIC ids[^)]*\)(?: in (\d+) us)?", re.M)
ROUND_TRIP = re.compile(rb"cpu\d+ \d+/(\d+)")


def boot(kernel, cpus, machine, timeout=30.0):
    """One boot: (wall seconds to the shell, CPUs online, start-up us or None, round-trip medians)."""
    cmd = ["qemu-system-x86_64", *qemu_flags.BASE, "-machine", machine, "-smp", str(cpus),
           "-display", "none", "-serial", "stdio", "-kernel", str(kernel)]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = b""
    try:
        while READY not in out:
            chunk = proc.stdout.read1(4096)
            if not chunk or time.monotonic() - start > timeout:
                raise RuntimeError(f"-smp {cpus}: no shell prompt; serial so far:\n{out.decode()}")
            out += chunk
        wall = time.monotonic() - start
    finally:
        proc.kill()
        proc.wait()
    m = ONLINE.search(out)
    if m is None:
        raise RuntimeError(f"-smp {cpus}: no smp line")
    trips = [int(x) for line in out.splitlines() if b"IPI round trip" in line
             for x in ROUND_TRIP.findall(line)]
    return wall, int(m[1]), int(m[3]) if m[3] else None, trips


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernel", default=str(ROOT / "build" / "kernel.elf"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cpus", type=int, nargs="+", default=[1, 2, 4, 8])
    ap.add_argument("--machine", default="q35")
    args = ap.parse_args()
    results = {n: [] for n in args.cpus}
    for r in range(args.rounds):
        for n in args.cpus:
            results[n].append(boot(args.kernel, n, args.machine))
    base = statistics.median(w for w, *_ in results[args.cpus[0]])
    print(f"boot to the shell, {args.machine}, median of {args.rounds} interleaved rounds "
          "(QEMU TCG: emulated)")
    print(f"{'cpus':>4} {'online':>6} {'wall ms':>8} {'x':>5} {'start-up us':>12} "
          f"{'IPI round trip (cycles)':>24}   walls")
    for n in args.cpus:
        rows = results[n]
        wall = statistics.median(w for w, *_ in rows)
        starts = [s for _, _, s, _ in rows if s is not None]
        trips = [t for *_, ts in rows for t in ts]
        print(f"{n:>4} {rows[0][1]:>6} {wall * 1000:>8.1f} {wall / base:>5.2f} "
              f"{statistics.median(starts) if starts else 0:>12.0f} "
              f"{statistics.median(trips) if trips else 0:>24.0f}   "
              + " ".join(f"{w * 1000:.0f}" for w, *_ in rows))


if __name__ == "__main__":
    main()
