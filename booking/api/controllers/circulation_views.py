"""What the circulation routes answer: loans and holds as the API shows them, read after a change."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_circulation import CirculationQueries, HoldRow, LoanRow
from booking.api.schemas import circulation as s
from booking.domain.lending.circulation import Hold, HoldStatus
from booking.domain.lending.due_dates import ALL_WEEK
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound


def to_loan(r: LoanRow, today: dt.date, *, with_borrower: bool) -> s.Loan:
    return s.Loan(
        id=r.id, item_id=r.item_id, label_code=r.label_code, article_id=r.article_id, article=r.article,
        variant=r.variant, site_id=r.site_id, lent_at=r.lent_at, due_on=r.due_on, renewals=r.renewals,
        overdue=r.returned_at is None and today > r.due_on, self_service=r.self_service, returned_at=r.returned_at,
        returned_site_id=r.returned_site_id, return_reported_at=r.return_reported_at,
        borrower_id=r.borrower_id if with_borrower else None, borrower_name=r.borrower_name if with_borrower else None)


def to_hold(r: HoldRow, *, with_borrower: bool) -> s.Hold:
    return s.Hold(id=r.id, article_id=r.article_id, article=r.article, variant=r.variant, site_id=r.site_id,
                  status=r.status, placed_at=r.placed_at, position=r.position, item_id=r.item_id,
                  label_code=r.label_code, expires_on=r.expires_on,
                  borrower_id=r.borrower_id if with_borrower else None,
                  borrower_name=r.borrower_name if with_borrower else None)


async def local_today(queries: Queries, clock: Clock, municipality_id: UUID) -> dt.date:
    municipality = await queries.municipality(municipality_id)
    zone = municipality.zone if municipality else dt.UTC
    return clock.now().astimezone(zone).date()


async def loans_out(queries: Queries, circulation_queries: CirculationQueries, clock: Clock, ids: list[UUID],
                    municipality_id: UUID, *, with_borrower: bool) -> list[s.Loan]:
    today = await local_today(queries, clock, municipality_id)
    return [to_loan(r, today, with_borrower=with_borrower) for r in await circulation_queries.loans_by_id(ids)]


async def hold_out(circulation_queries: CirculationQueries, hold: Hold, *, with_borrower: bool) -> s.Hold:
    rows = await circulation_queries.holds(hold.municipality_id, borrower_id=hold.borrower_id,
                                           status=HoldStatus(hold.status))
    for r in rows:
        if r.id == hold.id:
            return to_hold(r, with_borrower=with_borrower)
    raise NotFound("Hold", hold.id)


def hours_text(hours: tuple[dt.time | None, dt.time | None] | None) -> tuple[str | None, str | None]:
    """A lending site's hours as HH:MM (opens, closes); (None, None) when not given."""
    opens, closes = hours if hours is not None else (None, None)
    return (None if opens is None else opens.isoformat("minutes"),
            None if closes is None else closes.isoformat("minutes"))


def shown_weekdays(weekdays: frozenset[int] | None) -> tuple[list[int], bool]:
    """A lending site's weekdays as shown, and whether they are set: not set counts as every day (ALL_WEEK)."""
    return sorted(ALL_WEEK if weekdays is None else weekdays), weekdays is not None
