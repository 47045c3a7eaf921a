"""The invariants every capability promises, as read-only queries over the stored rows.

Each invariant is a SELECT of the rows that break it (none when it holds). `check` counts them all in one
read transaction; `booking check` prints the counts and exits non-zero on any violation, and a test seeds
the demo on both engines and expects zero everywhere. Nothing here writes.

The database carries most of these itself (the exclusion constraint over occupancy on PostgreSQL, the
partial unique index of open loans, the CHECK of a session's places); the check also covers what only the
services keep (an item's status against its loans and holds, a session's counter against its sign-ups),
so a bug that slips past both shows up in the demo and in the storm tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_activities as ta
from booking.adapters.db import tables_circulation as tc
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import Database, connect
from booking.domain.activities.model import RegistrationStatus, SessionStatus
from booking.domain.lending.circulation import DEFAULT_POLICY, HoldStatus
from booking.domain.lending.model import ItemStatus
from booking.domain.premises.bookings import BookingStatus


@dataclass(frozen=True)
class Invariant:
    name: str
    description: str
    violations: Callable[[], sa.Select[Any]]  # the rows that break it


def _overlap(a: Any, b: Any) -> sa.ColumnElement[bool]:
    """Half-open intervals [starts_at, ends_at) that share an instant."""
    return sa.and_(a.c.starts_at < b.c.ends_at, b.c.starts_at < a.c.ends_at)


# --- premises ---------------------------------------------------------------------------------------


def _occupancy_overlaps() -> sa.Select[Any]:
    a, b = t.occupancy.alias("a"), t.occupancy.alias("b")
    return sa.select(a.c.id, b.c.id.label("other_id"), a.c.unit_id).join(
        b, sa.and_(b.c.unit_id == a.c.unit_id, b.c.id > a.c.id, b.c.active, _overlap(a, b))).where(a.c.active)


def _occupancy_of_unapproved() -> sa.Select[Any]:
    o, bk = t.occupancy, t.bookings
    return sa.select(o.c.id, o.c.booking_id).join(bk, bk.c.id == o.c.booking_id).where(
        o.c.active, bk.c.status != BookingStatus.APPROVED.value)


def _approved_without_time() -> sa.Select[Any]:
    o, bk = t.occupancy, t.bookings
    held = sa.select(o.c.id).where(o.c.booking_id == bk.c.id, o.c.active)
    return sa.select(bk.c.id).where(bk.c.status == BookingStatus.APPROVED.value, ~held.exists())


# --- activities -------------------------------------------------------------------------------------

_CONFIRMED = RegistrationStatus.CONFIRMED.value


def _confirmed_count_differs() -> sa.Select[Any]:
    s, r = ta.activity_sessions, ta.registrations
    counted = (sa.select(sa.func.count()).where(r.c.session_id == s.c.id, r.c.status == _CONFIRMED)
               .scalar_subquery())
    return sa.select(s.c.id, s.c.confirmed, counted.label("registrations")).where(s.c.confirmed != counted)


def _over_capacity() -> sa.Select[Any]:
    s, r = ta.activity_sessions, ta.registrations
    counted = (sa.select(sa.func.count()).where(r.c.session_id == s.c.id, r.c.status == _CONFIRMED)
               .scalar_subquery())
    return sa.select(s.c.id, s.c.capacity).where(sa.or_(s.c.confirmed > s.c.capacity, counted > s.c.capacity,
                                                        s.c.confirmed < 0))


def _child_in_two_places() -> sa.Select[Any]:
    r1, r2 = ta.registrations.alias("r1"), ta.registrations.alias("r2")
    s1, s2 = ta.activity_sessions.alias("s1"), ta.activity_sessions.alias("s2")
    active = [RegistrationStatus.CONFIRMED.value, RegistrationStatus.WAITING.value]
    return (sa.select(r1.c.id, r2.c.id.label("other_id"))
            .join(r2, sa.and_(r2.c.account_id == r1.c.account_id, r2.c.child_key == r1.c.child_key,
                              r2.c.birth_year == r1.c.birth_year, r2.c.id > r1.c.id, r2.c.session_id != r1.c.session_id,
                              r2.c.status.in_(active)))
            .join(s1, s1.c.id == r1.c.session_id).join(s2, s2.c.id == r2.c.session_id)
            .where(r1.c.status.in_(active), s1.c.status == SessionStatus.SCHEDULED.value,
                   s2.c.status == SessionStatus.SCHEDULED.value, _overlap(s1, s2)))


# --- lending ----------------------------------------------------------------------------------------

_i, _l, _h, _lab = tl.lending_items, tc.lending_loans, tc.lending_holds, tl.lending_labels
_OPEN_LOAN = _l.c.returned_at.is_(None)
_READY = HoldStatus.READY.value


def _two_open_loans() -> sa.Select[Any]:
    return sa.select(_l.c.item_id, sa.func.count().label("open_loans")).where(_OPEN_LOAN).group_by(
        _l.c.item_id).having(sa.func.count() > 1)


def _on_loan_without_loan() -> sa.Select[Any]:
    loan = sa.select(_l.c.id).where(_l.c.item_id == _i.c.id, _OPEN_LOAN)
    return sa.select(_i.c.id, _i.c.label_code).where(_i.c.status == ItemStatus.ON_LOAN.value, ~loan.exists())


def _open_loan_not_on_loan() -> sa.Select[Any]:
    return sa.select(_l.c.id, _l.c.item_id, _i.c.status).join(_i, _i.c.id == _l.c.item_id).where(
        _OPEN_LOAN, _i.c.status != ItemStatus.ON_LOAN.value)


def _ready_hold_without_item() -> sa.Select[Any]:
    return sa.select(_h.c.id, _h.c.item_id).outerjoin(_i, _i.c.id == _h.c.item_id).where(
        _h.c.status == _READY, sa.or_(_i.c.id.is_(None), _i.c.status != ItemStatus.ON_HOLD_SHELF.value,
                                      _i.c.article_id != _h.c.article_id))


def _shelf_item_without_hold() -> sa.Select[Any]:
    ready = sa.select(sa.func.count()).where(_h.c.item_id == _i.c.id, _h.c.status == _READY).scalar_subquery()
    return sa.select(_i.c.id, _i.c.label_code).where(_i.c.status == ItemStatus.ON_HOLD_SHELF.value, ready != 1)


def _over_loan_limit() -> sa.Select[Any]:
    return sa.select(_l.c.borrower_id, sa.func.count().label("open_loans")).where(
        _OPEN_LOAN, _l.c.borrower_id.is_not(None)).group_by(_l.c.borrower_id).having(
        sa.func.count() > DEFAULT_POLICY.max_loans)


def _two_active_cards() -> sa.Select[Any]:
    c = tl.lending_cards
    return sa.select(c.c.borrower_id).where(c.c.active).group_by(c.c.borrower_id).having(sa.func.count() > 1)


def _label_mismatch() -> sa.Select[Any]:
    item_side = sa.select(_i.c.id, _i.c.label_code).outerjoin(_lab, _lab.c.code == _i.c.label_code).where(
        _i.c.label_code.is_not(None), sa.or_(_lab.c.code.is_(None), _lab.c.item_id.is_(None),
                                             _lab.c.item_id != _i.c.id))
    label_side = sa.select(_lab.c.item_id.label("id"), _lab.c.code.label("label_code")).join(
        _i, _i.c.id == _lab.c.item_id).where(sa.or_(_i.c.label_code.is_(None), _i.c.label_code != _lab.c.code))
    return sa.select(sa.union_all(item_side, label_side).subquery())


INVARIANTS: Sequence[Invariant] = (
    Invariant("premises.no_double_booking", "no two active occupancies of a unit overlap", _occupancy_overlaps),
    Invariant("premises.only_approved_hold_time", "an active occupancy belongs to an approved booking",
              _occupancy_of_unapproved),
    Invariant("premises.approved_holds_time", "an approved booking holds its time (active occupancy)",
              _approved_without_time),
    Invariant("activities.confirmed_counter", "a session's confirmed count equals its confirmed registrations",
              _confirmed_count_differs),
    Invariant("activities.capacity", "a session has no more confirmed registrations than places", _over_capacity),
    Invariant("activities.one_place_per_child", "a child holds no two overlapping sessions (confirmed or waiting)",
              _child_in_two_places),
    Invariant("lending.one_open_loan_per_item", "an item has at most one open loan", _two_open_loans),
    Invariant("lending.on_loan_has_loan", "an item on loan has an open loan", _on_loan_without_loan),
    Invariant("lending.loan_item_on_loan", "the item of an open loan is on loan", _open_loan_not_on_loan),
    Invariant("lending.ready_hold_has_item", "a hold on the shelf has its item there (status on_hold_shelf)",
              _ready_hold_without_item),
    Invariant("lending.shelf_item_has_hold", "an item on the hold shelf waits for exactly one ready hold",
              _shelf_item_without_hold),
    Invariant("lending.loan_limit", f"no borrower has more than {DEFAULT_POLICY.max_loans} open loans",
              _over_loan_limit),
    Invariant("lending.one_active_card", "a borrower has at most one active card", _two_active_cards),
    Invariant("lending.label_matches_item", "an item's label code and the label's item agree", _label_mismatch),
)


async def check(db: Database, names: Sequence[str] | None = None) -> dict[str, int]:
    """Invariant name -> how many rows break it (0 when it holds), in one read transaction."""
    found: dict[str, int] = {}
    async with db.read_sessions() as session:
        for invariant in INVARIANTS:
            if names is not None and invariant.name not in names:
                continue
            query = sa.select(sa.func.count()).select_from(invariant.violations().subquery())
            found[invariant.name] = int((await session.execute(query)).scalar_one())
    return found


async def examples(db: Database, name: str, limit: int = 5) -> list[dict[str, Any]]:
    """A few of the rows that break one invariant (for messages)."""
    invariant = next(i for i in INVARIANTS if i.name == name)
    async with db.read_sessions() as session:
        rows = await session.execute(invariant.violations().limit(limit))
        return [dict(r) for r in rows.mappings()]


async def _report(url: str) -> int:
    db = connect(url, pool_size=1)
    try:
        counts = await check(db)
    finally:
        await db.dispose()
    width = max(len(i.name) for i in INVARIANTS)
    for invariant in INVARIANTS:
        n = counts[invariant.name]
        print(f"{'OK  ' if n == 0 else 'FAIL'} {invariant.name.ljust(width)} {n:>6}  {invariant.description}")
    broken = sum(1 for n in counts.values() if n)
    print(f"{len(counts) - broken} of {len(counts)} invariants hold." if not broken
          else f"{broken} of {len(counts)} invariants are broken.")
    return 1 if broken else 0


def check_command(url: str) -> int:
    """`booking check`: print every invariant with its count of violations; 1 when any is broken."""
    return asyncio.run(_report(url))
