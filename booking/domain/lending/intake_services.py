"""Use cases of intake and stock: donations registered with their labels, and stock counts of a site's shelves.
Staff narrowed to sites receive and count at their own sites only (scope.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from booking.domain.lending import labels as lb
from booking.domain.lending import scope
from booking.domain.lending.intake import CountResult, Donation, StockCount, StockScan
from booking.domain.lending.model import Item, ItemStatus
from booking.domain.lending.ports import LendingUnitOfWork
from booking.domain.lending.services import MAX_BATCH, _audit, _check_count, _make_items, article_of, site_of
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.text import clean_text


@dataclass(frozen=True)
class DonationLine:
    article_id: UUID
    count: int = 1
    condition_note: str | None = None


async def receive_donation(site_id: UUID, note: str | None, lines: Sequence[DonationLine], uow: LendingUnitOfWork,
                           actor: Actor, at: datetime) -> tuple[Donation, list[Item]]:
    """Register donated items quickly; each gets a new label, so the batch prints in one go."""
    if not lines:
        raise ValidationError("lines", "At least one line.", "required")
    total = sum(line.count for line in lines)
    for i, line in enumerate(lines):
        _check_count(line.count, f"lines[{i}].count")
    if total > MAX_BATCH:
        raise ValidationError("lines", f"At most {MAX_BATCH} items in one donation.", "out-of-range")
    async with uow:
        await site_of(uow, actor, site_id)
        scope.require_site(actor, site_id)
        donation = Donation(actor.municipality_id, site_id, at, actor.account_id, clean_text(note, "note", 500),
                            item_count=total)
        uow.lending.add_donation(donation)
        items: list[Item] = []
        for i, line in enumerate(lines):
            article = await article_of(uow, actor, line.article_id, f"lines[{i}].article_id")
            items += await _make_items(uow, actor, article, site_id, line.count, condition_note=line.condition_note,
                                       with_labels=True, at=at, donation_id=donation.id)
        _audit(uow, actor, "lending.donation_received", "lending_donation", donation.id, count=total)
        await uow.commit()
        return donation, items


async def start_count(site_id: UUID, uow: LendingUnitOfWork, actor: Actor, at: datetime) -> StockCount:
    async with uow:
        await site_of(uow, actor, site_id)
        scope.require_site(actor, site_id)
        count = StockCount(actor.municipality_id, site_id, at, actor.account_id)
        uow.lending.add_stock_count(count)
        await uow.commit()
        return count


async def _count_of(uow: LendingUnitOfWork, actor: Actor, count_id: UUID) -> StockCount:
    count = of_municipality(await uow.lending.get_stock_count(count_id), actor.municipality_id, "stock count",
                            count_id)
    scope.require_site(actor, count.site_id)
    return count


async def scan(count_id: UUID, code: str, uow: LendingUnitOfWork, actor: Actor, at: datetime) -> tuple[Item | None,
                                                                                                       bool]:
    """Record a scanned label; (the item or None for an unknown code, False when scanned before)."""
    code = lb.normalize_code(code)
    async with uow:
        count = await _count_of(uow, actor, count_id)
        count.check_open()
        item = await uow.lending.item_by_code(actor.municipality_id, code)
        if item is not None:
            await uow.lending.lock_item(item.id)  # before the scan's insert flushes (the lock order)
        new = await uow.lending.add_stock_scan(StockScan(count.id, code, at, item.id if item else None))
        if item is not None and new:
            item.last_counted_at = at
        await uow.commit()
        return item, new


async def count_result(count_id: UUID, finish: bool, uow: LendingUnitOfWork, actor: Actor, at: datetime) -> CountResult:
    """Missing: available at the site but not scanned. Unexpected: scanned but registered elsewhere or in
    another status; unknown: scanned codes no item carries."""
    async with uow:
        count = await _count_of(uow, actor, count_id)
        if finish:
            count.check_open()
            count.finished_at = at
        scans = await uow.lending.stock_scans(count.id)
        items = await uow.lending.items_at_site(count.site_id)
        scanned_ids = {s.item_id for s in scans if s.item_id is not None}
        on_shelf = {i.id for i in items if i.status is ItemStatus.AVAILABLE}
        missing = sorted(on_shelf - scanned_ids)
        unexpected = sorted(scanned_ids - on_shelf)
        unknown = sorted(s.code for s in scans if s.item_id is None)
        if finish:
            seen = sorted(i.id for i in items if i.id in scanned_ids)
            await uow.lending.lock_items(seen)  # in id order, before the items change (the lock order)
            for item in items:
                if item.id in scanned_ids:
                    uow.lending.add_item_event(item.counted(at=at, by=actor.account_id))
            await uow.commit()
        return CountResult(len(scans), missing, unexpected, unknown)

