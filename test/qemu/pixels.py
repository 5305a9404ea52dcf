"""Reads a framebuffer console back from a QMP `screendump`: each 8x16 cell's pixels are matched
against the glyphs of the font core/fbcon draws with, read here from console-setup's PSF file with
a parser of its own (not the build's scripts/psf2c.py), so a broken conversion or a broken renderer
shows as text that does not decode. Only printable ASCII (0x20-0x7e) is decoded, the characters
the scenarios check; a cell that matches none reads as 0x00.

The decoded grid is turned into VGA text cells (character, attribute) for the screen checks the
runner already has: the bottom-left 80x25 cells of the grid, so `row 24` is the bottom row on both
kinds of screen (the console writes at the bottom row and scrolls up on both)."""
import gzip
import struct

# The first font core/core.mk's FBCON_FONT_FILES lists: the one ASCII comes from.
FONT_PATH = "/usr/share/consolefonts/FullGreek-VGA16.psf.gz"
CELL_W, CELL_H = 8, 16
CURSOR_ROWS = range(13, 16)  # fbcon's cursor: scanlines 13-15 XORed
# The VGA DAC's default 16 colours (what core/fbcon's palette holds), 0xRRGGBB.
VGA_RGB = [0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500, 0xAAAAAA,
           0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF]
LIGHT_GRAY = 7


class PixelError(Exception):
    pass


def read_ppm(data):
    """Returns (width, height, rgb bytes) of a binary PPM (P6, maxval 255): QEMU's screendump."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise PixelError(f"not a P6 PPM with maxval 255: {fields[0]!r} {fields[3]!r}")
    width, height = int(fields[1]), int(fields[2])
    rgb = data[pos + 1:pos + 1 + width * height * 3]
    if len(rgb) != width * height * 3:
        raise PixelError("PPM cut short")
    return width, height, rgb


def ascii_glyphs(path=FONT_PATH):
    """Returns {16-byte glyph bitmap: byte} for the printable ASCII characters of a PSF1 font with
    a Unicode table (console-setup's are PSF1), the first character listed for a glyph winning."""
    data = gzip.open(path).read()
    if data[:2] != b"\x36\x04" or not data[2] & 0x02 or data[3] != CELL_H:
        raise PixelError(f"{path}: not an 8x16 PSF1 font with a Unicode table")
    count = 512 if data[2] & 0x01 else 256
    pos, glyphs = 4 + count * CELL_H, {}
    for index in range(count):
        bitmap = data[4 + index * CELL_H:4 + (index + 1) * CELL_H]
        seq = False
        while True:
            (value,) = struct.unpack_from("<H", data, pos)
            pos += 2
            if value == 0xFFFF:
                break
            if value == 0xFFFE:
                seq = True
            elif not seq and 0x20 <= value <= 0x7E:
                glyphs.setdefault(bytes(bitmap), value)
    return glyphs


def _attr(fg, bg):
    """VGA attribute of two 0xRRGGBB colours (None when one is not a VGA colour)."""
    if fg not in VGA_RGB or bg not in VGA_RGB:
        return None
    return VGA_RGB.index(bg) << 4 | VGA_RGB.index(fg)


def decode_cell(width, rgb, col, row, glyphs):
    """Returns (byte, attr) of the cell at (row, col): 0x00 and 0 when it matches no glyph."""
    pixels = []
    for y in range(row * CELL_H, (row + 1) * CELL_H):
        base = (y * width + col * CELL_W) * 3
        line = rgb[base:base + CELL_W * 3]
        pixels.append([line[i] << 16 | line[i + 1] << 8 | line[i + 2] for i in range(0, 24, 3)])
    colours = {p for line in pixels for p in line}
    if len(colours) == 1:
        (bg,) = colours
        attr = _attr(VGA_RGB[LIGHT_GRAY], bg)
        return (0x20, attr) if attr is not None else (0, 0)
    if len(colours) != 2:
        return 0, 0
    for fg in colours:
        (bg,) = colours - {fg}
        bits = [sum(0x80 >> x for x in range(CELL_W) if line[x] == fg) for line in pixels]
        for cursor in (False, True):  # the cursor's scanlines, XORed back
            b = [v ^ 0xFF if cursor and y in CURSOR_ROWS else v for y, v in enumerate(bits)]
            ch = glyphs.get(bytes(b))
            attr = _attr(fg, bg)
            if ch is not None and attr is not None:
                return ch, attr
    return 0, 0


def vga_cells(ppm, rows=25, cols=80, glyphs=None):
    """Decodes a screendump into `rows` x `cols` VGA cells (2 bytes each: character, attribute),
    the grid's bottom-left corner."""
    glyphs = glyphs if glyphs is not None else ascii_glyphs()
    width, height, rgb = read_ppm(ppm)
    grid_rows, grid_cols = height // CELL_H, width // CELL_W
    if grid_rows < rows or grid_cols < cols:
        raise PixelError(f"a {width}x{height} screen has fewer than {cols}x{rows} cells")
    out = bytearray()
    for r in range(grid_rows - rows, grid_rows):
        for c in range(cols):
            out += bytes(decode_cell(width, rgb, c, r, glyphs))
    return bytes(out)
