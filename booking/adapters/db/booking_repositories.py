"""Repositories of the premises calendar: bookings with their occupancy, and availability."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.db import tables as t
from booking.adapters.db.types import UTCDateTime, utcnow
from booking.adapters.holidays_se import swedish_closed_days
from booking.domain.municipalities.model import Municipality
from booking.domain.premises.attendance import Attendance
from booking.domain.premises.bookings import Booking, BookingSeries
from booking.domain.premises.calendar import Availability, BookingRules, ClosedSpan, OpeningHours, group_opening_hours
from booking.domain.premises.fees import Price
from booking.domain.premises.model import Space
from booking.domain.premises.ports import Clash
from booking.domain.shared.errors import expect
from booking.domain.shared.ids import new_id
from booking.domain.shared.timespan import TimeSpan

# A booking lasts at most a day and its changeover buffer at most four hours, so an occupancy that
# reaches into a span started less than this before it.
LONGEST_OCCUPANCY = timedelta(hours=28)


class SqlBookings:
    """Bookings and their occupancy, in one transaction (a repository lives as long as its unit of work).

    A clash check that found the units free while this transaction held their lock is remembered,
    so that hold() need not ask again for that very time (until something is held that touches it).
    A check that left a booking out counts only for holding that booking (moving it)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._locked: frozenset[UUID] = frozenset()  # PostgreSQL: units locked FOR UPDATE in this transaction
        # checked free under the lock: (units, start, end with buffer, the booking the check left out)
        self._free: list[tuple[frozenset[UUID], datetime, datetime, UUID | None]] = []

    def _under_lock(self, units: frozenset[UUID]) -> bool:
        """SQLite: every write transaction holds the writer lock (BEGIN IMMEDIATE) from its start."""
        if self.session.bind.dialect.name != "postgresql":  # type: ignore[union-attr]
            return True
        return units <= self._locked

    def add(self, booking: Booking) -> None:
        self.session.add(booking)

    def add_series(self, series: BookingSeries) -> None:
        self.session.add(series)

    async def get(self, ident: UUID) -> Booking | None:
        return await self.session.get(Booking, ident)

    async def of_series(self, series_id: UUID) -> Sequence[Booking]:
        result = await self.session.execute(
            sa.select(Booking).where(t.bookings.c.series_id == series_id).order_by(t.bookings.c.starts_at))
        return result.scalars().all()

    async def of_change(self, change_id: UUID) -> Sequence[Booking]:
        """The occurrences a waiting change would move (see premises.changes)."""
        result = await self.session.execute(
            sa.select(Booking).where(t.bookings.c.change_id == change_id).order_by(t.bookings.c.starts_at))
        return result.scalars().all()

    async def lock_units(self, units: frozenset[UUID]) -> None:
        """PostgreSQL: row locks on the units' spaces, taken in sorted order (no deadlocks between
        two writers of overlapping halls). SQLite: the transaction already holds the writer lock."""
        if self.session.bind.dialect.name != "postgresql" or not units:  # type: ignore[union-attr]
            return
        await self.session.execute(
            sa.select(t.spaces.c.id).where(t.spaces.c.id.in_(sorted(units))).order_by(t.spaces.c.id)
            .with_for_update())
        self._locked |= units

    async def clashes(self, units: frozenset[UUID], span: TimeSpan, buffer: timedelta,
                      exclude: UUID | None = None) -> list[Clash]:
        o, b = t.occupancy, t.bookings
        query = (
            sa.select(b.c.id, b.c.space_id, b.c.starts_at, b.c.ends_at, b.c.association_id).distinct()
            .join(o, o.c.booking_id == b.c.id)
            .where(o.c.active, o.c.unit_id.in_(units), o.c.starts_at < span.end + buffer, o.c.ends_at > span.start,
                   o.c.starts_at > span.start - LONGEST_OCCUPANCY)  # lets the index bound the scan from below
            .order_by(b.c.starts_at)
        )
        if exclude is not None:
            query = query.where(b.c.id != exclude)
        rows = (await self.session.execute(query)).all()
        if not rows and self._under_lock(units):
            self._free.append((units, span.start, span.end + buffer, exclude))
        return [Clash(r.id, r.space_id, r.starts_at, r.ends_at, r.association_id) for r in rows]

    async def hold(self, booking: Booking, units: frozenset[UUID], buffer: timedelta) -> bool:
        """Occupy the units for the booking (plus buffer), unless something holds them: checked again
        here unless this transaction already found exactly this time free under the lock."""
        await self.session.flush()
        until = booking.ends_at + buffer
        checked = any(entry in self._free for entry in ((units, booking.starts_at, until, None),
                                                        (units, booking.starts_at, until, booking.id)))
        if not checked and await self.clashes(units, booking.span, buffer, booking.id):
            return False
        self._free = [(u, start, end, left_out) for u, start, end, left_out in self._free
                      if not (u & units and start < until and booking.starts_at < end)]
        now = utcnow()
        rows = [{"id": new_id(), "municipality_id": booking.municipality_id, "booking_id": booking.id,
                 "unit_id": unit, "starts_at": booking.starts_at, "ends_at": booking.ends_at + buffer,
                 "active": True, "created_at": now, "updated_at": now} for unit in sorted(units)]
        try:
            async with self.session.begin_nested():
                await self.session.execute(sa.insert(t.occupancy), rows)
        except IntegrityError as exc:
            if "ex_occupancy_no_overlap" in str(exc.orig):
                return False  # the exclusion constraint caught what the check could not see
            raise
        return True

    async def busy(self, units: frozenset[UUID], span: TimeSpan) -> list[TimeSpan]:
        o = t.occupancy
        rows = (await self.session.execute(
            sa.select(o.c.starts_at, o.c.ends_at)
            .where(o.c.active, o.c.unit_id.in_(units), o.c.starts_at < span.end, o.c.ends_at > span.start,
                   o.c.starts_at > span.start - LONGEST_OCCUPANCY)
            .order_by(o.c.starts_at))).all()
        merged: list[TimeSpan] = []
        for start, end in rows:
            if merged and start <= merged[-1].end:
                if end > merged[-1].end:
                    merged[-1] = TimeSpan(merged[-1].start, end)
            else:
                merged.append(TimeSpan(start, end))
        return merged

    async def attendance(self, booking_id: UUID) -> Attendance | None:
        return await self.session.get(Attendance, booking_id)

    def add_attendance(self, attendance: Attendance) -> None:
        self.session.add(attendance)

    async def release(self, booking: Booking) -> None:
        """Free the booking's units. The rows stay, inactive: they tell that the booking once held
        the time (so public feeds keep showing its cancellation)."""
        await self.session.execute(sa.update(t.occupancy).where(t.occupancy.c.booking_id == booking.id,
                                                                t.occupancy.c.active)
                                   .values(active=False, updated_at=utcnow()))


class SqlCalendars:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace_opening_hours(self, space: Space, hours: Sequence[OpeningHours]) -> None:
        await self.session.execute(sa.delete(t.opening_hours).where(t.opening_hours.c.space_id == space.id))
        now = utcnow()
        rows = [{"id": new_id(), "municipality_id": space.municipality_id, "space_id": space.id,
                 "weekday": w.weekday, "opens": w.opens, "closes": w.closes, "valid_from": h.valid_from,
                 "valid_to": h.valid_to, "name": h.name, "created_at": now, "updated_at": now}
                for h in hours for w in h.windows]
        if rows:
            await self.session.execute(sa.insert(t.opening_hours), rows)

    async def add_closed(self, municipality_id: UUID, site_id: UUID | None, space_id: UUID | None,
                         closed: ClosedSpan) -> UUID:
        ident, now = new_id(), utcnow()
        await self.session.execute(sa.insert(t.closed_periods).values(
            id=ident, municipality_id=municipality_id, site_id=site_id, space_id=space_id,
            starts_at=closed.span.start, ends_at=closed.span.end, reason=closed.reason, created_at=now,
            updated_at=now))
        return ident

    async def site_of_closed(self, municipality_id: UUID, closed_id: UUID) -> tuple[bool, UUID | None]:
        """Whether the closed period exists, and the site it closes (its space's site for a space; None
        when it closes every site)."""
        cp, sp = t.closed_periods, t.spaces
        row = (await self.session.execute(
            sa.select(sa.func.coalesce(cp.c.site_id, sp.c.site_id)).outerjoin(sp, sp.c.id == cp.c.space_id)
            .where(cp.c.id == closed_id, cp.c.municipality_id == municipality_id))).one_or_none()
        return (False, None) if row is None else (True, row[0])

    async def remove_closed(self, municipality_id: UUID, closed_id: UUID) -> bool:
        result = await self.session.execute(sa.delete(t.closed_periods).where(
            t.closed_periods.c.id == closed_id, t.closed_periods.c.municipality_id == municipality_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def closed_days(self, municipality_id: UUID, years: range) -> dict[date, str]:
        ho = t.holiday_overrides
        overrides = (await self.session.execute(sa.select(ho.c.day, ho.c.closed, ho.c.name).where(
            ho.c.municipality_id == municipality_id, ho.c.day >= date(years.start, 1, 1),
            ho.c.day <= date(years.stop - 1, 12, 31)))).all()
        return await self._closed_days(municipality_id, years, overrides)

    async def _closed_days(self, municipality_id: UUID, years: range,
                           overrides: Sequence[tuple[date, bool, str | None]]) -> dict[date, str]:
        """Public holidays and the eves the municipality closes, of the years (unless it keeps them
        open), with its overrides (day, closed, name) applied."""
        municipality = expect(await self.session.get(Municipality, municipality_id),  # mostly loaded already: no query
                              f"municipality {municipality_id}")
        days: dict[date, str] = {}
        if municipality.closed_on_holidays:
            for year in years:
                days.update(swedish_closed_days(year, municipality.closed_eves))
        for day, closed, name in overrides:
            if closed:
                days[day] = name or "Stängt"
            else:
                days.pop(day, None)
        return dict(sorted(days.items()))

    async def replace_prices(self, municipality_id: UUID, prices: Sequence[Price]) -> None:
        await self.session.execute(sa.delete(t.tariffs).where(t.tariffs.c.municipality_id == municipality_id))
        now = utcnow()
        if prices:
            await self.session.execute(sa.insert(t.tariffs), [
                {"id": new_id(), "municipality_id": municipality_id, "category": p.category.value,
                 "space_kind": p.space_kind, "hourly": p.hourly, "created_at": now, "updated_at": now}
                for p in prices])

    async def set_holiday_override(self, municipality_id: UUID, day: date, closed: bool | None,
                                   name: str | None) -> None:
        ho = t.holiday_overrides
        await self.session.execute(sa.delete(ho).where(ho.c.municipality_id == municipality_id, ho.c.day == day))
        if closed is not None:
            now = utcnow()
            await self.session.execute(sa.insert(ho).values(id=new_id(), municipality_id=municipality_id, day=day,
                                                            closed=closed, name=name, created_at=now, updated_at=now))

    async def availability(self, space: Space, zone: ZoneInfo, years: range) -> Availability:
        """Opening hours, closed periods and holiday overrides of the space, in one statement (UNION ALL
        of the three, each row tagged with its kind; absent columns are typed NULLs)."""
        oh, cp, ho = t.opening_hours, t.closed_periods, t.holiday_overrides

        def null(kind: sa.types.TypeEngine[Any]) -> sa.ColumnElement[Any]:
            return sa.cast(sa.null(), kind)  # typed: PostgreSQL matches a UNION's column types

        day, time_, text, instant, flag = sa.Date(), sa.Time(), sa.String(), UTCDateTime(), sa.Boolean()
        hours = sa.select(sa.literal("h").label("k"), oh.c.weekday.label("weekday"), oh.c.opens.label("opens"),
                          oh.c.closes.label("closes"), oh.c.valid_from.label("d1"), oh.c.valid_to.label("d2"),
                          oh.c.name.label("text"), null(instant).label("t1"), null(instant).label("t2"),
                          null(flag).label("flag")).where(oh.c.space_id == space.id)
        spaces = [space.id] + ([space.parent_id] if space.parent_id else [])
        closed = sa.select(sa.literal("c"), null(sa.SmallInteger()), null(time_), null(time_), null(day), null(day),
                           cp.c.reason, cp.c.starts_at, cp.c.ends_at, null(flag)).where(
            cp.c.municipality_id == space.municipality_id,
            sa.or_(cp.c.space_id.in_(spaces),
                   sa.and_(cp.c.space_id.is_(None), cp.c.site_id == space.site_id),
                   sa.and_(cp.c.space_id.is_(None), cp.c.site_id.is_(None))))
        overridden = sa.select(sa.literal("o"), null(sa.SmallInteger()), null(time_), null(time_), ho.c.day,
                               null(day), sa.cast(ho.c.name, text), null(instant), null(instant), ho.c.closed).where(
            ho.c.municipality_id == space.municipality_id, ho.c.day >= date(years.start, 1, 1),
            ho.c.day <= date(years.stop - 1, 12, 31))
        rows = (await self.session.execute(sa.union_all(hours, closed, overridden))).all()
        opening = group_opening_hours((r.weekday, r.opens, r.closes, r.d1, r.d2, r.text) for r in rows if r.k == "h")
        closed_spans = [ClosedSpan(TimeSpan(r.t1, r.t2), r.text) for r in rows if r.k == "c"]
        closed_days = await self._closed_days(space.municipality_id, years,
                                              [(r.d1, bool(r.flag), r.text) for r in rows if r.k == "o"])
        rules = BookingRules(
            buffer=timedelta(minutes=space.buffer_minutes), horizon=timedelta(days=space.horizon_days),
            min_notice=timedelta(hours=space.min_notice_hours),
            min_duration=timedelta(minutes=space.min_duration_minutes),
            max_duration=timedelta(minutes=space.max_duration_minutes))
        return Availability(zone, opening, closed_spans, closed_days, rules)
