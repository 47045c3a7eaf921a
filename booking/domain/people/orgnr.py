"""Swedish organisationsnummer: 10 digits (NNNNNN-NNNN), Luhn check digit."""

from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr

from booking.domain.shared.errors import ValidationError


def normalize_org_number(value: str, field: str = "org_number") -> str:
    """Validate and return the canonical NNNNNN-NNNN form."""
    if len(value) > 20:
        raise ValidationError(field, "An organisationsnummer has 10 digits, like 802012-3456.", "format")
    try:
        compact = orgnr.validate(value)
    except InvalidChecksum as exc:
        raise ValidationError(field, "The check digit is wrong; check the number.", "checksum") from exc
    except (InvalidFormat, InvalidLength, StdnumError) as exc:
        raise ValidationError(field, "An organisationsnummer has 10 digits, like 802012-3456.", "format") from exc
    return orgnr.format(compact)
