"""What the booking use cases share: the space's units and rules, a wanted time as an instant span,
how a clash and a broken rule are shown, the audit entry and the message to the booker."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.people.roles import Actor, Role
from booking.domain.premises.bookings import Booking
from booking.domain.premises.calendar import Availability, RuleBreach
from booking.domain.premises.messages import render
from booking.domain.premises.model import Space, leaf_units
from booking.domain.premises.ports import Clash, PremisesUnitOfWork
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import FieldProblem, ValidationError, expect
from booking.domain.shared.localtime import local_instant
from booking.domain.shared.notifications import Message
from booking.domain.shared.timespan import TimeSpan

_FIELD_OF_RULE = {"min-duration": "end", "max-duration": "end", "opening-hours": "start", "notice": "date",
                  "horizon": "date", "past": "date", "holiday": "date", "closed": "date"}


def clash_view(clash: Clash, actor: Actor) -> dict[str, Any]:
    """A conflicting booking as the caller may see it: times always, the association only to staff
    or to that association's own representatives."""
    view: dict[str, Any] = {"booking_id": str(clash.booking_id), "space_id": str(clash.space_id),
                            "starts_at": clash.starts_at.isoformat(), "ends_at": clash.ends_at.isoformat()}
    if clash.association_id is not None and (actor.has(Role.PREMISES_STAFF) or actor.represents(clash.association_id)):
        view["association_id"] = str(clash.association_id)
    return view


def span(day: date, start: time, end: time, availability: Availability) -> TimeSpan:
    if end <= start:
        raise ValidationError("end", "The end must be after the start (a booking ends on the day it starts).")
    return TimeSpan(local_instant(day, start, availability.zone, "start"),
                    local_instant(day, end, availability.zone, "end"))


async def municipality_zone(uow: PremisesUnitOfWork, municipality_id: UUID) -> ZoneInfo:
    """The time zone of the municipality everything of a premises use case belongs to."""
    return expect(await uow.municipalities.get(municipality_id), "the municipality").zone


async def units(uow: PremisesUnitOfWork, space: Space) -> frozenset[UUID]:
    return leaf_units(space, await uow.spaces.parts_of(space.id))


def space_buffer(space: Space) -> timedelta:
    return timedelta(minutes=space.buffer_minutes)


async def availability(uow: PremisesUnitOfWork, space: Space, zone: Any, dates: list[date]) -> Availability:
    years = range(min(dates).year, max(dates).year + 1)
    return await uow.calendars.availability(space, zone, years)


def breaches_as_problems(breaches: list[RuleBreach]) -> list[FieldProblem]:
    return [FieldProblem(_FIELD_OF_RULE.get(b.rule, "date"), f"{b.day.isoformat()}: {b.message}", b.rule)
            for b in breaches]


async def tell(uow: PremisesUnitOfWork, kind: str, bookings: list[Booking], reason: str | None = None,
               proposed: bool = False) -> None:
    """Queue one message to the person who booked, about these occurrences (one per booker);
    `proposed`: their times as a waiting change would make them."""
    by_booker: dict[UUID, list[Booking]] = {}
    for booking in bookings:
        by_booker.setdefault(booking.booked_by, []).append(booking)
    for booker, theirs in by_booker.items():
        await tell_people(uow, kind, theirs, {booker}, reason=reason, proposed=proposed)


async def tell_people(uow: PremisesUnitOfWork, kind: str, bookings: list[Booking], accounts: set[UUID],
                      contacts_of: UUID | None = None, reason: str | None = None, proposed: bool = False) -> None:
    """Queue one message about these occurrences to each of these accounts (in their language) and to
    the contact people with an e-mail address of the association `contacts_of` (in Swedish)."""
    if not bookings:
        return
    space = await uow.spaces.get((bookings[0].proposed_space_id if proposed else None) or bookings[0].space_id)
    municipality = await uow.municipalities.get(bookings[0].municipality_id)
    if space is None or municipality is None:
        return
    recipients: dict[str, str] = {}
    for account_id in sorted(accounts, key=str):
        account = await uow.accounts.get(account_id)
        if account is not None and account.is_active:
            recipients.setdefault(account.email, account.locale)
    association = await uow.associations.get(contacts_of) if contacts_of is not None else None
    for contact in association.contacts if association else []:
        if contact.email:
            recipients.setdefault(contact.email, "sv")
    for email, locale in recipients.items():
        subject, body = render(kind, locale, bookings, space.name, municipality.zone, reason, proposed)
        uow.notify(Message(municipality.id, kind, email, subject, body))


def audit(uow: PremisesUnitOfWork, actor: Actor, action: str, booking: Booking, **details: Any) -> None:
    uow.audit(AuditEntry(actor.municipality_id, actor.account_id, action, "booking", booking.id, details))
