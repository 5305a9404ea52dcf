"""A minimal QMP client for the QEMU scenario runner: read guest memory and type keys.

QMP is QEMU's JSON machine protocol (one JSON object per line). After connecting, QEMU sends a
greeting; the client answers `qmp_capabilities`, then sends commands and reads replies, skipping
the asynchronous events QEMU may interleave. Only the Python standard library is used.
"""
import json
import os
import re
import socket
import time

KEYBOARD_IRQ = 1
# QEMU's PS/2 keyboard queue holds 16 scancodes and silently drops what comes on top; type_text
# keeps at most this many waiting in it.
TYPE_AHEAD = 8


class QMPError(Exception):
    """QEMU answered a command with an error, or the connection broke."""


# US-layout key names (QEMU qcodes) for the characters `type_text` can type. The second item says
# whether shift must be held.
_UNSHIFTED = {" ": "spc", "\n": "ret", "\b": "backspace", "\t": "tab", "\x1b": "esc",
              "-": "minus", "=": "equal", "[": "bracket_left", "]": "bracket_right",
              "\\": "backslash", ";": "semicolon", "'": "apostrophe", "`": "grave_accent",
              ",": "comma", ".": "dot", "/": "slash"}
_SHIFTED = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8",
            "(": "9", ")": "0", "_": "minus", "+": "equal", "{": "bracket_left",
            "}": "bracket_right", "|": "backslash", ":": "semicolon", '"': "apostrophe",
            "~": "grave_accent", "<": "comma", ">": "dot", "?": "slash"}


def key_for(char):
    """Returns (qcode, shift) for one character; raises ValueError for one with no key."""
    if "a" <= char <= "z" or "0" <= char <= "9":
        return char, False
    if "A" <= char <= "Z":
        return char.lower(), True
    if char in _UNSHIFTED:
        return _UNSHIFTED[char], False
    if char in _SHIFTED:
        return _SHIFTED[char], True
    raise ValueError(f"no key types {char!r}")


def _key_event(qcode, down):
    return {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}


def key_events(char):
    """Returns the input-send-event events that type one character: down/up pairs, with shift
    held around the key when needed. Raises ValueError for a character with no key. Each event
    is one scancode for the guest (none of these keys has an 0xe0 prefix in scancode set 1)."""
    qcode, shift = key_for(char)
    events = [_key_event(qcode, True), _key_event(qcode, False)]
    if shift:
        events = [_key_event("shift", True)] + events + [_key_event("shift", False)]
    return events


def decode_escapes(text):
    """Decodes C-style escapes, as in a `@@type` or `@@serial` request or a screen check's text:
    \\n (Enter), \\r, \\b (Backspace), \\t, \\e (Escape), \\\\, \\", \\' and \\xNN (two hex
    digits: any byte, as a character U+0000..U+00FF). Raises ValueError for any other escape or
    a trailing backslash."""
    out, i = [], 0
    table = {"n": "\n", "r": "\r", "b": "\b", "t": "\t", "e": "\x1b", "\\": "\\", '"': '"',
             "'": "'"}
    while i < len(text):
        if text[i] != "\\":
            out.append(text[i])
            i += 1
            continue
        hexdigits = text[i + 2:i + 4]
        if text[i + 1:i + 2] == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", hexdigits):
            out.append(chr(int(hexdigits, 16)))
            i += 4
            continue
        if i + 1 >= len(text) or text[i + 1] not in table:
            raise ValueError(f"bad escape in {text!r} at {i}")
        out.append(table[text[i + 1]])
        i += 2
    return "".join(out)


class QMP:
    """One QMP connection. Every call raises QMPError (or OSError, e.g. socket.timeout) on
    failure; `timeout` bounds each wait for QEMU, including the connection itself."""

    def __init__(self, path, timeout=5.0):
        self._buf = b""
        self._sock = self._connect(path, timeout)
        try:
            self._sock.settimeout(timeout)
            greeting = self._read_message()
            if "QMP" not in greeting:
                raise QMPError(f"unexpected greeting {greeting}")
            self.execute("qmp_capabilities")
        except BaseException:
            self._sock.close()
            raise

    @staticmethod
    def _connect(path, timeout):
        # QEMU creates the socket during start-up; a caller racing it retries briefly.
        deadline = time.monotonic() + timeout
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(path)
                return sock
            except OSError:
                sock.close()
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    def close(self):
        self._sock.close()

    def _read_message(self):
        while b"\n" not in self._buf:
            data = self._sock.recv(65536)
            if not data:
                raise QMPError("QEMU closed the QMP connection")
            self._buf += data
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def execute(self, command, **arguments):
        """Sends one command; returns its "return" value, raises QMPError for an error reply."""
        request = {"execute": command}
        if arguments:
            request["arguments"] = arguments
        self._sock.sendall(json.dumps(request).encode() + b"\n")
        while True:
            reply = self._read_message()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                err = reply["error"]
                raise QMPError(f"{command}: {err.get('class')}: {err.get('desc')}")
            # anything else ({"event": ...}) is asynchronous: skip it

    def read_memory(self, addr, size, tmpdir):
        """Returns `size` bytes of guest physical memory at `addr`, saved by QEMU (pmemsave) into
        a file under `tmpdir`. Raises QMPError when the file comes back short."""
        path = os.path.join(tmpdir, f"pmem-{addr:x}-{size}.bin")
        self.execute("pmemsave", val=addr, size=size, filename=path)
        with open(path, "rb") as f:
            data = f.read()
        os.unlink(path)
        if len(data) != size:
            raise QMPError(f"pmemsave gave {len(data)} bytes, expected {size}")
        return data

    def screendump(self, tmpdir):
        """Returns the display's picture as QEMU's screendump saves it: a binary PPM (P6)."""
        path = os.path.join(tmpdir, "screendump.ppm")
        self.execute("screendump", filename=path)
        with open(path, "rb") as f:
            data = f.read()
        os.unlink(path)
        return data

    def irq_count(self, irq):
        """Returns how many times ISA interrupt line `irq` has risen at the 8259 PIC since QEMU
        started (HMP `info irq`). Raises QMPError when QEMU reports no 8259 statistics."""
        text = self.execute("human-monitor-command", **{"command-line": "info irq"})
        section = re.search(r"statistics for isa-i8259:(.*?)(?:IRQ statistics|\Z)", text, re.S)
        if section is None:
            raise QMPError(f"no 8259 interrupt statistics in `info irq`: {text!r}")
        counts = dict(re.findall(r"^\s*(\d+): (\d+)", section[1], re.M))
        return int(counts.get(str(irq), 0))  # a line that never rose is not listed

    def type_text(self, text, timeout=5.0):
        """Types `text` on the PS/2 keyboard, one input-send-event per character, as fast as the
        guest takes the scancodes: the keyboard line (IRQ 1) rises once for each scancode the
        controller hands the guest, so no more than TYPE_AHEAD sent scancodes wait in QEMU's
        queue at any time. Returns when the guest has been handed all of them. Raises
        ValueError (before typing anything) for a character with no key, and QMPError when the
        guest takes no scancode for `timeout` seconds (interrupts off or IRQ 1 masked)."""
        per_char = [key_events(c) for c in text]
        start = self.irq_count(KEYBOARD_IRQ)
        sent = handed = 0
        for events in per_char:
            if sent + len(events) - handed > TYPE_AHEAD:
                handed = self._wait_handed(start, sent + len(events) - TYPE_AHEAD, sent, timeout)
            self.execute("input-send-event", events=events)
            sent += len(events)
        self._wait_handed(start, sent, sent, timeout)

    def _wait_handed(self, start, count, sent, timeout):
        """Polls the IRQ 1 count until the guest has been handed `count` of the `sent` scancodes
        typed since the count was `start`; returns how many it has been handed. Raises QMPError
        when `timeout` seconds pass without one more."""
        best, deadline = -1, 0.0
        while True:
            handed = self.irq_count(KEYBOARD_IRQ) - start
            if handed >= count:
                return handed
            if handed > best:
                best, deadline = handed, time.monotonic() + timeout
            elif time.monotonic() >= deadline:
                raise QMPError(f"the guest took {handed} of {sent} scancodes, then none for "
                               f"{timeout:.1f} s")
            time.sleep(0.001)
