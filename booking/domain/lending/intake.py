"""Donations (the intake of donated equipment) and stock counts (inventering)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from booking.domain.shared.errors import Conflict
from booking.domain.shared.ids import new_id


@dataclass(eq=False)
class Donation:
    """One donation at the desk; its items point at it (lending_items.donation_id). No donor data is kept
    beyond a free note (e.g. "Förening X"), so the log is statistics, not a register of people."""

    municipality_id: UUID
    site_id: UUID
    received_at: datetime
    received_by: UUID | None = None
    note: str | None = None
    item_count: int = 0
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(eq=False)
class StockCount:
    """A count of one site's shelves: items scanned while open; finishing compares with the register."""

    municipality_id: UUID
    site_id: UUID
    started_at: datetime
    started_by: UUID | None = None
    finished_at: datetime | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def check_open(self) -> None:
        if self.finished_at is not None:
            raise Conflict("This stock count is finished.", [{"field": "count_id"}])


@dataclass(eq=False)
class StockScan:
    count_id: UUID
    code: str
    scanned_at: datetime
    item_id: UUID | None = None  # None: a code that belongs to no item of this municipality
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CountResult:
    """Missing: expected on the shelves (available at the site) but not scanned. Unexpected: scanned, but
    registered elsewhere or in another status (on loan, lost, another site) or unknown codes."""

    scanned: int
    missing: list[UUID]
    unexpected: list[UUID]
    unknown_codes: list[str]
