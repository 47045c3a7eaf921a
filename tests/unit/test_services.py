"""The use cases with in-memory fakes: rules, tenancy, audit, and nothing stored on refusal."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from booking.domain.municipalities.model import Area, Municipality
from booking.domain.people import associations
from booking.domain.people import services as people
from booking.domain.people.model import Account
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises import services as premises
from booking.domain.premises.model import SpaceKind
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationError
from tests.unit.fakes import FakeHasher, FakeUnitOfWork

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
async def town(uow: FakeUnitOfWork) -> Municipality:
    municipality = Municipality("Sundsvalls kommun", "sundsvall")
    uow.municipalities.add(municipality)
    await uow.commit()
    return municipality


def admin_of(municipality: Municipality) -> Actor:
    return Actor(uuid.uuid4(), municipality.id, frozenset({Grant(Role.ADMIN)}))


async def test_create_site_and_space_records_audit(uow: FakeUnitOfWork, town: Municipality) -> None:
    admin = admin_of(town)
    site = await premises.create_site(premises.CreateSite("Nackstaskolan", "Vägen 1", "85653", "Sundsvall"),
                                      uow, admin)
    space = await premises.create_space(premises.CreateSpace(site.id, "Gympasalen", SpaceKind.GYM, 30), uow, admin)
    assert (await uow.spaces.get(space.id)) is space
    assert [e.action for e in uow.audit_log] == ["site.created", "space.created"]
    assert uow.audit_log[1].actor_id == admin.account_id


async def test_refused_space_stores_nothing(uow: FakeUnitOfWork, town: Municipality) -> None:
    admin = admin_of(town)
    site = await premises.create_site(premises.CreateSite("Skolan", "Vägen 1", "85653", "Sundsvall"), uow, admin)
    with pytest.raises(ValidationError):
        await premises.create_space(premises.CreateSpace(site.id, "Sal", SpaceKind.GYM, 0), uow, admin)
    with pytest.raises(ValidationError) as caught:
        await premises.create_space(premises.CreateSpace(uuid.uuid4(), "Sal", SpaceKind.GYM, 10), uow, admin)
    assert caught.value.problems[0].field == "site_id"
    assert uow.spaces.items == {}
    assert [e.action for e in uow.audit_log] == ["site.created"]


async def test_a_part_must_belong_to_a_hall_in_the_same_site(uow: FakeUnitOfWork, town: Municipality) -> None:
    admin = admin_of(town)
    one = await premises.create_site(premises.CreateSite("Skola 1", "Vägen 1", "85653", "Sundsvall"), uow, admin)
    two = await premises.create_site(premises.CreateSite("Skola 2", "Vägen 2", "85653", "Sundsvall"), uow, admin)
    hall = await premises.create_space(premises.CreateSpace(one.id, "Hallen", SpaceKind.HALL, 100), uow, admin)
    with pytest.raises(ValidationError) as caught:
        await premises.create_space(premises.CreateSpace(two.id, "Hallen A", SpaceKind.HALL, 50, parent_id=hall.id),
                                    uow, admin)
    assert caught.value.problems[0].field == "parent_id"
    a = await premises.create_space(premises.CreateSpace(one.id, "Hallen A", SpaceKind.HALL, 50, parent_id=hall.id),
                                    uow, admin)
    assert await premises.occupied_units(hall.id, uow) == {a.id}
    # a hall that has parts cannot itself become a part
    other = await premises.create_space(premises.CreateSpace(one.id, "Aulan", SpaceKind.HALL, 100), uow, admin)
    with pytest.raises(ValidationError):
        await premises.update_space(premises.UpdateSpace(hall.id, {"parent_id": other.id}), uow, admin)


async def test_another_municipality_cannot_touch_a_site(uow: FakeUnitOfWork, town: Municipality) -> None:
    site = await premises.create_site(premises.CreateSite("Skolan", "Vägen 1", "85653", "Sundsvall"), uow,
                                      admin_of(town))
    stranger = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.ADMIN)}))
    with pytest.raises(NotFound):
        await premises.update_site(premises.UpdateSite(site.id, {"name": "Kapad"}), uow, stranger)
    with pytest.raises(NotFound):
        await premises.delete_site(site.id, uow, stranger)
    assert (await uow.sites.get(site.id)).name == "Skolan"  # type: ignore[union-attr]


async def test_area_in_use_cannot_be_deleted(uow: FakeUnitOfWork, town: Municipality) -> None:
    from booking.domain.municipalities import services as municipalities

    admin = admin_of(town)
    area = await municipalities.create_area("Nacksta", 2100, uow, admin)
    with pytest.raises(Conflict):
        await municipalities.create_area("nacksta", None, uow, admin)
    await premises.create_site(premises.CreateSite("Skolan", "Vägen 1", "85653", "Sundsvall", area.id), uow, admin)
    with pytest.raises(Conflict):
        await municipalities.delete_area(area.id, uow, admin)


async def test_registering_an_association_makes_the_caller_its_representative(
    uow: FakeUnitOfWork, town: Municipality
) -> None:
    account = Account(town.id, "sara@example.se", "Sara")
    uow.accounts.add(account)
    await uow.commit()
    actor = account.actor()
    association = await associations.register_association(
        associations.RegisterAssociation("Nacksta IF", "8024794565",
                                         contacts=({"name": "Sara", "phone": "070-1234567"},)),
        uow, actor)
    assert account.actor().represents(association.id)
    assert association.contacts[0].phone == "0701234567"
    assert not association.is_verified
    with pytest.raises(Conflict):
        await associations.register_association(associations.RegisterAssociation("Nacksta IF 2", "802479-4565"),
                                                uow, actor)


async def test_only_staff_verify_and_a_new_org_number_unverifies(uow: FakeUnitOfWork, town: Municipality) -> None:
    rep_account = Account(town.id, "rep@example.se", "Rep")
    uow.accounts.add(rep_account)
    await uow.commit()
    association = await associations.register_association(associations.RegisterAssociation("IF", "8024794565"), uow,
                                                     rep_account.actor())
    staff = Actor(uuid.uuid4(), town.id, frozenset({Grant(Role.PREMISES_STAFF)}))
    verified = await associations.verify_association(association.id, True, uow, staff, FixedClock(NOW))
    assert verified.verified_at == NOW
    with pytest.raises(Forbidden):
        await associations.update_association(
            associations.UpdateAssociation(association.id, {"org_number": "556036-0793"}), uow, rep_account.actor())
    changed = await associations.update_association(
        associations.UpdateAssociation(association.id, {"org_number": "556036-0793"}), uow, staff)
    assert changed.org_number == "556036-0793"
    assert not changed.is_verified


async def test_representative_of_another_association_sees_nothing(uow: FakeUnitOfWork, town: Municipality) -> None:
    a = Account(town.id, "a@example.se", "A")
    b = Account(town.id, "b@example.se", "B")
    uow.accounts.add(a)
    uow.accounts.add(b)
    await uow.commit()
    association = await associations.register_association(associations.RegisterAssociation("IF", "8024794565"), uow,
                                                          a.actor())
    with pytest.raises(NotFound):
        await associations.get_association(association.id, uow, b.actor())


async def test_authenticate(uow: FakeUnitOfWork, town: Municipality) -> None:
    hasher = FakeHasher()
    account = await people.create_account(people.CreateAccount("Vera@Example.se", "Vera", "långt-lösenord"),
                                          uow, hasher, town.id, None)
    clock = FixedClock(NOW)
    signed_in = await people.authenticate("vera@example.se", "långt-lösenord", uow, hasher, clock)
    assert signed_in.id == account.id
    assert signed_in.last_login_at == NOW
    for email, password in (("vera@example.se", "fel-lösenord!"), ("okand@example.se", "långt-lösenord"),
                            ("inte-en-adress", "x")):
        with pytest.raises(Unauthenticated) as caught:
            await people.authenticate(email, password, uow, hasher, clock)
        assert caught.value.detail == "Wrong e-mail address or password."


async def test_self_registration_cannot_give_itself_roles(uow: FakeUnitOfWork, town: Municipality) -> None:
    with pytest.raises(Forbidden):
        await people.create_account(people.CreateAccount("x@example.se", "X", "långt-lösenord",
                                                         grants=(Grant(Role.ADMIN),)), uow, FakeHasher(), town.id,
                                    None)
    with pytest.raises(ValidationError) as caught:
        await people.create_account(people.CreateAccount("y@example.se", "Y", "kort"), uow, FakeHasher(), town.id,
                                    None)
    assert caught.value.problems[0].field == "password"
    assert uow.accounts.items == {}


async def test_admin_cannot_remove_own_admin_role(uow: FakeUnitOfWork, town: Municipality) -> None:
    account = Account(town.id, "admin@example.se", "Admin")
    account.grant(Role.ADMIN)
    uow.accounts.add(account)
    await uow.commit()
    with pytest.raises(ValidationError):
        await people.update_account(people.UpdateAccount(account.id, {"grants": [Grant(Role.PREMISES_STAFF)]}), uow,
                                    account.actor())
    assert {g.role for g in account.grants} == {Role.ADMIN}


async def test_area_validation(town: Municipality) -> None:
    with pytest.raises(ValidationError):
        Area(town.id, "Nacksta", -5)
