"""Every object belongs to one municipality; another municipality's objects do not exist for an actor."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from booking.domain.shared.errors import NotFound, ValidationError
from booking.domain.shared.ports import Owned

T = TypeVar("T", bound=Owned)


def belongs(found: Owned | None, municipality_id: UUID) -> bool:
    """Whether `found` exists and is the municipality's: the one test every tenancy check makes."""
    return found is not None and found.municipality_id == municipality_id


def of_municipality(found: T | None, municipality_id: UUID, what: str, ident: object, field: str | None = None) -> T:
    """`found` if it is the municipality's. Else: named in a request (`field`), a 422 naming it; the
    object of the path, a 404. Either way the other municipality's object stays invisible."""
    if found is None or not belongs(found, municipality_id):
        if field:
            raise ValidationError(field, f"No such {what} in this municipality.", "unknown")
        raise NotFound(what.capitalize(), ident)
    return found
