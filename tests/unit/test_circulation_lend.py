"""Lending at the desk, with fakes: the card rules, blocks, limits, age and consent, items not on the shelf."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from booking.domain.lending import circulation_services as svc
from booking.domain.lending.circulation import Hold, Policy
from booking.domain.lending.model import Category, ItemStatus
from booking.domain.people.roles import Actor
from booking.domain.premises.model import Site
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, Forbidden, ValidationError
from booking.domain.shared.ids import new_id
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes.lending import LendingWorld, lock_order_breaks

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)  # Monday 10:00 in Stockholm; no holiday near
CLOCK = FixedClock(NOW)


@pytest.fixture
async def world() -> LendingWorld:
    return await LendingWorld.create(FakeUnitOfWork())


@pytest.fixture
async def desk(world: LendingWorld) -> Site:
    return await world.site()


def problem(caught: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str]:
    first = caught.value.problems[0]
    return first.field, first.code


async def test_a_loan_is_stored_with_its_due_date_and_the_item_goes_on_loan(world: LendingWorld, desk: Site) -> None:
    skis = await world.article(loan_period_days=14)
    item = await world.item(skis, desk)
    borrower, card = await world.borrower()
    staff = world.staff()
    outcome = await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, staff, CLOCK)
    [(loan, lent, what)] = outcome.loans
    assert (lent.id, what.id) == (item.id, skis.id)
    assert loan.due_on == date(2027, 2, 15)
    assert (loan.borrower_id, loan.site_id, loan.lent_by, loan.self_service) == (borrower.id, desk.id,
                                                                                 staff.account_id, False)
    assert item.status is ItemStatus.ON_LOAN
    assert await world.uow.circulation.open_loan_of_item(item.id) is loan
    assert borrower.last_active_at == NOW
    assert [e.action for e in world.uow.audit_log] == ["loan.created"]
    assert [e.kind for e in await world.uow.lending.item_events(item.id)] == ["loan"]


async def test_the_due_date_moves_past_the_days_the_municipality_is_closed(world: LendingWorld, desk: Site) -> None:
    item = await world.item(await world.article(loan_period_days=14), desk)
    _, card = await world.borrower()
    world.closed.close(world.id, date(2027, 2, 15), "Stängt för inventering")
    world.closed.close(world.id, date(2027, 2, 16), "Stängt för inventering")
    outcome = await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert outcome.loans[0][0].due_on == date(2027, 2, 17)


async def test_the_due_date_moves_to_the_sites_next_opening_weekday(world: LendingWorld) -> None:
    tuesdays_and_thursdays = await world.site("Fritidsbanken Nacksta", weekdays=frozenset({1, 3}))
    item = await world.item(await world.article(loan_period_days=14), tuesdays_and_thursdays)
    _, card = await world.borrower()
    outcome = await svc.lend(svc.Lend(card.number, [item.label_code or ""], tuesdays_and_thursdays.id), world.uow,
                             world.staff(), CLOCK)
    assert outcome.loans[0][0].due_on == date(2027, 2, 16)  # Monday 15 -> Tuesday 16


async def test_a_scanned_label_url_lends_like_its_code(world: LendingWorld, desk: Site) -> None:
    item = await world.item(await world.article(), desk)
    _, card = await world.borrower()
    url = f"HTTPS://BOKA.EXAMPLE.SE/Q/{item.label_code}"
    await svc.lend(svc.Lend(card.number, [url], desk.id), world.uow, world.staff(), CLOCK)
    assert item.status is ItemStatus.ON_LOAN


async def test_lending_is_all_or_nothing(world: LendingWorld, desk: Site) -> None:
    skis = await world.article()
    free, taken = await world.item(skis, desk), await world.item(skis, desk, ItemStatus.ON_LOAN)
    _, card = await world.borrower()
    with pytest.raises(Conflict) as caught:
        await svc.lend(svc.Lend(card.number, [free.label_code or "", taken.label_code or ""], desk.id), world.uow,
                       world.staff(), CLOCK)
    assert caught.value.conflicts[0] == {"field": "codes[1]", "status": "on_loan", "reason": "on-loan"}
    assert free.status is ItemStatus.AVAILABLE
    assert world.uow.circulation.loans == {}
    assert world.uow.audit_log == []


async def test_an_item_in_repair_is_not_lent(world: LendingWorld, desk: Site) -> None:
    item = await world.item(await world.article(), desk, ItemStatus.IN_REPAIR)
    _, card = await world.borrower()
    with pytest.raises(Conflict) as caught:
        await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert caught.value.conflicts[0]["reason"] == "not-available"
    assert "not available (in_repair)" in caught.value.detail


@pytest.mark.parametrize(("codes", "field", "code"), [
    ([], "codes", "required"),
    (["K3MHMCHB4"] * 21, "codes", "too-many"),
    (["not a code"], "codes[0]", "format"),
])
async def test_what_was_scanned_is_checked_first(world: LendingWorld, desk: Site, codes: list[str], field: str,
                                                 code: str) -> None:
    _, card = await world.borrower()
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, codes, desk.id), world.uow, world.staff(), CLOCK)
    assert problem(caught) == (field, code)


async def test_an_item_scanned_twice_or_unknown_names_its_line(world: LendingWorld, desk: Site) -> None:
    item = await world.item(await world.article(), desk)
    _, card = await world.borrower()
    code = item.label_code or ""
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [code, code.lower()], desk.id), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("codes[1]", "duplicate")
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [code, "K3MHMCHB4"], desk.id), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("codes[1]", "unknown")


async def test_another_municipalitys_item_is_unknown_here(world: LendingWorld, desk: Site) -> None:
    other = await LendingWorld.create(world.uow, "Timra")
    item = await other.item(await other.article(), await other.site("Fritidsbanken Timrå"))
    _, card = await world.borrower()
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("codes[0]", "unknown")


@pytest.mark.parametrize(("number", "code"), [("1234567890", "checksum"), ("12345", "format"),
                                              ("1234567897", "unknown")])
async def test_a_card_number_must_be_well_formed_and_active(world: LendingWorld, desk: Site, number: str,
                                                            code: str) -> None:
    item = await world.item(await world.article(), desk)
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(number, [item.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("card_number", code)


async def test_a_blocked_card_finds_nobody(world: LendingWorld, desk: Site) -> None:
    item = await world.item(await world.article(), desk)
    _, card = await world.borrower()
    card.block(NOW)
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("card_number", "unknown")


async def test_a_blocked_borrower_borrows_nothing(world: LendingWorld, desk: Site) -> None:
    item = await world.item(await world.article(), desk)
    borrower, card = await world.borrower()
    borrower.block("Skidor ej tillbaka sedan i fjol", NOW)
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("card_number", "blocked")
    assert "Skidor ej tillbaka" in caught.value.detail
    assert item.status is ItemStatus.AVAILABLE


async def test_the_loan_limit_counts_open_loans_and_the_items_asked_for(world: LendingWorld, desk: Site) -> None:
    skis = await world.article()
    first, second, third = [await world.item(skis, desk) for _ in range(3)]
    _, card = await world.borrower()
    policy = Policy(max_loans=2)
    await svc.lend(svc.Lend(card.number, [first.label_code or ""], desk.id), world.uow, world.staff(), CLOCK, policy)
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [second.label_code or "", third.label_code or ""], desk.id), world.uow,
                       world.staff(), CLOCK, policy)
    assert problem(caught) == ("card_number", "limit")
    await svc.lend(svc.Lend(card.number, [second.label_code or ""], desk.id), world.uow, world.staff(), CLOCK, policy)
    assert await world.uow.circulation.count_open_loans(card.borrower_id) == 2


async def test_age_limits_name_the_item_that_breaks_them(world: LendingWorld, desk: Site) -> None:
    kids = await world.item(await world.article("Barnskidor", max_age=12), desk)
    grown = await world.item(await world.article("Längdskidor", variant="190 cm", min_age=15), desk)
    _, card = await world.borrower("Tove Ek", birth_year=2017, mobile=None)  # turns 10 in 2027
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [kids.label_code or "", grown.label_code or ""], desk.id), world.uow,
                       world.staff(), CLOCK)
    assert [(p.field, p.code) for p in caught.value.problems] == [("codes[1]", "too-young")]
    _, adult = await world.borrower("Per Ek", birth_year=1980)
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(adult.number, [kids.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("codes[0]", "too-old")


async def test_a_minor_needs_a_guardians_consent_for_the_category_or_its_parent(world: LendingWorld,
                                                                               desk: Site) -> None:
    downhill = Category(world.id, "Utförsåkning", parent_id=world.top.id)
    world.uow.lending.add_category(downhill)
    helmet = await world.item(await world.article("Hjälm", category_id=downhill.id, needs_guardian_consent=True),
                              desk)
    minor, card = await world.borrower("Tove Ek", birth_year=2014, mobile=None)
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [helmet.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("codes[0]", "consent-needed")
    minor.give_consent(world.top.id, by=None, at=NOW)  # the top category covers its subcategories
    await svc.lend(svc.Lend(card.number, [helmet.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert helmet.status is ItemStatus.ON_LOAN


async def test_an_adult_needs_no_consent(world: LendingWorld, desk: Site) -> None:
    helmet = await world.item(await world.article("Hjälm", needs_guardian_consent=True), desk)
    _, card = await world.borrower(birth_year=2009)  # 18 in 2027
    await svc.lend(svc.Lend(card.number, [helmet.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert helmet.status is ItemStatus.ON_LOAN


async def test_an_item_on_the_hold_shelf_is_lent_only_to_the_one_who_holds_it(world: LendingWorld,
                                                                             desk: Site) -> None:
    skis = await world.article()
    item = await world.item(skis, desk, ItemStatus.ON_HOLD_SHELF)
    holder, holder_card = await world.borrower("Alva Ek")
    _, other_card = await world.borrower("Bo Ek")
    hold = Hold(world.id, skis.id, holder.id, desk.id, NOW)
    hold.make_ready(item.id, at=NOW, today=NOW.date(), policy=Policy())
    world.uow.circulation.add_hold(hold)
    with pytest.raises(Conflict) as caught:
        await svc.lend(svc.Lend(other_card.number, [item.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert caught.value.conflicts[0]["reason"] == "held-for-other"
    await svc.lend(svc.Lend(holder_card.number, [item.label_code or ""], desk.id), world.uow, world.staff(), CLOCK)
    assert (item.status, hold.status.value, hold.closed_at) == (ItemStatus.ON_LOAN, "collected", NOW)


async def test_the_desk_names_its_site_and_the_site_is_the_municipalitys(world: LendingWorld, desk: Site) -> None:
    item = await world.item(await world.article(), desk)
    _, card = await world.borrower()
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [item.label_code or ""]), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("site_id", "required")
    with pytest.raises(ValidationError) as caught:
        await svc.lend(svc.Lend(card.number, [item.label_code or ""], new_id()), world.uow, world.staff(), CLOCK)
    assert problem(caught) == ("site_id", "unknown")


async def test_only_lending_staff_of_the_desks_site_lend(world: LendingWorld, desk: Site) -> None:
    other_desk = await world.site("Fritidsbanken Nacksta")
    item = await world.item(await world.article(), desk)
    _, card = await world.borrower()
    with pytest.raises(Forbidden):
        await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(other_desk),
                       CLOCK)
    with pytest.raises(Forbidden):
        await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow,
                       Actor(new_id(), world.id, frozenset()), CLOCK)
    await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(desk), CLOCK)
    assert item.status is ItemStatus.ON_LOAN


async def test_lending_locks_the_items_in_id_order_and_then_the_borrower(world: LendingWorld, desk: Site) -> None:
    skis = await world.article()
    items = [await world.item(skis, desk) for _ in range(3)]
    borrower, card = await world.borrower()
    world.uow.locks.clear()
    await svc.lend(svc.Lend(card.number, [i.label_code or "" for i in reversed(items)], desk.id), world.uow,
                   world.staff(), CLOCK)
    assert world.uow.locks == [*(("item", i) for i in sorted(i.id for i in items)), ("borrower", borrower.id)]
    assert lock_order_breaks(world.uow.locks) == []
