"""QR codes (qrcode): error correction M, a quiet zone of four modules.

`qr_svg` and `qr_png` for the screen and downloads; `qr_matrix` for the PDF writer, which draws
the dark modules as vector rectangles (never a raster image in a PDF)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4


def _qr(text: str, **kwargs: object) -> qrcode.QRCode:  # type: ignore[type-arg]
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, **kwargs)  # type: ignore[arg-type]
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def qr_svg(text: str) -> bytes:
    qr = _qr(text, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    qr.make_image().save(out)
    return out.getvalue()


def qr_png(text: str, box_size: int = 8) -> bytes:
    """A black-on-white PNG, `box_size` pixels per module (qrcode[pil])."""
    qr = _qr(text, box_size=box_size)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules, quiet zone included: True is dark."""
    return [list(row) for row in _qr(text).get_matrix()]
