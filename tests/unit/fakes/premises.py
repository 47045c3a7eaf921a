"""Fakes of the premises repositories: sites, spaces, bookings, calendars and the allocation round."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from booking.domain.premises.model import Site, Space
from tests.unit.fakes.base import FakeRepository, FakeTransaction


class FakeSites(FakeRepository[Site]):
    table_name = "sites"

    async def has_spaces(self, site_id: UUID) -> bool:
        return any(s.site_id == site_id for s in self.uow.table("spaces").values())


class FakeSpaces(FakeRepository[Space]):
    table_name = "spaces"

    async def parts_of(self, space_id: UUID) -> Sequence[Space]:
        return sorted((s for s in self.items.values() if s.parent_id == space_id), key=lambda s: s.name)

    async def matching(self, municipality_id: UUID, kind: str | None, min_capacity: int | None,
                       area_id: UUID | None, limit: int) -> Sequence[Space]:
        sites = self.uow.table("sites")
        found = [s for s in self.items.values() if s.municipality_id == municipality_id
                 and (kind is None or s.kind == kind)
                 and (min_capacity is None or (s.capacity or 0) >= min_capacity)
                 and (area_id is None or getattr(sites.get(s.site_id), "area_id", None) == area_id)]
        return sorted(found, key=lambda s: s.name)[:limit]


class FakeBookings:
    """Bookings, series, occupancy and attendance ."""

    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow


class FakeCalendars:
    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow


class FakeAllocation:
    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
