"""HTTP routes of the lending desk: lend, return, renew, holds and the hold shelf, the lending sites'
opening days. The public calendar is in circulation_calendar, the borrower's phone in
circulation_self_service."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, delete, get, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_circulation import CirculationQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import guarded, roles
from booking.api.controllers.circulation_views import hold_out, hours_text, loans_out, local_today, to_hold, to_loan
from booking.api.controllers.params import LimitQ, OffsetQ
from booking.api.schemas import circulation as s
from booking.domain.lending import circulation_services as svc
from booking.domain.lending import scope
from booking.domain.lending.circulation import DEFAULT_POLICY, HoldStatus
from booking.domain.lending.due_dates import check_hours, check_weekdays
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import ValidationError

LENDING_STAFF = roles(Role.LENDING_STAFF)
SiteQ = Annotated[UUID | None, Parameter(query="site_id", description="Only this site.")]


class DeskController(Controller):
    """The lending desk: staff scan a card and items."""

    path = "/api/lending"
    tags = ["lending"]

    @post("/loans", operation_id="lendItems", status_code=HTTP_201_CREATED, **guarded(LENDING_STAFF))
    async def lend(self, data: s.LendIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> s.LendOut:
        """Lend the scanned items (label codes or label URLs) on the card, at the desk's site. All or nothing:
        any refusal (a blocked borrower, the limit, age or consent rules: 422 naming the card or the item;
        an item already on loan or on someone else's hold shelf: 409) lends nothing. The due date is the
        article's loan period from today, moved to the site's next open day."""
        outcome = await svc.lend(svc.Lend(data.card_number, data.codes, data.site_id), uow, actor, clock)
        b = outcome.borrower
        loans = [s.Loan(id=loan.id, item_id=item.id, label_code=item.label_code, article_id=article.id,
                        article=article.name, variant=article.variant, site_id=loan.site_id, lent_at=loan.lent_at,
                        due_on=loan.due_on, renewals=loan.renewals, overdue=False, self_service=loan.self_service,
                        borrower_id=b.id, borrower_name=b.name)
                 for loan, item, article in outcome.loans]  # built from what the lend wrote: no read after it
        return s.LendOut(b.id, b.name, loans)

    @get("/loans", operation_id="listLoans", **guarded(LENDING_STAFF))
    async def list_loans(
        self, actor: Actor, read_uow: SqlUnitOfWork, queries: Queries, circulation_queries: CirculationQueries,
        clock: Clock, site_id: SiteQ = None,
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
            async with read_uow:
                borrower, _ = await svc.find_card(read_uow, actor.municipality_id, card_number)
                borrower_id = borrower.id
        today = await local_today(queries, clock, actor.municipality_id)
        rows, total = await circulation_queries.loans(
            actor.municipality_id, borrower_id=borrower_id, site_id=site_id, overdue_on=today if overdue else None,
            reported=True if reported else None, limit=limit, offset=offset, sites=scope.desk_sites(actor))
        return s.LoanPage([to_loan(r, today, with_borrower=True) for r in rows], total, limit, offset)

    @post("/loans/{loan_id:uuid}/renewal", operation_id="renewLoan", status_code=200, **guarded(LENDING_STAFF))
    async def renew(self, loan_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock, queries: Queries,
                    circulation_queries: CirculationQueries) -> s.Loan:
        """A new loan period from today. Refused (409) after the most renewals, while someone holds the
        article, or when it would not move the due date."""
        loan = await svc.renew(loan_id, uow, actor, clock)
        return (await loans_out(queries, circulation_queries, clock, [loan.id], actor.municipality_id,
                                with_borrower=True))[0]

    @post("/returns", operation_id="returnItem", status_code=200, **guarded(LENDING_STAFF))
    async def return_item(self, data: s.ReturnIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                          circulation_queries: CirculationQueries) -> s.ReturnOut:
        """Take an item back at any site of the municipality (it is then at that site). `condition`: `ok`
        (back on the shelf, or on the hold shelf for the first waiting hold here), `check` (to look over)
        or `repair`. Confirms a return the borrower reported by phone."""
        outcome = await svc.return_item(svc.Return(data.code, data.site_id, data.condition, data.note),
                                        uow, actor, clock)
        lo, item, article = outcome.loan, outcome.item, outcome.article
        loan = s.Loan(id=lo.id, item_id=item.id, label_code=item.label_code, article_id=article.id,
                      article=article.name, variant=article.variant, site_id=lo.site_id, lent_at=lo.lent_at,
                      due_on=lo.due_on, renewals=lo.renewals, overdue=False,
                      self_service=lo.self_service, returned_at=lo.returned_at, returned_site_id=lo.returned_site_id,
                      return_reported_at=lo.return_reported_at, borrower_id=lo.borrower_id,
                      borrower_name=outcome.borrower_name)  # from what the return wrote: no read after it
        hold = await hold_out(circulation_queries, outcome.hold, with_borrower=True) if outcome.hold else None
        return s.ReturnOut(loan, outcome.item.status.value, outcome.item.site_id, outcome.overdue_days, hold)

    @get("/desk/cards/{card_number:str}", operation_id="lookUpCard", **guarded(LENDING_STAFF))
    async def look_up_card(self, card_number: str, actor: Actor, read_uow: SqlUnitOfWork, queries: Queries,
                           circulation_queries: CirculationQueries, clock: Clock) -> s.CardHolder:
        """The card's holder as the desk needs them: name, birth year, blocks, open loans and holds (for staff
        narrowed to sites: the loans lent and holds picked up at their sites; the loan limit counts all)."""
        async with read_uow:
            borrower, card = await svc.find_card(read_uow, actor.municipality_id, card_number)
        today = await local_today(queries, clock, actor.municipality_id)
        sites = scope.desk_sites(actor)
        rows, _ = await circulation_queries.loans(actor.municipality_id, borrower_id=borrower.id, limit=200,
                                                  sites=sites)
        holds = await circulation_queries.holds(actor.municipality_id, borrower_id=borrower.id, sites=sites)
        return s.CardHolder(borrower.id, borrower.name, card.number, borrower.birth_year, borrower.is_minor(today),
                            borrower.blocked_reason, DEFAULT_POLICY.max_loans,
                            [to_loan(r, today, with_borrower=False) for r in rows],
                            [to_hold(h, with_borrower=False) for h in holds])

    @post("/holds", operation_id="placeHold", status_code=HTTP_201_CREATED, **guarded(LENDING_STAFF))
    async def place_hold(self, data: s.HoldIn, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                         circulation_queries: CirculationQueries) -> s.Hold:
        """Queue the card's holder for an article (one size of one kind) at a pickup site. When an item is
        on the shelf there and nobody waits, it goes to the hold shelf at once."""
        outcome = await svc.place_hold(data.card_number, data.article_id, data.site_id, uow, actor, clock)
        return await hold_out(circulation_queries, outcome.hold, with_borrower=True)

    @get("/holds", operation_id="listHolds", **guarded(LENDING_STAFF))
    async def list_holds(
        self, actor: Actor, circulation_queries: CirculationQueries, site_id: SiteQ = None,
        status: Annotated[HoldStatus | None, Parameter(query="status", description="`ready`: the hold shelf.")]
        = None,
    ) -> list[s.Hold]:
        """Open holds (or those of one status) of the municipality or one site, with queue positions; for
        staff narrowed to sites, the holds picked up at their sites."""
        rows = await circulation_queries.holds(actor.municipality_id, site_id=site_id, status=status,
                                               sites=scope.desk_sites(actor))
        return [to_hold(r, with_borrower=True) for r in rows]

    @delete("/holds/{hold_id:uuid}", operation_id="cancelHold", status_code=HTTP_204_NO_CONTENT,
            **guarded(LENDING_STAFF))
    async def cancel_hold(self, hold_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock) -> None:
        """Cancel a hold; an item it kept on the hold shelf goes to the next in line, or back on the shelf."""
        await svc.cancel_hold(hold_id, uow, clock, actor=actor)

    @put("/opening-days/{site_id:uuid}", operation_id="setLendingOpeningDays", status_code=200,
         **guarded(LENDING_STAFF))
    async def set_opening_days(self, site_id: UUID, data: s.OpeningDaysIn, uow: SqlUnitOfWork, actor: Actor
                               ) -> s.OpeningDays:
        """The weekdays the lending site is open; due dates move to the next of them (holidays excepted).
        `opens`/`closes`: its hours on those days, both or neither (shown to people; a PUT without them
        clears them)."""
        weekdays = check_weekdays(data.weekdays)
        if len(set(data.weekdays)) != len(data.weekdays):
            raise ValidationError("weekdays", "Name each weekday once.", "duplicate")
        hours = check_hours(*(None if v is None else dt.time.fromisoformat(v) for v in (data.opens, data.closes)))
        await svc.set_site_weekdays(site_id, weekdays, uow, actor, hours)
        return s.OpeningDays(site_id, sorted(weekdays), True, *hours_text(hours))


HANDLERS: list[Any] = [DeskController]
