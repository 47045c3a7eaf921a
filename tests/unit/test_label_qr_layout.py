"""What a label's QR code holds and where a sheet puts it: the URL in capitals (QR alphanumeric mode,
a smaller symbol), codes read back from any form of that URL, and each QR inside its label with
grid-aligned modules (the condition for a whole page to read in one pass, see adapters/pdf.py)."""

from __future__ import annotations

import math

import pytest
import qrcode
from qrcode.util import MODE_ALPHA_NUM

from booking.adapters.pdf import A4, EDGE, GRID, TEMPLATES, place_qr
from booking.adapters.qr import QUIET_ZONE, qr_matrix
from booking.domain.lending.circulation_services import code_from_scan
from booking.domain.lending.labels import label_url, normalize_code
from booking.domain.shared.errors import ValidationError

CODE = "7KQ2MXH4C"


@pytest.mark.parametrize(("base", "url"), [
    ("http://testserver", f"HTTP://TESTSERVER/Q/{CODE}"),
    ("https://boka.sundsvall.se/", f"HTTPS://BOKA.SUNDSVALL.SE/Q/{CODE}"),
    ("http://127.0.0.1:8000", f"HTTP://127.0.0.1:8000/Q/{CODE}"),
    ("http://[::1]:8080", f"HTTP://[::1]:8080/Q/{CODE}"),
    ("https://bokning.hörby.se", f"HTTPS://BOKNING.XN--HRBY-5QA.SE/Q/{CODE}"),  # the host's ASCII form
    ("https://kommun.se/Boka", f"HTTPS://KOMMUN.SE/Boka/Q/{CODE}"),  # a path keeps its case
])
def test_a_label_url_is_in_capitals_where_case_does_not_matter(base: str, url: str) -> None:
    assert label_url(base, CODE) == url


@pytest.mark.parametrize("base", ["http://testserver", "http://127.0.0.1:8000", "https://boka.sundsvall.se"])
def test_a_label_url_is_one_alphanumeric_segment_of_a_version_2_symbol(base: str) -> None:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(label_url(base, CODE))
    qr.make(fit=True)
    assert [d.mode for d in qr.data_list] == [MODE_ALPHA_NUM]
    assert qr.version == 2  # 25 modules; the same URL in lower case needs version 3 (29)
    assert len(qr_matrix(label_url(base, CODE))) == 25 + 2 * QUIET_ZONE


@pytest.mark.parametrize("text", [
    CODE, CODE.lower(), "7KQ-2MX-H4C", f"HTTP://TESTSERVER/Q/{CODE}", f"http://testserver/q/{CODE}",
    f"https://x.se/q/{CODE.lower()}", f"HTTPS://X.SE/Q/{CODE}/", f"https://x.se/Q/{CODE}?utm=1#top",
])
def test_a_scanned_code_or_label_url_in_either_case_gives_the_code(text: str) -> None:
    assert normalize_code(text) == CODE
    assert code_from_scan(text, "codes[0]") == CODE


@pytest.mark.parametrize("text", ["HTTP://X/Q/", "HTTP://X/Q/0OIL", "https://x.se/k/1234567897", "/q/../../etc"])
def test_anything_else_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        code_from_scan(text, "codes[0]")
    assert [p.field for p in refused.value.problems] == ["codes[0]"]


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("modules", [29, 33, 37, 41])  # versions 1 to 4 with the quiet zone
def test_every_qr_sits_inside_its_label_on_the_grid(name: str, modules: int) -> None:
    template = TEMPLATES[name]
    assert template.left + (template.columns - 1) * template.pitch_x + template.width <= A4[0]
    assert template.top + (template.rows - 1) * template.pitch_y + template.height <= A4[1]
    for index in range(template.per_page):
        x, y, w, h = template.cell(index)
        place = template.qr_place(index, modules)
        assert x + EDGE - 1e-9 <= place.x and place.x + place.side <= x + w
        assert y + EDGE - 1e-9 <= place.y and place.y + place.side <= y + h - EDGE + 1e-9
        if name == "a4-5x13" and modules == 41:
            continue  # 41 x 0.508 mm is more than the label's 20.6 mm: this symbol fills the height instead
        for value in (place.x, place.y, place.module):  # whole 1/50 inch: whole pixels at 100 and 150 dpi
            assert math.isclose(value / GRID, round(value / GRID), abs_tol=1e-9), (name, index, value)


def test_the_modules_are_as_large_as_the_label_allows() -> None:
    # version 2 (33 modules with the quiet zone): 0.508 mm on the small labels, 1.016 mm on the large ones
    assert TEMPLATES["a4-5x13"].qr_place(0, 33).module == pytest.approx(GRID)
    assert TEMPLATES["a4-3x8"].qr_place(0, 33).module == pytest.approx(2 * GRID)
    assert TEMPLATES["a4-5x13"].qr_place(0, 37).module == pytest.approx(GRID)  # version 3 (a long host) too
    assert TEMPLATES["a4-3x8"].qr_place(0, 37).module == pytest.approx(GRID)


def test_a_box_too_small_for_the_grid_is_filled_instead() -> None:
    place = place_qr(10.0, 10.0, 12.0, 12.0, 33, grid=True)  # 33 x 0.508 mm would not fit 12 mm
    assert place.side == pytest.approx(12.0) and (place.x, place.y) == (10.0, 10.0)
