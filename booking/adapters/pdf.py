"""Printable PDFs drawn with reportlab: A4 label sheets and the ID-1 lending card.

Everything is vector: each QR module is a filled rectangle at an exact millimetre position, so a
printer renders sharp edges at any resolution. A template names the label stock's geometry in
millimetres (the numbers on the stock's box); label (col, row) has its lower-left corner at
`left + col * pitch_x`, `top + row * pitch_y` from the page's top-left corner.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from booking.adapters.qr import qr_matrix

A4 = (210.0, 297.0)
CARD = (85.6, 54.0)  # ISO/IEC 7810 ID-1


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
    qr_size: float  # mm, the QR with its quiet zone
    code_font: float  # pt
    side_text: bool  # room for the article name beside the QR

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def cell(self, index: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) in mm from the page's top-left corner of the label at `index` on its page."""
        i = index % self.per_page
        col, row = i % self.columns, i // self.columns
        return (self.left + col * self.pitch_x, self.top + row * self.pitch_y, self.width, self.height)

    def qr_box(self, index: int) -> tuple[float, float, float]:
        """(x, y, size) in mm from the page's top-left corner of the QR (quiet zone included)."""
        x, y, w, _ = self.cell(index)
        if self.side_text:
            return (x + 2.0, y + 1.5, self.qr_size)
        return (x + (w - self.qr_size) / 2, y + 0.8, self.qr_size)


TEMPLATES: dict[str, LabelTemplate] = {
    # 3 x 8 labels of 70 x 37 mm, no gaps, 0.5 mm top margin (e.g. Avery 3474, Herma 4453)
    "a4-3x8": LabelTemplate("a4-3x8", "A4 3 x 8, 70 x 37 mm", 3, 8, 70.0, 37.0, 0.0, 0.5, 70.0, 37.0,
                            28.0, 9.0, True),
    # 5 x 13 labels of 38.1 x 21.2 mm (e.g. Avery L7651): small labels for skates, helmets, rackets
    "a4-5x13": LabelTemplate("a4-5x13", "A4 5 x 13, 38,1 x 21,2 mm", 5, 13, 38.1, 21.2, 4.75, 10.7, 40.6, 21.2,
                             17.0, 6.0, False),
}


@dataclass(frozen=True, slots=True)
class LabelContent:
    code: str
    url: str
    title: str | None = None  # article name (and variant), when the label is linked
    subtitle: str | None = None  # e.g. "Fritidsbanken Nacksta"


def _draw_qr(canvas: Canvas, url: str, x_mm: float, top_mm: float, size_mm: float, page_h: float) -> None:
    """The QR with its top-left corner at (x_mm, top_mm) from the page's top-left corner."""
    matrix = qr_matrix(url)
    n = len(matrix)
    module = size_mm / n
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x_mm * mm, (page_h - top_mm - size_mm) * mm, size_mm * mm, size_mm * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        c = 0
        while c < n:  # runs of dark modules in a row become one rectangle
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            path.rect((x_mm + start * module) * mm, (page_h - top_mm - (r + 1) * module) * mm,
                      (c - start) * module * mm, module * mm)
    canvas.drawPath(path, stroke=0, fill=1)


def _fit(canvas: Canvas, text: str, font: str, size: float, width_mm: float) -> str:
    while text and canvas.stringWidth(text, font, size) > width_mm * mm:
        text = text[:-2] + "…" if len(text) > 2 else ""
    return text


def label_sheet(template: LabelTemplate, labels: Sequence[LabelContent], *, title: str = "QR-etiketter") -> bytes:
    """A4 pages of labels; the code is printed in plain letters under each QR."""
    page_w, page_h = A4
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page_w * mm, page_h * mm), pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("booking")
    for index, label in enumerate(labels):
        if index and index % template.per_page == 0:
            canvas.showPage()
        qx, qy, qs = template.qr_box(index)
        _draw_qr(canvas, label.url, qx, qy, qs, page_h)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("Helvetica-Bold", template.code_font)
        code_baseline = qy + qs + template.code_font * 0.3528 + 0.3
        canvas.drawCentredString((qx + qs / 2) * mm, (page_h - code_baseline) * mm, label.code)
        if template.side_text:
            x, y, w, _ = template.cell(index)
            text_x = qx + qs + 2.0
            room = x + w - text_x - 2.0
            canvas.setFont("Helvetica-Bold", 9)
            canvas.drawString(text_x * mm, (page_h - y - 8) * mm,
                              _fit(canvas, label.subtitle or "Fritidsbanken", "Helvetica-Bold", 9, room))
            if label.title:
                canvas.setFont("Helvetica", 8)
                canvas.drawString(text_x * mm, (page_h - y - 14) * mm, _fit(canvas, label.title, "Helvetica", 8, room))
            canvas.setFont("Helvetica", 7)
            canvas.drawString(text_x * mm, (page_h - y - 30) * mm, _fit(canvas, "Skanna för att låna", "Helvetica", 7,
                                                                         room))
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class CardContent:
    number: str  # formatted for people, e.g. "1234 5678 90"
    url: str
    name: str
    issuer: str  # e.g. "Fritidsbanken Sundsvall"


CARD_QR = (52.0, 6.0, 30.0)  # (x, y from top-left, size) in mm


def lending_card(card: CardContent) -> bytes:
    """One page the size of a bank card (85.6 x 54 mm): issuer, name, number, and the card's QR."""
    page_w, page_h = CARD
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page_w * mm, page_h * mm), pageCompression=1)
    canvas.setTitle("Lånekort")
    canvas.setAuthor("booking")
    qx, qy, qs = CARD_QR
    _draw_qr(canvas, card.url, qx, qy, qs, page_h)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(5 * mm, (page_h - 10) * mm, "Lånekort")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(5 * mm, (page_h - 15) * mm, _fit(canvas, card.issuer, "Helvetica", 8, qx - 7))
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(5 * mm, (page_h - 30) * mm, _fit(canvas, card.name, "Helvetica-Bold", 9, qx - 7))
    canvas.setFont("Courier-Bold", 10)
    canvas.drawCentredString((qx + qs / 2) * mm, (page_h - qy - qs - 4) * mm, card.number)
    canvas.setFont("Helvetica", 6.5)
    canvas.drawString(5 * mm, 5 * mm, "Visa kortet när du lånar.")
    canvas.showPage()
    canvas.save()
    return out.getvalue()
