"""Use cases of borrowers and their cards: registration at the desk and by oneself, changes, blocks,
replacing a lost card, guardians' consents, and the anonymisation of inactive borrowers.

Borrowers belong to the municipality: any desk serves any card. Staff whose grant is narrowed to sites
change a borrower (and see their contact details) only when the borrower is active at one of those sites
(a loan lent or returned there, or an open hold to be picked up there; see scope.py); otherwise 403.
Changes lock the borrower row first (the global lock order's borrower level, circulation_services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from booking.domain.lending import labels as lb
from booking.domain.lending import scope
from booking.domain.lending.borrowers import (
    BORROWER_FIELDS,
    Borrower,
    Card,
    Gender,
    check_birth_year,
    check_guardian,
    check_minor_consents,
    check_reachable,
)
from booking.domain.lending.ports import LendingUnitOfWork
from booking.domain.lending.services import _audit, borrower_of, category_of
from booking.domain.people.roles import Actor
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict, Forbidden, ValidationError, expect
from booking.domain.shared.tenancy import of_municipality


async def serves(uow: LendingUnitOfWork, actor: Actor, borrower_id: UUID) -> bool:
    """Whether the actor's desks serve this borrower: everywhere for a grant not narrowed to sites, else
    when the borrower has a loan lent or returned at one of its sites, or an open hold picked up there."""
    sites = scope.desk_sites(actor)
    return sites is None or await uow.circulation.borrower_active_at(borrower_id, sites)


async def _served(uow: LendingUnitOfWork, actor: Actor, borrower_id: UUID) -> Borrower:
    """The borrower to change, locked and read fresh; 403 for a desk narrowed to other sites."""
    borrower = await borrower_of(uow, actor, borrower_id)
    if not await serves(uow, actor, borrower.id):
        raise Forbidden("Your role is limited to a site where this borrower has no loan or hold.")
    return expect(await uow.lending.lock_borrower(borrower.id), f"borrower {borrower.id}")  # borrowers stay


@dataclass(frozen=True)
class Registration:
    name: str
    mobile: str | None
    birth_year: int
    email: str | None = None
    gender: Gender | None = None
    area_id: UUID | None = None
    guardian_id: UUID | None = None
    consent_category_ids: tuple[UUID, ...] = ()


async def _new_card(uow: LendingUnitOfWork, borrower: Borrower, at: datetime) -> Card:
    number = lb.new_card_number()
    while await uow.lending.card_number_taken(number):
        number = lb.new_card_number()
    card = Card(borrower.id, number, borrower.municipality_id, issued_at=at)
    uow.lending.add_card(card)
    return card


async def _check_registration(reg: Registration, uow: LendingUnitOfWork, municipality_id: UUID, today: date,
                              require_mobile: bool) -> Borrower | None:
    check_birth_year(reg.birth_year, today)
    if reg.area_id is not None:
        of_municipality(await uow.areas.get(reg.area_id), municipality_id, "area", reg.area_id, "area_id")
    guardian = None
    if reg.guardian_id is not None:
        guardian = of_municipality(await uow.lending.get_borrower(reg.guardian_id), municipality_id, "borrower",
                                   reg.guardian_id, "guardian_id")
        check_guardian(guardian, today)
    if require_mobile:
        check_reachable(reg.mobile, guardian)
    for i, category_id in enumerate(reg.consent_category_ids):
        of_municipality(await uow.lending.get_category(category_id), municipality_id, "category", category_id,
                        f"consent_category_ids[{i}]")
    return guardian


async def register_borrower(reg: Registration, uow: LendingUnitOfWork, actor: Actor, at: datetime,
                            today: date) -> tuple[Borrower, Card]:
    """At the desk: staff register a borrower (a minor with their guardian) and hand out a card."""
    async with uow:
        guardian = await _check_registration(reg, uow, actor.municipality_id, today, require_mobile=True)
        borrower = Borrower(actor.municipality_id, reg.name, reg.mobile, reg.birth_year, email=reg.email,
                            gender=reg.gender, area_id=reg.area_id, guardian_id=reg.guardian_id,
                            last_active_at=at)
        check_minor_consents(borrower, guardian, bool(reg.consent_category_ids), today)
        for category_id in reg.consent_category_ids:
            borrower.give_consent(category_id, by=reg.guardian_id, at=at)
        uow.lending.add_borrower(borrower)
        card = await _new_card(uow, borrower, at)
        _audit(uow, actor, "lending.borrower_registered", "borrower", borrower.id)
        await uow.commit()
        return borrower, card


async def register_self(reg: Registration, uow: LendingUnitOfWork, actor: Actor, at: datetime,
                        today: date) -> tuple[Borrower, Card]:
    """A signed-in person registers themself as a borrower and gets a digital card at once."""
    if reg.guardian_id is not None or reg.consent_category_ids:
        raise ValidationError("guardian_id", "A guardian and consents are registered at the desk.", "not-allowed")
    async with uow:
        if await uow.lending.borrower_by_account(actor.account_id) is not None:
            raise Conflict("You are already registered as a borrower.", [{"field": "account_id"}])
        if reg.mobile is None:
            raise ValidationError("mobile", "A mobile number is needed.", "required")
        await _check_registration(reg, uow, actor.municipality_id, today, require_mobile=True)
        borrower = Borrower(actor.municipality_id, reg.name, reg.mobile, reg.birth_year, email=reg.email,
                            gender=reg.gender, area_id=reg.area_id, account_id=actor.account_id,
                            registered_via="self", last_active_at=at)
        uow.lending.add_borrower(borrower)
        card = await _new_card(uow, borrower, at)
        _audit(uow, actor, "lending.borrower_self_registered", "borrower", borrower.id)
        await uow.commit()
        return borrower, card


async def update_borrower(borrower_id: UUID, changes: dict[str, Any], uow: LendingUnitOfWork, actor: Actor,
                          today: date) -> Borrower:
    async with uow:
        borrower = await _served(uow, actor, borrower_id)
        borrower.change({k: v for k, v in changes.items() if k in BORROWER_FIELDS}, today)
        if changes.get("area_id") is not None:
            of_municipality(await uow.areas.get(changes["area_id"]), actor.municipality_id, "area",
                            changes["area_id"], "area_id")
        _audit(uow, actor, "lending.borrower_updated", "borrower", borrower.id, fields=sorted(changes))
        await uow.commit()
        return borrower


async def block_borrower(borrower_id: UUID, reason: str | None, uow: LendingUnitOfWork, actor: Actor,
                         at: datetime) -> Borrower:
    """Block (with a reason) or, with reason None, unblock."""
    async with uow:
        borrower = await _served(uow, actor, borrower_id)
        if reason is None:
            borrower.unblock()
        else:
            borrower.block(reason, at)
        _audit(uow, actor, "lending.borrower_blocked" if reason else "lending.borrower_unblocked", "borrower",
               borrower.id)
        await uow.commit()
        return borrower


async def replace_card(borrower_id: UUID, uow: LendingUnitOfWork, actor: Actor, at: datetime) -> Card:
    """A lost card: its number is blocked and a new card is issued, in one transaction."""
    async with uow:
        borrower = await _served(uow, actor, borrower_id)  # a desk lending on the old card waits, then sees it blocked
        if borrower.is_anonymised:
            raise Conflict("The borrower is anonymised.", [{"field": "borrower_id"}])
        old = await uow.lending.active_card(borrower.id)
        if old is not None:
            old.block(at)
            await uow.lending.flush()  # the one-active-card index sees the old card blocked first
        card = await _new_card(uow, borrower, at)
        _audit(uow, actor, "lending.card_replaced", "borrower", borrower.id,
               old=old.number[-4:] if old else None)
        await uow.commit()
        return card


async def set_consent(borrower_id: UUID, category_id: UUID, given: bool, uow: LendingUnitOfWork, actor: Actor,
                      at: datetime) -> Borrower:
    async with uow:
        borrower = await _served(uow, actor, borrower_id)
        await category_of(uow, actor, category_id)  # the path's category: 404 when not the municipality's
        if given:
            borrower.give_consent(category_id, by=borrower.guardian_id, at=at)
        else:
            borrower.withdraw_consent(category_id)
        _audit(uow, actor, "lending.consent_given" if given else "lending.consent_withdrawn", "borrower",
               borrower.id, category_id=str(category_id))
        await uow.commit()
        return borrower


async def anonymise_inactive(uow: LendingUnitOfWork, before: datetime, at: datetime, batch: int = 200) -> int:
    """Anonymise borrowers not active since `before` (all municipalities); returns how many.
    Their loans stay (statistics need them), pointing at a borrower without name or contact.
    The batch is locked as it is read (PostgreSQL; borrowers a desk holds right now are skipped), so a
    loan made at that moment either counts as activity or waits until the borrower is anonymised and
    finds the card blocked."""
    done = 0
    while True:
        async with uow:
            borrowers = await uow.lending.inactive_borrowers(None, before, batch)
            for borrower in borrowers:
                borrower.anonymise(at)
                for card in await uow.lending.cards_of(borrower.id):
                    if card.active:
                        card.block(at)
                uow.audit(AuditEntry(borrower.municipality_id, None, "lending.borrower_anonymised", "borrower",
                                     borrower.id))
            await uow.commit()
        done += len(borrowers)
        if len(borrowers) < batch:
            return done


