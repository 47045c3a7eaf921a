"""Returns and renewals, with fakes: on time, late, at another site, in which condition; renewals and their limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from booking.domain.lending import circulation_services as svc
from booking.domain.lending.borrowers import Card
from booking.domain.lending.circulation import Condition, Loan, Policy
from booking.domain.lending.model import Item, ItemStatus
from booking.domain.premises.model import Site
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, Forbidden, NotFound
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes.lending import LendingWorld, lock_order_breaks

LENT = datetime(2027, 2, 1, 9, tzinfo=UTC)  # Monday 10:00 in Stockholm
DUE = date(2027, 2, 15)


@pytest.fixture
async def world() -> LendingWorld:
    return await LendingWorld.create(FakeUnitOfWork())


@pytest.fixture
async def desk(world: LendingWorld) -> Site:
    return await world.site()


async def lent(world: LendingWorld, desk: Site, card: Card | None = None) -> tuple[Loan, Item]:
    item = await world.item(await world.article(loan_period_days=14), desk)
    card = card or (await world.borrower())[1]
    outcome = await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(),
                             FixedClock(LENT))
    return outcome.loans[0][0], item


def on(day: date, hour: int = 10) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, hour - 1, tzinfo=UTC))


async def test_a_return_on_time_closes_the_loan_and_puts_the_item_back(world: LendingWorld, desk: Site) -> None:
    loan, item = await lent(world, desk)
    staff = world.staff()
    outcome = await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, staff, on(DUE))
    assert outcome.loan is loan and outcome.overdue_days == 0 and outcome.hold is None
    assert (loan.is_open, loan.returned_site_id, loan.returned_by) == (False, desk.id, staff.account_id)
    assert item.status is ItemStatus.AVAILABLE
    assert outcome.borrower_name == "Alva Ek"
    assert await world.uow.circulation.open_loan_of_item(item.id) is None
    assert [e.action for e in world.uow.audit_log] == ["loan.created", "loan.returned"]


async def test_a_late_return_counts_the_days_past_due(world: LendingWorld, desk: Site) -> None:
    _, item = await lent(world, desk)
    outcome = await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, world.staff(),
                                    on(DUE + timedelta(days=5)))
    assert outcome.overdue_days == 5


async def test_an_item_returned_at_another_site_is_then_at_that_site(world: LendingWorld, desk: Site) -> None:
    other = await world.site("Fritidsbanken Nacksta")
    loan, item = await lent(world, desk)
    await svc.return_item(svc.Return(item.label_code or "", other.id), world.uow, world.staff(), on(DUE))
    assert (item.site_id, loan.site_id, loan.returned_site_id) == (other.id, desk.id, other.id)


@pytest.mark.parametrize(("condition", "status"), [(Condition.CHECK, ItemStatus.BEING_CHECKED),
                                                    (Condition.REPAIR, ItemStatus.IN_REPAIR)])
async def test_the_condition_at_the_desk_decides_where_the_item_goes(world: LendingWorld, desk: Site,
                                                                     condition: Condition,
                                                                     status: ItemStatus) -> None:
    _, item = await lent(world, desk)
    await svc.return_item(svc.Return(item.label_code or "", desk.id, condition, "Bindning lös"), world.uow,
                          world.staff(), on(DUE))
    assert item.status is status and item.condition_note == "Bindning lös"
    assert sorted(e.kind for e in await world.uow.lending.item_events(item.id)) == ["loan", "note", "return"]


async def test_an_item_not_on_loan_cannot_be_returned(world: LendingWorld, desk: Site) -> None:
    item = await world.item(await world.article(), desk)
    with pytest.raises(Conflict) as caught:
        await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, world.staff(), on(DUE))
    assert caught.value.conflicts[0]["reason"] == "not-on-loan"


async def test_staff_narrowed_to_a_site_return_only_at_their_desk(world: LendingWorld, desk: Site) -> None:
    other = await world.site("Fritidsbanken Nacksta")
    _, item = await lent(world, desk)
    with pytest.raises(Forbidden):
        await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, world.staff(other), on(DUE))
    await svc.return_item(svc.Return(item.label_code or "", other.id), world.uow, world.staff(other), on(DUE))
    assert item.site_id == other.id


async def test_a_return_locks_the_article_queue_then_the_item_then_the_borrower(world: LendingWorld,
                                                                               desk: Site) -> None:
    loan, item = await lent(world, desk)
    world.uow.locks.clear()
    await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, world.staff(), on(DUE))
    assert world.uow.locks[:3] == [("article", item.article_id), ("item", item.id), ("borrower", loan.borrower_id)]
    assert lock_order_breaks(world.uow.locks) == []


async def test_a_return_reported_by_phone_waits_for_the_desk(world: LendingWorld, desk: Site) -> None:
    loan, item = await lent(world, desk)
    reported = on(DUE - timedelta(days=1))
    await svc.report_return(loan.borrower_id, loan.id, world.uow, reported)
    assert loan.is_open and loan.return_reported_at == reported.now()
    await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, world.staff(), on(DUE))
    assert not loan.is_open
    with pytest.raises(Conflict):
        await svc.report_return(loan.borrower_id, loan.id, world.uow, on(DUE))


async def test_only_the_borrower_reports_their_loan_returned(world: LendingWorld, desk: Site) -> None:
    loan, _ = await lent(world, desk)
    stranger, _ = await world.borrower("Bo Ek")
    with pytest.raises(NotFound):
        await svc.report_return(stranger.id, loan.id, world.uow, on(DUE))


# --- renewals ----------------------------------------------------------------------------------------


async def test_a_renewal_starts_a_new_loan_period_from_today(world: LendingWorld, desk: Site) -> None:
    loan, _ = await lent(world, desk)
    renewed = await svc.renew(loan.id, world.uow, world.staff(), on(date(2027, 2, 10)))
    assert (renewed.due_on, renewed.renewals) == (date(2027, 2, 24), 1)
    entry = world.uow.audit_log[-1]
    assert (entry.action, entry.details) == ("loan.renewed", {"from": "2027-02-15", "to": "2027-02-24",
                                                              "renewals": 1})


async def test_a_renewal_skips_closed_days_too(world: LendingWorld, desk: Site) -> None:
    loan, _ = await lent(world, desk)
    world.closed.close(world.id, date(2027, 2, 24), "Stängt")
    renewed = await svc.renew_own(loan.borrower_id, loan.id, world.uow, on(date(2027, 2, 10)))
    assert renewed.due_on == date(2027, 2, 25)


async def test_a_renewal_is_refused_while_someone_holds_the_article(world: LendingWorld, desk: Site) -> None:
    loan, item = await lent(world, desk)
    _, other = await world.borrower("Bo Ek")
    await svc.place_hold(other.number, item.article_id, desk.id, world.uow, world.staff(), on(date(2027, 2, 3)))
    with pytest.raises(Conflict) as caught:
        await svc.renew(loan.id, world.uow, world.staff(), on(date(2027, 2, 10)))
    assert caught.value.conflicts[0]["reason"] == "held"
    assert (loan.due_on, loan.renewals) == (DUE, 0)


async def test_renewals_stop_at_the_policys_limit(world: LendingWorld, desk: Site) -> None:
    loan, _ = await lent(world, desk)
    policy = Policy(max_renewals=1)
    await svc.renew(loan.id, world.uow, world.staff(), on(date(2027, 2, 10)), policy)
    with pytest.raises(Conflict) as caught:
        await svc.renew(loan.id, world.uow, world.staff(), on(date(2027, 2, 20)), policy)
    assert caught.value.conflicts[0]["reason"] == "renewal-limit"


async def test_a_renewal_that_would_not_move_the_due_date_is_refused(world: LendingWorld, desk: Site) -> None:
    loan, _ = await lent(world, desk)
    with pytest.raises(Conflict) as caught:
        await svc.renew(loan.id, world.uow, world.staff(), on(date(2027, 2, 1)))
    assert caught.value.conflicts[0]["reason"] == "too-early"


async def test_a_returned_loan_is_not_renewed(world: LendingWorld, desk: Site) -> None:
    loan, item = await lent(world, desk)
    await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, world.staff(), on(DUE))
    with pytest.raises(Conflict) as caught:
        await svc.renew(loan.id, world.uow, world.staff(), on(DUE))
    assert caught.value.conflicts[0]["reason"] == "returned"


async def test_renewals_are_for_the_loans_own_municipality_site_and_borrower(world: LendingWorld, desk: Site) -> None:
    other_site = await world.site("Fritidsbanken Nacksta")
    loan, _ = await lent(world, desk)
    elsewhere = await LendingWorld.create(world.uow, "Timra")
    stranger, _ = await world.borrower("Bo Ek")
    with pytest.raises(NotFound):
        await svc.renew(loan.id, world.uow, elsewhere.staff(), on(date(2027, 2, 10)))
    with pytest.raises(Forbidden):
        await svc.renew(loan.id, world.uow, world.staff(other_site), on(date(2027, 2, 10)))
    with pytest.raises(NotFound):
        await svc.renew_own(stranger.id, loan.id, world.uow, on(date(2027, 2, 10)))
    assert loan.renewals == 0


async def test_a_renewal_locks_the_queue_before_the_item(world: LendingWorld, desk: Site) -> None:
    loan, item = await lent(world, desk)
    world.uow.locks.clear()
    await svc.renew(loan.id, world.uow, world.staff(), on(date(2027, 2, 10)))
    assert world.uow.locks == [("article", item.article_id), ("item", item.id)]


async def test_opening_days_are_set_by_staff_of_the_site(world: LendingWorld, desk: Site) -> None:
    other = await world.site("Fritidsbanken Nacksta")
    await svc.set_site_weekdays(desk.id, frozenset({0, 2}), world.uow, world.staff(desk))
    assert await world.uow.circulation.site_weekdays(desk.id) == frozenset({0, 2})
    with pytest.raises(Forbidden):
        await svc.set_site_weekdays(desk.id, frozenset({1}), world.uow, world.staff(other))
    with pytest.raises(NotFound):
        await svc.set_site_weekdays(desk.id, frozenset({1}), world.uow,
                                    (await LendingWorld.create(world.uow, "Timra")).staff())
    assert world.uow.audit_log[-1].action == "lending_site.weekdays"
