"""Sites (skolor, anläggningar) and their bookable spaces (lokaler).

A divisible hall is a space with parts: "Sporthallen" with parts
"Sporthallen A" and "Sporthallen B". Bookings occupy *leaf units*: a booking of
a part occupies that part, a booking of the whole hall occupies every part,
so the whole conflicts with each half and the halves not with each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.text import clean_name, clean_text

MAX_CAPACITY = 10_000
MAX_EQUIPMENT = 50
_POSTAL = re.compile(r"^\d{3} ?\d{2}$")


class SpaceKind(StrEnum):
    GYM = "gym"  # gymnastiksal
    CLASSROOM = "classroom"  # klassrum
    MUSIC_ROOM = "music_room"  # musiksal
    KITCHEN = "kitchen"  # hemkunskapssal, kök
    HALL = "hall"  # idrottshall, aula
    OUTDOOR = "outdoor"  # skolgård, plan


@dataclass(eq=False)
class Site:
    municipality_id: UUID
    name: str
    street: str
    postal_code: str
    city: str
    area_id: UUID | None = None
    description: str | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        self.name = clean_name(self.name)
        self.street = clean_name(self.street, "address.street")
        self.city = clean_name(self.city, "address.city", 100)
        if not _POSTAL.match(self.postal_code.strip()):
            raise ValidationError("address.postal_code", "A Swedish postcode has five digits, like 853 50.")
        digits = self.postal_code.replace(" ", "")
        self.postal_code = f"{digits[:3]} {digits[3:]}"
        self.description = clean_text(self.description, "description")


@dataclass(eq=False)
class Space:
    municipality_id: UUID
    site_id: UUID
    name: str
    kind: SpaceKind
    capacity: int
    description: str | None = None
    parent_id: UUID | None = None  # set on a part of a divisible hall
    step_free: bool = False  # tillgänglig entré utan trappsteg
    accessible_toilet: bool = False
    hearing_loop: bool = False  # hörslinga
    accessibility_notes: str | None = None
    equipment: list[str] = field(default_factory=list)
    # booking rules of the space
    buffer_minutes: int = 0  # changeover time after each booking
    horizon_days: int = 365
    min_notice_hours: int = 24
    min_duration_minutes: int = 30
    max_duration_minutes: int = 8 * 60
    auto_approve_categories: list[str] = field(default_factory=list)  # association categories
    cancel_deadline_hours: int = 48  # cancelling later keeps the fee
    access_mode: str = "key"  # door_code: a code valid for the booked time; key: pick-up text; open
    access_instructions: str | None = None  # shown only to the association that booked
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        self.name = clean_name(self.name)
        self.kind = SpaceKind(self.kind)
        for name, low, high in (("buffer_minutes", 0, 240), ("horizon_days", 1, 730), ("min_notice_hours", 0, 24 * 60),
                                ("min_duration_minutes", 15, 24 * 60), ("max_duration_minutes", 15, 24 * 60),
                                ("cancel_deadline_hours", 0, 24 * 30)):
            if not low <= getattr(self, name) <= high:
                raise ValidationError(f"rules.{name}", f"Between {low} and {high}.", "range")
        if self.min_duration_minutes > self.max_duration_minutes:
            raise ValidationError("rules.max_duration_minutes", "The maximum is below the minimum.", "range")
        self.auto_approve_categories = sorted(set(self.auto_approve_categories))
        if self.access_mode not in ("door_code", "key", "open"):
            raise ValidationError("access.mode", "door_code, key or open.")
        self.access_instructions = clean_text(self.access_instructions, "access.instructions", 2000)
        if not 1 <= self.capacity <= MAX_CAPACITY:
            raise ValidationError("capacity", f"Capacity is between 1 and {MAX_CAPACITY} people.", "range")
        self.description = clean_text(self.description, "description")
        self.accessibility_notes = clean_text(self.accessibility_notes, "accessibility.notes", 1000)
        if len(self.equipment) > MAX_EQUIPMENT:
            raise ValidationError("equipment", f"At most {MAX_EQUIPMENT} pieces of equipment.", "too-long")
        cleaned: list[str] = []
        for i, item in enumerate(self.equipment):
            name = clean_name(item, f"equipment[{i}]", 100)
            if name.casefold() not in {c.casefold() for c in cleaned}:
                cleaned.append(name)
        self.equipment = cleaned
        if self.parent_id is not None and self.parent_id == self.id:
            raise ValidationError("parent_id", "A space cannot be a part of itself.")


def check_part_of(part: Space, parent: Space, parent_has_parent: bool) -> None:
    """A part belongs to a whole in the same site; wholes are not nested."""
    if parent.site_id != part.site_id:
        raise ValidationError("parent_id", "A part must be in the same site as the whole hall.")
    if parent_has_parent or parent.parent_id is not None:
        raise ValidationError("parent_id", "The whole hall is itself a part; parts are one level deep.")
    if part.id == parent.id:
        raise ValidationError("parent_id", "A space cannot be a part of itself.")


def check_can_become_part(space: Space, own_parts: Iterable[Space]) -> None:
    if any(True for _ in own_parts):
        raise ValidationError("parent_id", "This space has parts of its own; parts are one level deep.")


def leaf_units(space: Space, parts: Iterable[Space]) -> frozenset[UUID]:
    """The units a booking of `space` occupies: its parts, or itself when it has none."""
    ids = frozenset(p.id for p in parts if p.parent_id == space.id)
    return ids or frozenset({space.id})


def check_deletable(space: Space, parts: Iterable[Space]) -> None:
    names = sorted(p.name for p in parts if p.parent_id == space.id)
    if names:
        raise Conflict(
            f"{space.name} has parts ({', '.join(names)}); remove them first.",
            [{"space_id": str(p.id), "name": p.name} for p in parts if p.parent_id == space.id],
        )
