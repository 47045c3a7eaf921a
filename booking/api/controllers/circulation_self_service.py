"""HTTP routes of the borrower's self-service on the phone: sign in with card number and PIN, see one's
loans and holds, borrow by scanning a label, renew, report a return, hold and cancel.

These routes are PUBLIC to the access guard: they carry no account, but a borrower session token in the
`X-Borrower-Token` header that the route checks itself (see booking/domain/lending/self_service.py).
A missing, expired or forged token is refused as input naming that header (422)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_circulation import CirculationQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.circulation_views import hold_out, loans_out, local_today, to_hold, to_loan
from booking.api.schemas import circulation as s
from booking.api.sign_in_throttle import client_address
from booking.config import Settings
from booking.domain.lending import circulation_services as svc
from booking.domain.lending import self_service
from booking.domain.lending.borrowers import Borrower
from booking.domain.lending.circulation import DEFAULT_POLICY
from booking.domain.lending.circulation_phone import item_for_borrowing
from booking.domain.lending.labels import normalize_card_number
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import RateLimited, Unauthenticated, ValidationError
from booking.domain.shared.ports import PasswordHasher

PIN_MAX_FAILURES = 5  # per card and window: a four-digit PIN must not be guessable

TokenHeader = Annotated[str | None, Parameter(header=self_service.HEADER, required=False, max_length=200,
                                              description="The borrower session token from "
                                                          "startBorrowerSession.")]


async def _signed_in(token: str | None, read_uow: SqlUnitOfWork, clock: Clock, settings: Settings) -> Borrower:
    """The borrower of a valid session token; 422 naming the header otherwise."""
    claims, payload = self_service.read(token, clock.now())
    async with read_uow:
        borrower = await read_uow.lending.get_borrower(claims.borrower_id)
        card = await read_uow.lending.active_card(claims.borrower_id)
    if borrower is None or card is None or card.id != claims.card_id or borrower.is_anonymised:
        raise ValidationError(self_service.HEADER, "This card is no longer active; ask at the desk.", "revoked")
    self_service.verify(settings.secret_key, token or "", payload, borrower.pin_hash)
    return borrower


class SelfServiceController(Controller):
    """The borrower's own lending on the phone, signed in with card number and PIN."""

    path = "/api/lending/self-service"
    tags = ["lending"]

    @post("/sessions", operation_id="startBorrowerSession", status_code=HTTP_201_CREATED,
          **guarded(PUBLIC, problems=(401, 429)))
    async def start(self, data: s.SessionIn, request: Request[Any, Any, Any], read_uow: SqlUnitOfWork, clock: Clock,
                    hasher: PasswordHasher, settings: Settings, auth_store: AuthStore,
                    circulation_queries: CirculationQueries) -> s.SessionOut:
        """Sign in with the lending card's number and PIN: a session token for 30 minutes, to send as the
        `X-Borrower-Token` header. Five wrong PINs per card in the sign-in window answer 429."""
        number = normalize_card_number(data.card_number)
        now = clock.now()
        store = auth_store
        window = timedelta(minutes=settings.login_window_minutes)
        card_key, client_key = "pin:" + number, "client:" + client_address(request, settings)
        attempt = await store.record_failure([card_key, client_key], now)
        counts = await store.failures_since([card_key, client_key], now - window)
        for key, limit in ((card_key, PIN_MAX_FAILURES), (client_key, settings.login_max_failures_per_client)):
            n, first = counts[key]
            if n > limit:
                await store.forget(attempt)
                retry = int(((first or now) + window - now).total_seconds()) + 1
                raise RateLimited("Too many wrong PINs; wait a while or ask at the desk.", max(retry, 1))
        municipality_id = await circulation_queries.card_municipality(number)
        found = None
        if municipality_id is not None:
            async with read_uow:
                found = await read_uow.lending.borrower_by_card(municipality_id, number)
        if found is None or found[0].pin_hash is None or not await hasher.verify(found[0].pin_hash, data.pin):
            raise Unauthenticated("The card number or the PIN is wrong (a PIN is set at the desk).")
        borrower, card = found
        await store.forget(attempt)
        await store.clear_failures(card_key)
        token, expires = self_service.issue(settings.secret_key, borrower.id, card.id, borrower.pin_hash or "", now)
        return s.SessionOut(token, expires, borrower.name)

    @get("/me", operation_id="getMyLending", **guarded(PUBLIC))
    async def me(self, read_uow: SqlUnitOfWork, queries: Queries, circulation_queries: CirculationQueries,
                 clock: Clock, settings: Settings, token: TokenHeader = None) -> s.MyLending:
        """The signed-in borrower's open loans (due dates, renewals) and holds."""
        borrower = await _signed_in(token, read_uow, clock, settings)
        today = await local_today(queries, clock, borrower.municipality_id)
        rows, _ = await circulation_queries.loans(borrower.municipality_id, borrower_id=borrower.id, limit=200)
        holds = await circulation_queries.holds(borrower.municipality_id, borrower_id=borrower.id)
        return s.MyLending(borrower.name, DEFAULT_POLICY.max_loans,
                           [to_loan(r, today, with_borrower=False) for r in rows],
                           [to_hold(h, with_borrower=False) for h in holds])

    @get("/items/{code:str}", operation_id="getItemForBorrowing", **guarded(PUBLIC))
    async def item(self, code: str, read_uow: SqlUnitOfWork, clock: Clock, settings: Settings,
                   token: TokenHeader = None) -> s.ItemForBorrowing:
        """The item behind a scanned label (its code or URL): what it is, whether it is on the shelf and
        where, whether it may be borrowed by phone. With a borrower token: whether this borrower may borrow
        it now, and why not (ask at the desk). Never shows who has it."""
        borrower = await _signed_in(token, read_uow, clock, settings) if token else None
        view = await item_for_borrowing(code, borrower.id if borrower else None, read_uow, clock)
        i, a = view.item, view.article
        reasons = [s.Reason(c, m) for c, m in view.reasons or []]
        return s.ItemForBorrowing(
            code=i.label_code or "", item_id=i.id, article_id=a.id, article=a.name, variant=a.variant,
            description=a.description, available=i.status.value == "available", status=i.status.value,
            site_id=i.site_id, site_name=view.site_name, self_service=a.self_service, min_age=a.min_age,
            max_age=a.max_age, signed_in=borrower is not None,
            may_borrow=None if view.reasons is None else (view.my_loan is None and not reasons), reasons=reasons,
            my_loan_id=view.my_loan.id if view.my_loan else None,
            my_loan_due_on=view.my_loan.due_on if view.my_loan else None)

    @post("/loans", operation_id="borrowItem", status_code=HTTP_201_CREATED, **guarded(PUBLIC))
    async def borrow(self, data: s.BorrowIn, uow: SqlUnitOfWork, read_uow: SqlUnitOfWork, queries: Queries,
                     circulation_queries: CirculationQueries, clock: Clock, settings: Settings,
                     token: TokenHeader = None) -> s.Loan:
        """Borrow the item whose label was scanned. Only articles that allow self-service, and only when every
        rule allows (age and consent, limits, blocks); otherwise 422 with the reasons: ask at the desk."""
        borrower = await _signed_in(token, read_uow, clock, settings)
        async with read_uow:
            card = await read_uow.lending.active_card(borrower.id)
        if card is None:
            raise ValidationError(self_service.HEADER, "This card is no longer active; ask at the desk.", "revoked")
        outcome = await svc.lend_self_service(borrower.id, card.id, data.code, uow, clock)
        return (await loans_out(queries, circulation_queries, clock, [outcome.loans[0][0].id],
                                borrower.municipality_id, with_borrower=False))[0]

    @post("/loans/{loan_id:uuid}/renewal", operation_id="renewMyLoan", status_code=200, **guarded(PUBLIC))
    async def renew(self, loan_id: UUID, uow: SqlUnitOfWork, read_uow: SqlUnitOfWork, queries: Queries,
                    circulation_queries: CirculationQueries, clock: Clock, settings: Settings,
                    token: TokenHeader = None) -> s.Loan:
        borrower = await _signed_in(token, read_uow, clock, settings)
        loan = await svc.renew_own(borrower.id, loan_id, uow, clock)
        return (await loans_out(queries, circulation_queries, clock, [loan.id], borrower.municipality_id,
                                with_borrower=False))[0]

    @post("/loans/{loan_id:uuid}/return", operation_id="reportReturn", status_code=200, **guarded(PUBLIC))
    async def report_return(self, loan_id: UUID, uow: SqlUnitOfWork, read_uow: SqlUnitOfWork, queries: Queries,
                            circulation_queries: CirculationQueries, clock: Clock, settings: Settings,
                            token: TokenHeader = None) -> s.Loan:
        """"I have left it at the desk": the loan shows as reported until staff scan the item."""
        borrower = await _signed_in(token, read_uow, clock, settings)
        loan = await svc.report_return(borrower.id, loan_id, uow, clock)
        return (await loans_out(queries, circulation_queries, clock, [loan.id], borrower.municipality_id,
                                with_borrower=False))[0]

    @post("/holds", operation_id="holdArticle", status_code=HTTP_201_CREATED, **guarded(PUBLIC))
    async def hold(self, data: s.OwnHoldIn, uow: SqlUnitOfWork, read_uow: SqlUnitOfWork,
                   circulation_queries: CirculationQueries, clock: Clock, settings: Settings,
                   token: TokenHeader = None) -> s.Hold:
        borrower = await _signed_in(token, read_uow, clock, settings)
        outcome = await svc.place_own_hold(borrower.id, data.article_id, data.site_id, uow, clock)
        return await hold_out(circulation_queries, outcome.hold, with_borrower=False)

    @delete("/holds/{hold_id:uuid}", operation_id="cancelMyHold", status_code=HTTP_204_NO_CONTENT,
            **guarded(PUBLIC))
    async def cancel_hold(self, hold_id: UUID, uow: SqlUnitOfWork, read_uow: SqlUnitOfWork, clock: Clock,
                          settings: Settings, token: TokenHeader = None) -> None:
        borrower = await _signed_in(token, read_uow, clock, settings)
        await svc.cancel_hold(hold_id, uow, clock, borrower_id=borrower.id)


HANDLERS: list[Any] = [SelfServiceController]
