"""Rules for text that people type: names and free text.

Names (of sites, spaces, areas, associations) end up on signs, invoices,
QR labels and calendar entries, so they are kept to letters, digits, spaces
and ordinary punctuation. Free text may hold more, but never control or
bidirectional-override characters (a spoofing vector) or lone combining marks.
"""

from __future__ import annotations

import unicodedata

from booking.domain.shared.errors import ValidationError

NAME_MAX = 200
TEXT_MAX = 4000

_NAME_PUNCTUATION = set(" -–.,'’&()/:#+!")
# Format characters allowed inside free text: none but the zero-width joiner
# pieces of ordinary scripts; bidi overrides/isolates are refused.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
_MAX_COMBINING_RUN = 2


def _check_common(value: str, field: str, max_len: int) -> str:
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise ValidationError(field, "Must not be empty.", "required")
    if len(value) > max_len:
        raise ValidationError(field, f"At most {max_len} characters.", "too-long")
    run = 0
    previous_base = False
    for ch in value:
        if ch in _BIDI_CONTROLS:
            raise ValidationError(field, "Bidirectional control characters are not allowed.", "bad-character")
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t":
            raise ValidationError(field, "Control or unassigned characters are not allowed.", "bad-character")
        if category.startswith("M"):
            run += 1
            if not previous_base or run > _MAX_COMBINING_RUN:
                raise ValidationError(field, "Stray or stacked combining marks are not allowed.", "bad-character")
        else:
            run = 0
            previous_base = not category.startswith("Z")
    return value


def clean_name(value: str, field: str = "name", max_len: int = NAME_MAX) -> str:
    """A display name: letters, digits, single spaces and ordinary punctuation."""
    value = _check_common(value, field, max_len)
    if "\n" in value or "\t" in value:
        raise ValidationError(field, "A name is one line.", "bad-character")
    for ch in value:
        category = unicodedata.category(ch)
        if category[0] in ("L", "N", "M") or ch in _NAME_PUNCTUATION:
            continue
        raise ValidationError(
            field, f"The character {ch!r} is not allowed in a name (letters, digits and - . , ' & ( ) / : # + !).",
            "bad-character",
        )
    return " ".join(value.split())


def clean_text(value: str | None, field: str, max_len: int = TEXT_MAX) -> str | None:
    """Free text (descriptions, instructions); None and blank mean no text."""
    if value is None or not value.strip():
        return None
    return _check_common(value, field, max_len)
