"""Printable PDFs drawn with reportlab: A4 label sheets and the ID-1 lending card.

Everything is vector. A template names the label stock's geometry in millimetres (the numbers on
the stock's box); label (col, row) has its top-left corner at `left + col * pitch_x`,
`top + row * pitch_y` from the page's top-left corner.

Each QR code stands on its own white square (quiet zone included) and each run of dark modules is
one filled rectangle. On a sheet the module size is a whole multiple of 1/50 inch and the symbol's
corner sits on a 1/50-inch grid from the page's corner: printed or rendered at 100, 150, 200, 300
or 600 dpi every module is a whole number of dots and every code on the page comes out exactly
alike. That is what lets a reader find all 65 codes of a page in one pass: zbar pairs finder
patterns by trying them in order of their measured size and gives up after 8,192 failed tries, and
codes blurred differently by their sub-pixel position sort apart (a 5 x 13 page rendered at
150 dpi read 3 of 65 codes before, 0 at 100 dpi). The card holds one code and fills its box.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from booking.adapters.qr import dark_runs, qr_matrix

A4 = (210.0, 297.0)
CARD = (85.6, 54.0)  # ISO/IEC 7810 ID-1
GRID = 25.4 / 50  # mm: 1/50 inch, a whole number of pixels at 100, 150, 200, 300 and 600 dpi
EDGE = 0.3  # mm kept clear inside a label's edge, for the die-cut's tolerance


@dataclass(frozen=True, slots=True)
class QrPlace:
    """Where a QR code goes: top-left corner (mm from the page's top-left) and module size; the
    symbol with its quiet zone is `modules * module` mm square."""

    x: float
    y: float
    module: float
    modules: int

    @property
    def side(self) -> float:
        return self.module * self.modules


def _on_grid(x: float, y: float, w: float, h: float, modules: int) -> QrPlace | None:
    """The largest grid-aligned symbol inside the box (x, y, w, h): left-aligned, vertically centred."""
    for steps in range(math.floor(min(w, h) / modules / GRID + 1e-9), 0, -1):
        side = steps * GRID * modules
        left = math.ceil(x / GRID - 1e-9) * GRID
        top_min, top_max = math.ceil(y / GRID - 1e-9), math.floor((y + h - side) / GRID + 1e-9)
        top = min(max(round((y + (h - side) / 2) / GRID), top_min), top_max)
        if top_min <= top_max and left + side <= x + w + 1e-9:
            return QrPlace(left, top * GRID, steps * GRID, modules)
    return None


def place_qr(x: float, y: float, w: float, h: float, modules: int, *, grid: bool) -> QrPlace:
    """A symbol of `modules` modules in the box: on the 1/50-inch grid when `grid` and one module of
    the grid fits, otherwise filling the box's height (vertically centred)."""
    placed = _on_grid(x, y, w, h, modules) if grid else None
    if placed is not None:
        return placed
    side = min(w, h)
    return QrPlace(x, y + (h - side) / 2, side / modules, modules)


@dataclass(frozen=True, slots=True)
class LabelTemplate:
    name: str
    title: str
    columns: int
    rows: int
    width: float  # mm, one label
    height: float
    left: float  # page edge to the first column
    top: float  # page edge to the first row
    pitch_x: float  # from one label's left edge to the next one's
    pitch_y: float
    qr_width: float  # mm, the widest the QR (with its quiet zone) may be; its height is the label's
    code_font: float  # pt, the largest size of the code's letters
    side_text: bool  # room for the site and the article name beside the QR

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def cell(self, index: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) in mm from the page's top-left corner of the label at `index` on its page."""
        i = index % self.per_page
        col, row = i % self.columns, i // self.columns
        return (self.left + col * self.pitch_x, self.top + row * self.pitch_y, self.width, self.height)

    def qr_place(self, index: int, modules: int) -> QrPlace:
        """The QR of a symbol of `modules` modules: at the label's left, on the 1/50-inch grid."""
        x, y, _, h = self.cell(index)
        return place_qr(x + EDGE, y + EDGE, self.qr_width, h - 2 * EDGE, modules, grid=True)


TEMPLATES: dict[str, LabelTemplate] = {
    # 3 x 8 labels of 70 x 37 mm, no gaps, 0.5 mm top margin (e.g. Avery 3474, Herma 4453)
    "a4-3x8": LabelTemplate("a4-3x8", "A4 3 x 8, 70 x 37 mm", 3, 8, 70.0, 37.0, 0.0, 0.5, 70.0, 37.0,
                            36.4, 11.0, True),
    # 5 x 13 labels of 38.1 x 21.2 mm (e.g. Avery L7651): small labels for skates, helmets, rackets
    "a4-5x13": LabelTemplate("a4-5x13", "A4 5 x 13, 38,1 x 21,2 mm", 5, 13, 38.1, 21.2, 4.75, 10.7, 40.6, 21.2,
                             21.0, 8.0, False),
}


@dataclass(frozen=True, slots=True)
class LabelContent:
    code: str
    url: str
    title: str | None = None  # article name (and variant), when the label is linked
    subtitle: str | None = None  # e.g. "Fritidsbanken Nacksta"


def _draw_qr(canvas: Canvas, matrix: list[list[bool]], place: QrPlace, page_h: float) -> None:
    """The white square (quiet zone included), then one filled rectangle per run of dark modules:
    a rectangle alone is snapped to whole pixels by rasterizers, a path of many is blurred at its
    edges."""
    x, y, m, side = place.x, place.y, place.module, place.side
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x * mm, (page_h - y - side) * mm, side * mm, side * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for r, c, w in dark_runs(matrix):
        canvas.rect((x + c * m) * mm, (page_h - y - (r + 1) * m) * mm, w * m * mm, m * mm, stroke=0, fill=1)


def _fit(canvas: Canvas, text: str, font: str, size: float, width_mm: float) -> str:
    while text and canvas.stringWidth(text, font, size) > width_mm * mm:
        text = text[:-2] + "…" if len(text) > 2 else ""
    return text


def _fit_size(canvas: Canvas, text: str, font: str, largest: float, width_mm: float) -> float:
    """The largest size (down to 5 pt) at which `text` fits `width_mm`."""
    size = largest
    while size > 5 and canvas.stringWidth(text, font, size) > width_mm * mm:
        size -= 0.5
    return size


def _label(canvas: Canvas, template: LabelTemplate, index: int, label: LabelContent, page_h: float) -> None:
    matrix = qr_matrix(label.url)
    place = template.qr_place(index, len(matrix))
    _draw_qr(canvas, matrix, place, page_h)
    x, y, w, _ = template.cell(index)
    text_x = place.x + place.side + 0.5  # the quiet zone is inside the square: text may start right after
    room = x + w - 1.5 - text_x
    canvas.setFillColorRGB(0, 0, 0)
    size = _fit_size(canvas, label.code, "Helvetica-Bold", template.code_font, room)
    canvas.setFont("Helvetica-Bold", size)
    if not template.side_text:  # the code alone, centred on the QR's middle line
        canvas.drawString(text_x * mm, (page_h - place.y - place.side / 2 - size * 0.3528 / 2) * mm, label.code)
        return
    canvas.drawString(text_x * mm, (page_h - y - 24) * mm, label.code)
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(text_x * mm, (page_h - y - 8) * mm,
                      _fit(canvas, label.subtitle or "Fritidsbanken", "Helvetica-Bold", 9, room))
    if label.title:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(text_x * mm, (page_h - y - 14) * mm, _fit(canvas, label.title, "Helvetica", 8, room))
    canvas.setFont("Helvetica", 7)
    canvas.drawString(text_x * mm, (page_h - y - 31) * mm, _fit(canvas, "Skanna för att låna", "Helvetica", 7, room))


def label_sheet(template: LabelTemplate, labels: Sequence[LabelContent], *, title: str = "QR-etiketter") -> bytes:
    """A4 pages of labels; the code is printed in plain letters beside each QR."""
    page_w, page_h = A4
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page_w * mm, page_h * mm), pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("booking")
    for index, label in enumerate(labels):
        if index and index % template.per_page == 0:
            canvas.showPage()
        _label(canvas, template, index, label, page_h)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class CardContent:
    number: str  # formatted for people, e.g. "1234 5678 90"
    url: str
    name: str
    issuer: str  # e.g. "Fritidsbanken Sundsvall"


CARD_QR = (50.0, 5.0, 32.0)  # (x, y from top-left, the largest side) in mm


def lending_card(card: CardContent) -> bytes:
    """One page the size of a bank card (85.6 x 54 mm): issuer, name, number, and the card's QR."""
    page_w, page_h = CARD
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page_w * mm, page_h * mm), pageCompression=1)
    canvas.setTitle("Lånekort")
    canvas.setAuthor("booking")
    matrix = qr_matrix(card.url)
    qx, qy, qs = CARD_QR
    place = place_qr(qx, qy, qs, qs, len(matrix), grid=False)  # one code: it fills its box
    _draw_qr(canvas, matrix, place, page_h)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(5 * mm, (page_h - 10) * mm, "Lånekort")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(5 * mm, (page_h - 15) * mm, _fit(canvas, card.issuer, "Helvetica", 8, qx - 7))
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(5 * mm, (page_h - 30) * mm, _fit(canvas, card.name, "Helvetica-Bold", 9, qx - 7))
    canvas.setFont("Courier-Bold", 10)
    canvas.drawCentredString((place.x + place.side / 2) * mm, (page_h - place.y - place.side - 4) * mm, card.number)
    canvas.setFont("Helvetica", 6.5)
    canvas.drawString(5 * mm, 5 * mm, "Visa kortet när du lånar.")
    canvas.showPage()
    canvas.save()
    return out.getvalue()
