"""What the allocation round needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Protocol
from uuid import UUID

from booking.domain.premises.allocation import AllocationRound, Application


@dataclass(frozen=True)
class SeriesTimes:
    """The approved occurrences of one weekly series in a window (local wall times of the series)."""

    booking_id: UUID  # one of them, to name
    space_id: UUID
    association_id: UUID | None
    weekdays: list[int]
    local_start: time
    local_end: time
    count: int
    first: datetime


@dataclass(frozen=True)
class ApprovedTimes:
    series: list[SeriesTimes]
    singles: list[tuple[UUID, UUID, UUID | None, datetime, datetime]]  # (booking, space, association, start, end)


class AllocationRepository(Protocol):
    def add_round(self, round_: AllocationRound) -> None: ...

    async def get_round(self, round_id: UUID, *, for_update: bool = False) -> AllocationRound | None:
        """for_update: PostgreSQL row lock until the transaction ends (publishing, running)."""
        ...

    def add_application(self, application: Application) -> None: ...

    async def get_application(self, application_id: UUID) -> Application | None: ...

    async def applications(self, round_id: UUID) -> Sequence[Application]:
        """Every application of the round (withdrawn ones too), oldest first."""
        ...

    async def default_rules(self, municipality_id: UUID) -> list[dict[str, Any]] | None: ...

    async def set_default_rules(self, municipality_id: UUID, rules: list[dict[str, Any]]) -> None: ...

    async def approved_in(self, municipality_id: UUID, start: datetime, end: datetime) -> ApprovedTimes:
        """Approved bookings starting in [start, end): series aggregated, single bookings one by one."""
        ...

    async def weekly_windows(self, municipality_id: UUID) -> dict[UUID, dict[int, list[tuple[time, time]]]]:
        """The general (all-year) opening windows of every space of the municipality, per weekday."""
        ...

    async def association_facts(self, ids: Sequence[UUID]) -> dict[UUID, tuple[str, bool]]:
        """(category, is_local) of these associations, in one query."""
        ...
