"""Use cases of applications: submitting, changing and withdrawing them while the round takes them, and
listing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any
from uuid import UUID

from booking.domain.people.roles import Actor
from booking.domain.premises.allocation import (
    AgeBand,
    Application,
    ApplicationStatus,
    Preference,
    minutes,
)
from booking.domain.premises.allocation_common import (
    PROBLEM_FIELD,
    audit,
    is_staff,
    round_of,
    slot_problem,
)
from booking.domain.premises.allocation_facts import (
    space_facts,
)
from booking.domain.premises.allocation_scope import visible_applications
from booking.domain.premises.allocator import (
    Slot,
    SpaceFacts,
    slot_problems,
)
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, FieldProblem, Forbidden, NotFound, ValidationError
from booking.domain.shared.tenancy import of_municipality


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


def _check_preferences(fields: ApplicationFields, spaces: dict[UUID, SpaceFacts]) -> None:
    problems: list[FieldProblem] = []
    for i, (space_id, weekday, start) in enumerate(fields.preferences):
        if weekday not in range(7):
            continue  # the application's own validation names it
        begin = minutes(start)
        slot = Slot(space_id, weekday, begin, begin + fields.duration_minutes)
        for p in slot_problems(slot, fields.participants, spaces.get(space_id)):
            field = PROBLEM_FIELD[p["code"]]
            problems.append(slot_problem(p, "duration_minutes" if field == "duration" else f"preferences[{i}].{field}"))
    if problems:
        raise ValidationError.many(problems)


async def _association_checked(uow: PremisesUnitOfWork, actor: Actor, association_id: UUID) -> None:
    association = of_municipality(await uow.associations.get(association_id),
                                  actor.municipality_id, "association", association_id, "association_id")
    if not is_staff(actor) and not actor.represents(association_id):
        raise Forbidden("You do not represent this association.")
    if not is_staff(actor) and not association.is_verified:
        raise Forbidden("The association is not verified yet; the municipality checks new associations first.")


def _preferences_json(fields: ApplicationFields) -> list[dict[str, Any]]:
    return [Preference(s, d, minutes(t)).as_json() for s, d, t in fields.preferences]


async def submit_application(round_id: UUID, fields: ApplicationFields, uow: PremisesUnitOfWork, actor: Actor,
                             clock: Clock) -> Application:
    now = clock.now()
    async with uow:
        round_ = await round_of(uow, actor, round_id)
        await _association_checked(uow, actor, fields.association_id)
        application = Application(actor.municipality_id, round_.id, fields.association_id, fields.title,
                                  fields.age_band, fields.participants, fields.duration_minutes,
                                  _preferences_json(fields), actor.account_id, now, fields.flex_minutes,
                                  note=fields.note)
        _check_preferences(fields, await space_facts(uow, actor.municipality_id))
        round_.check_takes_applications(now)
        uow.allocation.add_application(application)
        audit(uow, actor, "allocation.applied", "allocation_application", application.id, round_id=str(round_.id))
        await uow.commit()
        return application


async def _application(uow: PremisesUnitOfWork, actor: Actor, round_id: UUID, application_id: UUID) -> Application:
    """An application of the round: its association's representatives and staff see it, nobody else."""
    application = of_municipality(await uow.allocation.get_application(application_id), actor.municipality_id,
                                  "application", application_id)
    if application.round_id != round_id or not (is_staff(actor) or actor.represents(application.association_id)):
        raise NotFound("Application", application_id)
    return application


async def update_application(round_id: UUID, application_id: UUID, fields: ApplicationFields, uow: PremisesUnitOfWork,
                             actor: Actor, clock: Clock) -> Application:
    now = clock.now()
    async with uow:
        round_ = await round_of(uow, actor, round_id)
        application = await _application(uow, actor, round_id, application_id)
        await _association_checked(uow, actor, fields.association_id)
        if application.status is ApplicationStatus.WITHDRAWN:
            raise Conflict("The application is withdrawn.")
        for name in ("association_id", "title", "age_band", "participants", "duration_minutes", "flex_minutes",
                     "note"):
            setattr(application, name, getattr(fields, name))
        application.preferences = _preferences_json(fields)
        application.validate()
        _check_preferences(fields, await space_facts(uow, actor.municipality_id))
        round_.check_takes_applications(now)
        audit(uow, actor, "allocation.application_updated", "allocation_application", application.id)
        await uow.commit()
        return application


async def withdraw_application(round_id: UUID, application_id: UUID, uow: PremisesUnitOfWork, actor: Actor,
                               clock: Clock) -> Application:
    now = clock.now()
    async with uow:
        round_ = await round_of(uow, actor, round_id)
        application = await _application(uow, actor, round_id, application_id)
        round_.check_takes_applications(now)
        application.status = ApplicationStatus.WITHDRAWN
        audit(uow, actor, "allocation.application_withdrawn", "allocation_application", application.id)
        await uow.commit()
        return application


async def list_applications(round_id: UUID, uow: PremisesUnitOfWork, actor: Actor) -> list[Application]:
    """Staff see every application of the round (staff narrowed to sites: those about their sites);
    representatives their own associations'."""
    async with uow:
        round_ = await round_of(uow, actor, round_id)
        apps = [a for a in await uow.allocation.applications(round_id)
                if is_staff(actor) or actor.represents(a.association_id)]
        return await visible_applications(uow, actor, round_, apps)
