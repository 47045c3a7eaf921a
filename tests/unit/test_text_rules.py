"""Names and free text: what people may type."""

from __future__ import annotations

import pytest

from booking.domain.shared.errors import ValidationError
from booking.domain.shared.text import clean_name, clean_text


@pytest.mark.parametrize("name", [
    "Nackstaskolan", "Idrottshall A", "Klassrum B12", "Sankt Olofs gård", "O'Learys-salen",
    "Föreningen Åre & Östersund (FÅÖ)", "صالة الرياضة", "Café Noir: Scen 2", "Rum #3",
])
def test_ordinary_names_pass(name: str) -> None:
    assert clean_name(name) == name


def test_names_are_trimmed_and_spaces_collapsed() -> None:
    assert clean_name("  Musik   sal  ") == "Musik sal"


def test_names_are_nfc_normalised() -> None:
    decomposed = "Sko\u0308nsberg"  # o + combining diaeresis
    assert clean_name(decomposed) == "Skönsberg"


@pytest.mark.parametrize(("name", "code"), [
    ("", "required"),
    ("   ", "required"),
    ("x" * 201, "too-long"),
    ("Gym\u202eegaP", "bad-character"),  # right-to-left override
    ("Gym\u2066sal", "bad-character"),  # bidi isolate
    ("Gym\x00sal", "bad-character"),
    ("Gym\nsal", "bad-character"),
    ("Gympasal 🏀", "bad-character"),
    ("<script>alert(1)</script>", "bad-character"),
    ("Robert'); DROP TABLE spaces;--", "bad-character"),
    ("Z\u0351\u0352\u0353algo", "bad-character"),  # stacked combining marks
    ("\u0301Accent first", "bad-character"),
])
def test_bad_names_are_refused_naming_the_field(name: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_name(name, "name")
    assert caught.value.problems[0].field == "name"
    assert caught.value.problems[0].code == code


def test_free_text_allows_lines_and_symbols_but_not_controls() -> None:
    assert clean_text("Ta med inneskor!\nBarn < 12 år 🙂", "description") == "Ta med inneskor!\nBarn < 12 år 🙂"
    assert clean_text("   ", "description") is None
    with pytest.raises(ValidationError):
        clean_text("abc\u202edef", "description")
