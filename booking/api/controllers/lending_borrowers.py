"""HTTP routes of borrowers and their cards: registration, changes, blocks, cards and consents at the desk;
and the signed-in person's own registration, digital card and data export."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, patch, post, put
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters import pdf
from booking.adapters.db.queries_lending import LendingQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.qr import qr_svg
from booking.api.access import SIGNED_IN, guarded
from booking.api.controllers.lending_views import (
    STAFF,
    LimitQ,
    OffsetQ,
    SearchQ,
    changes_of,
    desk_today,
    pdf_response,
)
from booking.api.schemas import lending_borrowers as s
from booking.config import Settings
from booking.domain.lending import borrower_services as borrowers
from booking.domain.lending import labels as lb
from booking.domain.lending import scope, services
from booking.domain.lending.borrowers import Borrower
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Forbidden, NotFound


def to_borrower(b: Borrower, card_number: str | None, with_consents: bool = True) -> s.Borrower:
    consents = [s.Consent(c.category_id, c.given_by, c.given_at) for c in b.consents] if with_consents \
        else msgspec.UNSET
    return s.Borrower(b.id, b.name, b.mobile, b.email, b.birth_year, b.gender, b.area_id, b.guardian_id,
                      b.blocked_reason, b.registered_via, card_number, b.last_active_at, consents)


def to_card(settings: Settings, number: str, borrower_id: UUID) -> s.Card:
    return s.Card(number, lb.format_card_number(number), lb.card_url(settings.base_url, number), borrower_id)


class BorrowerController(Controller):
    path = "/api/lending/borrowers"
    tags = ["lending"]

    async def _view(self, uow: SqlUnitOfWork, borrower: Borrower) -> s.Borrower:
        async with uow:
            card = await uow.lending.active_card(borrower.id)
        return to_borrower(borrower, card.number if card else None)

    @post("/", operation_id="registerBorrower", status_code=HTTP_201_CREATED, **guarded(STAFF, idempotent=True))
    async def register(self, data: s.BorrowerCreate, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                       settings: Settings) -> s.Borrower:
        """Register a borrower at the desk and issue a card. A minor is linked to a guardian (another
        borrower), who may give consent per category at once."""
        borrower, card = await borrowers.register_borrower(borrowers.Registration(
            data.name, data.mobile, data.birth_year, data.email, data.gender, data.area_id, data.guardian_id,
            tuple(data.consent_category_ids)), uow, actor, clock.now(), desk_today(clock, settings))
        return to_borrower(borrower, card.number)

    @get("/", operation_id="listBorrowers", **guarded(STAFF))
    async def list_borrowers(self, lending_queries: LendingQueries, actor: Actor, q: SearchQ = None, limit: LimitQ = 50,
                             offset: OffsetQ = 0) -> s.BorrowerPage:
        """Find borrowers by name, mobile number or card number. Staff narrowed to sites see the contact
        details (mobile, e-mail, guardian) only of borrowers active at their sites, and find only those by
        mobile number."""
        page = await lending_queries.borrowers(actor.municipality_id, q, limit, offset,
                                               contact_sites=scope.desk_sites(actor))
        return s.BorrowerPage([s.Borrower(r["id"], r["name"], r["mobile"] if r["contact_visible"] else None,
                                          r["email"] if r["contact_visible"] else None, r["birth_year"], r["gender"],
                                          r["area_id"], r["guardian_id"] if r["contact_visible"] else None,
                                          r["blocked_reason"], r["registered_via"], r["card_number"],
                                          r["last_active_at"]) for r in page.items],
                              page.total, limit, offset)

    @get("/{borrower_id:uuid}", operation_id="getBorrower", **guarded(STAFF))
    async def get_borrower(self, borrower_id: UUID, read_uow: SqlUnitOfWork, actor: Actor) -> s.Borrower:
        async with read_uow:
            borrower = await services.borrower_of(read_uow, actor, borrower_id)
            if borrower.is_anonymised:
                raise NotFound("Borrower", borrower_id)
            card = await read_uow.lending.active_card(borrower.id)
            shown = to_borrower(borrower, card.number if card else None)
            if not await borrowers.serves(read_uow, actor, borrower.id):  # narrowed to sites it is not active at
                shown = msgspec.structs.replace(shown, mobile=None, email=None, guardian_id=None)
            return shown

    @patch("/{borrower_id:uuid}", operation_id="updateBorrower", **guarded(STAFF))
    async def update(self, borrower_id: UUID, data: s.BorrowerUpdate, uow: SqlUnitOfWork, actor: Actor,
                     clock: Clock, settings: Settings) -> s.Borrower:
        borrower = await borrowers.update_borrower(borrower_id, changes_of(data), uow, actor,
                                                   desk_today(clock, settings))
        return await self._view(uow, borrower)

    @post("/{borrower_id:uuid}/block", operation_id="blockBorrower", status_code=200, **guarded(STAFF))
    async def block(self, borrower_id: UUID, data: s.Block, uow: SqlUnitOfWork, actor: Actor,
                    clock: Clock) -> s.Borrower:
        """Block the borrower, with the reason (shown to staff at the desk)."""
        return await self._view(uow, await borrowers.block_borrower(borrower_id, data.reason, uow, actor, clock.now()))

    @delete("/{borrower_id:uuid}/block", operation_id="unblockBorrower", status_code=200, **guarded(STAFF))
    async def unblock(self, borrower_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.Borrower:
        return await self._view(uow, await borrowers.block_borrower(borrower_id, None, uow, actor, clock.now()))

    @post("/{borrower_id:uuid}/card", operation_id="replaceBorrowerCard", status_code=HTTP_201_CREATED,
          **guarded(STAFF))
    async def replace_card(self, borrower_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                           settings: Settings) -> s.Card:
        """A lost card: the old number is blocked (it finds nobody any more) and a new card is issued."""
        card = await borrowers.replace_card(borrower_id, uow, actor, clock.now())
        return to_card(settings, card.number, card.borrower_id)

    @get("/{borrower_id:uuid}/card.pdf", operation_id="getBorrowerCardPdf", media_type="application/pdf",
         **guarded(STAFF))
    async def card_pdf(self, borrower_id: UUID, read_uow: SqlUnitOfWork, actor: Actor,
                       settings: Settings) -> Response[bytes]:
        """The card to print, the size of a bank card (85.6 x 54 mm), with its QR code."""
        async with read_uow:
            borrower = await services.borrower_of(read_uow, actor, borrower_id)
            card = await read_uow.lending.active_card(borrower.id)
            if not await borrowers.serves(read_uow, actor, borrower.id):
                raise Forbidden("Your role is limited to a site where this borrower has no loan or hold.")
        if card is None or borrower.is_anonymised:
            raise NotFound("Card of borrower", borrower_id)
        return pdf_response(_card_pdf(settings, borrower, card.number), "lanekort.pdf")

    @put("/{borrower_id:uuid}/consents/{category_id:uuid}", operation_id="giveBorrowerConsent", **guarded(STAFF))
    async def give_consent(self, borrower_id: UUID, category_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                           clock: Clock) -> s.Borrower:
        """The guardian's consent for a category (and its subcategories), recorded at the desk."""
        return await self._view(uow, await borrowers.set_consent(borrower_id, category_id, True, uow, actor,
                                                                clock.now()))

    @delete("/{borrower_id:uuid}/consents/{category_id:uuid}", operation_id="withdrawBorrowerConsent",
            status_code=200, **guarded(STAFF))
    async def withdraw_consent(self, borrower_id: UUID, category_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                               clock: Clock) -> s.Borrower:
        return await self._view(uow, await borrowers.set_consent(borrower_id, category_id, False, uow, actor,
                                                                clock.now()))


def _card_pdf(settings: Settings, borrower: Borrower, number: str) -> bytes:
    return pdf.lending_card(pdf.CardContent(lb.format_card_number(number), lb.card_url(settings.base_url, number),
                                            borrower.name, "Fritidsbanken"))


class MyLendingController(Controller):
    path = "/api/lending/me"
    tags = ["lending"]

    async def _mine(self, uow: SqlUnitOfWork, actor: Actor) -> tuple[Borrower, str | None]:
        async with uow:
            borrower = await uow.lending.borrower_by_account(actor.account_id)
            if borrower is None or borrower.is_anonymised:
                raise NotFound("Borrower of account", actor.account_id)
            card = await uow.lending.active_card(borrower.id)
            return borrower, card.number if card else None

    @post("/", operation_id="registerAsBorrower", status_code=HTTP_201_CREATED, **guarded(SIGNED_IN))
    async def register_self(self, data: s.SelfRegistration, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                            settings: Settings) -> s.MyBorrower:
        """Self-registration: the signed-in person becomes a borrower and gets a digital lending card."""
        borrower, card = await borrowers.register_self(borrowers.Registration(
            data.name, data.mobile, data.birth_year, data.email, data.gender, data.area_id), uow, actor,
            clock.now(), desk_today(clock, settings))
        return s.MyBorrower(to_borrower(borrower, card.number), to_card(settings, card.number, borrower.id))

    @get("/", operation_id="getMyBorrower", **guarded(SIGNED_IN))
    async def me(self, read_uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> Response[s.MyBorrower]:
        """The signed-in borrower and their card (404 when not registered as a borrower)."""
        borrower, number = await self._mine(read_uow, actor)
        return Response(s.MyBorrower(to_borrower(borrower, number),
                                     to_card(settings, number, borrower.id) if number else None),
                        headers={"Cache-Control": "private, no-store"})

    @get("/card.svg", operation_id="getMyCardQr", media_type="image/svg+xml", **guarded(SIGNED_IN))
    async def card_svg(self, read_uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> Response[bytes]:
        """The digital card's QR code (shown on the phone at the desk)."""
        _, number = await self._mine(read_uow, actor)
        if number is None:
            raise NotFound("Card of account", actor.account_id)
        return Response(qr_svg(lb.card_url(settings.base_url, number)), media_type="image/svg+xml",
                        headers={"Cache-Control": "private, no-store"})

    @get("/card.pdf", operation_id="getMyCardPdf", media_type="application/pdf", **guarded(SIGNED_IN))
    async def card_pdf(self, read_uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> Response[bytes]:
        borrower, number = await self._mine(read_uow, actor)
        if number is None:
            raise NotFound("Card of account", actor.account_id)
        return pdf_response(_card_pdf(settings, borrower, number), "lanekort.pdf")

    @get("/data", operation_id="exportMyLendingData", **guarded(SIGNED_IN))
    async def export(self, read_uow: SqlUnitOfWork, actor: Actor, lending_queries: LendingQueries) -> Response[bytes]:
        """Everything stored about the signed-in borrower (GDPR art. 15), as a JSON download."""
        borrower, _ = await self._mine(read_uow, actor)
        data = await lending_queries.personal_data(borrower.id)
        body = json.dumps(data, default=str, ensure_ascii=False, indent=2).encode()
        return Response(body, media_type="application/json", headers={
            "Content-Disposition": 'attachment; filename="mina-lanedata.json"', "Cache-Control": "private, no-store"})


HANDLERS: list[Any] = [BorrowerController, MyLendingController]
