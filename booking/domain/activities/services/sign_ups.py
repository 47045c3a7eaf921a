"""Sign-ups and their cancellation: places first come first served, then the waiting list, which is
promoted in order when a place frees. The session is locked while its places change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from booking.domain.activities import sign_up_rules as rules
from booking.domain.activities.model import Activity, ActivitySession, Registration, RegistrationStatus
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.activities.services.access import registration_for, session_and_activity
from booking.domain.activities.services.draw_wishes import check_first_come
from booking.domain.activities.services.links import Links, new_token, token_hash
from booking.domain.activities.services.notices import audit, tell
from booking.domain.activities.sign_up_rules import Child
from booking.domain.municipalities.home_area import home_area
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError, expect
from booking.domain.shared.tenancy import of_municipality


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
    rules.check_signer(actor, cmd.children, cmd.self_sign_up)
    children = rules.clean_children(cmd.children, now.date())
    async with uow:
        session, activity = await _open_session(uow, actor, cmd.session_id)
        rules.check_open(activity, session, now)
        await check_first_come(uow, session)  # a period whose places a draw gives: 409 until it is published
        rules.check_ages(activity, session, children, cmd.self_sign_up)
        await uow.activities.lock_accounts([actor.account_id])  # the child's other sign-ups wait for this one
        out = [await _admit(uow, actor, activity, session, i, child, cmd.self_sign_up)
               for i, child in enumerate(children)]
        for signed in out:
            r = signed.registration
            kind = "activity.confirmed" if r.status is RegistrationStatus.CONFIRMED else "activity.waiting"
            await tell(uow, kind, activity, session, [r], links, tokens={r.id: signed.cancel_token})
        audit(uow, actor, "activity.signed_up", "activity_session", session.id, actor.municipality_id,
              registrations=len(out))
        await uow.commit()
        return out


async def _open_session(uow: ActivitiesUnitOfWork, actor: Actor, session_id: UUID
                        ) -> tuple[ActivitySession, Activity]:
    """The session (locked) of a published activity of the actor's municipality."""
    session = await uow.activities.get_session(session_id, lock=True)
    found = await uow.activities.get(session.activity_id) if session else None
    activity = of_municipality(found, actor.municipality_id, "session", session_id)
    if session is None or not activity.is_public:
        raise NotFound("Session", session_id)
    return session, activity


async def _admit(uow: ActivitiesUnitOfWork, actor: Actor, activity: Activity, session: ActivitySession, i: int,
                 child: Child, self_sign_up: bool) -> SignedUp:
    # the session overlaps itself: one query finds a sign-up for it as well as for any other
    overlapping = await uow.activities.overlapping(actor.account_id, child.key, child.birth_year, session.starts_at,
                                                   session.ends_at)
    rules.check_free_time(i, child, session.id, overlapping)
    home = await home_area(uow.areas, session.municipality_id, child.home_area_id, child.postcode, f"children[{i}].")
    token = new_token()
    registration = Registration(
        municipality_id=session.municipality_id, session_id=session.id, activity_id=activity.id,
        account_id=actor.account_id, first_name=child.first_name, birth_year=child.birth_year,
        cancel_token_hash=token_hash(token), ticket_code=new_token(), gender=child.gender,
        needs=child.needs, self_registered=self_sign_up, home_area_id=home)
    session.admit(registration)
    uow.activities.add_registration(registration)
    return SignedUp(registration, token)


async def cancel_registration(uow: ActivitiesUnitOfWork, clock: Clock, links: Links, *, actor: Actor | None = None,
                              registration_id: UUID | None = None, token: str | None = None
                              ) -> tuple[Registration, list[Registration]]:
    """Cancel in the account (the registering account, or staff) or by the link's token. A freed
    place goes to the first on the waiting list, who is told."""
    async with uow:
        found = await _registration_to_cancel(uow, actor, registration_id, token)
        session, activity = await session_and_activity(uow, found)
        # re-read under the lock: a concurrent cancellation may have changed it
        registration = expect(await uow.activities.registration(found.id), "registration")
        queue: Sequence[Registration] = await uow.activities.registrations_of(session.id)
        promoted = session.withdraw(registration, list(queue), clock.now())
        await tell(uow, "activity.unregistered", activity, session, [registration], links)
        await tell(uow, "activity.promoted", activity, session, promoted, links)
        audit(uow, actor, "activity.unregistered", "registration", registration.id, registration.municipality_id,
              promoted=[str(p.id) for p in promoted])
        await uow.commit()
        return registration, promoted


async def _registration_to_cancel(uow: ActivitiesUnitOfWork, actor: Actor | None, registration_id: UUID | None,
                                  token: str | None) -> Registration:
    if token is not None:
        if not 16 <= len(token) <= 64:
            raise ValidationError("token", "Not a cancellation link.", "format")
        registration = await uow.activities.registration_by_token(token_hash(token))
        if registration is None:
            raise NotFound("Registration", "for this link")
        return registration
    return await registration_for(uow, expect(actor, "actor"), expect(registration_id, "registration id"))


async def rotate_feed_token(uow: ActivitiesUnitOfWork, actor: Actor) -> str:
    """A new private feed token for the account's registrations; the old link stops working."""
    token = new_token()
    async with uow:
        await uow.activities.set_feed_token(actor.municipality_id, actor.account_id, token_hash(token))
        audit(uow, actor, "activity.feed_token_rotated", "account", actor.account_id, actor.municipality_id)
        await uow.commit()
    return token
