"""Accounts and role grants with the in-memory unit of work: an admin gives roles scoped to a site or an
association of the same municipality only; another municipality's objects are invisible."""

from __future__ import annotations

import uuid

import pytest

from booking.domain.municipalities.model import Municipality
from booking.domain.people import services as people
from booking.domain.people.model import Account, Association
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.model import Site
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from booking.domain.shared.keep import KEEP
from tests.unit.fakes import FakeHasher, FakeUnitOfWork

PASSWORD = "långt-lösenord"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


async def _municipality(uow: FakeUnitOfWork, slug: str) -> Municipality:
    municipality = Municipality(slug.capitalize(), slug)
    uow.municipalities.add(municipality)
    await uow.commit()
    return municipality


@pytest.fixture
async def town(uow: FakeUnitOfWork) -> Municipality:
    return await _municipality(uow, "sundsvall")


@pytest.fixture
async def elsewhere(uow: FakeUnitOfWork) -> Municipality:
    return await _municipality(uow, "timra")


@pytest.fixture
async def admin(uow: FakeUnitOfWork, town: Municipality) -> Actor:
    account = Account(town.id, "admin@sundsvall.se", "Admin")
    account.grant(Role.ADMIN)
    uow.accounts.add(account)
    await uow.commit()
    return account.actor()


async def _site(uow: FakeUnitOfWork, municipality: Municipality) -> Site:
    site = Site(municipality.id, "Nackstaskolan", "Vägen 1", "85653", "Sundsvall")
    uow.sites.add(site)
    await uow.commit()
    return site


async def _association(uow: FakeUnitOfWork, municipality: Municipality) -> Association:
    association = Association(municipality.id, "Nacksta IF", "802479-4565")
    uow.associations.add(association)
    await uow.commit()
    return association


async def _create(uow: FakeUnitOfWork, town: Municipality, admin: Actor | None, *grants: Grant,
                  email: str = "staff@sundsvall.se") -> Account:
    return await people.create_account(people.CreateAccount(email, "Staff", PASSWORD, grants=grants), uow,
                                       FakeHasher(), town.id, admin)


# --- creating -----------------------------------------------------------------------------------


async def test_an_admin_creates_an_account_with_scoped_roles(uow: FakeUnitOfWork, town: Municipality,
                                                             admin: Actor) -> None:
    site = await _site(uow, town)
    association = await _association(uow, town)
    account = await _create(uow, town, admin, Grant(Role.LENDING_STAFF, site.id),
                            Grant(Role.ASSOCIATION_REP, association.id))
    assert account.actor().acts_at(site.id, Role.LENDING_STAFF)
    assert account.actor().represents(association.id)
    entry = uow.audit_log[-1]
    assert (entry.action, entry.actor_id) == ("account.created", admin.account_id)
    assert entry.details == {"roles": sorted([f"association_rep:{association.id}", f"lending_staff:{site.id}"])}


async def test_the_password_is_stored_hashed(uow: FakeUnitOfWork, town: Municipality) -> None:
    account = await _create(uow, town, None)
    assert account.password_hash == await FakeHasher().hash(PASSWORD)
    assert PASSWORD not in (account.password_hash or "")


async def test_an_account_without_roles_is_its_own_author(uow: FakeUnitOfWork, town: Municipality) -> None:
    account = await _create(uow, town, None)
    assert account.grants == []
    assert uow.audit_log[-1].actor_id == account.id
    assert uow.audit_log[-1].details == {"roles": []}


async def test_a_site_of_another_municipality_is_unknown(uow: FakeUnitOfWork, town: Municipality,
                                                         elsewhere: Municipality, admin: Actor) -> None:
    site = await _site(uow, elsewhere)
    with pytest.raises(ValidationError) as caught:
        await _create(uow, town, admin, Grant(Role.PREMISES_STAFF), Grant(Role.LENDING_STAFF, site.id))
    problem = caught.value.problems[0]
    assert (problem.field, problem.code) == ("roles[1].scope_id", "unknown")
    assert "site" in problem.message
    assert await uow.accounts.by_email("staff@sundsvall.se") is None


async def test_an_association_of_another_municipality_is_unknown(uow: FakeUnitOfWork, town: Municipality,
                                                                 elsewhere: Municipality, admin: Actor) -> None:
    association = await _association(uow, elsewhere)
    with pytest.raises(ValidationError) as caught:
        await _create(uow, town, admin, Grant(Role.ASSOCIATION_REP, association.id))
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("roles[0].scope_id", "unknown")


async def test_a_scope_that_does_not_exist_is_unknown(uow: FakeUnitOfWork, town: Municipality, admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        await _create(uow, town, admin, Grant(Role.PREMISES_STAFF, uuid.uuid4()))
    assert caught.value.problems[0].field == "roles[0].scope_id"


async def test_a_representative_needs_an_association(uow: FakeUnitOfWork, town: Municipality, admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        await _create(uow, town, admin, Grant(Role.ASSOCIATION_REP))
    assert caught.value.problems[0].field == "roles[0].scope_id"


async def test_only_an_admin_gives_roles(uow: FakeUnitOfWork, town: Municipality) -> None:
    staff = Actor(uuid.uuid4(), town.id, frozenset({Grant(Role.PREMISES_STAFF)}))
    with pytest.raises(Forbidden):
        await _create(uow, town, staff, Grant(Role.PREMISES_STAFF))
    assert uow.accounts.items == {}


async def test_an_address_has_one_account_in_the_whole_deployment(uow: FakeUnitOfWork, town: Municipality,
                                                                  elsewhere: Municipality) -> None:
    await _create(uow, town, None, email="Vera@Example.se")
    with pytest.raises(Conflict) as caught:
        await _create(uow, elsewhere, None, email="vera@example.SE")
    assert caught.value.conflicts == [{"field": "email"}]
    assert len(uow.accounts.items) == 1


@pytest.mark.parametrize(("password", "code"), [("kort", "too-short"), ("x" * 1025, "too-long")])
async def test_a_password_must_be_of_reasonable_length(uow: FakeUnitOfWork, town: Municipality, password: str,
                                                       code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await people.create_account(people.CreateAccount("x@example.se", "X", password), uow, FakeHasher(),
                                    town.id, None)
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("password", code)


@pytest.mark.parametrize(("email", "name", "locale", "field"), [
    ("inte-en-adress", "X", "sv", "email"),
    ("x@example.se", "   ", "sv", "display_name"),
    ("x@example.se", "X", "fi", "locale"),
])
async def test_an_account_is_checked_before_it_is_stored(uow: FakeUnitOfWork, town: Municipality, email: str,
                                                         name: str, locale: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await people.create_account(people.CreateAccount(email, name, PASSWORD, locale), uow, FakeHasher(),
                                    town.id, None)
    assert caught.value.problems[0].field == field
    assert uow.accounts.items == {}


# --- reading and changing -----------------------------------------------------------------------


async def test_another_municipalitys_account_is_not_found(uow: FakeUnitOfWork, town: Municipality,
                                                          elsewhere: Municipality, admin: Actor) -> None:
    theirs = await _create(uow, elsewhere, None, email="theirs@timra.se")
    assert (await people.get_account(admin.account_id, uow, admin)).id == admin.account_id
    with pytest.raises(NotFound):
        await people.get_account(theirs.id, uow, admin)
    with pytest.raises(NotFound):
        await people.update_account(people.UpdateAccount(theirs.id, {"display_name": "Kapad"}), uow, admin)
    assert (await uow.accounts.get(theirs.id)).display_name == "Staff"  # type: ignore[union-attr]


async def test_roles_given_replace_the_old_set_and_are_audited(uow: FakeUnitOfWork, town: Municipality,
                                                               admin: Actor) -> None:
    site = await _site(uow, town)
    account = await _create(uow, town, admin, Grant(Role.PREMISES_STAFF))
    changed = await people.update_account(people.UpdateAccount(account.id, {
        "grants": [Grant(Role.LENDING_STAFF, site.id), Grant(Role.GUARDIAN)], "display_name": KEEP}), uow, admin)
    assert {(g.role, g.scope_id) for g in changed.grants} == {(Role.LENDING_STAFF, site.id), (Role.GUARDIAN, None)}
    entry = uow.audit_log[-1]
    assert entry.action == "account.roles_changed"
    assert entry.details == {"before": ["premises_staff:"], "after": ["guardian:", f"lending_staff:{site.id}"]}
    assert "account.updated" not in [e.action for e in uow.audit_log]  # roles alone: no field change


async def test_new_roles_must_be_scoped_in_the_municipality(uow: FakeUnitOfWork, town: Municipality,
                                                            elsewhere: Municipality, admin: Actor) -> None:
    account = await _create(uow, town, admin, Grant(Role.PREMISES_STAFF))
    site = await _site(uow, elsewhere)
    with pytest.raises(ValidationError) as caught:
        await people.update_account(people.UpdateAccount(account.id, {"grants": [Grant(Role.PREMISES_STAFF, site.id)]}),
                                    uow, admin)
    assert caught.value.problems[0].field == "roles[0].scope_id"
    stored = await uow.accounts.get(account.id)
    assert stored is not None and [(g.role, g.scope_id) for g in stored.grants] == [(Role.PREMISES_STAFF, None)]


async def test_an_admin_cannot_deactivate_themself(uow: FakeUnitOfWork, admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        await people.update_account(people.UpdateAccount(admin.account_id, {"is_active": False}), uow, admin)
    assert caught.value.problems[0].field == "is_active"
    assert (await uow.accounts.get(admin.account_id)).is_active  # type: ignore[union-attr]


async def test_an_admin_deactivates_another_account(uow: FakeUnitOfWork, town: Municipality, admin: Actor) -> None:
    account = await _create(uow, town, None)
    changed = await people.update_account(
        people.UpdateAccount(account.id, {"is_active": False, "display_name": " Vera  Ek ", "locale": "en"}), uow,
        admin)
    assert (changed.is_active, changed.display_name, changed.locale) == (False, "Vera Ek", "en")
    assert uow.audit_log[-1].details == {"fields": ["display_name", "is_active", "locale"]}


async def test_a_refused_change_leaves_the_account_as_it_was(uow: FakeUnitOfWork, town: Municipality,
                                                             admin: Actor) -> None:
    account = await _create(uow, town, None)
    with pytest.raises(ValidationError) as caught:
        await people.update_account(people.UpdateAccount(account.id, {"display_name": "Ny", "locale": "de"}), uow,
                                    admin)
    assert caught.value.problems[0].field == "locale"
    stored = await uow.accounts.get(account.id)
    assert stored is not None and (stored.display_name, stored.locale) == ("Staff", "sv")
    assert [e.action for e in uow.audit_log] == ["account.created"]
