"""A child's home area: chosen from the municipality's areas, or looked up from a postcode in the
municipality's postcode table. Never an address: only the area is kept."""

from __future__ import annotations

import re
from uuid import UUID

from booking.domain.municipalities.ports import AreaRepository
from booking.domain.shared.errors import ValidationError

_POSTCODE = re.compile(r"^\d{5}$")


def clean_postcode(value: str, field: str = "postcode") -> str:
    """A Swedish postcode as five digits ("852 31" and "85231" are the same)."""
    code = value.replace(" ", "").strip()
    if not _POSTCODE.match(code):
        raise ValidationError(field, "A postcode of five digits, e.g. 852 31.", "format")
    return code


async def home_area(areas: AreaRepository, municipality_id: UUID, area_id: UUID | None, postcode: str | None,
                    prefix: str = "") -> UUID | None:
    """The home area's id from an area of the municipality or a postcode it knows; None for neither.
    `prefix` names the fields in errors (e.g. "children[0].")."""
    if area_id is not None and postcode is not None:
        raise ValidationError(f"{prefix}postcode", "Give a home area or a postcode, not both.", "conflict")
    if area_id is not None:
        area = await areas.get(area_id)
        if area is None or area.municipality_id != municipality_id:
            raise ValidationError(f"{prefix}home_area_id", "Not an area of this municipality.", "unknown")
        return area.id
    if postcode is not None:
        found = await areas.for_postcode(municipality_id, clean_postcode(postcode, f"{prefix}postcode"))
        if found is None:
            raise ValidationError(f"{prefix}postcode", "The municipality's postcode table does not know this "
                                  "postcode; choose the home area instead.", "unknown")
        return found.id
    return None
