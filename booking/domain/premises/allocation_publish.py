"""Publishing a round's proposal as approved weekly series, all at once, and telling the applicants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.people.roles import Actor
from booking.domain.premises.allocation import (
    WEEKDAYS_EN,
    AllocationRound,
    Application,
    Outcome,
    RoundState,
    wall,
)
from booking.domain.premises.allocation_common import (
    audit,
    require_staff,
    round_of,
)
from booking.domain.premises.allocation_facts import (
    season_dates,
    wall_time,
)
from booking.domain.premises.allocation_scope import require_round_wide
from booking.domain.premises.allocator import Decision, Slot, decision_from_json
from booking.domain.premises.booking_common import municipality_zone
from booking.domain.premises.bookings import Booking, BookingSeries
from booking.domain.premises.calendar import Availability
from booking.domain.premises.model import Space, leaf_units
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, NotFound, ValidationError
from booking.domain.shared.localtime import local_instant
from booking.domain.shared.notifications import Message
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.timespan import TimeSpan

# Rules a staff-published season does not apply: the round itself decides how far ahead and how
# late the season is set; the durations were checked when the slot was granted.
_IGNORED_AT_PUBLISH = frozenset({"horizon", "notice", "min-duration", "max-duration"})


_MESSAGES: dict[str, dict[str, Any]] = {
    "sv": {
        "granted": ("Tid beviljad: {title}",
                    "Er ansökan i {round} är beviljad: {space}, {weekday} {start}-{end}, "
                    "{first} till {last} ({count} tillfällen).{skipped}"),
        "denied": ("Ansökan avslagen: {title}",
                   "Er ansökan i {round} kunde tyvärr inte beviljas: ingen av de önskade tiderna var ledig."),
        "skipped": "\n\nDessa datum ingår inte (helgdag, stängt eller redan bokat): {dates}",
        "weekdays": ("måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar", "söndagar"),
    },
    "en": {
        "granted": ("Time granted: {title}",
                    "Your application in {round} is granted: {space}, {weekday} {start}-{end}, "
                    "{first} to {last} ({count} times).{skipped}"),
        "denied": ("Application denied: {title}",
                   "Your application in {round} could not be granted: none of the wished times was free."),
        "skipped": "\n\nThese dates are not included (holiday, closed or already booked): {dates}",
        "weekdays": tuple(f"{d}s" for d in WEEKDAYS_EN),
    },
}


def _message(locale: str, kind: str, **values: Any) -> tuple[str, str]:
    text = _MESSAGES.get(locale, _MESSAGES["sv"])
    subject, body = text[kind]
    if kind == "granted":
        values["weekday"] = text["weekdays"][values["weekday"]]
        values["skipped"] = text["skipped"].format(dates=", ".join(values["skipped"])) if values["skipped"] else ""
    return subject.format(**values), body.format(**values)


async def _recipients(uow: PremisesUnitOfWork, application: Application) -> list[tuple[str, str]]:
    """(e-mail, locale): who applied, and the association's contact people with an address."""
    out: dict[str, str] = {}
    account = await uow.accounts.get(application.submitted_by)
    if account is not None and account.is_active:
        out[account.email] = account.locale
    association = await uow.associations.get(application.association_id)
    for contact in association.contacts if association else []:
        if contact.email and contact.email not in out:
            out[contact.email] = "sv"
    return sorted(out.items())


@dataclass
class _Place:
    """A space of the proposal: its units and its calendar over the season."""

    space: Space
    units: frozenset[UUID]
    availability: Availability


@dataclass
class _Planned:
    """The weekly series an application is granted, before anything is held."""

    decision: Decision
    slot: Slot
    application: Application
    series: BookingSeries
    bookings: list[Booking]
    skipped: list[dict[str, Any]]


def season_spans(round_: AllocationRound, slot: Slot, availability: Availability, now: datetime
                 ) -> tuple[list[TimeSpan], list[dict[str, Any]]]:
    """The slot's times on every date of the season, and the dates left out and why: a wall time
    that does not exist that day (the change to summer time) or a closed or holiday date."""
    zone, start, end = availability.zone, wall_time(slot.start), wall_time(slot.end)
    spans: list[TimeSpan] = []
    skipped: list[dict[str, Any]] = []
    for day in season_dates(round_, slot.weekday):
        try:
            begin = local_instant(day, start, zone)
            until = local_instant(day, end, zone) if slot.end < 24 * 60 else local_instant(
                day + timedelta(days=1), time(0), zone)
            span = TimeSpan(begin, until)
        except ValidationError as exc:
            skipped.append({"date": day.isoformat(), "rule": "nonexistent-local-time", "message": exc.detail})
            continue
        breaches = [b for b in availability.breaches(span, now) if b.rule not in _IGNORED_AT_PUBLISH]
        if breaches:
            skipped.append(breaches[0].as_dict())
            continue
        spans.append(span)
    return spans, skipped


async def _place(uow: PremisesUnitOfWork, actor: Actor, space_id: UUID, zone: ZoneInfo, years: range) -> _Place:
    try:
        space = of_municipality(await uow.spaces.get(space_id), actor.municipality_id, "space", space_id)
    except NotFound as gone:
        raise Conflict("A space of the proposal no longer exists; run the allocation again.") from gone
    units = leaf_units(space, await uow.spaces.parts_of(space.id))
    return _Place(space, units, await uow.calendars.availability(space, zone, years))


def _plan(round_: AllocationRound, decision: Decision, slot: Slot, application: Application, place: _Place,
          actor: Actor, now: datetime) -> _Planned:
    spans, skipped = season_spans(round_, slot, place.availability, now)
    bookings = [Booking(municipality_id=actor.municipality_id, space_id=place.space.id, starts_at=span.start,
                        ends_at=span.end, booked_by=actor.account_id, title=application.title,
                        association_id=application.association_id, note=f"{round_.name}") for span in spans]
    dates = season_dates(round_, slot.weekday)
    series = BookingSeries(municipality_id=actor.municipality_id, space_id=place.space.id,
                           start_date=dates[0] if dates else round_.first_day, weekdays=[slot.weekday], interval=1,
                           until=round_.last_day, count=None, exdates=[], local_start=wall_time(slot.start),
                           local_end=wall_time(slot.end) if slot.end < 24 * 60 else time(0))
    return _Planned(decision, slot, application, series, bookings, skipped)


async def _hold(planned: _Planned, place: _Place, uow: PremisesUnitOfWork, actor: Actor, now: datetime) -> int:
    """Store the series and approve every date still free; a date taken meanwhile is rejected and
    reported with the bookings in the way. Returns how many were booked."""
    buffer = timedelta(minutes=place.space.buffer_minutes)
    uow.bookings.add_series(planned.series)
    held = 0
    for booking in planned.bookings:
        booking.series_id = planned.series.id
        uow.bookings.add(booking)
        if await uow.bookings.hold(booking, place.units, buffer):
            booking.approve(actor.account_id, now)
            held += 1
            continue
        clashes = await uow.bookings.clashes(place.units, booking.span, buffer, booking.id)
        booking.reject(actor.account_id, now, "Tiden var redan bokad.")
        planned.skipped.append({
            "date": booking.starts_at.astimezone(place.availability.zone).date().isoformat(), "rule": "conflict",
            "message": "Already booked at that time.",
            "conflicts": [{"booking_id": str(c.booking_id), "starts_at": c.starts_at.isoformat(),
                           "ends_at": c.ends_at.isoformat()} for c in clashes]})
    planned.skipped.sort(key=lambda s: s["date"])
    return held


async def _tell_granted(uow: PremisesUnitOfWork, actor: Actor, round_: AllocationRound, planned: _Planned,
                        space: Space, held: int) -> None:
    application, slot = planned.application, planned.slot
    for email, locale in await _recipients(uow, application):
        subject, body = _message(locale, "granted", title=application.title, round=round_.name, space=space.name,
                                 weekday=slot.weekday, start=wall(slot.start), end=wall(slot.end),
                                 first=planned.series.start_date.isoformat(), last=round_.last_day.isoformat(),
                                 count=held, skipped=[s["date"] for s in planned.skipped])
        uow.notify(Message(actor.municipality_id, "allocation.granted", email, subject, body))


async def _tell_denied(uow: PremisesUnitOfWork, actor: Actor, round_: AllocationRound,
                       application: Application) -> dict[str, Any]:
    for email, locale in await _recipients(uow, application):
        subject, body = _message(locale, "denied", title=application.title, round=round_.name)
        uow.notify(Message(actor.municipality_id, "allocation.denied", email, subject, body))
    return {"application_id": str(application.id), "outcome": "denied", "series_id": None, "booked": 0,
            "skipped": []}


async def _plan_all(round_: AllocationRound, decisions: list[Decision], apps: dict[UUID, Application],
                    uow: PremisesUnitOfWork, actor: Actor, now: datetime) -> tuple[list[_Planned], dict[UUID, _Place]]:
    zone = await municipality_zone(uow, actor.municipality_id)
    years = range(round_.first_day.year, round_.last_day.year + 1)
    places: dict[UUID, _Place] = {}
    planned: list[_Planned] = []
    for decision in decisions:
        slot = decision.slot
        if decision.outcome is Outcome.DENIED or slot is None:
            continue
        if slot.space_id not in places:
            places[slot.space_id] = await _place(uow, actor, slot.space_id, zone, years)
        planned.append(_plan(round_, decision, slot, apps[decision.application_id], places[slot.space_id], actor,
                             now))
    return planned, places


async def publish(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> AllocationRound:
    """Create an approved weekly series for every granted or moved application, all at once."""
    require_staff(actor)
    require_round_wide(actor)
    now = clock.now()
    async with uow:
        round_ = await round_of(uow, actor, round_id, for_update=True)
        if round_.state is RoundState.PUBLISHED:
            return round_  # publishing twice changes nothing
        if round_.state is not RoundState.ALLOCATED or round_.proposal is None:
            raise Conflict(f"Run the allocation before publishing; this round is {round_.state}.")
        decisions = [decision_from_json(d) for d in round_.proposal]
        apps = {a.id: a for a in await uow.allocation.applications(round_id)}
        planned, places = await _plan_all(round_, decisions, apps, uow, actor, now)
        await uow.bookings.lock_units(frozenset().union(*(p.units for p in places.values())))
        report: list[dict[str, Any]] = []
        for item in planned:
            place = places[item.series.space_id]
            held = await _hold(item, place, uow, actor, now)
            report.append({"application_id": str(item.application.id), "outcome": str(item.decision.outcome),
                           "series_id": str(item.series.id), "booked": held, "skipped": item.skipped})
            await _tell_granted(uow, actor, round_, item, place.space, held)
            audit(uow, actor, "allocation.series_created", "allocation_application", item.application.id,
                  series_id=str(item.series.id), booked=held, skipped=len(item.skipped))
        for decision in decisions:
            if decision.outcome is Outcome.DENIED:
                report.append(await _tell_denied(uow, actor, round_, apps[decision.application_id]))
        round_.report = report
        round_.state, round_.published_at = RoundState.PUBLISHED, now
        audit(uow, actor, "allocation.published", "allocation_round", round_.id, series=len(planned))
        await uow.commit()
        return round_
