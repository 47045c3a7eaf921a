"""Use cases of holiday activities: holiday periods, activities and sessions, sign-ups with the
waiting list, cancellations, attendance.

The capacity guarantee: every change of a session's places (sign-up, cancellation, promotion,
capacity edit) happens with the session row locked for the transaction (PostgreSQL: SELECT ...
FOR UPDATE; SQLite: write transactions are serialized by BEGIN IMMEDIATE), re-reading the
counter under that lock. The database refuses a counter above the capacity (CHECK constraint).

Rooms are reserved through the premises services (`request_booking`, `cancel_booking`): the
municipality's own holiday activities are municipal bookings, so the leisure staff member's actor
is widened to premises staff for that call only; premises checks opening hours, holidays, closed
periods and conflicts as for any booking, and reports a conflict with the clashing times.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from booking.domain.activities import scope
from booking.domain.activities.lov import HolidayPeriod, LovKind, default_periods
from booking.domain.activities.messages import render, render_sent_back
from booking.domain.activities.model import (
    SELF_SIGN_UP_AGE,
    Activity,
    ActivitySession,
    ActivityStatus,
    Category,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TargetGroup,
    age_in,
    check_birth_year,
    child_key,
    first_name,
)
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises import booking_services as premises
from booking.domain.premises.attendance import Gender
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from booking.domain.shared.localtime import check_day, local_instant
from booking.domain.shared.notifications import Message
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.text import clean_text

MAX_CHILDREN = 8
PLAN_CHUNK_DAYS = 60


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Links:
    """Where people open their ticket and cancel: built from the deployment's base URL."""

    base_url: str

    def ticket(self, code: str) -> str:
        return f"{self.base_url}/registrations.html?ticket={code}"

    def cancel(self, token: str) -> str:
        return f"{self.base_url}/registrations.html?cancel={token}"


is_staff = scope.is_staff


def _municipal(actor: Actor) -> Actor:
    """The staff member's actor widened to premises staff: the activity's room is a municipal booking.
    A grant narrowed to sites stays narrowed to the same sites."""
    sites = scope.staff_sites(actor)
    widened = {Grant(Role.PREMISES_STAFF, site) for site in sites} if sites else {Grant(Role.PREMISES_STAFF)}
    return replace(actor, grants=actor.grants | widened)


def _audit(uow: ActivitiesUnitOfWork, actor: Actor | None, action: str, entity: str, ident: UUID, municipality_id: UUID,
           **details: Any) -> None:
    uow.audit(AuditEntry(municipality_id, actor.account_id if actor else None, action, entity, ident, details))


# --- holiday periods -----------------------------------------------------------------------------


async def generate_periods(year: int, sportlov_week: int, uow: ActivitiesUnitOfWork,
                           actor: Actor) -> list[HolidayPeriod]:
    """Add the generated defaults of a year for the kinds the municipality has not set yet."""
    wanted = default_periods(actor.municipality_id, year, sportlov_week)
    actor.require_site(None, scope.STAFF)  # the municipality's holidays: a municipality-wide grant
    async with uow:
        have = {p.kind for p in await uow.activities.periods(actor.municipality_id, year)}
        added = [p for p in wanted if p.kind not in have]
        for period in added:
            uow.activities.add_period(period)
            _audit(uow, actor, "lov.created", "holiday_period", period.id, actor.municipality_id, kind=period.kind)
        await uow.commit()
        return added


async def set_period(kind: LovKind, year: int, first_day: date, last_day: date, uow: ActivitiesUnitOfWork,
                     actor: Actor) -> HolidayPeriod:
    """Set (create or move) the dates of one holiday of a year."""
    actor.require_site(None, scope.STAFF)
    async with uow:
        existing = [p for p in await uow.activities.periods(actor.municipality_id, year) if p.kind == kind]
        if existing:
            period = existing[0]
            period.change(first_day, last_day)
        else:
            period = HolidayPeriod(actor.municipality_id, kind, year, first_day, last_day)
            uow.activities.add_period(period)
        _audit(uow, actor, "lov.set", "holiday_period", period.id, actor.municipality_id,
               first_day=first_day.isoformat(), last_day=last_day.isoformat())
        await uow.commit()
        return period


async def delete_period(period_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor) -> None:
    actor.require_site(None, scope.STAFF)
    async with uow:
        period = await uow.activities.period(period_id)
        if period is None or period.municipality_id != actor.municipality_id:
            raise NotFound("Holiday period", period_id)
        await uow.activities.delete_period(period)
        _audit(uow, actor, "lov.deleted", "holiday_period", period.id, actor.municipality_id)
        await uow.commit()


# --- activities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityDraft:
    title: str
    category: Category
    organiser: str
    age_min: int
    age_max: int
    description: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    association_id: UUID | None = None
    target_group: TargetGroup = TargetGroup.ALL
    area_id: UUID | None = None
    space_id: UUID | None = None
    place: str | None = None
    capacity: int = 20
    signup_required: bool = True
    signup_opens_at: datetime | None = None
    signup_closes_at: datetime | None = None
    cost: Decimal = Decimal("0")
    languages: tuple[str, ...] = ("sv",)
    adapted: bool = False
    wheelchair_access: bool = False
    bring: str | None = None
    lending_articles: tuple[str, ...] = ()
    contact: str | None = None


def _opt_text(value: str | None, name: str) -> str | None:
    return clean_text(value, name) if value is not None and value.strip() else None


async def create_activity(draft: ActivityDraft, uow: ActivitiesUnitOfWork, actor: Actor) -> Activity:
    """Leisure staff (at the site of the space, if one is given), or an association's representative
    for their (verified) association: a draft."""
    async with uow:
        site_id = None
        if is_staff(actor) and draft.space_id is not None:
            site_id = of_municipality(await uow.spaces.get(draft.space_id),
                                      actor.municipality_id, "space", draft.space_id, "space_id").site_id
        staff_here = is_staff(actor) and actor.acts_at(site_id, scope.STAFF)
        if not staff_here:
            if is_staff(actor) and not (draft.association_id is not None and actor.represents(draft.association_id)):
                actor.require_site(site_id, scope.STAFF)
            if draft.association_id is None:
                raise ValidationError("association_id", "Say which association offers the activity.", "required")
            if not actor.represents(draft.association_id):
                raise Forbidden("You do not represent this association.")
        if draft.association_id is not None:
            of_municipality(await uow.associations.get(draft.association_id),
                            actor.municipality_id, "association", draft.association_id, "association_id")
        if draft.area_id is not None:
            of_municipality(await uow.areas.get(draft.area_id), actor.municipality_id, "area", draft.area_id, "area_id")
        area_id = draft.area_id
        if draft.space_id is not None:
            if not staff_here:
                raise ValidationError("space_id", "Leisure staff reserve rooms for activities; leave it out.",
                                      "staff-only")
            space = of_municipality(await uow.spaces.get(draft.space_id),
                                    actor.municipality_id, "space", draft.space_id, "space_id")
            if area_id is None:
                site = await uow.sites.get(space.site_id)
                area_id = site.area_id if site else None
        await _check_articles(draft.lending_articles, uow, actor)
        activity = Activity(
            municipality_id=actor.municipality_id, title=draft.title, category=draft.category,
            organiser=draft.organiser, age_min=draft.age_min, age_max=draft.age_max, created_by=actor.account_id,
            description=(clean_text(draft.description, "description") or "") if draft.description.strip() else "",
            translations={k: {f: clean_text(v, f"translations.{k}.{f}") or "" for f, v in t.items()}
                          for k, t in draft.translations.items()},
            association_id=draft.association_id, target_group=draft.target_group, area_id=area_id,
            space_id=draft.space_id, place=_opt_text(draft.place, "place"), capacity=draft.capacity,
            signup_required=draft.signup_required, signup_opens_at=draft.signup_opens_at,
            signup_closes_at=draft.signup_closes_at, cost=draft.cost, languages=list(draft.languages),
            adapted=draft.adapted, wheelchair_access=draft.wheelchair_access, bring=_opt_text(draft.bring, "bring"),
            lending_articles=list(draft.lending_articles), contact=_opt_text(draft.contact, "contact"))
        uow.activities.add(activity)
        _audit(uow, actor, "activity.created", "activity", activity.id, actor.municipality_id)
        await uow.commit()
        return activity


async def _check_articles(articles: Sequence[str], uow: ActivitiesUnitOfWork, actor: Actor) -> None:
    """Each id names an article of the municipality's lending catalogue (Fritidsbanken)."""
    if len(set(articles)) != len(articles):
        raise ValidationError("lending_articles", "An article is listed twice.", "duplicate")
    for i, article in enumerate(articles):
        try:
            ident = UUID(article)
        except (ValueError, TypeError):
            raise ValidationError(f"lending_articles[{i}]", "A lending article id.", "format") from None
        found = await uow.lending.get_article(ident)
        if found is None or found.municipality_id != actor.municipality_id:
            raise ValidationError(f"lending_articles[{i}]", "No such article in the lending catalogue.", "unknown")


# The fields an edit may change (the association, the space and the status have their own ways).
EDITABLE = frozenset({
    "title", "description", "translations", "category", "organiser", "age_min", "age_max", "target_group",
    "area_id", "place", "capacity", "signup_required", "signup_opens_at", "signup_closes_at", "cost", "languages",
    "adapted", "wheelchair_access", "bring", "lending_articles", "contact"})


async def update_activity(activity_id: UUID, changes: dict[str, Any], uow: ActivitiesUnitOfWork, actor: Actor,
                          clock: Clock,
                          links: Links) -> Activity:
    """Change an activity's descriptive fields. Validated as on creation; nothing changes on a refusal.
    Staff edit until it is cancelled; an association's representative only its draft or submitted one.
    When the place of a published activity changes, everyone signed up for a coming session is told
    (times are per session: moving a session tells them too)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(sorted(unknown)[0], "This field cannot be changed here.", "read-only")
    now = clock.now()
    clean = dict(changes)
    for name in ("place", "bring", "contact"):
        if name in clean:
            clean[name] = _opt_text(clean[name], name)
    if "description" in clean:
        clean["description"] = (clean_text(clean["description"], "description") or "") \
            if clean["description"].strip() else ""
    if "translations" in clean:
        clean["translations"] = {k: {f: clean_text(v, f"translations.{k}.{f}") or "" for f, v in t.items()}
                                 for k, t in clean["translations"].items()}
    for name in ("languages", "lending_articles"):
        if name in clean:
            clean[name] = list(clean[name])
    async with uow:
        activity, staff = await _activity_to_edit(uow, actor, activity_id)
        if not activity.editable_by(staff):
            raise Conflict("A cancelled activity cannot be changed." if activity.status is ActivityStatus.CANCELLED
                           else "The activity is published: ask the leisure staff to change it.")
        if clean.get("area_id") is not None:
            of_municipality(await uow.areas.get(clean["area_id"]),
                            actor.municipality_id, "area", clean["area_id"], "area_id")
        if "lending_articles" in clean:
            await _check_articles(clean["lending_articles"], uow, actor)
        candidate = replace(activity, **clean)  # the model's own checks, on a copy
        changed = sorted(k for k in clean if getattr(candidate, k) != getattr(activity, k))
        place_moved = "place" in changed and activity.status is ActivityStatus.PUBLISHED
        for name in changed:
            setattr(activity, name, getattr(candidate, name))
        if place_moved:
            for session in await uow.activities.sessions_of(activity.id):
                if session.status is SessionStatus.CANCELLED or session.starts_at <= now:
                    continue
                active = [r for r in await uow.activities.registrations_of(session.id) if r.active]
                await _tell(uow, "activity.place_changed", activity, session, active, links,
                            reason=activity.place or "-")
        _audit(uow, actor, "activity.updated", "activity", activity.id, actor.municipality_id, fields=changed)
        await uow.commit()
        return activity


async def send_back_activity(activity_id: UUID, reason: str, uow: ActivitiesUnitOfWork, actor: Actor) -> Activity:
    """Staff return an association's submitted activity as a draft with the reason (the representative
    sees it, may change the activity and submit it again)."""
    note = _opt_text(reason, "reason")
    if note is None:
        raise ValidationError("reason", "Say what the association should change.", "required")
    async with uow:
        activity, _ = await _activity_to_edit(uow, actor, activity_id, staff_only=True)
        activity.send_back(note)
        _audit(uow, actor, "activity.sent_back", "activity", activity.id, actor.municipality_id, reason=note)
        author = await uow.accounts.get(activity.created_by)
        if author is not None and author.is_active:  # told in the same transaction (the outbox)
            subject, body = render_sent_back(author.locale, title=activity.title, reason=note)
            uow.notify(Message(activity.municipality_id, "activity.sent_back", author.email, subject, body))
        await uow.commit()
        return activity


async def _activity_to_edit(uow: ActivitiesUnitOfWork, actor: Actor, activity_id: UUID,
                            staff_only: bool = False) -> tuple[Activity, bool]:
    """The activity, if the actor may change it, and whether they act as its staff (at its site)
    rather than as its association's representative."""
    activity = await uow.activities.get(activity_id)
    site_id = await scope.site_of(uow, activity) if activity is not None else None
    scope.require_editor(actor, activity, site_id, "Activity", activity_id)
    assert activity is not None
    staff = scope.acts_as_staff(actor, activity, site_id)
    if staff_only and not staff:
        actor.require_site(site_id, scope.STAFF)
    return activity, staff


async def publish_activity(activity_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor) -> Activity:
    """Staff publish (or approve an association's submitted activity); a representative submits."""
    async with uow:
        activity, staff = await _activity_to_edit(uow, actor, activity_id)
        if activity.status is ActivityStatus.SUBMITTED and not staff:
            raise Conflict("The activity awaits the leisure staff's approval.")
        activity.publish(by_staff=staff)
        _audit(uow, actor, f"activity.{activity.status}", "activity", activity.id, actor.municipality_id)
        await uow.commit()
        return activity


async def _tell(uow: ActivitiesUnitOfWork, kind: str, activity: Activity, session: ActivitySession,
                registrations: Sequence[Registration], links: Links, reason: str | None = None,
                tokens: dict[UUID, str] | None = None) -> None:
    """One message per registration to its account (guardian or young person)."""
    municipality = await uow.municipalities.get(activity.municipality_id)
    if municipality is None:
        return
    for registration in registrations:
        account = await uow.accounts.get(registration.account_id)
        if account is None or not account.is_active:
            continue
        token = (tokens or {}).get(registration.id)
        subject, body = render(
            kind, account.locale, title=activity.title, starts_at=session.starts_at, ends_at=session.ends_at,
            zone=municipality.zone, name=registration.first_name, ticket=links.ticket(registration.ticket_code),
            cancel=links.cancel(token) if token else links.base_url + "/registrations.html", reason=reason)
        uow.notify(Message(municipality.id, kind, account.email, subject, body))


async def cancel_activity(activity_id: UUID, reason: str | None, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock,
                          links: Links) -> Activity:
    """The activity and its coming sessions are cancelled; the record stays; those signed up are told;
    the rooms are freed."""
    now = clock.now()
    reason = _opt_text(reason, "reason")
    async with uow:
        activity, _ = await _activity_to_edit(uow, actor, activity_id)
        activity.cancel(reason)
        bookings: list[UUID] = []
        for session in await uow.activities.sessions_of(activity.id):
            if session.status is SessionStatus.CANCELLED or session.ends_at <= now:
                continue
            locked = await uow.activities.get_session(session.id, lock=True)
            assert locked is not None
            locked.cancel()
            if locked.booking_id:
                bookings.append(locked.booking_id)
            active = [r for r in await uow.activities.registrations_of(locked.id) if r.active]
            await _tell(uow, "activity.cancelled", activity, locked, active, links, reason)
        _audit(uow, actor, "activity.cancelled", "activity", activity.id, actor.municipality_id, reason=reason)
        await _free_rooms(bookings, reason, uow, actor, clock)
        await uow.commit()
        return activity


async def _free_rooms(booking_ids: list[UUID], reason: str | None, uow: ActivitiesUnitOfWork, actor: Actor,
                      clock: Clock) -> None:
    """Cancel the premises bookings in this same transaction (the premises service commits it)."""
    for booking_id in booking_ids:
        try:
            await premises.cancel_booking(booking_id, reason or "Aktiviteten är inställd.", uow, _municipal(actor),
                                          clock)
        except Conflict:
            pass  # already cancelled in premises
        except NotFound:
            pass


# --- sessions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSessions:
    """A single session on `day`, or (with `period_id`) one on every day of the holiday from `day`
    (default: its first day) that is on `weekdays` and, for an activity in a space, on which the
    space is open at that time."""

    activity_id: UUID
    start: time
    end: time
    day: date | None = None
    period_id: UUID | None = None
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    capacity: int | None = None


@dataclass
class SessionsOutcome:
    sessions: list[ActivitySession] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)


async def add_sessions(cmd: NewSessions, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock) -> SessionsOutcome:
    now = clock.now()
    if cmd.end <= cmd.start:
        raise ValidationError("end", "The end must be after the start (a session ends on the day it starts).",
                              "range")
    if not cmd.weekdays or any(not 0 <= d <= 6 for d in cmd.weekdays):
        raise ValidationError("weekdays", "Weekdays 0 (Monday) to 6 (Sunday).", "range")
    async with uow:
        activity, staff = await _activity_to_edit(uow, actor, cmd.activity_id)
        if activity.status is ActivityStatus.CANCELLED:
            raise Conflict("The activity is cancelled.")
        municipality = await uow.municipalities.get(activity.municipality_id)
        assert municipality is not None
        zone = municipality.zone
        if cmd.period_id is not None:
            period = of_municipality(await uow.activities.period(cmd.period_id),
                                     actor.municipality_id, "holiday period", cmd.period_id, "period_id")
            if cmd.day is not None and not period.contains(check_day(cmd.day, "date")):
                raise ValidationError("date", "The date is not in the holiday.", "range")
            days = [d for d in period.days() if d.weekday() in cmd.weekdays and (cmd.day is None or d >= cmd.day)]
        elif cmd.day is not None:
            days = [check_day(cmd.day, "date")]
        else:
            raise ValidationError("date", "Give a date, or a holiday period to repeat in.", "required")
        capacity = cmd.capacity if cmd.capacity is not None else activity.capacity
        spans = {d: (local_instant(d, cmd.start, zone, "start"), local_instant(d, cmd.end, zone, "end"))
                 for d in days}
        past = [d for d, (s, _) in spans.items() if s < now]
        if past and cmd.period_id is None:
            raise ValidationError("date", "The time has already begun.", "past")
        spans = {d: v for d, v in spans.items() if v[0] >= now}
        if not spans:
            raise ValidationError("period_id", "No day of the holiday is left to add.", "range")
    outcome = SessionsOutcome()
    booking_of: dict[date, UUID] = {}
    if activity.space_id is not None:
        if not staff:
            raise Forbidden("Leisure staff reserve rooms for activities.")
        open_days = await _open_days(activity.space_id, list(spans), cmd.start, cmd.end, uow)
        if cmd.period_id is not None:
            for d in spans:
                if d not in open_days:
                    outcome.skipped.append({"date": d.isoformat(), "rule": "opening-hours",
                                            "message": "The place is not open at that time."})
            spans = {d: v for d, v in spans.items() if d in open_days}
            if not spans:
                raise ValidationError("period_id", "The place is not open at that time on any day of the holiday.",
                                      "opening-hours")
        ordered = sorted(spans)
        recurrence = None
        if cmd.period_id is not None:
            every = [ordered[0] + timedelta(days=i) for i in range((ordered[-1] - ordered[0]).days + 1)]
            recurrence = premises.Recurrence(weekdays=(0, 1, 2, 3, 4, 5, 6), until=ordered[-1],
                                             exdates=tuple(d for d in every if d not in spans))
        booked = await premises.request_booking(premises.RequestBooking(
            space_id=activity.space_id, title=activity.title, date=ordered[0], start=cmd.start, end=cmd.end,
            recurrence=recurrence, note=f"Lovaktivitet {activity.id}"), uow, _municipal(actor), clock)
        outcome.skipped.extend(booked.skipped)
        for booking in booked.bookings:
            booking_of[booking.starts_at.astimezone(zone).date()] = booking.id
        spans = {d: v for d, v in spans.items() if d in booking_of}
    try:
        async with uow:
            for d, (start, end) in sorted(spans.items()):
                session = ActivitySession(activity.municipality_id, activity.id, start, end, capacity,
                                          space_id=activity.space_id, booking_id=booking_of.get(d))
                uow.activities.add_session(session)
                outcome.sessions.append(session)
            _audit(uow, actor, "activity.sessions_added", "activity", activity.id, actor.municipality_id,
                   count=len(outcome.sessions))
            await uow.commit()
    except Exception:
        async with uow:
            await _free_rooms(list(booking_of.values()), "Tillfällena kunde inte sparas.", uow, actor, clock)
        raise
    return outcome


async def _open_days(space_id: UUID, days: list[date], start: time, end: time, uow: ActivitiesUnitOfWork) -> set[date]:
    """Days on which the space is open (opening hours, holidays) for the whole of start-end."""
    out: set[date] = set()
    first, last = min(days), max(days)
    chunk = first
    while chunk <= last:
        chunk_last = min(last, chunk + timedelta(days=PLAN_CHUNK_DAYS - 1))
        _, zone, plans = await premises.availability_plan(space_id, chunk, chunk_last, uow)
        for plan, _busy in plans:
            if plan.day not in days or plan.closed_reason:
                continue
            s, e = local_instant(plan.day, start, zone, "start"), local_instant(plan.day, end, zone, "end")
            if any(w.start <= s and e <= w.end for w in plan.open):
                out.add(plan.day)
        chunk = chunk_last + timedelta(days=1)
    return out


async def cancel_session(session_id: UUID, reason: str | None, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock,
                         links: Links) -> ActivitySession:
    reason = _opt_text(reason, "reason")
    async with uow:
        session, activity = await _session_for_staff(uow, actor, session_id, lock=True)
        session.cancel()
        active = [r for r in await uow.activities.registrations_of(session.id) if r.active]
        await _tell(uow, "activity.cancelled", activity, session, active, links, reason)
        _audit(uow, actor, "session.cancelled", "activity_session", session.id, actor.municipality_id, reason=reason)
        if session.booking_id:
            await _free_rooms([session.booking_id], reason, uow, actor, clock)
        await uow.commit()
        return session


async def change_capacity(session_id: UUID, capacity: int, uow: ActivitiesUnitOfWork, actor: Actor,
                          links: Links) -> tuple[ActivitySession, list[Registration]]:
    """More places promote the waiting list in order; fewer than the confirmed ones are refused."""
    async with uow:
        session, activity = await _session_for_staff(uow, actor, session_id, lock=True)
        session.change_capacity(capacity)
        promoted = session.promote(list(await uow.activities.registrations_of(session.id)))
        await _tell(uow, "activity.promoted", activity, session, promoted, links)
        _audit(uow, actor, "session.capacity", "activity_session", session.id, actor.municipality_id,
               capacity=capacity, promoted=len(promoted))
        await uow.commit()
        return session, promoted


@dataclass(frozen=True)
class MoveSession:
    session_id: UUID
    day: date
    start: time
    end: time


async def move_session(cmd: MoveSession, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock, links: Links
                       ) -> ActivitySession:
    """Move a session to another local date and time. Its room moves with it through premises
    (checked as any booking: opening hours, holidays, conflicts); the feeds see a higher SEQUENCE and
    everyone signed up is told, in the same transaction."""
    now = clock.now()
    if cmd.end <= cmd.start:
        raise ValidationError("end", "The end must be after the start (a session ends on the day it starts).",
                              "range")
    async with uow:
        session, activity = await _session_for_staff(uow, actor, cmd.session_id, lock=True)
        if session.status is SessionStatus.CANCELLED:
            raise Conflict("The session is cancelled.")
        municipality = await uow.municipalities.get(activity.municipality_id)
        assert municipality is not None
        start = local_instant(check_day(cmd.day, "date"), cmd.start, municipality.zone, "start")
        end = local_instant(cmd.day, cmd.end, municipality.zone, "end")
        if start < now:
            raise ValidationError("date", "The time has already begun.", "past")
        if session.starts_at <= now:
            raise Conflict("The session has already begun.")
        active = [r for r in await uow.activities.registrations_of(session.id) if r.active]
        await uow.activities.lock_accounts([r.account_id for r in active])
        # no child signed up (or waiting) may get two sessions at once through the move
        clashes = []
        for r in active:
            for other in await uow.activities.overlapping(r.account_id, r.child_key, r.birth_year, start, end):
                if other.session_id != session.id:
                    clashes.append({"field": "date", "registration_id": str(r.id), "session_id": str(other.session_id)})
        if clashes:
            raise Conflict(f"{len(clashes)} signed-up children have another session at that time.", clashes)
        session.move_to(start, end)
        await _tell(uow, "activity.changed", activity, session, active, links)
        _audit(uow, actor, "session.moved", "activity_session", session.id, actor.municipality_id,
               starts_at=start.isoformat())
        if session.booking_id is not None:
            # premises moves the room and commits this whole transaction (or raises and nothing is kept)
            await premises.move_booking(premises.MoveBooking(session.booking_id, cmd.day, cmd.start, cmd.end),
                                        uow, _municipal(actor), clock)
        else:
            await uow.commit()
        return session


# --- sign-ups ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Child:
    first_name: str
    birth_year: int
    gender: Gender | None = None
    needs: str | None = None


@dataclass(frozen=True)
class SignUp:
    session_id: UUID
    children: tuple[Child, ...]
    self_sign_up: bool = False  # a young person (13+) signs themselves up


@dataclass
class SignedUp:
    registration: Registration
    cancel_token: str


async def sign_up(cmd: SignUp, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock, links: Links) -> list[SignedUp]:
    """Each child gets a place while places are free, else a place on the waiting list, in the
    order the sign-ups reach the locked session."""
    now = clock.now()
    today = now.date()
    if not cmd.children:
        raise ValidationError("children", "Sign up at least one child.", "required")
    if len(cmd.children) > MAX_CHILDREN:
        raise ValidationError("children", f"At most {MAX_CHILDREN} at a time.", "too-many")
    if cmd.self_sign_up and len(cmd.children) != 1:
        raise ValidationError("children", "Signing yourself up: give only yourself.", "too-many")
    if not cmd.self_sign_up and not actor.has(Role.GUARDIAN):
        raise Forbidden("Children are signed up from a guardian account; young people of 13 or more may sign "
                        "themselves up (self_sign_up).")
    children = []
    for i, child in enumerate(cmd.children):
        name = first_name(child.first_name, f"children[{i}].first_name")
        check_birth_year(child.birth_year, today, f"children[{i}].birth_year")
        needs = clean_text(child.needs, f"children[{i}].needs", 1000) if child.needs and child.needs.strip() else None
        children.append(Child(name, child.birth_year, Gender(child.gender) if child.gender else None, needs))
    keys = [(child_key(c.first_name), c.birth_year) for c in children]
    if len(set(keys)) != len(keys):
        raise ValidationError("children", "The same child is listed twice.", "duplicate")
    async with uow:
        session = await uow.activities.get_session(cmd.session_id, lock=True)
        activity = await uow.activities.get(session.activity_id) if session else None
        if session is None or activity is None or activity.municipality_id != actor.municipality_id or (
                not activity.is_public):
            raise NotFound("Session", cmd.session_id)
        if session.status is SessionStatus.CANCELLED:
            raise Conflict("The session is cancelled.")
        if session.starts_at <= now:
            raise Conflict("The session has already begun.")
        if not activity.signup_required:
            raise Conflict("Drop-in: no sign-up needed, just come.")
        if not activity.signup_open(now):
            raise Conflict("Sign-up is not open now.")
        year = session.starts_at.year
        for i, child in enumerate(children):
            age = age_in(year, child.birth_year)
            if cmd.self_sign_up and age < SELF_SIGN_UP_AGE:
                raise ValidationError(f"children[{i}].birth_year",
                                      "Under 13 a guardian signs up; ask a guardian.", "too-young")
            if not activity.accepts_age(age):
                raise ValidationError(f"children[{i}].birth_year",
                                      f"The activity is for ages {activity.age_min}-{activity.age_max}.", "age")
        await uow.activities.lock_accounts([actor.account_id])  # the child's other sign-ups wait for this one
        out: list[SignedUp] = []
        for i, child in enumerate(children):
            key = child_key(child.first_name)
            # the session overlaps itself: one query finds a sign-up for it as well as for any other
            clashes = await uow.activities.overlapping(actor.account_id, key, child.birth_year, session.starts_at,
                                                       session.ends_at)
            if any(r.session_id == session.id for r in clashes):
                raise Conflict(f"{child.first_name} is already signed up for this session.",
                               [{"field": f"children[{i}]"}])
            if clashes:
                raise Conflict(f"{child.first_name} is signed up for another session at that time.",
                               [{"field": f"children[{i}]", "session_id": str(r.session_id)} for r in clashes])
            token = new_token()
            registration = Registration(
                municipality_id=session.municipality_id, session_id=session.id, activity_id=activity.id,
                account_id=actor.account_id, first_name=child.first_name, birth_year=child.birth_year,
                cancel_token_hash=token_hash(token), ticket_code=new_token(), gender=child.gender,
                needs=child.needs, self_registered=cmd.self_sign_up)
            session.admit(registration)
            uow.activities.add_registration(registration)
            out.append(SignedUp(registration, token))
        for signed in out:
            r = signed.registration
            kind = "activity.confirmed" if r.status is RegistrationStatus.CONFIRMED else "activity.waiting"
            await _tell(uow, kind, activity, session, [r], links, tokens={r.id: signed.cancel_token})
        _audit(uow, actor, "activity.signed_up", "activity_session", session.id, actor.municipality_id,
               registrations=len(out))
        await uow.commit()
        return out


async def _site_of_registration(uow: ActivitiesUnitOfWork, registration: Registration) -> UUID | None:
    session = await uow.activities.get_session(registration.session_id)
    activity = await uow.activities.get(registration.activity_id)
    return await scope.site_of(uow, activity, session) if activity is not None else None


async def cancel_registration(uow: ActivitiesUnitOfWork, clock: Clock, links: Links, *, actor: Actor | None = None,
                              registration_id: UUID | None = None, token: str | None = None
                              ) -> tuple[Registration, list[Registration]]:
    """Cancel in the account (the registering account, or staff) or by the link's token. A freed
    place goes to the first on the waiting list, who is told."""
    async with uow:
        if token is not None:
            if not 16 <= len(token) <= 64:
                raise ValidationError("token", "Not a cancellation link.", "format")
            registration = await uow.activities.registration_by_token(token_hash(token))
            if registration is None:
                raise NotFound("Registration", "for this link")
        else:
            assert registration_id is not None and actor is not None
            registration = await uow.activities.registration(registration_id)
            site_id = await _site_of_registration(uow, registration) if registration is not None and (
                registration.account_id != actor.account_id) else None
            registration = scope.require_registration(actor, registration, site_id, registration_id)
        session = await uow.activities.get_session(registration.session_id, lock=True)
        assert session is not None
        # re-read under the lock: a concurrent cancellation may have changed it
        registration = await uow.activities.registration(registration.id)
        assert registration is not None
        activity = await uow.activities.get(registration.activity_id)
        assert activity is not None
        now = clock.now()
        if session.starts_at <= now:
            raise Conflict("The session has already begun.")
        session.release(registration)
        registration.cancelled_at = now
        promoted = session.promote(list(await uow.activities.registrations_of(session.id)))
        await _tell(uow, "activity.unregistered", activity, session, [registration], links)
        await _tell(uow, "activity.promoted", activity, session, promoted, links)
        _audit(uow, actor, "activity.unregistered", "registration", registration.id, registration.municipality_id,
               promoted=[str(p.id) for p in promoted])
        await uow.commit()
        return registration, promoted


# --- attendance ----------------------------------------------------------------------------------


async def _session_for_staff(uow: ActivitiesUnitOfWork, actor: Actor, session_id: UUID,
                             lock: bool = False) -> tuple[ActivitySession, Activity]:
    """The session and its activity, if the actor may act on it (its staff at its site, or its
    association's representative): 404 when unknown to the actor, 403 out of a narrowed grant's sites."""
    session = await uow.activities.get_session(session_id, lock=lock)
    activity = await uow.activities.get(session.activity_id) if session else None
    if session is None or activity is None:
        raise NotFound("Session", session_id)
    scope.require_editor(actor, activity, await scope.site_of(uow, activity, session), "Session", session_id)
    return session, activity


async def mark_attendance(session_id: UUID, registration_id: UUID, present: bool, uow: ActivitiesUnitOfWork,
                          actor: Actor,
                          clock: Clock) -> Registration:
    async with uow:
        await _session_for_staff(uow, actor, session_id)
        registration = await uow.activities.registration(registration_id)
        if registration is None or registration.session_id != session_id:
            raise NotFound("Registration", registration_id)
        if registration.status is not RegistrationStatus.CONFIRMED:
            raise Conflict(f"The registration is {registration.status}, not confirmed.")
        registration.attended_at = clock.now() if present else None
        await uow.commit()
        return registration


def ticket_code_of(scanned: str) -> str:
    """The ticket code from what a scanner typed: the ticket URL or the bare code."""
    value = scanned.strip()
    if "ticket=" in value:
        value = value.split("ticket=", 1)[1].split("&", 1)[0]
    if not 16 <= len(value) <= 64 or not all(c.isalnum() or c in "-_" for c in value):
        raise ValidationError("ticket", "Not a ticket of this system.", "format")
    return value


async def check_in(session_id: UUID, scanned: str, uow: ActivitiesUnitOfWork, actor: Actor,
                   clock: Clock) -> Registration:
    code = ticket_code_of(scanned)
    async with uow:
        await _session_for_staff(uow, actor, session_id)
        registration = await uow.activities.registration_by_ticket(code)
        if registration is None or registration.session_id != session_id:
            raise ValidationError("ticket", "The ticket is not for this session.", "wrong-session")
        if registration.status is not RegistrationStatus.CONFIRMED:
            raise Conflict(f"The registration is {registration.status}, not confirmed.")
        if registration.attended_at is None:
            registration.attended_at = clock.now()
        await uow.commit()
        return registration


async def record_visitors(session_id: UUID, counts: list[dict[str, Any]], uow: ActivitiesUnitOfWork,
                          actor: Actor) -> ActivitySession:
    """Drop-in: visitors counted by gender and age group, no names."""
    async with uow:
        session, _ = await _session_for_staff(uow, actor, session_id, lock=True)
        session.record_visitors(counts)
        await uow.commit()
        return session


async def rotate_feed_token(uow: ActivitiesUnitOfWork, actor: Actor) -> str:
    """A new private feed token for the account's registrations; the old link stops working."""
    token = new_token()
    async with uow:
        await uow.activities.set_feed_token(actor.municipality_id, actor.account_id, token_hash(token))
        _audit(uow, actor, "activity.feed_token_rotated", "account", actor.account_id, actor.municipality_id)
        await uow.commit()
    return token


REMIND_FROM_HOUR = 8  # reminders go out from 08:00 local time on the day before


async def send_reminders(municipality_id: UUID, uow: ActivitiesUnitOfWork, clock: Clock, links: Links) -> int:
    """Queue a reminder for every confirmed registration whose session is tomorrow (local date),
    once, from 08:00 local time. Idempotent: each registration is reminded at most once."""
    now = clock.now()
    async with uow:
        municipality = await uow.municipalities.get(municipality_id)
        if municipality is None:
            return 0
        zone = municipality.zone
        local_now = now.astimezone(zone)
        if local_now.hour < REMIND_FROM_HOUR:
            return 0
        tomorrow = local_now.date() + timedelta(days=1)
        start = local_instant(tomorrow, time(0), zone)
        end = local_instant(tomorrow + timedelta(days=1), time(0), zone)
        due = await uow.activities.due_reminders(municipality_id, start, end)
        for registration in due:
            session = await uow.activities.get_session(registration.session_id)
            activity = await uow.activities.get(registration.activity_id)
            if session is None or activity is None or activity.status is not ActivityStatus.PUBLISHED:
                continue
            await _tell(uow, "activity.reminder", activity, session, [registration], links)
            registration.reminded_at = now
        await uow.commit()
        return len(due)


async def anonymise_old_registrations(months: int, uow: ActivitiesUnitOfWork, clock: Clock) -> int:
    """Retention: sign-ups of sessions that ended more than `months` months ago keep only what the
    statistics need (birth year, gender, attendance); the name and the needs go."""
    cutoff = clock.now() - timedelta(days=30 * months)
    async with uow:
        count = await uow.activities.anonymise_ended_before(cutoff)
        await uow.commit()
        return count
