"""Holds, with fakes: the queue, the hold shelf on return, expiry and cancellation; and self-service on the phone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from booking.domain.lending import circulation_services as svc
from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.circulation import Condition, HoldStatus, Policy
from booking.domain.lending.model import Article, Item, ItemStatus
from booking.domain.premises.model import Site
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes.lending import LendingWorld, lock_order_breaks

MONDAY = datetime(2027, 2, 1, 9, tzinfo=UTC)


def at(days: int, hours: int = 0) -> FixedClock:
    return FixedClock(MONDAY + timedelta(days=days, hours=hours))


@pytest.fixture
async def world() -> LendingWorld:
    return await LendingWorld.create(FakeUnitOfWork())


@pytest.fixture
async def desk(world: LendingWorld) -> Site:
    return await world.site()


@pytest.fixture
async def skis(world: LendingWorld) -> Article:
    return await world.article("Slalomskidor", variant="150 cm")


async def lend(world: LendingWorld, desk: Site, item: Item, card: Card) -> None:
    await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(), at(0))


async def hold(world: LendingWorld, card: Card, article: Article, site: Site, clock: FixedClock) -> svc.HoldOutcome:
    return await svc.place_hold(card.number, article.id, site.id, world.uow, world.staff(), clock)


async def test_holds_queue_first_come_first_served(world: LendingWorld, desk: Site, skis: Article) -> None:
    item = await world.item(skis, desk)
    _, lender = await world.borrower("Alva Ek")
    await lend(world, desk, item, lender)
    (_, first), (_, second) = await world.borrower("Bo Ek"), await world.borrower("Cia Ek")
    one = await hold(world, first, skis, desk, at(1))
    two = await hold(world, second, skis, desk, at(2))
    assert (one.position, two.position) == (1, 2)
    assert one.hold.status is HoldStatus.WAITING and one.hold.item_id is None
    assert [e.action for e in world.uow.audit_log[-2:]] == ["hold.placed", "hold.placed"]


async def test_a_returned_item_is_set_aside_for_the_first_in_the_queue(world: LendingWorld, desk: Site,
                                                                       skis: Article) -> None:
    item = await world.item(skis, desk)
    _, lender = await world.borrower("Alva Ek")
    await lend(world, desk, item, lender)
    bo, bo_card = await world.borrower("Bo Ek", email="bo@example.se")
    _, cia_card = await world.borrower("Cia Ek")
    later = await hold(world, cia_card, skis, desk, at(2))  # recorded first, placed later
    first = await hold(world, bo_card, skis, desk, at(1))
    assert (first.hold.borrower_id, later.hold.borrower_id) == (bo.id, cia_card.borrower_id)
    outcome = await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, world.staff(), at(5))
    assert outcome.hold is first.hold
    assert (first.hold.status, first.hold.item_id, first.hold.expires_on) == (HoldStatus.READY, item.id,
                                                                              date(2027, 2, 13))
    assert later.hold.status is HoldStatus.WAITING
    assert item.status is ItemStatus.ON_HOLD_SHELF
    [message] = world.uow.outbox
    assert (message.kind, message.recipient, message.channel) == ("lending.hold_ready", "bo@example.se", "email")
    assert "Slalomskidor (150 cm)" in message.subject and "2027-02-13" in message.body


async def test_a_hold_at_another_site_waits_for_an_item_returned_there(world: LendingWorld, desk: Site,
                                                                       skis: Article) -> None:
    other = await world.site("Fritidsbanken Nacksta")
    item = await world.item(skis, desk)
    _, lender = await world.borrower("Alva Ek")
    await lend(world, desk, item, lender)
    _, card = await world.borrower("Bo Ek")
    waiting = await hold(world, card, skis, other, at(1))
    outcome = await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, world.staff(), at(5))
    assert outcome.hold is None and item.status is ItemStatus.AVAILABLE
    assert waiting.hold.status is HoldStatus.WAITING


async def test_an_item_returned_for_a_look_over_is_not_set_aside(world: LendingWorld, desk: Site,
                                                                 skis: Article) -> None:
    item = await world.item(skis, desk)
    _, lender = await world.borrower("Alva Ek")
    await lend(world, desk, item, lender)
    _, card = await world.borrower("Bo Ek")
    waiting = await hold(world, card, skis, desk, at(1))
    world.uow.locks.clear()
    await svc.return_item(svc.Return(item.label_code or "", desk.id, Condition.CHECK), world.uow, world.staff(),
                          at(5))
    assert waiting.hold.status is HoldStatus.WAITING and item.status is ItemStatus.BEING_CHECKED
    assert world.uow.locks[0] == ("item", item.id)  # no queue to serve: the article is not locked


async def test_an_item_on_the_shelf_goes_to_a_new_hold_at_once(world: LendingWorld, desk: Site,
                                                               skis: Article) -> None:
    item = await world.item(skis, desk)
    _, card = await world.borrower("Bo Ek")  # no e-mail: told by SMS
    world.uow.locks.clear()
    outcome = await hold(world, card, skis, desk, at(0))
    assert (outcome.hold.status, outcome.hold.item_id, outcome.position) == (HoldStatus.READY, item.id, None)
    assert item.status is ItemStatus.ON_HOLD_SHELF
    assert [(m.channel, m.recipient) for m in world.uow.outbox] == [("sms", "+46701234567")]
    assert lock_order_breaks(world.uow.locks) == []


async def test_a_borrower_holds_an_article_once_and_within_the_limit(world: LendingWorld, desk: Site,
                                                                     skis: Article) -> None:
    boots = await world.article("Pjäxor", variant="38")
    _, card = await world.borrower("Bo Ek")
    await hold(world, card, skis, desk, at(0))
    with pytest.raises(Conflict) as conflict:
        await hold(world, card, skis, desk, at(1))
    assert conflict.value.conflicts[0]["reason"] == "duplicate"
    with pytest.raises(ValidationError) as caught:
        await svc.place_hold(card.number, boots.id, desk.id, world.uow, world.staff(), at(1), Policy(max_holds=1))
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("article_id", "limit")


async def test_a_blocked_borrower_holds_nothing(world: LendingWorld, desk: Site, skis: Article) -> None:
    borrower, card = await world.borrower("Bo Ek")
    borrower.block("Obetalda skador", MONDAY)
    with pytest.raises(ValidationError) as caught:
        await hold(world, card, skis, desk, at(0))
    assert caught.value.problems[0].code == "blocked"
    assert world.uow.circulation.holds == {}


async def test_a_hold_names_an_article_and_a_site_of_the_municipality(world: LendingWorld, desk: Site,
                                                                      skis: Article) -> None:
    elsewhere = await LendingWorld.create(world.uow, "Timra")
    foreign = await elsewhere.article("Skridskor")
    foreign_site = await elsewhere.site("Fritidsbanken Timrå")
    _, card = await world.borrower("Bo Ek")
    with pytest.raises(ValidationError) as caught:
        await hold(world, card, foreign, desk, at(0))
    assert caught.value.problems[0].field == "article_id"
    with pytest.raises(ValidationError) as caught:
        await hold(world, card, skis, foreign_site, at(0))
    assert caught.value.problems[0].field == "site_id"


async def test_cancelling_a_waiting_hold_closes_it_once(world: LendingWorld, desk: Site, skis: Article) -> None:
    borrower, card = await world.borrower("Bo Ek")
    placed = await hold(world, card, skis, desk, at(0))
    cancelled = await svc.cancel_hold(placed.hold.id, world.uow, at(1), borrower_id=borrower.id)
    assert (cancelled.status, cancelled.closed_at) == (HoldStatus.CANCELLED, at(1).now())
    with pytest.raises(Conflict):
        await svc.cancel_hold(placed.hold.id, world.uow, at(2), actor=world.staff())


async def test_a_hold_is_cancelled_by_its_borrower_or_staff_of_its_site(world: LendingWorld, desk: Site,
                                                                       skis: Article) -> None:
    other = await world.site("Fritidsbanken Nacksta")
    _, card = await world.borrower("Bo Ek")
    stranger, _ = await world.borrower("Cia Ek")
    placed = await hold(world, card, skis, desk, at(0))
    with pytest.raises(NotFound):
        await svc.cancel_hold(placed.hold.id, world.uow, at(1), borrower_id=stranger.id)
    with pytest.raises(NotFound):
        await svc.cancel_hold(placed.hold.id, world.uow, at(1),
                              actor=(await LendingWorld.create(world.uow, "Timra")).staff())
    with pytest.raises(Forbidden):
        await svc.cancel_hold(placed.hold.id, world.uow, at(1), actor=world.staff(other))
    await svc.cancel_hold(placed.hold.id, world.uow, at(1), actor=world.staff(desk))
    assert placed.hold.status is HoldStatus.CANCELLED


async def test_cancelling_a_ready_hold_passes_the_item_to_the_next_in_line(world: LendingWorld, desk: Site,
                                                                          skis: Article) -> None:
    item = await world.item(skis, desk)
    (bo, bo_card), (_, cia_card) = await world.borrower("Bo Ek"), await world.borrower("Cia Ek")
    first = await hold(world, bo_card, skis, desk, at(0))
    second = await hold(world, cia_card, skis, desk, at(1))
    assert first.hold.item_id == item.id and second.position == 1
    await svc.cancel_hold(first.hold.id, world.uow, at(2), borrower_id=bo.id)
    assert (second.hold.status, second.hold.item_id) == (HoldStatus.READY, item.id)
    assert item.status is ItemStatus.ON_HOLD_SHELF


async def test_cancelling_the_last_ready_hold_puts_the_item_back_on_the_shelf(world: LendingWorld, desk: Site,
                                                                             skis: Article) -> None:
    item = await world.item(skis, desk)
    bo, card = await world.borrower("Bo Ek")
    placed = await hold(world, card, skis, desk, at(0))
    world.uow.locks.clear()
    await svc.cancel_hold(placed.hold.id, world.uow, at(1), borrower_id=bo.id)
    assert item.status is ItemStatus.AVAILABLE
    assert lock_order_breaks(world.uow.locks) == []


async def test_a_hold_on_the_shelf_expires_after_its_last_day_and_the_item_moves_on(world: LendingWorld,
                                                                                   desk: Site,
                                                                                   skis: Article) -> None:
    item = await world.item(skis, desk)
    (_, bo_card), (_, cia_card) = await world.borrower("Bo Ek"), await world.borrower("Cia Ek")
    first = await hold(world, bo_card, skis, desk, at(0))
    second = await hold(world, cia_card, skis, desk, at(1))
    assert first.hold.expires_on == date(2027, 2, 8)
    assert not first.hold.is_expired(date(2027, 2, 8)) and first.hold.is_expired(date(2027, 2, 9))
    async with world.uow:
        first.hold.expire(at(8).now())
        await svc.release_shelf_item(world.uow, first.hold, at(8).now(), None, Policy())
        await world.uow.commit()
    assert first.hold.status is HoldStatus.EXPIRED
    assert (second.hold.status, second.hold.item_id, second.hold.expires_on) == (HoldStatus.READY, item.id,
                                                                                date(2027, 2, 16))


async def test_the_hold_ready_message_goes_out_once(world: LendingWorld, desk: Site, skis: Article) -> None:
    await world.item(skis, desk)
    borrower, card = await world.borrower("Bo Ek")
    placed = await hold(world, card, skis, desk, at(0))
    async with world.uow:
        await svc.notify_hold_ready(world.uow, borrower, placed.hold, skis, at(1).now())
        await world.uow.commit()
    assert len(world.uow.outbox) == 1


# --- self-service on the phone ------------------------------------------------------------------------


async def phone_borrower(world: LendingWorld) -> tuple[Borrower, Card]:
    return await world.borrower("Bo Ek", birth_year=2000)


async def test_a_borrower_lends_a_self_service_article_by_its_label(world: LendingWorld, desk: Site) -> None:
    ball = await world.article("Fotboll", self_service=True, loan_period_days=7)
    item = await world.item(ball, desk)
    borrower, card = await phone_borrower(world)
    outcome = await svc.lend_self_service(borrower.id, card.id, item.label_code or "", world.uow, at(0))
    [(loan, _, _)] = outcome.loans
    assert (loan.self_service, loan.lent_by, loan.site_id, loan.due_on) == (True, None, desk.id, date(2027, 2, 8))


async def test_an_article_lent_at_the_desk_only_is_refused_on_the_phone(world: LendingWorld, desk: Site,
                                                                        skis: Article) -> None:
    item = await world.item(skis, desk)
    borrower, card = await phone_borrower(world)
    with pytest.raises(ValidationError) as caught:
        await svc.lend_self_service(borrower.id, card.id, item.label_code or "", world.uow, at(0))
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("code", "not-self-service")


async def test_a_replaced_card_or_an_anonymised_borrower_must_sign_in_again(world: LendingWorld,
                                                                           desk: Site) -> None:
    item = await world.item(await world.article("Fotboll", self_service=True), desk)
    borrower, card = await phone_borrower(world)
    card.block(MONDAY)
    with pytest.raises(Forbidden):
        await svc.lend_self_service(borrower.id, card.id, item.label_code or "", world.uow, at(0))
    other, other_card = await world.borrower("Cia Ek")
    other.anonymise(MONDAY)
    with pytest.raises(Forbidden):
        await svc.lend_self_service(other.id, other_card.id, item.label_code or "", world.uow, at(0))
    assert item.status is ItemStatus.AVAILABLE


async def test_the_phone_shows_whether_the_signed_in_borrower_may_borrow(world: LendingWorld, desk: Site,
                                                                          skis: Article) -> None:
    ball = await world.item(await world.article("Fotboll", self_service=True), desk)
    borrower, card = await phone_borrower(world)
    anonymous = await svc.item_for_borrowing(ball.label_code or "", None, world.uow, at(0))
    assert (anonymous.reasons, anonymous.site_name) == (None, desk.name)
    mine = await svc.item_for_borrowing(ball.label_code or "", borrower.id, world.uow, at(0))
    assert mine.reasons == []
    desk_only = await world.item(skis, desk, ItemStatus.IN_REPAIR)
    view = await svc.item_for_borrowing(desk_only.label_code or "", borrower.id, world.uow, at(0))
    assert [code for code, _ in view.reasons or []] == ["not-available", "not-self-service"]
    await svc.lend_self_service(borrower.id, card.id, ball.label_code or "", world.uow, at(0))
    lent = await svc.item_for_borrowing(ball.label_code or "", borrower.id, world.uow, at(0))
    assert lent.my_loan is not None and lent.reasons == []


async def test_another_municipalitys_item_is_shown_but_not_lent(world: LendingWorld, desk: Site) -> None:
    elsewhere = await LendingWorld.create(world.uow, "Timra")
    item = await elsewhere.item(await elsewhere.article("Fotboll", self_service=True),
                                await elsewhere.site("Fritidsbanken Timrå"))
    borrower, _ = await phone_borrower(world)
    view = await svc.item_for_borrowing(item.label_code or "", borrower.id, world.uow, at(0))
    assert [code for code, _ in view.reasons or []] == ["other-municipality"]
    with pytest.raises(NotFound):
        await svc.item_for_borrowing("K3MHMCHB4", borrower.id, world.uow, at(0))


async def test_a_borrower_places_and_cancels_their_own_hold(world: LendingWorld, desk: Site, skis: Article) -> None:
    borrower, _ = await phone_borrower(world)
    placed = await svc.place_own_hold(borrower.id, skis.id, desk.id, world.uow, at(0))
    assert (placed.hold.borrower_id, placed.position) == (borrower.id, 1)
    assert world.uow.audit_log[-1].actor_id is None
    await svc.cancel_hold(placed.hold.id, world.uow, at(1), borrower_id=borrower.id)
    assert placed.hold.status is HoldStatus.CANCELLED
