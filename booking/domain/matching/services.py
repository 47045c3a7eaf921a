"""Use cases of föreningsmatchning: match (also at the Fritidsbanken counter, from a lending card), send an
interest request, answer it, pause requests, and the association's list. Orchestration only: the rules live
in requests.py and match.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from booking.domain.lending.labels import normalize_card_number
from booking.domain.matching import match as m
from booking.domain.matching import messages
from booking.domain.matching.requests import (
    DEFAULT_LIMITS,
    Contact,
    InterestRequest,
    RateLimits,
    check_contact,
    check_request_fields,
    rate_limit_wait,
)
from booking.domain.matching.requests_ports import RequestsUnitOfWork
from booking.domain.people.roles import Actor, Role
from booking.domain.premises.attendance import Gender
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, RateLimited, ValidationError

STAFF = (Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF, Role.LENDING_STAFF)


@dataclass(frozen=True, slots=True)
class MatchCommand:
    municipality_id: UUID
    interests: tuple[UUID, ...]
    age: int | None
    area_id: UUID | None = None
    days: tuple[int, ...] = ()
    card_number: str | None = None


@dataclass(frozen=True, slots=True)
class SendRequest:
    association_id: UUID
    interests: list[UUID]
    age: int | None
    sender_hash: str
    consent: bool
    guardian_consent: bool
    gender: Gender | None = None
    home_area_id: UUID | None = None
    days: list[int] = field(default_factory=list)
    message: str | None = None
    contact: Contact | None = None
    via_counter: bool = False


def _check_ids(interests: Sequence[UUID], known: dict[UUID, tuple[str, str]]) -> None:
    if any(i not in known for i in interests):
        raise ValidationError("interests", "Choose interests from the municipality's list.", "unknown")


async def match(cmd: MatchCommand, uow: Any, actor: Actor | None, now: datetime
                ) -> tuple[list[m.Match], int, UUID | None]:
    """The ranked associations, and the age and area used (from the card at the counter). `uow` is a
    RequestsUnitOfWork that, for a card number, also has lending's repository."""
    age, area_id = cmd.age, cmd.area_id
    async with uow:
        if cmd.card_number is not None:
            if actor is None or actor.municipality_id != cmd.municipality_id or not actor.has(Role.LENDING_STAFF):
                raise Forbidden("Only Fritidsbanken's desk staff match from a lending card.")
            number = normalize_card_number(cmd.card_number)
            found = await uow.lending.borrower_by_card(cmd.municipality_id, number)
            if found is None:
                raise NotFound("Lending card", number)
            borrower = found[0]
            age = now.year - borrower.birth_year
            area_id = borrower.area_id if borrower.area_id is not None else area_id
        if age is None:
            raise ValidationError("age", "Give an age (or, at the desk, a lending card).", "required")
        repo = uow.interest_requests
        names = await repo.category_names(cmd.municipality_id)
        _check_ids(cmd.interests, names)
        area = await repo.area(cmd.municipality_id, area_id) if area_id is not None else None
        if area_id is not None and area is None and cmd.card_number is None:
            raise ValidationError("area_id", "No area of the municipality has this id.", "unknown")
        candidates = await repo.candidates(cmd.municipality_id, cmd.interests, now, age)
    wish = m.Wish(cmd.interests, age, area.area_id if area else None, area.name if area else None,
                  area.latitude if area else None, area.longitude if area else None, cmd.days, names)
    return m.rank(candidates, wish), age, wish.area_id


async def send_request(cmd: SendRequest, uow: RequestsUnitOfWork, actor: Actor | None, now: datetime,
                       base_url: str, limits: RateLimits = DEFAULT_LIMITS) -> InterestRequest:
    message = check_request_fields(cmd.interests, cmd.age, cmd.days, cmd.message)
    contact = check_contact(cmd.contact, cmd.age, cmd.consent, cmd.guardian_consent)
    if cmd.via_counter and (actor is None or not actor.has(*STAFF)):
        raise Forbidden("Only staff send requests from the counter.")
    async with uow:
        repo = uow.interest_requests
        state = await repo.profile_state(cmd.association_id, lock=True)
        if state is None or (actor is not None and cmd.via_counter and state.municipality_id != actor.municipality_id):
            raise NotFound("Association", cmd.association_id)
        if not state.published:
            raise Conflict("This association has no published profile; it takes no interest requests.")
        if state.paused:
            raise Conflict("This association has paused interest requests for now; try again later.")
        names = await repo.category_names(state.municipality_id)
        _check_ids(cmd.interests, names)
        if cmd.home_area_id is not None and await repo.area(state.municipality_id, cmd.home_area_id) is None:
            raise ValidationError("home_area_id", "No area of the municipality has this id.", "unknown")
        mine, theirs = await repo.recent_times(cmd.sender_hash, cmd.association_id, now - timedelta(days=1))
        wait = rate_limit_wait(mine, theirs, now, limits)
        if wait is not None:
            raise RateLimited("Too many interest requests for now; wait a while and send again.", wait)
        request = InterestRequest(
            state.municipality_id, cmd.association_id, list(cmd.interests), cmd.age, cmd.sender_hash,
            consent=cmd.consent, guardian_consent=cmd.guardian_consent, via_counter=cmd.via_counter,
            gender=cmd.gender, home_area_id=cmd.home_area_id, days=sorted(cmd.days), message=message,
            contact_name=contact.name if contact else None, contact_email=contact.email if contact else None,
            contact_phone=contact.phone if contact else None,
            made_by=actor.account_id if actor is not None else None, created_at=now)
        await repo.add(request)
        for address in await repo.recipients(cmd.association_id):
            uow.notify(messages.new_request(request, state.name, address, names, base_url))
        await uow.commit()
    return request


def _may_handle(actor: Actor, association_id: UUID, municipality_id: UUID, *, staff: bool) -> bool:
    if actor.municipality_id != municipality_id:
        return False
    return actor.represents(association_id) or actor.is_admin or (staff and actor.has(*STAFF))


async def answer_request(request_id: UUID, text: str, uow: RequestsUnitOfWork, actor: Actor, now: datetime
                         ) -> InterestRequest:
    async with uow:
        repo = uow.interest_requests
        request = await repo.get(request_id, lock=True)
        if request is None or request.municipality_id != actor.municipality_id:
            raise NotFound("Interest request", request_id)
        if not _may_handle(actor, request.association_id, request.municipality_id, staff=False):
            raise Forbidden("Only the association's representatives answer its interest requests.")
        state = await repo.profile_state(request.association_id)
        request.answer_with(text, actor.account_id, now)
        await repo.save(request)
        address = request.answer_address
        if address is not None:
            uow.notify(messages.answer(request, state.name if state else "", address))
        await uow.commit()
    return request


async def pause(association_id: UUID, paused: bool, uow: RequestsUnitOfWork, actor: Actor, now: datetime) -> bool:
    async with uow:
        repo = uow.interest_requests
        state = await repo.profile_state(association_id)
        if state is None or state.municipality_id != actor.municipality_id:
            raise NotFound("Association", association_id)
        if not _may_handle(actor, association_id, state.municipality_id, staff=False):
            raise Forbidden("Only the association's representatives pause its interest requests.")
        if not await repo.set_paused(association_id, paused, actor.account_id, now):
            raise Conflict("The association has no public profile yet; write one first.")
        await uow.commit()
    return paused


async def requests_of(association_id: UUID, uow: RequestsUnitOfWork, actor: Actor
                      ) -> tuple[bool, Sequence[InterestRequest], dict[UUID, tuple[str, str]]]:
    """Whether requests are paused, the association's requests (newest first) and the interest names."""
    async with uow:
        repo = uow.interest_requests
        state = await repo.profile_state(association_id)
        if state is None or state.municipality_id != actor.municipality_id:
            raise NotFound("Association", association_id)
        if not _may_handle(actor, association_id, state.municipality_id, staff=True):
            raise Forbidden("Only the association's representatives and staff see its interest requests.")
        return state.paused, await repo.of_association(association_id), await repo.category_names(
            state.municipality_id)


async def anonymise_old(uow: RequestsUnitOfWork, cutoff: datetime, now: datetime) -> int:
    async with uow:
        count = await uow.interest_requests.anonymise_before(cutoff, now)
        await uow.commit()
    return count
