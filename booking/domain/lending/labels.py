"""Label codes and lending-card numbers.

A label code is opaque (not a database id): nine characters from a 30-letter alphabet that leaves
out what people misread (0/O, 1/I/L) and U (Crockford's rule against accidental words), so
30**9 ≈ 2**44 codes: guessing a printed label's code is hopeless, and a mistyped code almost surely
matches nothing. Codes are upper-case; input is upper-cased and stripped of spaces and dashes, and a
label's whole URL (what a scanner types) gives its code.

A label's QR code holds `{BASE_URL}/Q/{CODE}` with the scheme and host in capitals
(`HTTPS://BOKA.EXAMPLE.SE/Q/7KQ2MXH4C`): scheme and host are case-insensitive, so phones open it
as usual, and text of capitals, digits and `:/.-` fits the QR alphanumeric mode, a smaller symbol
with larger modules on the same label. Labels printed before with `/q/` keep working.

A lending-card number is ten digits, the last a Luhn check digit, so a mistyped digit or two
swapped neighbours are caught before any lookup.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 9
_CODE = re.compile(f"^[{ALPHABET}]{{{CODE_LENGTH}}}$")
_IN_URL = re.compile(r"/q/([^/?#]*)/?(?:[?#].*)?$", re.IGNORECASE | re.DOTALL)  # …/q/CODE or …/Q/CODE
CARD_LENGTH = 10


def new_label_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(value: str, field: str = "code") -> str:
    """The canonical code of what was typed or scanned (the code, or the label's URL ending in /q/ or
    /Q/ and the code); ValidationError naming `field` otherwise."""
    text = value.strip()
    in_url = _IN_URL.search(text)
    if in_url:
        text = in_url.group(1)
    cleaned = text.upper().replace("-", "").replace(" ", "")
    if not _CODE.match(cleaned):
        raise ValidationError(field, f"A label code is {CODE_LENGTH} characters of {ALPHABET}.", "format")
    return cleaned


def is_code(value: str) -> bool:
    try:
        normalize_code(value)
    except ValidationError:
        return False
    return True


def shouted_base(base_url: str) -> str:
    """The base URL with its scheme and host in capitals (an internationalised host in its ASCII
    form first); a path after the host keeps its case, since paths are case-sensitive."""
    base = base_url.strip().rstrip("/")
    try:
        parts = urlsplit(base)
        host, port = parts.hostname, parts.port
    except ValueError:
        return base
    if not parts.scheme or not host:
        return base
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return base
    host = f"[{host}]" if ":" in host else host
    netloc = host.upper() + (f":{port}" if port is not None else "")
    return f"{parts.scheme.upper()}://{netloc}{parts.path}"


def label_url(base_url: str, code: str) -> str:
    """What a label's QR code holds: `{BASE}/Q/{CODE}`, all capitals where case does not matter."""
    return f"{shouted_base(base_url)}/Q/{code}"


def luhn_digit(digits: str) -> str:
    """The check digit that makes digits + it pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and len(number) >= 2 and luhn_digit(number[:-1]) == number[-1]


def new_card_number() -> str:
    body = str(secrets.randbelow(9 * 10 ** (CARD_LENGTH - 2)) + 10 ** (CARD_LENGTH - 2))  # no leading zero
    return body + luhn_digit(body)


def normalize_card_number(value: str, field: str = "card_number") -> str:
    cleaned = value.strip().replace(" ", "").replace("-", "")
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) == CARD_LENGTH):
        raise ValidationError(field, f"A card number is {CARD_LENGTH} digits.", "format")
    if not luhn_valid(cleaned):
        raise ValidationError(field, "The card number's check digit does not match; check the number.", "checksum")
    return cleaned


def card_url(base_url: str, number: str) -> str:
    """What a lending card's QR code holds: opens the desk page with the card for staff."""
    return f"{base_url.rstrip('/')}/k/{number}"


def format_card_number(number: str) -> str:
    return f"{number[:4]} {number[4:8]} {number[8:]}"


# --- the label rows ---------------------------------------------------------------------------


@dataclass(eq=False)
class Label:
    """A printed (or to be printed) label; `item_id` is set when it is stuck on an item and linked."""

    municipality_id: UUID
    code: str
    item_id: UUID | None = None
    printed_at: datetime | None = None
    linked_at: datetime | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def link(self, item_id: UUID, at: datetime) -> None:
        if self.item_id is not None:
            raise Conflict("This label is already linked to an item.",
                           [{"field": "code", "code": self.code, "item_id": str(self.item_id)}])
        self.item_id = item_id
        self.linked_at = at


@dataclass(eq=False)
class LabelPrint:
    """One line of the print log: which codes were printed on which template, by whom."""

    municipality_id: UUID
    template: str
    codes: list[str]
    printed_at: datetime
    printed_by: UUID | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None
