"""HTTP routes of lending circulation: the desk (lend, return, renew, holds, the hold shelf), the lending
sites' opening days and due dates, and the borrower's self-service on the phone (card number + PIN).

Self-service routes are PUBLIC to the access guard: they carry no account, but a borrower session token in
the `X-Borrower-Token` header that the route checks itself (see booking/domain/lending/self_service.py).
A missing, expired or forged token is refused as input naming that header (422)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post, put
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.queries_circulation import CirculationQueries, HoldRow, LoanRow
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded, roles
from booking.api.controllers.auth import client_address
from booking.api.controllers.places import LimitQ, OffsetQ
from booking.api.schemas import circulation as s
from booking.config import Settings
from booking.domain.lending import circulation_services as svc
from booking.domain.lending import scope, self_service
from booking.domain.lending.borrowers import Borrower
from booking.domain.lending.circulation import DEFAULT_POLICY, Hold, HoldStatus
from booking.domain.lending.circulation_phone import item_for_borrowing
from booking.domain.lending.due_dates import OpenDays, check_weekdays, due_on
from booking.domain.lending.labels import normalize_card_number
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, RateLimited, Unauthenticated, ValidationError
from booking.domain.shared.localtime import check_day
from booking.domain.shared.ports import PasswordHasher

LENDING_STAFF = roles(Role.LENDING_STAFF)
PIN_MAX_FAILURES = 5  # per card and window: a four-digit PIN must not be guessable


def _queries(state: State) -> CirculationQueries:
    found = state.get("circulation_queries")
    if found is None:
        found = CirculationQueries(state.db)
        state.circulation_queries = found
    return found  # type: ignore[no-any-return]


def to_loan(r: LoanRow, today: dt.date, *, with_borrower: bool) -> s.Loan:
    return s.Loan(
        id=r.id, item_id=r.item_id, label_code=r.label_code, article_id=r.article_id, article=r.article,
        variant=r.variant, site_id=r.site_id, lent_at=r.lent_at, due_on=r.due_on, renewals=r.renewals,
        overdue=r.returned_at is None and today > r.due_on, self_service=r.self_service, returned_at=r.returned_at,
        returned_site_id=r.returned_site_id, return_reported_at=r.return_reported_at,
        borrower_id=r.borrower_id if with_borrower else None, borrower_name=r.borrower_name if with_borrower else None)


def to_hold(r: HoldRow, *, with_borrower: bool) -> s.Hold:
    return s.Hold(id=r.id, article_id=r.article_id, article=r.article, variant=r.variant, site_id=r.site_id,
                  status=r.status, placed_at=r.placed_at, position=r.position, item_id=r.item_id,
                  label_code=r.label_code, expires_on=r.expires_on,
                  borrower_id=r.borrower_id if with_borrower else None,
                  borrower_name=r.borrower_name if with_borrower else None)


async def _today(state: State, municipality_id: UUID) -> dt.date:
    municipality = await state.queries.municipality(municipality_id)
    zone = municipality.zone if municipality else dt.UTC
    return state.clock.now().astimezone(zone).date()  # type: ignore[no-any-return]


async def _loans_out(state: State, ids: list[UUID], municipality_id: UUID, *, with_borrower: bool) -> list[s.Loan]:
    today = await _today(state, municipality_id)
    return [to_loan(r, today, with_borrower=with_borrower) for r in await _queries(state).loans_by_id(ids)]


async def _hold_out(state: State, hold: Hold, *, with_borrower: bool) -> s.Hold:
    rows = await _queries(state).holds(hold.municipality_id, borrower_id=hold.borrower_id,
                                       status=HoldStatus(hold.status))
    for r in rows:
        if r.id == hold.id:
            return to_hold(r, with_borrower=with_borrower)
    raise NotFound("Hold", hold.id)


SiteQ = Annotated[UUID | None, Parameter(query="site_id", description="Only this site.")]


class DeskController(Controller):
    """The lending desk: staff scan a card and items."""

    path = "/api/lending"
    tags = ["lending"]

    @post("/loans", operation_id="lendItems", status_code=HTTP_201_CREATED, **guarded(LENDING_STAFF))
    async def lend(self, data: s.LendIn, actor: Actor, clock: Clock, state: State) -> s.LendOut:
        """Lend the scanned items (label codes or label URLs) on the card, at the desk's site. All or nothing:
        any refusal (a blocked borrower, the limit, age or consent rules: 422 naming the card or the item;
        an item already on loan or on someone else's hold shelf: 409) lends nothing. The due date is the
        article's loan period from today, moved to the site's next open day."""
        outcome = await svc.lend(svc.Lend(data.card_number, data.codes, data.site_id), SqlUnitOfWork(state.db),
                                 actor, clock)
        b = outcome.borrower
        loans = [s.Loan(id=loan.id, item_id=item.id, label_code=item.label_code, article_id=article.id,
                        article=article.name, variant=article.variant, site_id=loan.site_id, lent_at=loan.lent_at,
                        due_on=loan.due_on, renewals=loan.renewals, overdue=False, self_service=loan.self_service,
                        borrower_id=b.id, borrower_name=b.name)
                 for loan, item, article in outcome.loans]  # built from what the lend wrote: no read after it
        return s.LendOut(b.id, b.name, loans)

    @get("/loans", operation_id="listLoans", **guarded(LENDING_STAFF))
    async def list_loans(
        self, actor: Actor, state: State, site_id: SiteQ = None,
        card_number: Annotated[str | None, Parameter(query="card_number", max_length=40)] = None,
        overdue: Annotated[bool, Parameter(query="overdue", description="Only loans past their due date.")] = False,
        reported: Annotated[bool, Parameter(query="reported",
                                            description="Only loans the borrower reported returned by phone.")]
        = False,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.LoanPage:
        """Open loans of the municipality: of a card, of a site, overdue, or reported returned by phone. Staff
        narrowed to sites see the loans lent at their sites."""
        borrower_id = None
        if card_number is not None:
            async with SqlUnitOfWork(state.db, readonly=True) as uow:
                borrower, _ = await svc.find_card(uow, actor.municipality_id, card_number)
                borrower_id = borrower.id
        today = await _today(state, actor.municipality_id)
        rows, total = await _queries(state).loans(
            actor.municipality_id, borrower_id=borrower_id, site_id=site_id, overdue_on=today if overdue else None,
            reported=True if reported else None, limit=limit, offset=offset, sites=scope.desk_sites(actor))
        return s.LoanPage([to_loan(r, today, with_borrower=True) for r in rows], total, limit, offset)

    @post("/loans/{loan_id:uuid}/renewal", operation_id="renewLoan", status_code=200, **guarded(LENDING_STAFF))
    async def renew(self, loan_id: UUID, actor: Actor, clock: Clock, state: State) -> s.Loan:
        """A new loan period from today. Refused (409) after the most renewals, while someone holds the
        article, or when it would not move the due date."""
        loan = await svc.renew(loan_id, SqlUnitOfWork(state.db), actor, clock)
        return (await _loans_out(state, [loan.id], actor.municipality_id, with_borrower=True))[0]

    @post("/returns", operation_id="returnItem", status_code=200, **guarded(LENDING_STAFF))
    async def return_item(self, data: s.ReturnIn, actor: Actor, clock: Clock, state: State) -> s.ReturnOut:
        """Take an item back at any site of the municipality (it is then at that site). `condition`: `ok`
        (back on the shelf, or on the hold shelf for the first waiting hold here), `check` (to look over)
        or `repair`. Confirms a return the borrower reported by phone."""
        outcome = await svc.return_item(svc.Return(data.code, data.site_id, data.condition, data.note),
                                        SqlUnitOfWork(state.db), actor, clock)
        lo, item, article = outcome.loan, outcome.item, outcome.article
        loan = s.Loan(id=lo.id, item_id=item.id, label_code=item.label_code, article_id=article.id,
                      article=article.name, variant=article.variant, site_id=lo.site_id, lent_at=lo.lent_at,
                      due_on=lo.due_on, renewals=lo.renewals, overdue=False,
                      self_service=lo.self_service, returned_at=lo.returned_at, returned_site_id=lo.returned_site_id,
                      return_reported_at=lo.return_reported_at, borrower_id=lo.borrower_id,
                      borrower_name=outcome.borrower_name)  # from what the return wrote: no read after it
        hold = await _hold_out(state, outcome.hold, with_borrower=True) if outcome.hold else None
        return s.ReturnOut(loan, outcome.item.status.value, outcome.item.site_id, outcome.overdue_days, hold)

    @get("/desk/cards/{card_number:str}", operation_id="lookUpCard", **guarded(LENDING_STAFF))
    async def look_up_card(self, card_number: str, actor: Actor, state: State) -> s.CardHolder:
        """The card's holder as the desk needs them: name, birth year, blocks, open loans and holds (for staff
        narrowed to sites: the loans lent and holds picked up at their sites; the loan limit counts all)."""
        async with SqlUnitOfWork(state.db, readonly=True) as uow:
            borrower, card = await svc.find_card(uow, actor.municipality_id, card_number)
        today = await _today(state, actor.municipality_id)
        sites = scope.desk_sites(actor)
        rows, _ = await _queries(state).loans(actor.municipality_id, borrower_id=borrower.id, limit=200, sites=sites)
        holds = await _queries(state).holds(actor.municipality_id, borrower_id=borrower.id, sites=sites)
        return s.CardHolder(borrower.id, borrower.name, card.number, borrower.birth_year, borrower.is_minor(today),
                            borrower.blocked_reason, DEFAULT_POLICY.max_loans,
                            [to_loan(r, today, with_borrower=False) for r in rows],
                            [to_hold(h, with_borrower=False) for h in holds])

    @post("/holds", operation_id="placeHold", status_code=HTTP_201_CREATED, **guarded(LENDING_STAFF))
    async def place_hold(self, data: s.HoldIn, actor: Actor, clock: Clock, state: State) -> s.Hold:
        """Queue the card's holder for an article (one size of one kind) at a pickup site. When an item is
        on the shelf there and nobody waits, it goes to the hold shelf at once."""
        outcome = await svc.place_hold(data.card_number, data.article_id, data.site_id, SqlUnitOfWork(state.db),
                                       actor, clock)
        return await _hold_out(state, outcome.hold, with_borrower=True)

    @get("/holds", operation_id="listHolds", **guarded(LENDING_STAFF))
    async def list_holds(
        self, actor: Actor, state: State, site_id: SiteQ = None,
        status: Annotated[HoldStatus | None, Parameter(query="status", description="`ready`: the hold shelf.")]
        = None,
    ) -> list[s.Hold]:
        """Open holds (or those of one status) of the municipality or one site, with queue positions; for
        staff narrowed to sites, the holds picked up at their sites."""
        rows = await _queries(state).holds(actor.municipality_id, site_id=site_id, status=status,
                                           sites=scope.desk_sites(actor))
        return [to_hold(r, with_borrower=True) for r in rows]

    @delete("/holds/{hold_id:uuid}", operation_id="cancelHold", status_code=HTTP_204_NO_CONTENT,
            **guarded(LENDING_STAFF))
    async def cancel_hold(self, hold_id: UUID, actor: Actor, clock: Clock, state: State) -> None:
        """Cancel a hold; an item it kept on the hold shelf goes to the next in line, or back on the shelf."""
        await svc.cancel_hold(hold_id, SqlUnitOfWork(state.db), clock, actor=actor)

    @put("/opening-days/{site_id:uuid}", operation_id="setLendingOpeningDays", status_code=200,
         **guarded(LENDING_STAFF))
    async def set_opening_days(self, site_id: UUID, data: s.OpeningDaysIn, actor: Actor, state: State
                               ) -> s.OpeningDays:
        """The weekdays the lending site is open; due dates move to the next of them (holidays excepted)."""
        weekdays = check_weekdays(data.weekdays)
        if len(set(data.weekdays)) != len(data.weekdays):
            raise ValidationError("weekdays", "Name each weekday once.", "duplicate")
        await svc.set_site_weekdays(site_id, weekdays, SqlUnitOfWork(state.db), actor)
        return s.OpeningDays(site_id, sorted(weekdays), True)


class LendingCalendarController(Controller):
    """Public: when lending sites open and when a loan would fall due."""

    path = "/api/lending"
    tags = ["lending"]

    @get("/opening-days/{site_id:uuid}", operation_id="getLendingOpeningDays", **guarded(PUBLIC))
    async def get_opening_days(self, site_id: UUID, state: State) -> s.OpeningDays:
        async with SqlUnitOfWork(state.db, readonly=True) as uow:
            site = await uow.sites.get(site_id)
        if site is None:
            raise NotFound("Site", site_id)
        weekdays = await _queries(state).site_weekdays(site_id)
        return s.OpeningDays(site_id, sorted(weekdays if weekdays is not None else range(7)), weekdays is not None)

    @get("/due-date", operation_id="previewDueDate", **guarded(PUBLIC))
    async def preview_due_date(
        self, state: State,
        site_id: Annotated[UUID, Parameter(query="site_id")],
        lent_on: Annotated[dt.date | None, Parameter(query="lent_on", description="Default: today.")] = None,
        period_days: Annotated[int, Parameter(query="period_days", ge=1, le=365)] = 14,
    ) -> s.DueDate:
        """When a loan from `lent_on` at this site for `period_days` falls due, and which closed days
        (weekdays the site does not open, holidays, closed days of the municipality) moved it."""
        async with SqlUnitOfWork(state.db, readonly=True) as uow:
            site = await uow.sites.get(site_id)
            if site is None:
                raise ValidationError("site_id", "No such site.", "unknown")
            day = check_day(lent_on, "lent_on") if lent_on else await _today(state, site.municipality_id)
            if day.year > 2190:
                raise ValidationError("lent_on", "Give a date before 2190.", "range")
            days = await svc.open_days(uow, site.municipality_id, site_id, day)
        nominal = day + timedelta(days=period_days)
        due = due_on(day, period_days, days)
        skipped = [s.ClosedDay(nominal + timedelta(days=i), _reason(nominal + timedelta(days=i), days))
                   for i in range((due - nominal).days)]
        return s.DueDate(day, period_days, nominal, due, skipped)


def _reason(day: dt.date, days: OpenDays) -> str:
    closed = days.closed
    if isinstance(closed, dict) and day in closed:
        return str(closed[day])
    return "Stängt den veckodagen"


# --- self-service --------------------------------------------------------------------------------------

TokenHeader = Annotated[str | None, Parameter(header=self_service.HEADER, required=False, max_length=200,
                                              description="The borrower session token from "
                                                          "startBorrowerSession.")]


async def _signed_in(token: str | None, state: State) -> Borrower:
    """The borrower of a valid session token; 422 naming the header otherwise."""
    claims, payload = self_service.read(token, state.clock.now())
    async with SqlUnitOfWork(state.db, readonly=True) as uow:
        borrower = await uow.lending.get_borrower(claims.borrower_id)
        card = await uow.lending.active_card(claims.borrower_id)
    if borrower is None or card is None or card.id != claims.card_id or borrower.is_anonymised:
        raise ValidationError(self_service.HEADER, "This card is no longer active; ask at the desk.", "revoked")
    self_service.verify(state.settings.secret_key, token or "", payload, borrower.pin_hash)
    return borrower


class SelfServiceController(Controller):
    """The borrower's own lending on the phone, signed in with card number and PIN."""

    path = "/api/lending/self-service"
    tags = ["lending"]

    @post("/sessions", operation_id="startBorrowerSession", status_code=HTTP_201_CREATED,
          **guarded(PUBLIC, problems=(401, 429)))
    async def start(self, data: s.SessionIn, request: Request[Any, Any, Any], state: State, clock: Clock,
                    hasher: PasswordHasher, settings: Settings) -> s.SessionOut:
        """Sign in with the lending card's number and PIN: a session token for 30 minutes, to send as the
        `X-Borrower-Token` header. Five wrong PINs per card in the sign-in window answer 429."""
        number = normalize_card_number(data.card_number)
        now = clock.now()
        store: AuthStore = state.auth_store
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
        municipality_id = await _queries(state).card_municipality(number)
        found = None
        if municipality_id is not None:
            async with SqlUnitOfWork(state.db, readonly=True) as uow:
                found = await uow.lending.borrower_by_card(municipality_id, number)
        if found is None or found[0].pin_hash is None or not await hasher.verify(found[0].pin_hash, data.pin):
            raise Unauthenticated("The card number or the PIN is wrong (a PIN is set at the desk).")
        borrower, card = found
        await store.forget(attempt)
        await store.clear_failures(card_key)
        token, expires = self_service.issue(settings.secret_key, borrower.id, card.id, borrower.pin_hash or "", now)
        return s.SessionOut(token, expires, borrower.name)

    @get("/me", operation_id="getMyLending", **guarded(PUBLIC))
    async def me(self, state: State, token: TokenHeader = None) -> s.MyLending:
        """The signed-in borrower's open loans (due dates, renewals) and holds."""
        borrower = await _signed_in(token, state)
        today = await _today(state, borrower.municipality_id)
        rows, _ = await _queries(state).loans(borrower.municipality_id, borrower_id=borrower.id, limit=200)
        holds = await _queries(state).holds(borrower.municipality_id, borrower_id=borrower.id)
        return s.MyLending(borrower.name, DEFAULT_POLICY.max_loans,
                           [to_loan(r, today, with_borrower=False) for r in rows],
                           [to_hold(h, with_borrower=False) for h in holds])

    @get("/items/{code:str}", operation_id="getItemForBorrowing", **guarded(PUBLIC))
    async def item(self, code: str, state: State, clock: Clock, token: TokenHeader = None
                   ) -> s.ItemForBorrowing:
        """The item behind a scanned label (its code or URL): what it is, whether it is on the shelf and
        where, whether it may be borrowed by phone. With a borrower token: whether this borrower may borrow
        it now, and why not (ask at the desk). Never shows who has it."""
        borrower = await _signed_in(token, state) if token else None
        view = await item_for_borrowing(code, borrower.id if borrower else None,
                                            SqlUnitOfWork(state.db, readonly=True), clock)
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
    async def borrow(self, data: s.BorrowIn, state: State, clock: Clock, token: TokenHeader = None) -> s.Loan:
        """Borrow the item whose label was scanned. Only articles that allow self-service, and only when every
        rule allows (age and consent, limits, blocks); otherwise 422 with the reasons: ask at the desk."""
        borrower = await _signed_in(token, state)
        async with SqlUnitOfWork(state.db, readonly=True) as uow:
            card = await uow.lending.active_card(borrower.id)
        if card is None:
            raise ValidationError(self_service.HEADER, "This card is no longer active; ask at the desk.", "revoked")
        outcome = await svc.lend_self_service(borrower.id, card.id, data.code, SqlUnitOfWork(state.db), clock)
        return (await _loans_out(state, [outcome.loans[0][0].id], borrower.municipality_id, with_borrower=False))[0]

    @post("/loans/{loan_id:uuid}/renewal", operation_id="renewMyLoan", status_code=200, **guarded(PUBLIC))
    async def renew(self, loan_id: UUID, state: State, clock: Clock, token: TokenHeader = None) -> s.Loan:
        borrower = await _signed_in(token, state)
        loan = await svc.renew_own(borrower.id, loan_id, SqlUnitOfWork(state.db), clock)
        return (await _loans_out(state, [loan.id], borrower.municipality_id, with_borrower=False))[0]

    @post("/loans/{loan_id:uuid}/return", operation_id="reportReturn", status_code=200, **guarded(PUBLIC))
    async def report_return(self, loan_id: UUID, state: State, clock: Clock, token: TokenHeader = None) -> s.Loan:
        """"I have left it at the desk": the loan shows as reported until staff scan the item."""
        borrower = await _signed_in(token, state)
        loan = await svc.report_return(borrower.id, loan_id, SqlUnitOfWork(state.db), clock)
        return (await _loans_out(state, [loan.id], borrower.municipality_id, with_borrower=False))[0]

    @post("/holds", operation_id="holdArticle", status_code=HTTP_201_CREATED, **guarded(PUBLIC))
    async def hold(self, data: s.OwnHoldIn, state: State, clock: Clock, token: TokenHeader = None) -> s.Hold:
        borrower = await _signed_in(token, state)
        outcome = await svc.place_own_hold(borrower.id, data.article_id, data.site_id, SqlUnitOfWork(state.db),
                                           clock)
        return await _hold_out(state, outcome.hold, with_borrower=False)

    @delete("/holds/{hold_id:uuid}", operation_id="cancelMyHold", status_code=HTTP_204_NO_CONTENT,
            **guarded(PUBLIC))
    async def cancel_hold(self, hold_id: UUID, state: State, clock: Clock, token: TokenHeader = None) -> None:
        borrower = await _signed_in(token, state)
        await svc.cancel_hold(hold_id, SqlUnitOfWork(state.db), clock, borrower_id=borrower.id)


HANDLERS: list[Any] = [DeskController, LendingCalendarController, SelfServiceController]
