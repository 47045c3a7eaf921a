"""Attendance: check-in by the ticket's QR code, marking by list, and drop-in visitors counted
without names. For the activity's staff at its site, or its association's representative."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from booking.domain.activities.model import ActivitySession, Registration, RegistrationStatus
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.access import session_for_staff
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, NotFound, ValidationError


def ticket_code_of(scanned: str) -> str:
    """The ticket code from what a scanner typed: the ticket URL or the bare code."""
    value = scanned.strip()
    if "ticket=" in value:
        value = value.split("ticket=", 1)[1].split("&", 1)[0]
    if not 16 <= len(value) <= 64 or not all(c.isalnum() or c in "-_" for c in value):
        raise ValidationError("ticket", "Not a ticket of this system.", "format")
    return value


def _require_confirmed(registration: Registration) -> None:
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise Conflict(f"The registration is {registration.status}, not confirmed.")


async def mark_attendance(session_id: UUID, registration_id: UUID, present: bool, uow: ActivitiesUnitOfWork,
                          actor: Actor, clock: Clock) -> Registration:
    async with uow:
        await session_for_staff(uow, actor, session_id)
        registration = await uow.activities.registration(registration_id)
        if registration is None or registration.session_id != session_id:
            raise NotFound("Registration", registration_id)
        _require_confirmed(registration)
        registration.attended_at = clock.now() if present else None
        await uow.commit()
        return registration


async def check_in(session_id: UUID, scanned: str, uow: ActivitiesUnitOfWork, actor: Actor,
                   clock: Clock) -> Registration:
    """A second scan keeps the time of the first."""
    code = ticket_code_of(scanned)
    async with uow:
        await session_for_staff(uow, actor, session_id)
        registration = await uow.activities.registration_by_ticket(code)
        if registration is None or registration.session_id != session_id:
            raise ValidationError("ticket", "The ticket is not for this session.", "wrong-session")
        _require_confirmed(registration)
        if registration.attended_at is None:
            registration.attended_at = clock.now()
        await uow.commit()
        return registration


async def record_visitors(session_id: UUID, counts: list[dict[str, Any]], uow: ActivitiesUnitOfWork,
                          actor: Actor) -> ActivitySession:
    """Drop-in: visitors counted by gender and age group, no names."""
    async with uow:
        session, _ = await session_for_staff(uow, actor, session_id, lock=True)
        session.record_visitors(counts)
        await uow.commit()
        return session
