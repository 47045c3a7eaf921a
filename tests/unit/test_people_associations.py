"""Associations with the in-memory unit of work: the organisationsnummer's check digit, one registration
per municipality, contacts, representatives, who may see and change what, verification, feed tokens."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from booking.domain.municipalities.model import Area, Municipality
from booking.domain.people import associations
from booking.domain.people.associations import RegisterAssociation, UpdateAssociation
from booking.domain.people.model import Account, Association, associations_visible_to, feed_token_hash
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from tests.unit.fakes import FakeUnitOfWork

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ORG = "802479-4565"
OTHER_ORG = "556036-0793"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
async def town(uow: FakeUnitOfWork) -> Municipality:
    municipality = Municipality("Sundsvalls kommun", "sundsvall")
    uow.municipalities.add(municipality)
    await uow.commit()
    return municipality


async def _member(uow: FakeUnitOfWork, municipality_id: uuid.UUID, email: str = "sara@example.se") -> Account:
    account = Account(municipality_id, email, "Sara")
    uow.accounts.add(account)
    await uow.commit()
    return account


@pytest.fixture
async def sara(uow: FakeUnitOfWork, town: Municipality) -> Account:
    return await _member(uow, town.id)


@pytest.fixture
def staff(town: Municipality) -> Actor:
    return Actor(uuid.uuid4(), town.id, frozenset({Grant(Role.PREMISES_STAFF)}))


async def _register(uow: FakeUnitOfWork, actor: Actor, org: str = ORG, **fields: Any) -> Association:
    return await associations.register_association(RegisterAssociation("Nacksta IF", org, **fields), uow, actor)


# --- registering --------------------------------------------------------------------------------


async def test_the_member_who_registers_becomes_its_representative(uow: FakeUnitOfWork, sara: Account) -> None:
    association = await _register(uow, sara.actor(), "8024794565")
    assert association.org_number == ORG
    assert not association.is_verified
    stored = await uow.accounts.get(sara.id)
    assert stored is not None and stored.actor().represents(association.id)
    entry = uow.audit_log[-1]
    assert (entry.action, entry.details) == ("association.registered", {"org_number": ORG})


async def test_an_admin_registers_without_becoming_a_representative(uow: FakeUnitOfWork, town: Municipality) -> None:
    admin = Actor(uuid.uuid4(), town.id, frozenset({Grant(Role.ADMIN)}))
    association = await _register(uow, admin)
    assert await uow.associations.get(association.id) is association


@pytest.mark.parametrize(("org", "code"), [("802479-4566", "checksum"), ("80247945", "format"), ("", "format")])
async def test_the_organisationsnummer_is_checked(uow: FakeUnitOfWork, sara: Account, org: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await _register(uow, sara.actor(), org)
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("org_number", code)
    assert uow.associations.items == {}
    assert (await uow.accounts.get(sara.id)).grants == []  # type: ignore[union-attr]


async def test_an_organisationsnummer_is_registered_once_per_municipality(uow: FakeUnitOfWork,
                                                                          sara: Account) -> None:
    await _register(uow, sara.actor())
    with pytest.raises(Conflict) as caught:
        await _register(uow, sara.actor(), "8024794565")
    assert caught.value.conflicts == [{"field": "org_number"}]
    elsewhere = await _member(uow, uuid.uuid4(), "per@example.se")
    assert (await _register(uow, elsewhere.actor())).org_number == ORG  # another municipality's register
    assert len(uow.associations.items) == 2


async def test_contacts_are_checked_and_a_fault_names_the_contact(uow: FakeUnitOfWork, sara: Account) -> None:
    contacts = ({"name": "Sara", "phone": "070-123 45 67"}, {"name": "Per", "email": "inte-en-adress"})
    with pytest.raises(ValidationError) as caught:
        await _register(uow, sara.actor(), contacts=contacts)
    assert caught.value.problems[0].field == "contacts[1].email"
    association = await _register(uow, sara.actor(), contacts=contacts[:1])
    assert [(c.name, c.phone) for c in association.contacts] == [("Sara", "0701234567")]


async def test_at_most_twenty_contacts(uow: FakeUnitOfWork, sara: Account) -> None:
    with pytest.raises(ValidationError) as caught:
        await _register(uow, sara.actor(), contacts=tuple({"name": f"Person {i}"} for i in range(21)))
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("contacts", "too-long")


async def test_an_area_of_another_municipality_is_unknown(uow: FakeUnitOfWork, sara: Account) -> None:
    theirs = Area(uuid.uuid4(), "Centrum")
    uow.areas.add(theirs)
    await uow.commit()
    with pytest.raises(ValidationError) as caught:
        await _register(uow, sara.actor(), area_id=theirs.id)
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("area_id", "unknown")
    ours = Area(sara.municipality_id, "Nacksta")
    uow.areas.add(ours)
    await uow.commit()
    assert (await _register(uow, sara.actor(), area_id=ours.id)).area_id == ours.id


# --- seeing and changing ------------------------------------------------------------------------


async def test_staff_and_its_representatives_see_it_and_nobody_else(uow: FakeUnitOfWork, town: Municipality,
                                                                    sara: Account, staff: Actor) -> None:
    association = await _register(uow, sara.actor())
    leader = Actor(uuid.uuid4(), town.id, frozenset({Grant(Role.ACTIVITIES_STAFF)}))
    for actor in ((await uow.accounts.get(sara.id)).actor(), staff, leader):  # type: ignore[union-attr]
        assert (await associations.get_association(association.id, uow, actor)).id == association.id
    lender = Actor(uuid.uuid4(), town.id, frozenset({Grant(Role.LENDING_STAFF)}))
    foreign_admin = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.ADMIN)}))
    for actor in ((await _member(uow, town.id, "b@example.se")).actor(), lender, foreign_admin):
        with pytest.raises(NotFound):
            await associations.get_association(association.id, uow, actor)


def test_the_list_a_caller_sees() -> None:
    mine, town = uuid.uuid4(), uuid.uuid4()
    rep = Actor(uuid.uuid4(), town, frozenset({Grant(Role.ASSOCIATION_REP, mine), Grant(Role.GUARDIAN)}))
    assert associations_visible_to(rep) == {mine}
    assert associations_visible_to(Actor(uuid.uuid4(), town, frozenset({Grant(Role.PREMISES_STAFF)}))) is None
    assert associations_visible_to(Actor(uuid.uuid4(), town, frozenset({Grant(Role.BORROWER)}))) == set()


async def test_a_representative_changes_name_and_contacts(uow: FakeUnitOfWork, sara: Account) -> None:
    association = await _register(uow, sara.actor())
    rep = (await uow.accounts.get(sara.id)).actor()  # type: ignore[union-attr]
    changed = await associations.update_association(UpdateAssociation(association.id, {
        "name": "Nacksta IF Ungdom", "contacts": ({"name": "Per", "role": "Kassör"},), "public_name": True}), uow, rep)
    assert (changed.name, changed.public_name) == ("Nacksta IF Ungdom", True)
    assert [(c.name, c.role) for c in changed.contacts] == [("Per", "Kassör")]
    assert uow.audit_log[-1].details == {"fields": ["contacts", "name", "public_name"]}


@pytest.mark.parametrize("changes", [{"org_number": OTHER_ORG}, {"tariff_category": "youth"}])
async def test_only_staff_change_the_number_or_the_tariff(uow: FakeUnitOfWork, sara: Account,
                                                          changes: dict[str, str]) -> None:
    association = await _register(uow, sara.actor())
    rep = (await uow.accounts.get(sara.id)).actor()  # type: ignore[union-attr]
    with pytest.raises(Forbidden):
        await associations.update_association(UpdateAssociation(association.id, changes), uow, rep)
    stored = await uow.associations.get(association.id)
    assert stored is not None and (stored.org_number, stored.tariff_category) == (ORG, None)


async def test_staff_set_the_tariff(uow: FakeUnitOfWork, sara: Account, staff: Actor) -> None:
    association = await _register(uow, sara.actor())
    changed = await associations.update_association(UpdateAssociation(association.id, {"tariff_category": "youth"}),
                                                    uow, staff)
    assert changed.tariff_category == "youth"
    cleared = await associations.update_association(UpdateAssociation(association.id, {"tariff_category": None}),
                                                    uow, staff)
    assert cleared.tariff_category is None


async def test_a_new_number_must_be_verified_again_and_be_free(uow: FakeUnitOfWork, town: Municipality,
                                                               sara: Account, staff: Actor) -> None:
    first = await _register(uow, sara.actor())
    second = await _register(uow, sara.actor(), OTHER_ORG)
    await associations.verify_association(first.id, True, uow, staff, FixedClock(NOW))
    with pytest.raises(Conflict) as caught:
        await associations.update_association(UpdateAssociation(first.id, {"org_number": OTHER_ORG}), uow, staff)
    assert caught.value.conflicts == [{"field": "org_number"}]
    assert (await uow.associations.get(first.id)).is_verified  # type: ignore[union-attr]
    await associations.update_association(UpdateAssociation(second.id, {"org_number": "212000-1355"}), uow, staff)
    changed = await associations.update_association(UpdateAssociation(first.id, {"org_number": OTHER_ORG}), uow,
                                                    staff)
    assert (changed.org_number, changed.is_verified) == (OTHER_ORG, False)


# --- verifying and the private feed -------------------------------------------------------------


async def test_staff_verify_and_unverify(uow: FakeUnitOfWork, sara: Account, staff: Actor) -> None:
    association = await _register(uow, sara.actor())
    verified = await associations.verify_association(association.id, True, uow, staff, FixedClock(NOW))
    assert (verified.verified_at, verified.verified_by) == (NOW, staff.account_id)
    unverified = await associations.verify_association(association.id, False, uow, staff, FixedClock(NOW))
    assert not unverified.is_verified and unverified.verified_by is None
    assert [e.action for e in uow.audit_log][-2:] == ["association.verified", "association.unverified"]


async def test_another_municipalitys_staff_cannot_verify(uow: FakeUnitOfWork, sara: Account) -> None:
    association = await _register(uow, sara.actor())
    foreign = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.PREMISES_STAFF)}))
    with pytest.raises(NotFound):
        await associations.verify_association(association.id, True, uow, foreign, FixedClock(NOW))
    assert not (await uow.associations.get(association.id)).is_verified  # type: ignore[union-attr]


async def test_a_feed_token_is_shown_once_and_replaces_the_last(uow: FakeUnitOfWork, sara: Account) -> None:
    association = await _register(uow, sara.actor())
    rep = (await uow.accounts.get(sara.id)).actor()  # type: ignore[union-attr]
    first = await associations.rotate_feed_token(association.id, uow, rep)
    second = await associations.rotate_feed_token(association.id, uow, rep)
    assert first != second and len(second) >= 40  # 256 random bits, URL-safe
    stored = await uow.associations.get(association.id)
    assert stored is not None and stored.feed_token_hash == feed_token_hash(second) != feed_token_hash(first)
    assert second not in str(uow.audit_log[-1].details)
    with pytest.raises(NotFound):
        await associations.rotate_feed_token(association.id, uow, (await _member(uow, sara.municipality_id,
                                                                                  "b@example.se")).actor())
