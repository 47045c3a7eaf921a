"""Equipment lending: the statistics (loans, borrowers, items and donations) of a period."""

from __future__ import annotations

from uuid import UUID

from msgspec import Struct

from booking.domain.lending.model import ItemStatus


class KeyCount(Struct):
    key: str
    count: int


class MonthCount(Struct):
    month: str
    site: str
    category: str
    loans: int


class StatusCount(Struct):
    site_id: UUID
    status: ItemStatus
    items: int


class AreaReach(Struct):
    """One area's reach: borrowers aged 0-17 who LIVE there (the borrower's own area) per 1,000 children
    aged 0-17 living there (null without a population)."""
    area: str
    population_0_17: int | None
    children: int
    per_1000: float | None


class LendingStats(Struct):
    """Loans lent in the period (local dates, inclusive), the unique borrowers behind them, and the items
    per status now. No names."""

    first_day: str
    last_day: str
    loans: int
    loans_by_month: list[MonthCount]
    loans_by_category: list[KeyCount]
    loans_by_site: list[KeyCount]
    top_articles: list[KeyCount]
    borrowers: int
    borrowers_by_age_band: list[KeyCount]
    borrowers_by_gender: list[KeyCount]
    borrowers_by_area: list[KeyCount]
    items_by_status: list[StatusCount]
    donations: int
    donated_items: int
    reach_by_area: list[AreaReach] = []
