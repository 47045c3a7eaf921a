"""Sessions: adding them (one day, or the chosen weekdays of a holiday), changing their places,
cancelling and moving them. Those signed up are told of each change, in the same transaction.

The capacity guarantee: every change of a session's places happens with the session row locked
for the transaction (`get_session(..., lock=True)`), re-reading the counter under that lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.activities.lov import HolidayPeriod
from booking.domain.activities.model import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Registration,
    SessionStatus,
    optional_text,
)
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.access import activity_to_edit, session_for_staff
from booking.domain.activities.services.links import Links
from booking.domain.activities.services.notices import audit, tell, tell_active
from booking.domain.activities.services.rooms import Booked, book_room, free_rooms, move_room, open_days
from booking.domain.activities.sign_up_rules import check_move
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, Forbidden, ValidationError, expect
from booking.domain.shared.localtime import check_day, local_instant
from booking.domain.shared.tenancy import of_municipality

Spans = dict[date, tuple[datetime, datetime]]


def _check_times(start: time, end: time) -> None:
    if end <= start:
        raise ValidationError("end", "The end must be after the start (a session ends on the day it starts).",
                              "range")


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

    @property
    def repeats(self) -> bool:
        return self.period_id is not None

    def check(self) -> None:
        _check_times(self.start, self.end)
        if not self.weekdays or any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValidationError("weekdays", "Weekdays 0 (Monday) to 6 (Sunday).", "range")

    def days(self, period: HolidayPeriod | None) -> list[date]:
        """The days asked for: the day, or the holiday's days on the weekdays (from the day)."""
        if period is not None:
            if self.day is not None and not period.contains(check_day(self.day, "date")):
                raise ValidationError("date", "The date is not in the holiday.", "range")
            return [d for d in period.days() if d.weekday() in self.weekdays and (self.day is None or d >= self.day)]
        if self.day is not None:
            return [check_day(self.day, "date")]
        raise ValidationError("date", "Give a date, or a holiday period to repeat in.", "required")

    def coming_spans(self, days: list[date], zone: ZoneInfo, now: datetime) -> Spans:
        """Each day's start and end instant, leaving out what has begun (refused for a single day)."""
        spans = {d: (local_instant(d, self.start, zone, "start"), local_instant(d, self.end, zone, "end"))
                 for d in days}
        if not self.repeats and any(s < now for s, _ in spans.values()):
            raise ValidationError("date", "The time has already begun.", "past")
        spans = {d: v for d, v in spans.items() if v[0] >= now}
        if not spans:
            raise ValidationError("period_id", "No day of the holiday is left to add.", "range")
        return spans


@dataclass
class SessionsOutcome:
    sessions: list[ActivitySession] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)


async def add_sessions(cmd: NewSessions, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock) -> SessionsOutcome:
    """Sessions of an activity; for an activity in a space, its room is booked for each (premises
    skips the days it cannot book, and says why)."""
    cmd.check()
    async with uow:
        activity, staff = await activity_to_edit(uow, actor, cmd.activity_id)
        if activity.status is ActivityStatus.CANCELLED:
            raise Conflict("The activity is cancelled.")
        zone = expect(await uow.municipalities.get(activity.municipality_id), "activity's municipality").zone
        period = None if cmd.period_id is None else of_municipality(
            await uow.activities.period(cmd.period_id), actor.municipality_id, "holiday period", cmd.period_id,
            "period_id")
        spans = cmd.coming_spans(cmd.days(period), zone, clock.now())
    outcome = SessionsOutcome()
    booked = Booked()
    if activity.space_id is not None:
        if not staff:
            raise Forbidden("Leisure staff reserve rooms for activities.")
        spans = await _open_spans(cmd, activity.space_id, spans, outcome, uow)
        booked = await book_room(activity, sorted(spans), cmd.start, cmd.end, cmd.repeats, zone, uow, actor, clock)
        outcome.skipped.extend(booked.skipped)
        spans = {d: v for d, v in spans.items() if d in booked.booking_of}
    capacity = cmd.capacity if cmd.capacity is not None else activity.capacity
    await _store_sessions(activity, spans, capacity, booked, outcome, uow, actor, clock)
    return outcome


async def _open_spans(cmd: NewSessions, space_id: UUID, spans: Spans, outcome: SessionsOutcome,
                      uow: ActivitiesUnitOfWork) -> Spans:
    """A holiday's days on which the space is closed at that time are skipped (a single day is left
    for premises to refuse, with its reason)."""
    if not cmd.repeats:
        return spans
    open_ = await open_days(space_id, list(spans), cmd.start, cmd.end, uow)
    outcome.skipped.extend({"date": d.isoformat(), "rule": "opening-hours",
                            "message": "The place is not open at that time."} for d in spans if d not in open_)
    spans = {d: v for d, v in spans.items() if d in open_}
    if not spans:
        raise ValidationError("period_id", "The place is not open at that time on any day of the holiday.",
                              "opening-hours")
    return spans


async def _store_sessions(activity: Activity, spans: Spans, capacity: int, booked: Booked, outcome: SessionsOutcome,
                          uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock) -> None:
    """Store the sessions; if that fails, the rooms just booked are freed again."""
    try:
        async with uow:
            for d, (start, end) in sorted(spans.items()):
                session = ActivitySession(activity.municipality_id, activity.id, start, end, capacity,
                                          space_id=activity.space_id, booking_id=booked.booking_of.get(d))
                uow.activities.add_session(session)
                outcome.sessions.append(session)
            audit(uow, actor, "activity.sessions_added", "activity", activity.id, actor.municipality_id,
                  count=len(outcome.sessions))
            await uow.commit()
    except Exception:
        async with uow:
            await free_rooms(list(booked.booking_of.values()), "Tillfällena kunde inte sparas.", uow, actor, clock)
        raise


async def cancel_session(session_id: UUID, reason: str | None, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock,
                         links: Links) -> ActivitySession:
    """Those signed up are told; the room is freed; the session stays (the feeds show it cancelled)."""
    reason = optional_text(reason, "reason")
    async with uow:
        session, activity = await session_for_staff(uow, actor, session_id, lock=True)
        session.cancel()
        await tell_active(uow, "activity.cancelled", activity, session, links, reason)
        audit(uow, actor, "session.cancelled", "activity_session", session.id, actor.municipality_id, reason=reason)
        if session.booking_id:
            await free_rooms([session.booking_id], reason, uow, actor, clock)
        await uow.commit()
        return session


async def change_capacity(session_id: UUID, capacity: int, uow: ActivitiesUnitOfWork, actor: Actor,
                          links: Links) -> tuple[ActivitySession, list[Registration]]:
    """More places promote the waiting list in order; fewer than the confirmed ones are refused."""
    async with uow:
        session, activity = await session_for_staff(uow, actor, session_id, lock=True)
        promoted = session.resize(capacity, list(await uow.activities.registrations_of(session.id)))
        await tell(uow, "activity.promoted", activity, session, promoted, links)
        audit(uow, actor, "session.capacity", "activity_session", session.id, actor.municipality_id,
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
    _check_times(cmd.start, cmd.end)
    async with uow:
        session, activity = await session_for_staff(uow, actor, cmd.session_id, lock=True)
        if session.status is SessionStatus.CANCELLED:
            raise Conflict("The session is cancelled.")
        zone = expect(await uow.municipalities.get(activity.municipality_id), "activity's municipality").zone
        start = local_instant(check_day(cmd.day, "date"), cmd.start, zone, "start")
        end = local_instant(cmd.day, cmd.end, zone, "end")
        if start < now:
            raise ValidationError("date", "The time has already begun.", "past")
        session.require_not_begun(now)
        active = [r for r in await uow.activities.registrations_of(session.id) if r.active]
        await uow.activities.lock_accounts([r.account_id for r in active])
        check_move(session.id, [(r, await uow.activities.overlapping(r.account_id, r.child_key, r.birth_year,
                                                                     start, end)) for r in active])
        session.move_to(start, end)
        await tell(uow, "activity.changed", activity, session, active, links)
        audit(uow, actor, "session.moved", "activity_session", session.id, actor.municipality_id,
              starts_at=start.isoformat())
        if session.booking_id is None:
            await uow.commit()
        else:
            await move_room(session.booking_id, cmd.day, cmd.start, cmd.end, uow, actor, clock)
        return session
