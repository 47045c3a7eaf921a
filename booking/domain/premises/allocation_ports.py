"""What the allocation round needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import Any, Protocol
from uuid import UUID

from booking.domain.premises.allocation import AllocationRound, Application


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

    async def approved_in(self, municipality_id: UUID, first: date, last: date
                          ) -> Sequence[tuple[UUID, UUID, UUID | None, Any, Any]]:
        """Approved bookings whose start falls on [first, last] (roughly, by UTC day):
        (booking_id, space_id, association_id, starts_at, ends_at)."""
        ...

    async def weekly_windows(self, municipality_id: UUID) -> dict[UUID, dict[int, list[tuple[time, time]]]]:
        """The general (all-year) opening windows of every space of the municipality, per weekday."""
        ...
