"""Publishing a draw: in one transaction the grants become confirmed registrations and each guardian
account is told once per child (the outbox), and the period opens first come with the waiting list.

Locks, in this order: the draw's row (so a withdrawal before or after is never lost: a child withdrawn
before gets nothing, one withdrawing after finds the draw published and must cancel the
registrations), then the granted sessions in id order (each place is taken by `session.admit` under
its session's lock, so the database's 0 <= confirmed <= capacity holds against any concurrent sign-up
or cancellation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from booking.domain.activities.draw import Reason
from booking.domain.activities.draw_model import WishingChild
from booking.domain.activities.messages import render_draw_outcome
from booking.domain.activities.model import ActivitySession, Registration, RegistrationStatus, SessionStatus
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.draw_loading import staff_draw, zone_of
from booking.domain.activities.services.links import Links, new_token, token_hash
from booking.domain.activities.services.notices import audit
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import expect
from booking.domain.shared.notifications import Message

KIND = "activity.draw_outcome"


@dataclass(frozen=True)
class PublishOutcome:
    registrations: int
    notified: int


async def publish(draw_id: UUID, uow: ActivitiesUnitOfWork, actor: Actor, clock: Clock,
                  links: Links) -> PublishOutcome:
    now = clock.now()
    async with uow:
        draw = await staff_draw(uow, actor, draw_id, lock=True)
        result = draw.require_preview()
        children = {c.id: c for c in await uow.draws.children(draw.id) if not c.withdrawn}
        outcomes = [dict(o) for o in result.get("outcomes", []) if UUID(o["child_id"]) in children]
        granted = [o for o in outcomes if o["granted"]]
        sessions: dict[UUID, ActivitySession | None] = {}
        for session_id in sorted({UUID(o["session_id"]) for o in granted}):
            sessions[session_id] = await uow.activities.get_session(session_id, lock=True)
        tokens: dict[UUID, str] = {}
        made: dict[UUID, Registration] = {}
        for o in granted:
            session = sessions[UUID(o["session_id"])]
            child = children[UUID(o["child_id"])]
            if session is None or session.free_places == 0:
                # cancelled or filled since the run (staff changed it): the grant falls, said so
                gone = session is None or session.status is SessionStatus.CANCELLED
                o.update(granted=False, reason=(Reason.GONE if gone else Reason.FULL).value)
                continue
            registration, token = _register(session, child)
            uow.activities.add_registration(registration)
            tokens[registration.id], made[registration.id] = token, registration
            o["registration_id"] = str(registration.id)
        draw.publish({**result, "outcomes": outcomes}, now)
        notified = await _tell(uow, children, outcomes, made, tokens, links)
        audit(uow, actor, "draw.published", "holiday_draw", draw.id, actor.municipality_id,
              registrations=len(made), notified=notified)
        await uow.commit()
        return PublishOutcome(len(made), notified)


def _register(session: ActivitySession, child: WishingChild) -> tuple[Registration, str]:
    token = new_token()
    registration = Registration(
        municipality_id=session.municipality_id, session_id=session.id, activity_id=session.activity_id,
        account_id=child.account_id, first_name=child.first_name, birth_year=child.birth_year,
        cancel_token_hash=token_hash(token), ticket_code=new_token(), gender=child.gender, needs=child.needs,
        home_area_id=child.home_area_id)  # the area the follow-up counts the child's participation by
    session.admit(registration)
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise AssertionError("a free place was checked under the session's lock")
    return registration, token


async def _tell(uow: ActivitiesUnitOfWork, children: dict[UUID, WishingChild], outcomes: list[dict[str, Any]],
                made: dict[UUID, Registration], tokens: dict[UUID, str], links: Links) -> int:
    """One message per child to its guardian account: places with tickets, refused wishes with reasons."""
    if not children:
        return 0
    zone = await zone_of(uow, next(iter(children.values())).municipality_id)
    told = 0
    for child in children.values():
        mine = sorted((o for o in outcomes if o["child_id"] == str(child.id)), key=lambda o: o["rank"])
        account = await uow.accounts.get(child.account_id)
        if not mine or account is None or not account.is_active:
            continue
        granted, refused = [], []
        for o in mine:
            session = expect(await uow.activities.get_session(UUID(o["session_id"])), "wished session")
            activity = expect(await uow.activities.get(session.activity_id), "session's activity")
            if o.get("registration_id"):
                registration = made[UUID(o["registration_id"])]
                granted.append((activity.title, session.starts_at, session.ends_at,
                                links.ticket(registration.ticket_code), links.cancel(tokens[registration.id])))
            else:
                refused.append((activity.title, session.starts_at, session.ends_at, str(o["reason"]), int(o["rank"])))
        subject, body = render_draw_outcome(account.locale, name=child.first_name, zone=zone, granted=granted,
                                            refused=refused)
        uow.notify(Message(child.municipality_id, KIND, account.email, subject, body))
        told += 1
    return told
