"""Use cases of the season allocation round: rounds, applications, running the allocator,
adjusting the proposal and publishing it as approved weekly series.

Publishing happens in one unit of work: either every series of the round is written (with the
occupancy of each occurrence that is still free) and the round is marked published, or nothing
is. The occupancy is written the same way the booking services write it (units locked in sorted
order, re-checked, inserted in a savepoint that PostgreSQL's exclusion constraint guards), so a
booking made after the allocation run is never double-booked: its dates are reported per
application instead. A published round answers its stored report again (idempotent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.people.model import AssociationCategory
from booking.domain.people.roles import Actor, Role
from booking.domain.premises.allocation import (
    DEFAULT_RULES,
    WEEKDAYS_EN,
    YOUTH_BANDS,
    AgeBand,
    AllocationRound,
    Applicant,
    Application,
    ApplicationStatus,
    Decision,
    Holding,
    Outcome,
    Preference,
    PriorityRule,
    RoundState,
    Slot,
    SpaceFacts,
    Taken,
    allocate,
    check_adjustment,
    check_rules,
    decision_from_json,
    minutes,
    rules_from_json,
    rules_to_json,
    score,
    slot_problems,
    wall,
)
from booking.domain.premises.allocation_ports import ApprovedTimes
from booking.domain.premises.allocation_scope import require_adjustable, require_round_wide, visible_applications
from booking.domain.premises.bookings import Booking, BookingSeries
from booking.domain.premises.model import Space, leaf_units
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.premises.recurrence import WeeklyRule
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, FieldProblem, Forbidden, NotFound, ValidationError
from booking.domain.shared.localtime import check_day, local_instant
from booking.domain.shared.notifications import Message
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.timespan import TimeSpan

# Rules a staff-published season does not apply: the round itself decides how far ahead and how
# late the season is set; the durations were checked when the slot was granted.
_IGNORED_AT_PUBLISH = frozenset({"horizon", "notice", "min-duration", "max-duration"})


def _staff(actor: Actor) -> bool:
    return actor.has(Role.PREMISES_STAFF)


def _require_staff(actor: Actor) -> None:
    if not _staff(actor):
        raise Forbidden("Only premises staff run allocation rounds.")


async def _zone(uow: PremisesUnitOfWork, municipality_id: UUID) -> ZoneInfo:
    municipality = await uow.municipalities.get(municipality_id)
    assert municipality is not None
    return municipality.zone


async def _round(uow: PremisesUnitOfWork, actor: Actor, round_id: UUID, *, for_update: bool = False) -> AllocationRound:
    round_ = await uow.allocation.get_round(round_id, for_update=for_update)
    if round_ is None or round_.municipality_id != actor.municipality_id:
        raise NotFound("Allocation round", round_id)
    if not _staff(actor) and round_.state is RoundState.DRAFT:
        raise NotFound("Allocation round", round_id)
    return round_


def _audit(uow: PremisesUnitOfWork, actor: Actor, action: str, entity: str, ident: UUID, **details: Any) -> None:
    uow.audit(AuditEntry(actor.municipality_id, actor.account_id, action, entity, ident, details))


# --- rules ---------------------------------------------------------------------------------------


async def default_rules(uow: PremisesUnitOfWork, actor: Actor) -> list[PriorityRule]:
    async with uow:
        stored = await uow.allocation.default_rules(actor.municipality_id)
        return rules_from_json(stored) if stored is not None else list(DEFAULT_RULES)


async def set_default_rules(rules: Sequence[PriorityRule], uow: PremisesUnitOfWork, actor: Actor) -> list[PriorityRule]:
    _require_staff(actor)
    require_round_wide(actor)
    checked = check_rules(rules)
    async with uow:
        await uow.allocation.set_default_rules(actor.municipality_id, rules_to_json(checked))
        _audit(uow, actor, "allocation.rules_set", "municipality", actor.municipality_id,
               rules=rules_to_json(checked))
        await uow.commit()
    return checked


# --- rounds --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundFields:
    name: str
    first_day: date
    last_day: date
    deadline_date: date  # local
    deadline_time: time  # local
    rules: tuple[PriorityRule, ...] | None = None  # None: the municipality's default rules


def _deadline(fields: RoundFields, zone: ZoneInfo) -> datetime:
    check_day(fields.first_day, "first_day")
    check_day(fields.last_day, "last_day")
    deadline = local_instant(fields.deadline_date, fields.deadline_time, zone, "deadline_time")
    if fields.deadline_date > fields.first_day:
        raise ValidationError("deadline_date", "Applications close before the season starts.", "range")
    return deadline


async def create_round(fields: RoundFields, uow: PremisesUnitOfWork, actor: Actor) -> AllocationRound:
    _require_staff(actor)
    require_round_wide(actor)
    async with uow:
        zone = await _zone(uow, actor.municipality_id)
        deadline = _deadline(fields, zone)
        if fields.rules is not None:
            rules = rules_to_json(check_rules(fields.rules))
        else:
            stored = await uow.allocation.default_rules(actor.municipality_id)
            rules = stored if stored is not None else rules_to_json(DEFAULT_RULES)
        round_ = AllocationRound(actor.municipality_id, fields.name, fields.first_day, fields.last_day, deadline, rules)
        uow.allocation.add_round(round_)
        _audit(uow, actor, "allocation.round_created", "allocation_round", round_.id, name=round_.name)
        await uow.commit()
        return round_


async def update_round(round_id: UUID, fields: RoundFields, uow: PremisesUnitOfWork, actor: Actor) -> AllocationRound:
    """Name, season, deadline and rules change until the round is published. A new deadline may
    lie in the past (closing applications early). Changing an allocated round discards its
    proposal: run the allocation again."""
    _require_staff(actor)
    require_round_wide(actor)
    async with uow:
        round_ = await _round(uow, actor, round_id, for_update=True)
        if round_.state in (RoundState.PUBLISHED, RoundState.CLOSED):
            raise Conflict(f"A {round_.state} round cannot be changed.")
        zone = await _zone(uow, actor.municipality_id)
        round_.deadline = _deadline(fields, zone)
        round_.name, round_.first_day, round_.last_day = fields.name, fields.first_day, fields.last_day
        if fields.rules is not None:
            round_.rules = rules_to_json(check_rules(fields.rules))
        round_.validate()
        if round_.state is RoundState.ALLOCATED:
            round_.state, round_.proposal, round_.score, round_.allocated_at = RoundState.OPEN, None, None, None
        _audit(uow, actor, "allocation.round_updated", "allocation_round", round_.id)
        await uow.commit()
        return round_


async def open_round(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> AllocationRound:
    _require_staff(actor)
    require_round_wide(actor)
    async with uow:
        round_ = await _round(uow, actor, round_id, for_update=True)
        if round_.state is RoundState.OPEN:
            return round_
        if round_.state is not RoundState.DRAFT:
            raise Conflict(f"Only a draft round can be opened; this one is {round_.state}.")
        if round_.deadline <= clock.now():
            raise ValidationError("deadline_date", "The application deadline has passed; set a later one first.",
                                  "past")
        round_.state = RoundState.OPEN
        _audit(uow, actor, "allocation.round_opened", "allocation_round", round_.id)
        await uow.commit()
        return round_


async def get_round(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> AllocationRound:
    async with uow:
        return await _round(uow, actor, round_id)


# --- applications --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationFields:
    association_id: UUID
    title: str
    age_band: AgeBand
    participants: int
    duration_minutes: int
    preferences: tuple[tuple[UUID, int, time], ...]  # (space_id, weekday, local start)
    flex_minutes: int = 0
    note: str | None = None


async def _spaces(uow: PremisesUnitOfWork, municipality_id: UUID) -> dict[UUID, SpaceFacts]:
    spaces = list(await uow.spaces.matching(municipality_id, None, None, None, 100_000))
    windows = await uow.allocation.weekly_windows(municipality_id)
    parts: dict[UUID, list[Space]] = {}
    for space in spaces:
        if space.parent_id is not None:
            parts.setdefault(space.parent_id, []).append(space)
    facts: dict[UUID, SpaceFacts] = {}
    for space in spaces:
        weekly = {day: [(minutes(o), minutes(c) if c != time(0) else 24 * 60) for o, c in ws]
                  for day, ws in windows.get(space.id, {}).items()}
        facts[space.id] = SpaceFacts(space.id, space.name, leaf_units(space, parts.get(space.id, ())),
                                     space.capacity, space.buffer_minutes, space.min_duration_minutes,
                                     space.max_duration_minutes, weekly)
    return facts


_PROBLEM_FIELD = {"unknown_space": "space_id", "capacity": "space_id", "closed": "start", "duration": "duration"}
_PROBLEM_TEXT = {
    "unknown_space": "No such space in this municipality.",
    "capacity": "The space takes {capacity} people; the group is {participants}.",
    "duration": "The space is booked for {min} to {max} minutes at a time.",
    "closed": "Outside the space's opening hours that weekday ({shown}).",
}


def _check_preferences(fields: ApplicationFields, spaces: dict[UUID, SpaceFacts]) -> None:
    problems: list[FieldProblem] = []
    for i, (space_id, weekday, start) in enumerate(fields.preferences):
        if weekday not in range(7):
            continue  # the application's own validation names it
        begin = minutes(start)
        slot = Slot(space_id, weekday, begin, begin + fields.duration_minutes)
        for p in slot_problems(slot, fields.participants, spaces.get(space_id)):
            params = dict(p["params"])
            params["shown"] = ", ".join(params.get("windows", [])) or "closed all day"
            field = _PROBLEM_FIELD[p["code"]]
            name = "duration_minutes" if field == "duration" else f"preferences[{i}].{field}"
            problems.append(FieldProblem(name, _PROBLEM_TEXT[p["code"]].format(**params), p["code"]))
    if problems:
        raise ValidationError.many(problems)


async def _association_checked(uow: PremisesUnitOfWork, actor: Actor, association_id: UUID) -> None:
    association = of_municipality(await uow.associations.get(association_id),
                                  actor.municipality_id, "association", association_id, "association_id")
    if not _staff(actor) and not actor.represents(association_id):
        raise Forbidden("You do not represent this association.")
    if not _staff(actor) and not association.is_verified:
        raise Forbidden("The association is not verified yet; the municipality checks new associations first.")


def _preferences_json(fields: ApplicationFields) -> list[dict[str, Any]]:
    return [Preference(s, d, minutes(t)).as_json() for s, d, t in fields.preferences]


def _closed_for_applications(round_: AllocationRound, now: datetime) -> Conflict:
    if round_.state is RoundState.OPEN and now >= round_.deadline:
        return Conflict("The application deadline has passed.", [{"field": "deadline",
                                                                  "deadline": round_.deadline.isoformat()}])
    return Conflict(f"The round does not take applications; it is {round_.state}.", [{"state": str(round_.state)}])


async def submit_application(round_id: UUID, fields: ApplicationFields, uow: PremisesUnitOfWork, actor: Actor,
                             clock: Clock) -> Application:
    now = clock.now()
    async with uow:
        round_ = await _round(uow, actor, round_id)
        await _association_checked(uow, actor, fields.association_id)
        application = Application(actor.municipality_id, round_.id, fields.association_id, fields.title,
                                  fields.age_band, fields.participants, fields.duration_minutes,
                                  _preferences_json(fields), actor.account_id, now, fields.flex_minutes,
                                  note=fields.note)
        _check_preferences(fields, await _spaces(uow, actor.municipality_id))
        if not round_.accepts_applications(now):
            raise _closed_for_applications(round_, now)
        uow.allocation.add_application(application)
        _audit(uow, actor, "allocation.applied", "allocation_application", application.id, round_id=str(round_.id))
        await uow.commit()
        return application


async def _application(uow: PremisesUnitOfWork, actor: Actor, round_id: UUID, application_id: UUID) -> Application:
    application = await uow.allocation.get_application(application_id)
    if (application is None or application.round_id != round_id
            or application.municipality_id != actor.municipality_id
            or not (_staff(actor) or actor.represents(application.association_id))):
        raise NotFound("Application", application_id)
    return application


async def update_application(round_id: UUID, application_id: UUID, fields: ApplicationFields, uow: PremisesUnitOfWork,
                             actor: Actor, clock: Clock) -> Application:
    now = clock.now()
    async with uow:
        round_ = await _round(uow, actor, round_id)
        application = await _application(uow, actor, round_id, application_id)
        await _association_checked(uow, actor, fields.association_id)
        if application.status is ApplicationStatus.WITHDRAWN:
            raise Conflict("The application is withdrawn.")
        for name in ("association_id", "title", "age_band", "participants", "duration_minutes", "flex_minutes",
                     "note"):
            setattr(application, name, getattr(fields, name))
        application.preferences = _preferences_json(fields)
        application.validate()
        _check_preferences(fields, await _spaces(uow, actor.municipality_id))
        if not round_.accepts_applications(now):
            raise _closed_for_applications(round_, now)
        _audit(uow, actor, "allocation.application_updated", "allocation_application", application.id)
        await uow.commit()
        return application


async def withdraw_application(round_id: UUID, application_id: UUID, uow: PremisesUnitOfWork, actor: Actor,
                               clock: Clock) -> Application:
    now = clock.now()
    async with uow:
        round_ = await _round(uow, actor, round_id)
        application = await _application(uow, actor, round_id, application_id)
        if not round_.accepts_applications(now):
            raise _closed_for_applications(round_, now)
        application.status = ApplicationStatus.WITHDRAWN
        _audit(uow, actor, "allocation.application_withdrawn", "allocation_application", application.id)
        await uow.commit()
        return application


async def list_applications(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> list[Application]:
    """Staff see every application of the round (staff narrowed to sites: those about their sites);
    representatives their own associations'."""
    async with uow:
        round_ = await _round(uow, actor, round_id)
        apps = [a for a in await uow.allocation.applications(round_id)
                if _staff(actor) or actor.represents(a.association_id)]
        return await visible_applications(uow, actor, round_, apps)


# --- running ------------------------------------------------------------------------------------


def _season_dates(round_: AllocationRound, weekday: int) -> list[date]:
    first = round_.first_day + timedelta(days=(weekday - round_.first_day.weekday()) % 7)
    if first > round_.last_day:
        return []
    return WeeklyRule(first, frozenset({weekday}), until=round_.last_day).dates()


def _season_window(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return local_instant(first, time(0), zone, "first_day"), local_instant(last + timedelta(days=1), time(0), zone,
                                                                           "last_day")


def _weekly(times: ApprovedTimes, zone: ZoneInfo) -> list[tuple[UUID, UUID, UUID | None, int, int, int, int, date]]:
    """(booking, space, association, weekday, start, end, dates, first date) per weekly time."""
    out = []
    for s in times.series:
        end = 24 * 60 if s.local_end == time(0) else minutes(s.local_end)
        first_date = s.first.astimezone(zone).date()
        for weekday in s.weekdays:
            out.append((s.booking_id, s.space_id, s.association_id, weekday, minutes(s.local_start), end,
                        max(1, s.count // max(1, len(s.weekdays))), first_date))
    for booking_id, space_id, association_id, starts_at, ends_at in times.singles:
        start, finish = starts_at.astimezone(zone), ends_at.astimezone(zone)
        end = 24 * 60 if finish.date() != start.date() else minutes(finish.time())
        out.append((booking_id, space_id, association_id, start.weekday(), minutes(start.time()), end, 1,
                    start.date()))
    return out


async def _taken(uow: PremisesUnitOfWork, round_: AllocationRound, zone: ZoneInfo, spaces: dict[UUID, SpaceFacts]
                 ) -> tuple[list[Taken], list[Holding]]:
    """Approved bookings in the season (as weekly taken times) and last season's weekly holdings."""
    season = await uow.allocation.approved_in(round_.municipality_id,
                                              *_season_window(round_.first_day, round_.last_day, zone))
    taken = [Taken(booking_id, spaces[space_id].units, weekday, start, end + spaces[space_id].buffer, n, first)
             for booking_id, space_id, _a, weekday, start, end, n, first in _weekly(season, zone)
             if space_id in spaces]
    previous = await uow.allocation.approved_in(round_.municipality_id, *_season_window(
        round_.first_day - timedelta(days=364), round_.last_day - timedelta(days=364), zone))
    holdings = {Holding(association_id, space_id, weekday, start, end)
                for _b, space_id, association_id, weekday, start, end, _n, _f in _weekly(previous, zone)
                if association_id is not None}
    return taken, sorted(holdings, key=str)


async def _applicants(uow: PremisesUnitOfWork, apps: Sequence[Application]) -> list[Applicant]:
    facts = await uow.allocation.association_facts([a.association_id for a in apps])
    out = []
    for app in apps:
        category, is_local = facts.get(app.association_id, ("", False))
        youth = app.age_band in YOUTH_BANDS or category == AssociationCategory.YOUTH
        out.append(Applicant(app.id, app.association_id, app.title, youth, is_local, app.participants,
                             app.duration_minutes, tuple(app.wishes), app.submitted_at, app.flex_minutes))
    return out


async def run_allocation(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> AllocationRound:
    """Run the allocator over the round's submitted applications (again, if already run: staff
    adjustments are replaced). Applications must have closed."""
    _require_staff(actor)
    require_round_wide(actor)
    now = clock.now()
    async with uow:
        round_ = await _round(uow, actor, round_id, for_update=True)
        if round_.state not in (RoundState.OPEN, RoundState.ALLOCATED):
            raise Conflict(f"Only an open or allocated round can be run; this one is {round_.state}.")
        if now < round_.deadline:
            raise Conflict("Applications are still open; run the allocation after the deadline.",
                           [{"field": "deadline", "deadline": round_.deadline.isoformat()}])
        zone = await _zone(uow, actor.municipality_id)
        spaces = await _spaces(uow, actor.municipality_id)
        apps = [a for a in await uow.allocation.applications(round_id) if a.status is ApplicationStatus.SUBMITTED]
        taken, holdings = await _taken(uow, round_, zone, spaces)
        proposal = allocate(await _applicants(uow, apps), spaces, round_.priority_rules, taken, holdings)
        round_.proposal = [d.as_json() for d in proposal.decisions]
        round_.score = proposal.score
        round_.state, round_.allocated_at = RoundState.ALLOCATED, now
        _audit(uow, actor, "allocation.run", "allocation_round", round_.id, score=proposal.score,
               applications=len(apps))
        await uow.commit()
        return round_


@dataclass(frozen=True)
class Adjustment:
    application_id: UUID
    deny: bool = False
    space_id: UUID | None = None
    weekday: int | None = None
    start: time | None = None


async def adjust(round_id: UUID, cmd: Adjustment, uow: PremisesUnitOfWork, actor: Actor) -> AllocationRound:
    """Staff put an application on another slot, or deny it. The slot is checked against the
    space's rules, the rest of the proposal and existing bookings: a clash answers 409 naming the
    application (or booking) in the way."""
    _require_staff(actor)
    async with uow:
        round_ = await _round(uow, actor, round_id, for_update=True)
        if round_.state is not RoundState.ALLOCATED or round_.proposal is None:
            raise Conflict(f"Only an allocated round can be adjusted; this one is {round_.state}.")
        decisions = [decision_from_json(d) for d in round_.proposal]
        target = next((d for d in decisions if d.application_id == cmd.application_id), None)
        if target is None:
            raise ValidationError("application_id", "No such application in the proposal.", "unknown")
        application = await uow.allocation.get_application(cmd.application_id)
        assert application is not None
        await require_adjustable(uow, actor, target, None if cmd.deny else cmd.space_id)
        if cmd.deny:
            target.outcome, target.slot, target.preference, target.shift = Outcome.DENIED, None, None, 0
            target.reasons = [r for r in target.reasons if r["code"] not in ("granted_wish", "moved", "adjusted")]
            target.reasons.append({"code": "denied_by_staff", "preference": None, "params": {}})
        else:
            if cmd.space_id is None or cmd.weekday is None or cmd.start is None:
                field = "space_id" if cmd.space_id is None else "weekday" if cmd.weekday is None else "start"
                raise ValidationError(field, "Give the space, weekday and start, or deny.", "required")
            if cmd.weekday not in range(7):
                raise ValidationError("weekday", "Weekdays are 0 (Monday) to 6 (Sunday).", "range")
            begin = minutes(cmd.start)
            if begin + application.duration_minutes > 24 * 60:
                raise ValidationError("start", "The time must end on the day it starts.", "range")
            slot = Slot(cmd.space_id, cmd.weekday, begin, begin + application.duration_minutes)
            zone = await _zone(uow, actor.municipality_id)
            spaces = await _spaces(uow, actor.municipality_id)
            taken, _ = await _taken(uow, round_, zone, spaces)
            problems, clashes = check_adjustment(decisions, cmd.application_id, slot, application.participants,
                                                 spaces, taken)
            if problems:
                raise ValidationError.many([FieldProblem(
                    "space_id" if p["code"] in ("unknown_space", "capacity") else "start",
                    _PROBLEM_TEXT.get(p["code"], p["code"]).format(
                        **{**p["params"], "shown": ", ".join(p["params"].get("windows", [])) or "closed all day"}),
                    p["code"]) for p in problems])
            if clashes:
                titles = {a.id: a.title for a in await uow.allocation.applications(round_id)}
                for c in clashes:
                    if c["code"] == "taken_by_application":
                        c["params"]["title"] = titles.get(UUID(c["params"]["application_id"]), "")
                raise Conflict("The slot clashes with the proposal or an existing booking.",
                               [{"code": c["code"], **c["params"]} for c in clashes])
            wish = application.wishes[0]
            first_wish = (wish.space_id, wish.weekday, wish.start) == (slot.space_id, slot.weekday, slot.start)
            target.outcome = Outcome.GRANTED if first_wish else Outcome.MOVED
            target.slot, target.shift = slot, 0
            target.preference = next((i for i, w in enumerate(application.wishes)
                                      if (w.space_id, w.weekday, w.start) == (slot.space_id, slot.weekday,
                                                                              slot.start)), None)
            target.reasons = [r for r in target.reasons
                              if r["code"] not in ("granted_wish", "moved", "denied", "denied_by_staff", "adjusted")]
            target.reasons.append({"code": "adjusted", "preference": target.preference,
                                   "params": {"slot": slot.as_json()}})
        apps = {a.id: a for a in await uow.allocation.applications(round_id)}
        round_.proposal = [d.as_json() for d in decisions]
        round_.score = score(decisions, {d.application_id: apps[d.application_id].duration_minutes
                                         for d in decisions})
        _audit(uow, actor, "allocation.adjusted", "allocation_round", round_.id,
               application_id=str(cmd.application_id), deny=cmd.deny)
        await uow.commit()
        return round_


# --- publishing ---------------------------------------------------------------------------------

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


async def publish(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor, clock: Clock) -> AllocationRound:
    """Create an approved weekly series for every granted or moved application, all at once."""
    _require_staff(actor)
    require_round_wide(actor)
    now = clock.now()
    async with uow:
        round_ = await _round(uow, actor, round_id, for_update=True)
        if round_.state is RoundState.PUBLISHED:
            return round_  # publishing twice changes nothing
        if round_.state is not RoundState.ALLOCATED or round_.proposal is None:
            raise Conflict(f"Run the allocation before publishing; this round is {round_.state}.")
        zone = await _zone(uow, actor.municipality_id)
        decisions = [decision_from_json(d) for d in round_.proposal]
        apps = {a.id: a for a in await uow.allocation.applications(round_id)}
        space_cache: dict[UUID, tuple[Space, frozenset[UUID], Any]] = {}
        planned: list[tuple[Decision, Application, BookingSeries, list[Booking], list[dict[str, Any]]]] = []
        years = range(round_.first_day.year, round_.last_day.year + 1)
        for decision in decisions:
            slot = decision.slot
            if decision.outcome is Outcome.DENIED or slot is None:
                continue
            application = apps[decision.application_id]
            if slot.space_id not in space_cache:
                space = await uow.spaces.get(slot.space_id)
                if space is None or space.municipality_id != actor.municipality_id:
                    raise Conflict("A space of the proposal no longer exists; run the allocation again.")
                units = leaf_units(space, await uow.spaces.parts_of(space.id))
                space_cache[slot.space_id] = (space, units, await uow.calendars.availability(space, zone, years))
            space, units, availability = space_cache[slot.space_id]
            start, end = _wall_time(slot.start), _wall_time(slot.end)
            dates = _season_dates(round_, slot.weekday)
            skipped: list[dict[str, Any]] = []
            bookings: list[Booking] = []
            for day in dates:
                try:
                    span = TimeSpan(local_instant(day, start, zone), local_instant(day, end, zone)) \
                        if slot.end < 24 * 60 else TimeSpan(local_instant(day, start, zone),
                                                            local_instant(day + timedelta(days=1), time(0), zone))
                except ValidationError as exc:
                    skipped.append({"date": day.isoformat(), "rule": "nonexistent-local-time",
                                    "message": exc.detail})
                    continue
                breaches = [b for b in availability.breaches(span, now) if b.rule not in _IGNORED_AT_PUBLISH]
                if breaches:
                    skipped.append(breaches[0].as_dict())
                    continue
                bookings.append(Booking(municipality_id=actor.municipality_id, space_id=space.id,
                                        starts_at=span.start, ends_at=span.end, booked_by=actor.account_id,
                                        title=application.title, association_id=application.association_id,
                                        note=f"{round_.name}"))
            first = dates[0] if dates else round_.first_day
            series = BookingSeries(municipality_id=actor.municipality_id, space_id=space.id, start_date=first,
                                   weekdays=[slot.weekday], interval=1, until=round_.last_day, count=None,
                                   exdates=[], local_start=start, local_end=end if slot.end < 24 * 60 else time(0))
            planned.append((decision, application, series, bookings, skipped))

        all_units = frozenset().union(*(units for _, units, _ in space_cache.values()))
        await uow.bookings.lock_units(all_units)
        report: list[dict[str, Any]] = []
        for decision, application, series, bookings, skipped in planned:
            space, units, _ = space_cache[series.space_id]
            buffer = timedelta(minutes=space.buffer_minutes)
            uow.bookings.add_series(series)
            held: list[Booking] = []
            for booking in bookings:
                booking.series_id = series.id
                uow.bookings.add(booking)
                if await uow.bookings.hold(booking, units, buffer):
                    booking.approve(actor.account_id, now)
                    held.append(booking)
                else:
                    clashes = await uow.bookings.clashes(units, booking.span, buffer, booking.id)
                    booking.reject(actor.account_id, now, "Tiden var redan bokad.")
                    skipped.append({"date": booking.starts_at.astimezone(zone).date().isoformat(), "rule": "conflict",
                                    "message": "Already booked at that time.",
                                    "conflicts": [{"booking_id": str(c.booking_id),
                                                   "starts_at": c.starts_at.isoformat(),
                                                   "ends_at": c.ends_at.isoformat()} for c in clashes]})
            skipped.sort(key=lambda s: s["date"])
            report.append({"application_id": str(application.id), "outcome": str(decision.outcome),
                           "series_id": str(series.id), "booked": len(held), "skipped": skipped})
            assert decision.slot is not None
            for email, locale in await _recipients(uow, application):
                subject, body = _message(locale, "granted", title=application.title, round=round_.name,
                                         space=space.name, weekday=decision.slot.weekday,
                                         start=wall(decision.slot.start), end=wall(decision.slot.end),
                                         first=series.start_date.isoformat(), last=round_.last_day.isoformat(),
                                         count=len(held), skipped=[s["date"] for s in skipped])
                uow.notify(Message(actor.municipality_id, "allocation.granted", email, subject, body))
            _audit(uow, actor, "allocation.series_created", "allocation_application", application.id,
                   series_id=str(series.id), booked=len(held), skipped=len(skipped))
        for decision in decisions:
            if decision.outcome is Outcome.DENIED:
                application = apps[decision.application_id]
                report.append({"application_id": str(application.id), "outcome": "denied", "series_id": None,
                               "booked": 0, "skipped": []})
                for email, locale in await _recipients(uow, application):
                    subject, body = _message(locale, "denied", title=application.title, round=round_.name)
                    uow.notify(Message(actor.municipality_id, "allocation.denied", email, subject, body))
        round_.report = report
        round_.state, round_.published_at = RoundState.PUBLISHED, now
        _audit(uow, actor, "allocation.published", "allocation_round", round_.id, series=len(planned))
        await uow.commit()
        return round_


def _wall_time(minute: int) -> time:
    return time(0) if minute >= 24 * 60 else time(minute // 60, minute % 60)
