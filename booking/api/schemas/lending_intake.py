"""Equipment lending: donations received at the desk and stock counts of a site's shelves."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from booking.api.schemas.lending import Count, Note


class DonationLine(Struct, forbid_unknown_fields=True):
    article_id: UUID
    count: Count = 1
    condition_note: Note | None = None


class DonationCreate(Struct, forbid_unknown_fields=True):
    site_id: UUID
    lines: Annotated[list[DonationLine], Meta(min_length=1, max_length=100)]
    note: Annotated[str, Meta(max_length=500)] | None = None


class Donation(Struct):
    id: UUID
    site_id: UUID
    received_at: datetime
    note: str | None
    item_count: int
    codes: list[str] | UnsetType = UNSET
    site_name: str | UnsetType = UNSET


class DonationPage(Struct):
    items: list[Donation]
    total: int
    limit: int
    offset: int


class StockCountCreate(Struct, forbid_unknown_fields=True):
    site_id: UUID


class StockScanCreate(Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=300, description=(
        "A label code, or the label's whole URL as a scanner types it (HTTPS://HOST/Q/CODE)."))]


class StockScanResult(Struct):
    code: str
    item_id: UUID | None
    known: bool
    first_scan: bool
    article_name: str | None = None


class StockCount(Struct):
    id: UUID
    site_id: UUID
    started_at: datetime
    finished_at: datetime | None
    scanned: int
    missing: list[UUID]
    unexpected: list[UUID]
    unknown_codes: list[str]
