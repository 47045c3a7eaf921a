"""Municipalities own everything else; areas are the neighbourhoods of follow-up."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.keep import KEEP, Keep
from booking.domain.shared.text import clean_name

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_timezone(name: str, field: str = "timezone") -> str:
    if name not in _zones():
        raise ValidationError(field, f"{name!r} is not an IANA time zone (for example Europe/Stockholm).")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - guarded above
        raise ValidationError(field, str(exc)) from exc
    return name


def check_slug(slug: str, field: str = "slug") -> str:
    if not _SLUG.match(slug):
        raise ValidationError(field, "Lower-case letters, digits and hyphens, 1-64 characters.")
    return slug


class Eve(StrEnum):
    """The holiday eves a municipality may close (its premises, lending desks, activities)."""

    EASTER = "easter_eve"  # påskafton
    MIDSUMMER = "midsummer_eve"  # midsommarafton
    CHRISTMAS = "christmas_eve"  # julafton
    NEW_YEARS = "new_years_eve"  # nyårsafton


ALL_EVES: tuple[str, ...] = tuple(e.value for e in Eve)  # closed unless the municipality opens some


def check_eves(values: Iterable[str], field: str = "closed_eves") -> list[str]:
    """Known eve keys, each once, in calendar order."""
    wanted = list(values)
    for i, value in enumerate(wanted):
        if value not in ALL_EVES:
            raise ValidationError(f"{field}[{i}]", f"{value!r} is not an eve; use {', '.join(ALL_EVES)}.", "unknown")
    return [e for e in ALL_EVES if e in wanted]


@dataclass(eq=False)
class Municipality:
    name: str
    slug: str
    timezone: str = "Europe/Stockholm"
    closed_on_holidays: bool = True  # Swedish public holidays and the eves, unless overridden
    closed_eves: list[str] = field(default_factory=lambda: list(ALL_EVES))  # which eves close (Eve values)
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.name = clean_name(self.name)
        self.slug = check_slug(self.slug)
        self.timezone = check_timezone(self.timezone)
        self.closed_eves = check_eves(self.closed_eves)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def municipality_id(self) -> UUID:
        """A municipality is its own tenant: like everything else, it exists only for its own people."""
        return self.id

    def change(self, name: str | Keep = KEEP, timezone: str | Keep = KEEP,
               closed_eves: Iterable[str] | Keep = KEEP) -> None:
        """Rename, move to another zone or choose the eves that close; each checked as on creation.
        The slug, part of every public link, never changes."""
        if name is not KEEP:
            self.name = clean_name(name)
        if timezone is not KEEP:
            self.timezone = check_timezone(timezone)
        if closed_eves is not KEEP:
            self.closed_eves = check_eves(closed_eves)


@dataclass(eq=False)
class Area:
    municipality_id: UUID
    name: str
    population_0_17: int | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.name = clean_name(self.name)
        self.population_0_17 = check_population(self.population_0_17)

    def change(self, name: str | Keep = KEEP, population_0_17: int | Keep | None = KEEP) -> None:
        if name is not KEEP:
            self.name = clean_name(name)
        if population_0_17 is not KEEP:
            self.population_0_17 = check_population(population_0_17)


def check_population(value: int | None) -> int | None:
    if value is not None and value < 0:
        raise ValidationError("population_0_17", "Must be zero or more.")
    return value


def check_unique_area_name(area: Area, areas: Sequence[Area]) -> None:
    """Two areas of a municipality may not share a name, whatever its case (Nacksta, nacksta)."""
    if any(a.id != area.id and a.name.casefold() == area.name.casefold() for a in areas):
        raise Conflict(f"An area named {area.name} exists.", [{"field": "name"}])


@dataclass(eq=False)
class PostcodeArea:
    """One line of the table: a (cleaned, five-digit) postcode and its area."""

    municipality_id: UUID
    postcode: str
    area_id: UUID
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None
