"""Use cases for bookings: request (single or weekly series), approve, reject, cancel.

Never a double booking: approved bookings occupy the leaf units of their space (a whole
divisible hall occupies every part) for their time plus the space's changeover buffer. The
occupancy is written under a lock on the units (PostgreSQL: row locks taken in sorted order;
SQLite: the writer lock of BEGIN IMMEDIATE) after re-checking, and PostgreSQL's exclusion
constraint refuses any overlap that slipped past, so the database itself carries the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from booking.domain.people.model import Association
from booking.domain.people.roles import Actor, Role
from booking.domain.premises.access import Access, access_for, booking_of_check_in_code
from booking.domain.premises.attendance import Attendance
from booking.domain.premises.booking_common import audit as _audit
from booking.domain.premises.booking_common import availability as _availability
from booking.domain.premises.booking_common import breaches_as_problems, space_buffer
from booking.domain.premises.booking_common import clash_view as _clash_view
from booking.domain.premises.booking_common import span as _span
from booking.domain.premises.booking_common import tell as _tell
from booking.domain.premises.booking_common import units as _units
from booking.domain.premises.bookings import Booking, BookingSeries, BookingStatus
from booking.domain.premises.calendar import (
    ClosedSpan,
    OpeningHours,
    day_plans,
    merge_spans,
    touching,
)
from booking.domain.premises.changes import MoveBooking as MoveBooking  # activities move rooms through these
from booking.domain.premises.changes import move_booking as move_booking
from booking.domain.premises.fees import Price, check_price
from booking.domain.premises.model import Space
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.recurrence import WeeklyRule
from booking.domain.premises.scope import (
    booking_for_staff,
    booking_to_handle,
    is_party,
    require_staff_at,
    staff_at,
)
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, FieldProblem, Forbidden, NotFound, ValidationError
from booking.domain.shared.localtime import check_day, local_instant
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.text import clean_name
from booking.domain.shared.timespan import TimeSpan

# Rules that leave a date out of a series (and say so) instead of refusing the whole series.
SKIPPABLE = frozenset({"holiday", "closed", "conflict"})


@dataclass(frozen=True)
class Recurrence:
    weekdays: tuple[int, ...]
    interval: int = 1
    until: date | None = None
    count: int | None = None
    exdates: tuple[date, ...] = ()


@dataclass(frozen=True)
class RequestBooking:
    space_id: UUID
    title: str
    date: date
    start: time
    end: time
    association_id: UUID | None = None
    recurrence: Recurrence | None = None
    note: str | None = None


@dataclass
class Outcome:
    """What a request or a series decision did, date by date."""

    bookings: list[Booking] = field(default_factory=list)
    series: BookingSeries | None = None
    skipped: list[dict[str, Any]] = field(default_factory=list)


async def _space_in_tenant(uow: PremisesUnitOfWork, actor: Actor, space_id: UUID,
                           field_name: str | None = None) -> Space:
    return of_municipality(await uow.spaces.get(space_id), actor.municipality_id, "space", space_id, field_name)


async def _association_for(uow: PremisesUnitOfWork, actor: Actor, association_id: UUID | None,
                           is_staff: bool) -> Association | None:
    """Staff (of the space's site) book for any association or none; others for one they represent.
    Premises staff narrowed to other sites may still book without an association: as a request."""
    if association_id is None:
        if not actor.has(Role.PREMISES_STAFF):
            raise ValidationError("association_id", "Say which association the booking is for.", "required")
        return None
    association = of_municipality(await uow.associations.get(association_id),
                                  actor.municipality_id, "association", association_id, "association_id")
    if not is_staff and not actor.represents(association_id):
        raise Forbidden("You do not represent this association.")
    if not association.is_verified and not is_staff:
        raise Forbidden("The association is not verified yet; the municipality checks new associations first.")
    return association


def _dates(cmd: RequestBooking) -> tuple[list[date], WeeklyRule | None]:
    if cmd.recurrence is None:
        return [cmd.date], None
    r = cmd.recurrence
    rule = WeeklyRule(cmd.date, frozenset(r.weekdays), r.interval, r.until, r.count, frozenset(r.exdates))
    return rule.dates(), rule


async def request_booking(cmd: RequestBooking, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> Outcome:
    now = clock.now()
    async with uow:
        space = await _space_in_tenant(uow, actor, cmd.space_id, "space_id")
        staff_here = staff_at(actor, space.site_id)  # staff narrowed to other sites request like anyone
        association = await _association_for(uow, actor, cmd.association_id, staff_here)
        municipality = await uow.municipalities.get(space.municipality_id)
        assert municipality is not None
        dates, rule = _dates(cmd)
        availability = await _availability(uow, space, municipality.zone, dates)
        spans = {day: _span(day, cmd.start, cmd.end, availability) for day in dates}
        units = await _units(uow, space)
        auto = staff_here or (association is not None and association.category in space.auto_approve_categories)
        if auto:
            await uow.bookings.lock_units(units)

        outcome = Outcome()
        refusals: list[FieldProblem] = []
        for day, span in spans.items():
            breaches = availability.breaches(span, now)
            blocking = [b for b in breaches if rule is None or b.rule not in SKIPPABLE]
            if blocking:
                refusals.extend(breaches_as_problems(blocking))
                continue
            if breaches:
                outcome.skipped.extend(b.as_dict() for b in breaches)
                continue
            clashes = await uow.bookings.clashes(units, span, space_buffer(space))
            if clashes:
                if rule is None:
                    raise Conflict("The space is already booked at that time.",
                                   [_clash_view(c, actor) for c in clashes])
                outcome.skipped.append({"rule": "conflict", "date": day.isoformat(),
                                        "message": "Already booked at that time.",
                                        "conflicts": [_clash_view(c, actor) for c in clashes]})
                continue
            outcome.bookings.append(Booking(
                municipality_id=space.municipality_id, space_id=space.id, starts_at=span.start, ends_at=span.end,
                booked_by=actor.account_id, title=cmd.title, association_id=cmd.association_id, note=cmd.note))
        if refusals:
            raise ValidationError.many(refusals)
        if not outcome.bookings:
            raise Conflict("No date of the series can be booked.", outcome.skipped)

        if rule is not None:
            assert cmd.recurrence is not None
            outcome.series = BookingSeries(
                municipality_id=space.municipality_id, space_id=space.id, start_date=cmd.date,
                weekdays=sorted(rule.weekdays), interval=rule.interval, until=rule.until, count=rule.count,
                exdates=sorted(d.isoformat() for d in rule.exdates), local_start=cmd.start, local_end=cmd.end)
            uow.bookings.add_series(outcome.series)
        for booking in outcome.bookings:
            booking.series_id = outcome.series.id if outcome.series else None
            uow.bookings.add(booking)
        if auto:
            for booking in outcome.bookings:
                booking.approve(actor.account_id, now)  # before its first write: stored approved at once
                if await uow.bookings.hold(booking, units, space_buffer(space)):
                    continue
                if rule is None:
                    raise Conflict("The space was booked at that time meanwhile.",
                                   [_clash_view(c, actor) for c in await uow.bookings.clashes(
                                       units, booking.span, space_buffer(space), booking.id)])
                else:
                    booking.approval_lost("Tiden bokades av någon annan under tiden.")
                    outcome.skipped.append({"rule": "conflict",
                                            "date": booking.starts_at.astimezone(municipality.zone).date().isoformat(),
                                            "message": "Booked by someone else meanwhile."})
        for booking in outcome.bookings:
            _audit(uow, actor, "booking.requested", booking, status=str(booking.status))
        approved_now = [b for b in outcome.bookings if b.status is BookingStatus.APPROVED]
        await _tell(uow, "booking.requested_approved" if approved_now else "booking.requested",
                    approved_now or outcome.bookings)
        await uow.commit()
        return outcome


async def decide(booking_ids: list[UUID], approve: bool, reason: str | None, uow: PremisesUnitOfWork, actor: Actor,
                 clock: Clock) -> Outcome:
    """Approve (or reject) pending bookings (staff of their sites: 403 elsewhere). Approving takes every
    occurrence that is still free and reports the others, which are rejected with the reason 'conflict'."""
    now = clock.now()
    outcome = Outcome()
    async with uow:
        bookings = [(await booking_for_staff(uow, actor, i))[0] for i in booking_ids]
        pending = [b for b in bookings if b.status is BookingStatus.PENDING]
        if not pending:
            raise Conflict("Nothing pending to decide.", [{"booking_id": str(b.id), "status": str(b.status)}
                                                          for b in bookings])
        if not approve:
            for booking in pending:
                booking.reject(actor.account_id, now, reason or "")
                _audit(uow, actor, "booking.rejected", booking, reason=reason)
            await _tell(uow, "booking.rejected", pending, reason)
            await uow.commit()
            outcome.bookings = pending
            return outcome
        municipality = await uow.municipalities.get(actor.municipality_id)
        assert municipality is not None
        zone = municipality.zone
        spaces: dict[UUID, tuple[Space, frozenset[UUID]]] = {}
        for booking in pending:
            if booking.space_id not in spaces:
                space = await _space_in_tenant(uow, actor, booking.space_id)
                spaces[booking.space_id] = (space, await _units(uow, space))
        await uow.bookings.lock_units(frozenset().union(*(u for _, u in spaces.values())))
        for booking in sorted(pending, key=lambda b: b.starts_at):
            space, units = spaces[booking.space_id]
            if await uow.bookings.hold(booking, units, space_buffer(space)):
                booking.approve(actor.account_id, now)
                outcome.bookings.append(booking)
                _audit(uow, actor, "booking.approved", booking)
            else:
                clashes = await uow.bookings.clashes(units, booking.span, space_buffer(space), booking.id)
                if len(pending) == 1:
                    raise Conflict("The space is already booked at that time.",
                                   [_clash_view(c, actor) for c in clashes])
                booking.reject(actor.account_id, now, "Tiden var redan bokad.")
                outcome.skipped.append({"rule": "conflict",
                                        "date": booking.starts_at.astimezone(zone).date().isoformat(),
                                        "booking_id": str(booking.id), "message": "Already booked at that time.",
                                        "conflicts": [_clash_view(c, actor) for c in clashes]})
                _audit(uow, actor, "booking.rejected", booking, reason="conflict")
        await _tell(uow, "booking.approved", outcome.bookings)
        refused = [b for b in pending if b.status is BookingStatus.REJECTED]
        await _tell(uow, "booking.rejected", refused, "Tiden var redan bokad.")
        await uow.commit()
        return outcome


async def series_booking_ids(series_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> list[UUID]:
    async with uow:
        bookings = await uow.bookings.of_series(series_id)
        if not bookings or bookings[0].municipality_id != actor.municipality_id:
            raise NotFound("Series", series_id)
        return [b.id for b in bookings]


class CancelScope(StrEnum):
    ONE = "one"  # this occurrence
    FOLLOWING = "following"  # this and the following occurrences of its series
    SERIES = "series"  # every occurrence of its series that has not yet begun


async def cancel_booking(booking_id: UUID, reason: str | None, uow: PremisesUnitOfWork, actor: Actor, clock: Clock,
                         scope: CancelScope = CancelScope.ONE) -> list[Booking]:
    """Cancel one occurrence, this and the following ones, or the whole series (occurrences that
    have already begun stay as they were). Frees the time of every approved occurrence cancelled."""
    now = clock.now()
    async with uow:
        booking, space = await booking_to_handle(uow, actor, booking_id)
        if scope is CancelScope.ONE or booking.series_id is None:
            targets = [booking]
        else:
            siblings = await uow.bookings.of_series(booking.series_id)
            targets = [b for b in siblings if b.starts_at > now and b.status in (BookingStatus.PENDING,
                                                                                  BookingStatus.APPROVED)
                       and (scope is CancelScope.SERIES or b.starts_at >= booking.starts_at)]
            if booking not in targets and booking.status in (BookingStatus.PENDING, BookingStatus.APPROVED):
                targets.insert(0, booking)
        if not targets:
            raise Conflict("Nothing left to cancel in this series.")
        deadline = timedelta(hours=space.cancel_deadline_hours)
        sites = {space.id: space.site_id}
        for target in targets:
            if target.space_id not in sites:  # moved to another space of the municipality
                sites[target.space_id] = (await _space_in_tenant(uow, actor, target.space_id)).site_id
            by_staff = staff_at(actor, sites[target.space_id])
            if not by_staff and not is_party(actor, target):
                require_staff_at(actor, sites[target.space_id])
            if target.holds_time:
                await uow.bookings.release(target)
            # Staff cancelling (e.g. for a municipal event) never costs the association its fee.
            target.cancel(actor.account_id, now, reason, None if by_staff else deadline)
            _audit(uow, actor, "booking.cancelled", target, reason=reason, scope=str(scope))
        await _tell(uow, "booking.cancelled", targets, reason)
        await uow.commit()
        return targets


async def set_opening_hours(space_id: UUID, hours: list[OpeningHours], uow: PremisesUnitOfWork, actor: Actor) -> None:
    """Replace the opening hours of a space (general windows and period variations)."""
    async with uow:
        space = await _space_in_tenant(uow, actor, space_id)
        require_staff_at(actor, space.site_id)
        for i, a in enumerate(hours):
            if a.valid_from and a.valid_to and a.valid_to < a.valid_from:
                raise ValidationError(f"variations[{i}].valid_to", "The period ends before it starts.", "range")
        await uow.calendars.replace_opening_hours(space, hours)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "space.opening_hours_set", "space", space.id,
                             {"windows": sum(len(h.windows) for h in hours)}))
        await uow.commit()


MAX_PLAN_DAYS = 62


async def availability_plan(space_id: UUID, first: date, last: date, uow: PremisesUnitOfWork) -> tuple[Space, Any,
                                                                                                       list[Any]]:
    """Open, free and busy times of a space per local date (public: no names, no titles)."""
    check_day(first, "from")
    check_day(last, "to")
    if last < first:
        raise ValidationError("to", "The end date is before the start date.", "range")
    if (last - first).days >= MAX_PLAN_DAYS:
        raise ValidationError("to", f"At most {MAX_PLAN_DAYS} days at a time.", "range")
    async with uow:
        space = await uow.spaces.get(space_id)
        if space is None:
            raise NotFound("Space", space_id)
        municipality = await uow.municipalities.get(space.municipality_id)
        assert municipality is not None
        zone = municipality.zone
        availability = await uow.calendars.availability(space, zone, range(first.year, last.year + 1))
        window = TimeSpan(local_instant(first, time(0), zone), local_instant(last + timedelta(days=1), time(0), zone))
        busy = merge_spans(await uow.bookings.busy(await _units(uow, space), window))
        plans = day_plans(availability, first, last, busy)
        starts, ends = [b.start for b in busy], [b.end for b in busy]
        return space, zone, [(plan, list(touching(busy, starts, ends, TimeSpan(*_day_bounds(plan.day, zone)))))
                             for plan in plans]


def _day_bounds(day: date, zone: Any) -> tuple[datetime, datetime]:
    return local_instant(day, time(0), zone), local_instant(day + timedelta(days=1), time(0), zone)


@dataclass(frozen=True)
class CloseTime:
    """Close a space, a whole site (site_id) or every site (neither) from one local date and time
    to another: a school event, maintenance."""

    reason: str
    first_day: date
    last_day: date
    from_time: time | None = None  # None: from the start of first_day
    to_time: time | None = None  # None: to the end of last_day
    space_id: UUID | None = None
    site_id: UUID | None = None


async def close_time(cmd: CloseTime, uow: PremisesUnitOfWork, actor: Actor) -> tuple[UUID, ClosedSpan]:
    check_day(cmd.first_day, "first_day")
    check_day(cmd.last_day, "last_day")
    async with uow:
        if cmd.space_id is not None and cmd.site_id is not None:
            raise ValidationError("site_id", "Give a space or a site, not both.")
        site_id = cmd.site_id
        if cmd.space_id is not None:
            site_id = (await _space_in_tenant(uow, actor, cmd.space_id, "space_id")).site_id
        if cmd.site_id is not None:
            of_municipality(await uow.sites.get(cmd.site_id), actor.municipality_id, "site", cmd.site_id, "site_id")
        require_staff_at(actor, site_id)  # closing every site (neither given) takes a municipality-wide grant
        municipality = await uow.municipalities.get(actor.municipality_id)
        assert municipality is not None
        zone = municipality.zone
        start = local_instant(cmd.first_day, cmd.from_time or time(0), zone, "from_time")
        end = local_instant(cmd.last_day + (timedelta(0) if cmd.to_time else timedelta(days=1)),
                            cmd.to_time or time(0), zone, "to_time")
        if end <= start:
            raise ValidationError("last_day", "The closed period ends before it starts.", "range")
        if end - start > timedelta(days=400):
            raise ValidationError("last_day", "At most 400 days at a time.", "range")
        reason = clean_name(cmd.reason, "reason")
        closed = ClosedSpan(TimeSpan(start, end), reason)
        ident = await uow.calendars.add_closed(actor.municipality_id, cmd.site_id, cmd.space_id, closed)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "closed_period.created", "closed_period",
                             ident, {"reason": reason}))
        await uow.commit()
        return ident, closed


async def reopen(closed_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> None:
    async with uow:
        found, site_id = await uow.calendars.site_of_closed(actor.municipality_id, closed_id)
        if not found:
            raise NotFound("Closed period", closed_id)
        require_staff_at(actor, site_id)
        await uow.calendars.remove_closed(actor.municipality_id, closed_id)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "closed_period.removed", "closed_period",
                             closed_id, {}))
        await uow.commit()


@dataclass(frozen=True)
class FreeSlotSearch:
    """"2 hours free in any gym in area X in the next two weeks for 30 people"."""

    municipality_id: UUID
    first: date
    last: date
    duration: timedelta
    kind: str | None = None
    min_capacity: int | None = None
    area_id: UUID | None = None


@dataclass(frozen=True)
class FreeSlot:
    space: Space
    span: TimeSpan


MAX_SEARCH_DAYS = 31
MAX_SEARCH_SPACES = 50


async def find_free_slots(cmd: FreeSlotSearch, uow: PremisesUnitOfWork, clock: Clock) -> tuple[Any, list[FreeSlot]]:
    """Every free stretch of at least `duration` in the matching spaces, earliest first. Public:
    only times, no bookings."""
    check_day(cmd.first, "from")
    check_day(cmd.last, "to")
    if cmd.last < cmd.first:
        raise ValidationError("to", "The end date is before the start date.", "range")
    if (cmd.last - cmd.first).days >= MAX_SEARCH_DAYS:
        raise ValidationError("to", f"At most {MAX_SEARCH_DAYS} days at a time.", "range")
    now = clock.now()
    async with uow:
        municipality = await uow.municipalities.get(cmd.municipality_id)
        if municipality is None:
            raise ValidationError("municipality", "No such municipality.", "unknown")
        zone = municipality.zone
        spaces = await uow.spaces.matching(cmd.municipality_id, cmd.kind, cmd.min_capacity, cmd.area_id,
                                           MAX_SEARCH_SPACES)
        window = TimeSpan(local_instant(cmd.first, time(0), zone), local_instant(cmd.last + timedelta(days=1),
                                                                                 time(0), zone))
        slots: list[FreeSlot] = []
        for space in spaces:
            availability = await uow.calendars.availability(space, zone, range(cmd.first.year, cmd.last.year + 1))
            busy = await uow.bookings.busy(await _units(uow, space), window)
            earliest = now + availability.rules.min_notice
            for plan in day_plans(availability, cmd.first, cmd.last, busy):
                for free in plan.free:
                    if free.end <= earliest:
                        continue
                    start = max(free.start, earliest)
                    if free.end - start >= cmd.duration:
                        slots.append(FreeSlot(space, TimeSpan(start, free.end)))
        slots.sort(key=lambda slot: (slot.span.start, slot.space.name))
        return zone, slots


async def closed_days(municipality_id: UUID, year: int, uow: PremisesUnitOfWork) -> dict[date, str]:
    """The municipality's closed days of a year: public holidays and eves (unless it keeps them
    open), with its own overrides."""
    check_day(date(year, 1, 1), "year")
    async with uow:
        return await uow.calendars.closed_days(municipality_id, range(year, year + 1))


async def override_holiday(day: date, closed: bool | None, name: str | None, uow: PremisesUnitOfWork,
                           actor: Actor) -> None:
    """closed=True: an extra closed day; closed=False: open on a holiday; None: back to the default.
    Every site closes or opens: staff narrowed to sites may not."""
    check_day(day, "date")
    require_staff_at(actor, None)
    async with uow:
        label = clean_name(name, "name") if name else None
        await uow.calendars.set_holiday_override(actor.municipality_id, day, closed, label)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "holiday.override", "municipality",
                             actor.municipality_id, {"date": day.isoformat(), "closed": closed}))
        await uow.commit()


@dataclass(frozen=True)
class RecordAttendance:
    booking_id: UUID
    leader_name: str
    leader_birth_year: int | None
    participants: tuple[dict[str, Any], ...]
    leaders: int = 1


async def record_attendance(cmd: RecordAttendance, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> Attendance:
    """The association (or staff) records who came to an approved occasion that has begun;
    recording again replaces the earlier record."""
    async with uow:
        booking, _ = await booking_to_handle(uow, actor, cmd.booking_id)
        if booking.status is not BookingStatus.APPROVED:
            raise Conflict(f"Attendance is recorded for approved bookings; this one is {booking.status}.")
        if booking.starts_at > clock.now():
            raise ValidationError("booking_id", "The occasion has not begun yet.", "future")
        fresh = Attendance(booking.id, booking.municipality_id, cmd.leader_name, cmd.leader_birth_year,
                           [dict(p) for p in cmd.participants], actor.account_id, cmd.leaders)
        existing = await uow.bookings.attendance(booking.id)
        if existing is None:
            uow.bookings.add_attendance(fresh)
            record = fresh
        else:
            for name in ("leader_name", "leader_birth_year", "participants", "leaders", "recorded_by"):
                setattr(existing, name, getattr(fresh, name))
            record = existing
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "attendance.recorded", "booking", booking.id,
                             {"participants": fresh.total}))
        await uow.commit()
        return record


async def set_prices(prices: list[Price], uow: PremisesUnitOfWork, actor: Actor) -> None:
    """Replace the municipality's price list (hourly prices per tariff category and space kind)."""
    seen = set()
    for i, price in enumerate(prices):
        check_price(price.hourly, f"items[{i}].hourly")
        key = (price.category, price.space_kind)
        if key in seen:
            raise ValidationError(f"items[{i}]", "The same category and space kind twice.", "duplicate")
        seen.add(key)
    async with uow:
        await uow.calendars.replace_prices(actor.municipality_id, prices)
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "tariffs.set", "municipality",
                             actor.municipality_id, {"prices": len(prices)}))
        await uow.commit()


async def booking_access(booking_id: UUID, uow: PremisesUnitOfWork, actor: Actor, secret: str) -> Access:
    """How to get in: only the association that booked (its representatives, the booker) and staff of
    the space's site."""
    async with uow:
        booking, space = await booking_to_handle(uow, actor, booking_id)
        if booking.status is not BookingStatus.APPROVED:
            raise Conflict("Access is given for approved bookings.")
        return access_for(booking, space.access_mode, space.access_instructions, secret)


async def set_space_access(space_id: UUID, mode: str, instructions: str | None, uow: PremisesUnitOfWork,
                           actor: Actor) -> Space:
    async with uow:
        space = await _space_in_tenant(uow, actor, space_id)
        require_staff_at(actor, space.site_id)
        space.access_mode, space.access_instructions = mode, instructions
        space.validate()
        uow.audit(AuditEntry(actor.municipality_id, actor.account_id, "space.access_set", "space", space.id,
                             {"mode": mode}))
        await uow.commit()
        return space


async def check_in(code: str, uow: PremisesUnitOfWork, actor: Actor, clock: Clock, secret: str) -> Booking:
    """Staff (or the school's host) scan the booking's QR code at the door."""
    booking_id = booking_of_check_in_code(secret, code)
    if booking_id is None:
        raise ValidationError("code", "Not a check-in code of this system.", "unknown")
    async with uow:
        booking = await uow.bookings.get(booking_id)
        if booking is None or booking.municipality_id != actor.municipality_id:
            raise ValidationError("code", "Not a check-in code of this municipality.", "unknown")
        require_staff_at(actor, (await _space_in_tenant(uow, actor, booking.space_id)).site_id)
        booking.check_in(clock.now())
        _audit(uow, actor, "booking.checked_in", booking)
        await uow.commit()
        return booking


async def mark_no_show(booking_id: UUID, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> Booking:
    async with uow:
        booking, _ = await booking_for_staff(uow, actor, booking_id)
        booking.mark_no_show(clock.now())
        _audit(uow, actor, "booking.no_show", booking)
        await uow.commit()
        return booking
