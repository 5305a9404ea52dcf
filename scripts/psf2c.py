#!/usr/bin/env python3
"""Converts Linux console fonts (PSF1 or PSF2, plain or gzipped, with a Unicode table) into the C
array core/fbcon draws with: 256 glyphs of 8x16 pixels indexed by code page 437 byte, as the VGA
text mode's character generator is.

    psf2c.py FONT.psf[.gz]... -o OUT.c    writes the C source (core/fbcon_font.h declares it)
    psf2c.py FONT.psf[.gz]... --coverage  says, per font, which code page 437 characters it lacks

A console-setup font is indexed by Unicode (its glyph order is the font's own), so each byte is
mapped to its Unicode character (code page 437's graphic set: the smileys, arrows and card suits at
0x01-0x1f, the house at 0x7f, box drawing and Greek above 0x80) and then through a font's Unicode
table to a glyph, taken from the first font given that has the character. Byte 0x00 is drawn blank
as on VGA. Two characters no console-setup font has are drawn as the shape the VGA ROM gives them
(SUBSTITUTES). A character no font given has is an error naming it.
"""
import argparse
import gzip
import os
import struct
import sys

GLYPH_WIDTH = 8
GLYPH_HEIGHT = 16

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE512 = 0x01
PSF1_MODEHASTAB = 0x02
PSF1_MODESEQ = 0x04
PSF1_SEPARATOR = 0xFFFF
PSF1_STARTSEQ = 0xFFFE
PSF2_MAGIC = b"\x72\xb5\x4a\x86"
PSF2_HAS_UNICODE_TABLE = 0x01
PSF2_SEPARATOR = 0xFF
PSF2_STARTSEQ = 0xFE

# Code page 437's graphic characters below 0x20 and at 0x7f, as the VGA ROM font draws them
# (Python's cp437 codec maps those bytes to control characters instead).
CP437_LOW = [
    0x0020, 0x263A, 0x263B, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022,
    0x25D8, 0x25CB, 0x25D9, 0x2642, 0x2640, 0x266A, 0x266B, 0x263C,
    0x25BA, 0x25C4, 0x2195, 0x203C, 0x00B6, 0x00A7, 0x25AC, 0x21A8,
    0x2191, 0x2193, 0x2192, 0x2190, 0x221F, 0x2194, 0x25B2, 0x25BC,
]
CP437_HOUSE = 0x2302
# Black right- and left-pointing pointer (0x10, 0x11), which the VGA ROM draws as the full black
# triangles U+25B6 and U+25C0.
SUBSTITUTES = {0x25BA: 0x25B6, 0x25C4: 0x25C0}


def cp437_to_unicode(byte):
    """The Unicode character code page 437 byte `byte` shows on a VGA screen."""
    if byte < 0x20:
        return CP437_LOW[byte]
    if byte == 0x7F:
        return CP437_HOUSE
    return ord(bytes([byte]).decode("cp437"))


class FontError(Exception):
    pass


def read_font(path):
    """Returns (glyphs, table): glyphs a list of `bytes` (one row a byte, top row first), table a
    dict from a Unicode character to its glyph's index (single characters only: sequences are
    skipped). Raises FontError on a file that is not an 8-pixel-wide PSF with a Unicode table."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:2] == PSF1_MAGIC:
        return read_psf1(data)
    if data[:4] == PSF2_MAGIC:
        return read_psf2(data)
    raise FontError(f"{path}: not a PSF1 or PSF2 font")


def read_psf1(data):
    mode, height = data[2], data[3]
    count = 512 if mode & PSF1_MODE512 else 256
    start = 4
    glyphs = [data[start + i * height:start + (i + 1) * height] for i in range(count)]
    if len(data) < start + count * height:
        raise FontError("PSF1 font cut short in its glyphs")
    if not mode & (PSF1_MODEHASTAB | PSF1_MODESEQ):
        raise FontError("PSF1 font without a Unicode table")
    table = {}
    pos = start + count * height
    for index in range(count):
        in_seq = False
        while True:
            if pos + 2 > len(data):
                raise FontError("PSF1 Unicode table cut short")
            (value,) = struct.unpack_from("<H", data, pos)
            pos += 2
            if value == PSF1_SEPARATOR:
                break
            if value == PSF1_STARTSEQ:
                in_seq = True
            elif not in_seq:
                table.setdefault(value, index)
    return glyphs, table, GLYPH_WIDTH, height


def read_psf2(data):
    (_, _, header_size, flags, count, glyph_size, height, width) = struct.unpack_from("<8I", data)
    row_bytes = (width + 7) // 8
    if glyph_size != row_bytes * height:
        raise FontError("PSF2 glyph size does not match its width and height")
    start = header_size
    if len(data) < start + count * glyph_size:
        raise FontError("PSF2 font cut short in its glyphs")
    glyphs = [data[start + i * glyph_size:start + (i + 1) * glyph_size] for i in range(count)]
    if not flags & PSF2_HAS_UNICODE_TABLE:
        raise FontError("PSF2 font without a Unicode table")
    table = {}
    pos = start + count * glyph_size
    for index in range(count):
        end = data.find(bytes([PSF2_SEPARATOR]), pos)
        if end < 0:
            raise FontError("PSF2 Unicode table cut short")
        entry = data[pos:end]
        pos = end + 1
        singles = entry.split(bytes([PSF2_STARTSEQ]))[0]
        for ch in singles.decode("utf-8"):
            table.setdefault(ord(ch), index)
    return glyphs, table, width, height


def font_name(path):
    return os.path.basename(path).split(".")[0]


def cp437_glyphs(paths):
    """The 256 glyphs in code page 437 order, as (byte, code point, font name, rows), each from the
    first font of `paths` that has its character (or its SUBSTITUTES entry). Raises FontError when
    a font is not 8x16 or no font has a character of the code page."""
    fonts = []
    for path in paths:
        glyphs, table, width, height = read_font(path)
        if (width, height) != (GLYPH_WIDTH, GLYPH_HEIGHT):
            raise FontError(f"{path}: {width}x{height} glyphs, core/fbcon draws "
                            f"{GLYPH_WIDTH}x{GLYPH_HEIGHT}")
        fonts.append((font_name(path), glyphs, table))
    out, missing = [], []
    for byte in range(256):
        code = cp437_to_unicode(byte)
        found = None
        for want in (code, SUBSTITUTES.get(code)):
            found = found or next(((name, glyphs[table[want]]) for name, glyphs, table in fonts
                                   if want in table), None)
        if found is None:
            missing.append(f"0x{byte:02x} (U+{code:04X})")
        else:
            out.append((byte, code, found[0], found[1]))
    if missing:
        raise FontError(f"no font given has code page 437 {', '.join(missing)}")
    return out


def c_source(paths, glyphs):
    names = " + ".join(font_name(p) for p in paths)
    out = ["// Generated by scripts/psf2c.py from these fonts, the first that has a character giving"]
    out += ["// its glyph (do not edit, do not commit):"] + [f"//   {p}" for p in paths]
    out += [
        "// The console font core/fbcon draws with (core/fbcon_font.h).",
        '#include "core/fbcon_font.h"',
        "",
        f'const char fbcon_font_name[] = "{names}";',
        "",
        "const uint8_t fbcon_font[FBCON_FONT_GLYPHS][FBCON_GLYPH_HEIGHT] = {",
    ]
    for byte, code, name, rows in glyphs:
        hex_rows = ", ".join(f"0x{r:02x}" for r in rows)
        out.append(f"    {{{hex_rows}}}, // 0x{byte:02x} U+{code:04X} {name}")
    out.append("};")
    return "\n".join(out) + "\n"


def coverage(path):
    _, table, width, height = read_font(path)
    missing = [b for b in range(256) if cp437_to_unicode(b) not in table]
    lines = [f"{path}: {width}x{height}, {256 - len(missing)}/256 of code page 437"]
    lines += [f"  missing 0x{b:02x} U+{cp437_to_unicode(b):04X} {chr(cp437_to_unicode(b))}"
              for b in missing]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("fonts", nargs="+", help="PSF1 or PSF2 fonts, plain or gzipped")
    ap.add_argument("-o", "--output", help="the C file to write")
    ap.add_argument("--coverage", action="store_true",
                    help="only say which code page 437 characters each font lacks")
    args = ap.parse_args()
    try:
        if args.coverage:
            print("\n".join(coverage(path) for path in args.fonts))
            return 0
        if not args.output:
            ap.error("say -o OUT.c (or --coverage)")
        source = c_source(args.fonts, cp437_glyphs(args.fonts))
    except (OSError, FontError, UnicodeDecodeError) as e:
        print(f"psf2c: {e}", file=sys.stderr)
        return 1
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(source)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
