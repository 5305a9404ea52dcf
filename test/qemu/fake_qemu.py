"""A fake QEMU for the runner's tests (test_run.py), passed to run.py with --qemu.

The "kernel image" it is asked to boot (-kernel or -cdrom) is a JSON script: "steps" to take in
order (out, err, screen, type, serial, ask, trace, sleep, mark, pflash, hang, orphan, exit), plus
"rows"/"cells" of the VGA text screen its QMP pmemsave returns, "qmp_error" to make QMP fail, and "keys_stuck" or
"keys_slow" for a guest that takes no scancode or one more at each `info irq` (else it takes each
at once, as `info irq` says). It records its argv and pid beside the image (IMAGE.argv), the keys
typed over QMP (IMAGE.keys), the bytes written to its serial line after a serial step's answer
(IMAGE.serial), how many scancodes wait after each key (IMAGE.waiting), the pid of a child it leaves
behind (IMAGE.child), the moments of its mark steps (IMAGE.marks) and what a pflash step found in
the firmware's variable store (IMAGE.vars; it then writes there, as OVMF does).
"""
import json, os, socket, subprocess, sys, threading, time

argv = sys.argv[1:]
opt = lambda name: argv[argv.index(name) + 1] if name in argv else None
image = opt("-kernel") or opt("-cdrom")
with open(image + ".argv", "w") as f:
    json.dump({"argv": argv, "pid": os.getpid()}, f)
script = json.load(open(image))

def vga_cells():
    cells = bytearray(b"\x20\x07" * 2000)
    for row, text in script.get("rows", {}).items():
        for col, ch in enumerate(text.encode("cp437")):
            cells[(int(row) * 80 + col) * 2] = ch
    for row, col, ch, attr in script.get("cells", []):
        cells[(row * 80 + col) * 2:(row * 80 + col) * 2 + 2] = bytes([ch, attr])
    return bytes(cells)

scancodes = taken = 0  # sent through input-send-event (one for each key event), taken by the guest

def info_irq():
    global taken
    if not script.get("keys_stuck"):
        taken = min(taken + 1, scancodes) if script.get("keys_slow") else scancodes
    return f"IRQ statistics for isa-i8259:\r\n 0: 7\r\n 1: {taken}\r\n" if taken else \
        "IRQ statistics for isa-i8259:\r\n 0: 7\r\n"

def serve_qmp(path):
    global scancodes
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    while True:
        conn, _ = server.accept()
        f = conn.makefile("rwb", buffering=0)
        f.write(b'{"QMP": {"version": {}, "capabilities": []}}\n')
        for line in f:
            req = json.loads(line)
            cmd, args = req["execute"], req.get("arguments", {})
            f.write(b'{"event": "NOISE", "data": {}}\n')  # an async event the client must skip
            if cmd == "pmemsave" and not script.get("qmp_error"):
                assert (args["val"], args["size"]) == (0xb8000, 4000), args
                with open(args["filename"], "wb") as out:
                    out.write(vga_cells())
            elif cmd == "input-send-event":
                with open(image + ".keys", "a") as log:
                    log.write(json.dumps(args["events"]) + "\n")
                scancodes += len(args["events"])
                with open(image + ".waiting", "a") as log:
                    log.write(f"{scancodes - taken}\n")
            elif cmd == "human-monitor-command" and args["command-line"] == "info irq":
                f.write(json.dumps({"return": info_irq()}).encode() + b"\n")
                continue
            elif cmd != "qmp_capabilities" or script.get("qmp_error"):
                f.write(b'{"error": {"class": "GenericError", "desc": "no"}}\n')
                continue
            f.write(b'{"return": {}}\n')

qmp_arg = opt("-qmp")
if qmp_arg:
    path = qmp_arg[len("unix:"):].split(",")[0]
    threading.Thread(target=serve_qmp, args=(path,), daemon=True).start()

def out(text):
    sys.stdout.write(text + "\r\n")
    sys.stdout.flush()

for step, *arg in script["steps"]:
    if step == "out":
        out(arg[0])
    elif step == "err":
        sys.stderr.write(arg[0] + "\n")
    elif step in ("screen", "type", "ask"):
        out(arg[0] if step == "ask" else f"@@{step} {arg[0]}")
        out("answer: " + sys.stdin.readline().strip())
    elif step == "serial":  # @@serial TEXT, its answer, then arg[1] bytes to IMAGE.serial
        out(f"@@serial {arg[0]}")
        line = b""
        while not line.endswith(b"\n"):  # unbuffered: the bytes after the answer stay unread
            line += os.read(0, 1)
        out("answer: " + line.decode().strip())
        data = b""
        while len(data) < arg[1]:
            data += os.read(0, arg[1] - len(data))
        with open(image + ".serial", "wb") as f:
            f.write(data)
    elif step == "trace":  # text the kernel writes to the heap trace's debug console
        chardev = next(a for a in argv if a.startswith("file,id=htrace,"))
        with open(chardev.split("path=", 1)[1], "a") as f:
            f.write(arg[0])
    elif step == "sleep":
        time.sleep(arg[0])
    elif step == "mark":  # the moment this step ran, for tests of overlap between boots
        with open(image + ".marks", "a") as f:
            f.write(f"{arg[0]} {time.monotonic()}\n")
    elif step == "pflash":  # the second flash chip (unit=1) is the firmware's variable store
        drive = next(a for a in argv if a.startswith("if=pflash,") and ",unit=1," in a)
        store = drive.split("file=", 1)[1]
        with open(image + ".vars", "a") as f:
            f.write(f"{store} {open(store).read()}\n")
        with open(store, "w") as f:
            f.write("written by the firmware")
    elif step in ("hang", "orphan"):  # orphan: exit, leaving a child that holds the pipes
        child = subprocess.Popen(["sleep", "600"])
        with open(image + ".child", "w") as f:
            f.write(str(child.pid))
        time.sleep(600 if step == "hang" else 0)
    elif step == "exit":
        sys.exit(arg[0])
