"""QR codes (qrcode): error correction M, and in every image its own light background with a quiet
zone of four modules.

A QR code decodes only when its dark modules stand on a light ground that reaches four modules past
the symbol. An image that leaves the ground transparent decodes where the viewer happens to paint
white behind it and nowhere else (a dark page, a phone in dark mode, librsvg's output): so the SVG
paints a white square under the whole symbol, the PNG is opaque, and the PDF writer paints the same
square before the modules.

`qr_svg` and `qr_png` for the screen and downloads; `qr_matrix` for the PDF writer, which draws
the dark modules as vector rectangles (never a raster image in a PDF). Text that is all capitals,
digits and ` $%*+-./:` is stored in the QR alphanumeric mode (5.5 bits a character instead of 8),
so an upper-case label URL fits a smaller symbol with larger modules (see labels.label_url).
"""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4
LIGHT = "#ffffff"
DARK = "#000000"
SVG_MODULE_PX = 8  # the SVG's intrinsic size: 8 CSS pixels a module (pages size it as they like)


def _qr(text: str, **kwargs: object) -> qrcode.QRCode:  # type: ignore[type-arg]
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, **kwargs)  # type: ignore[arg-type]
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules, quiet zone included: True is dark."""
    return [list(row) for row in _qr(text).get_matrix()]


def dark_runs(matrix: list[list[bool]]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    runs = []
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            runs.append((r, start, c - start))
    return runs


def qr_svg(text: str) -> bytes:
    """An SVG whose first shape is a white square under the whole symbol and its quiet zone, then one
    path of the dark modules; `crispEdges` keeps module edges on whole pixels."""
    matrix = qr_matrix(text)
    n = len(matrix)
    path = "".join(f"M{c} {r}h{w}v1h-{w}z" for r, c, w in dark_runs(matrix))
    size = n * SVG_MODULE_PX
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{size}" height="{size}" '
        f'viewBox="0 0 {n} {n}" shape-rendering="crispEdges">'
        f'<rect x="0" y="0" width="{n}" height="{n}" fill="{LIGHT}"/>'
        f'<path fill="{DARK}" d="{path}"/></svg>\n'
    ).encode()


def qr_png(text: str, box_size: int = 8) -> bytes:
    """An opaque black-on-white PNG (greyscale, no alpha), `box_size` pixels per module (qrcode[pil])."""
    qr = _qr(text, box_size=box_size)
    image = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
