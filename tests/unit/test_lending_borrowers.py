"""Borrowers and cards, with fakes: registration at the desk and by oneself, cards, blocks, consents, privacy."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from booking.domain.lending import borrower_services as borrowers
from booking.domain.lending import circulation_services as svc
from booking.domain.lending.borrowers import ANONYMISED_NAME
from booking.domain.lending.labels import luhn_valid
from booking.domain.municipalities.model import Area
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.model import Site
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from booking.domain.shared.ids import new_id
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes.lending import LendingWorld

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
TODAY = date(2027, 2, 1)


@pytest.fixture
async def world() -> LendingWorld:
    return await LendingWorld.create(FakeUnitOfWork())


def reg(name: str = "Alva Ek", birth_year: int = 1990, mobile: str | None = "070-123 45 67",
        **values: object) -> borrowers.Registration:
    return borrowers.Registration(name, mobile, birth_year, **values)  # type: ignore[arg-type]


def field_and_code(caught: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str]:
    return caught.value.problems[0].field, caught.value.problems[0].code


async def test_the_desk_registers_a_borrower_with_a_new_card(world: LendingWorld) -> None:
    staff = world.staff()
    borrower, card = await borrowers.register_borrower(reg(email="Alva@Example.se"), world.uow, staff, NOW, TODAY)
    assert (borrower.mobile, borrower.email, borrower.registered_via) == ("+46701234567", "alva@example.se", "desk")
    assert len(card.number) == 10 and luhn_valid(card.number) and card.active
    assert await world.uow.lending.borrower_by_card(world.id, card.number) == (borrower, card)
    assert [(e.action, e.actor_id) for e in world.uow.audit_log] == [("lending.borrower_registered",
                                                                       staff.account_id)]


async def test_a_minor_is_registered_with_a_guardian_who_consents(world: LendingWorld) -> None:
    guardian, _ = await borrowers.register_borrower(reg("Per Ek", 1980), world.uow, world.staff(), NOW, TODAY)
    child, _ = await borrowers.register_borrower(
        reg("Tove Ek", 2016, None, guardian_id=guardian.id, consent_category_ids=(world.top.id,)), world.uow,
        world.staff(), NOW, TODAY)
    assert child.guardian_id == guardian.id and child.has_consent(world.top.id)
    assert child.consents[0].given_by == guardian.id
    assert [w.id for w in await world.uow.lending.wards_of(guardian.id)] == [child.id]


@pytest.mark.parametrize(("registration", "field", "code"), [
    (reg("Tove Ek", 2016, None), "mobile", "required"),
    (reg(birth_year=1850), "birth_year", "out-of-range"),
    (reg(mobile="12345"), "mobile", "format"),
    (reg(area_id=new_id()), "area_id", "unknown"),
    (reg(guardian_id=new_id()), "guardian_id", "unknown"),
    (reg(consent_category_ids=(new_id(),)), "consent_category_ids[0]", "unknown"),
])
async def test_a_registration_that_breaks_a_rule_names_the_field(world: LendingWorld,
                                                                 registration: borrowers.Registration, field: str,
                                                                 code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await borrowers.register_borrower(registration, world.uow, world.staff(), NOW, TODAY)
    assert field_and_code(caught) == (field, code)
    assert world.uow.lending.borrowers == {} and world.uow.lending.cards == {}


async def test_a_guardian_is_an_adult_of_the_municipality(world: LendingWorld) -> None:
    minor, _ = await borrowers.register_borrower(reg("Tove Ek", 2012), world.uow, world.staff(), NOW, TODAY)
    with pytest.raises(ValidationError) as caught:
        await borrowers.register_borrower(reg("Ida Ek", 2018, None, guardian_id=minor.id), world.uow, world.staff(),
                                          NOW, TODAY)
    assert field_and_code(caught) == ("guardian_id", "minor")
    elsewhere = await LendingWorld.create(world.uow, "Timra")
    foreign, _ = await elsewhere.borrower("Per Ek", 1980)
    with pytest.raises(ValidationError) as caught:
        await borrowers.register_borrower(reg("Ida Ek", 2018, None, guardian_id=foreign.id), world.uow,
                                          world.staff(), NOW, TODAY)
    assert field_and_code(caught) == ("guardian_id", "unknown")


async def test_a_minors_consent_comes_from_a_guardian(world: LendingWorld) -> None:
    with pytest.raises(ValidationError) as caught:
        await borrowers.register_borrower(reg("Tove Ek", 2016, consent_category_ids=(world.top.id,)), world.uow,
                                          world.staff(), NOW, TODAY)
    assert field_and_code(caught) == ("guardian_id", "required")


async def test_an_area_of_the_municipality_is_kept_for_the_statistics(world: LendingWorld) -> None:
    area = Area(world.id, "Nacksta")
    world.uow.areas.add(area)
    borrower, _ = await borrowers.register_borrower(reg(area_id=area.id), world.uow, world.staff(), NOW, TODAY)
    assert borrower.area_id == area.id


async def test_a_signed_in_person_registers_themself_once(world: LendingWorld) -> None:
    me = Actor(new_id(), world.id, frozenset())
    borrower, card = await borrowers.register_self(reg(), world.uow, me, NOW, TODAY)
    assert (borrower.account_id, borrower.registered_via, card.active) == (me.account_id, "self", True)
    with pytest.raises(Conflict):
        await borrowers.register_self(reg(), world.uow, me, NOW, TODAY)
    with pytest.raises(ValidationError) as caught:
        await borrowers.register_self(reg(guardian_id=new_id()), world.uow, Actor(new_id(), world.id, frozenset()),
                                      NOW, TODAY)
    assert field_and_code(caught) == ("guardian_id", "not-allowed")
    with pytest.raises(ValidationError) as caught:
        await borrowers.register_self(reg(mobile=None), world.uow, Actor(new_id(), world.id, frozenset()), NOW,
                                      TODAY)
    assert field_and_code(caught) == ("mobile", "required")


async def test_a_lost_card_is_blocked_and_replaced(world: LendingWorld) -> None:
    borrower, old = await world.borrower()
    new = await borrowers.replace_card(borrower.id, world.uow, world.staff(), NOW)
    assert (old.active, old.blocked_at, new.active) == (False, NOW, True)
    assert new.number != old.number
    assert await world.uow.lending.borrower_by_card(world.id, old.number) is None
    assert await world.uow.lending.borrower_by_card(world.id, new.number) == (borrower, new)
    assert world.uow.audit_log[-1].details == {"old": old.number[-4:]}


async def test_a_block_needs_a_reason_and_is_lifted_by_unblocking(world: LendingWorld) -> None:
    borrower, _ = await world.borrower()
    with pytest.raises(ValidationError) as caught:
        await borrowers.block_borrower(borrower.id, "  ", world.uow, world.staff(), NOW)
    assert field_and_code(caught) == ("reason", "required")
    await borrowers.block_borrower(borrower.id, "Skadad utrustning", world.uow, world.staff(), NOW)
    assert (borrower.is_blocked, borrower.blocked_at) == (True, NOW)
    await borrowers.block_borrower(borrower.id, None, world.uow, world.staff(), NOW)
    assert not borrower.is_blocked
    assert [e.action for e in world.uow.audit_log] == ["lending.borrower_blocked", "lending.borrower_unblocked"]


async def test_changes_to_a_borrower_are_checked_and_audited(world: LendingWorld) -> None:
    borrower, _ = await world.borrower()
    await borrowers.update_borrower(borrower.id, {"name": " Alva  Ekström ", "mobile": "0701112233",
                                                  "email": None, "birth_year": 1991}, world.uow, world.staff(), TODAY)
    assert (borrower.name, borrower.mobile, borrower.email, borrower.birth_year) == ("Alva Ekström", "+46701112233",
                                                                                     None, 1991)
    assert world.uow.audit_log[-1].details == {"fields": ["birth_year", "email", "mobile", "name"]}
    with pytest.raises(ValidationError) as caught:
        await borrowers.update_borrower(borrower.id, {"area_id": new_id()}, world.uow, world.staff(), TODAY)
    assert field_and_code(caught) == ("area_id", "unknown")
    stored = await world.uow.lending.get_borrower(borrower.id)  # the refused change was rolled back
    assert stored is not None and stored.area_id is None
    stored.anonymise(NOW)
    with pytest.raises(Conflict):
        await borrowers.update_borrower(borrower.id, {"name": "Ny"}, world.uow, world.staff(), TODAY)


async def test_another_municipalitys_borrower_does_not_exist_here(world: LendingWorld) -> None:
    elsewhere = await LendingWorld.create(world.uow, "Timra")
    foreign, _ = await elsewhere.borrower()
    with pytest.raises(NotFound):
        await borrowers.block_borrower(foreign.id, "Nej", world.uow, world.staff(), NOW)


async def test_staff_narrowed_to_a_site_change_only_borrowers_active_there(world: LendingWorld) -> None:
    desk: Site = await world.site()
    other: Site = await world.site("Fritidsbanken Nacksta")
    borrower, card = await world.borrower()
    narrowed = world.staff(desk)
    with pytest.raises(Forbidden):
        await borrowers.block_borrower(borrower.id, "Nej", world.uow, narrowed, NOW)
    assert await borrowers.serves(world.uow, world.staff(), borrower.id)
    item = await world.item(await world.article(), other)
    await svc.lend(svc.Lend(card.number, [item.label_code or ""], other.id), world.uow, world.staff(other),
                   FixedClock(NOW))
    with pytest.raises(Forbidden):
        await borrowers.block_borrower(borrower.id, "Nej", world.uow, narrowed, NOW)
    await svc.return_item(svc.Return(item.label_code or "", desk.id), world.uow, narrowed, FixedClock(NOW))
    await borrowers.block_borrower(borrower.id, "Skadad utrustning", world.uow, narrowed, NOW)  # returned here
    assert borrower.is_blocked


async def test_consent_per_category_is_given_and_withdrawn(world: LendingWorld) -> None:
    borrower, _ = await world.borrower("Tove Ek", 2014)
    await borrowers.set_consent(borrower.id, world.top.id, True, world.uow, world.staff(), NOW)
    await borrowers.set_consent(borrower.id, world.top.id, True, world.uow, world.staff(), NOW)  # once is enough
    assert [c.category_id for c in borrower.consents] == [world.top.id]
    await borrowers.set_consent(borrower.id, world.top.id, False, world.uow, world.staff(), NOW)
    assert borrower.consents == []
    with pytest.raises(NotFound):
        await borrowers.set_consent(borrower.id, new_id(), True, world.uow, world.staff(), NOW)


async def test_inactive_borrowers_are_anonymised_and_their_cards_blocked(world: LendingWorld) -> None:
    desk = await world.site()
    gone, gone_card = await world.borrower("Gammal Låntagare", last_active_at=NOW - timedelta(days=800))
    borrowing, card = await world.borrower("Aktiv Låntagare", last_active_at=NOW - timedelta(days=800))
    recent, _ = await world.borrower("Ny Låntagare", last_active_at=NOW - timedelta(days=10))
    item = await world.item(await world.article(), desk)
    await svc.lend(svc.Lend(card.number, [item.label_code or ""], desk.id), world.uow, world.staff(),
                   FixedClock(NOW - timedelta(days=800)))
    borrowing.last_active_at = NOW - timedelta(days=800)  # an open loan is activity however old
    done = await borrowers.anonymise_inactive(world.uow, NOW - timedelta(days=365), NOW, batch=1)
    assert done == 1
    assert (gone.name, gone.mobile, gone.anonymised_at, gone_card.active) == (ANONYMISED_NAME, None, NOW, False)
    assert (borrowing.is_anonymised, recent.is_anonymised) == (False, False)
    assert world.uow.audit_log[-1].action == "lending.borrower_anonymised"


async def test_an_admin_acts_as_lending_staff(world: LendingWorld) -> None:
    admin = Actor(new_id(), world.id, frozenset({Grant(Role.ADMIN)}))
    borrower, _ = await borrowers.register_borrower(reg(), world.uow, admin, NOW, TODAY)
    await borrowers.block_borrower(borrower.id, "Skadad utrustning", world.uow, admin, NOW)
    assert borrower.is_blocked
