"""Municipalities and areas with the in-memory unit of work: unique names, tenancy, audit, nothing stored
on refusal."""

from __future__ import annotations

import uuid

import pytest

from booking.domain.municipalities import services as municipalities
from booking.domain.municipalities.model import ALL_EVES, Area, Eve, Municipality
from booking.domain.municipalities.services import CreateMunicipality
from booking.domain.people.model import Association
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.model import Site
from booking.domain.shared.errors import Conflict, NotFound, ValidationError
from booking.domain.shared.keep import KEEP
from tests.unit.fakes import FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
async def town(uow: FakeUnitOfWork) -> Municipality:
    return await municipalities.create_municipality(CreateMunicipality("Sundsvalls kommun", "sundsvall"), uow)


@pytest.fixture
def admin(town: Municipality) -> Actor:
    return Actor(uuid.uuid4(), town.id, frozenset({Grant(Role.ADMIN)}))


def stranger() -> Actor:
    """An admin of another municipality."""
    return Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.ADMIN)}))


# --- municipalities -----------------------------------------------------------------------------


async def test_a_new_municipality_is_stored_with_its_defaults(uow: FakeUnitOfWork, town: Municipality) -> None:
    assert await uow.municipalities.by_slug("sundsvall") is town
    assert town.timezone == "Europe/Stockholm"
    assert town.closed_eves == list(ALL_EVES)
    assert uow.committed == 1


async def test_a_slug_is_unique_in_the_deployment(uow: FakeUnitOfWork, town: Municipality) -> None:
    with pytest.raises(Conflict) as caught:
        await municipalities.create_municipality(CreateMunicipality("Sundsvall igen", "sundsvall"), uow)
    assert caught.value.conflicts == [{"field": "slug"}]
    assert len(uow.municipalities.items) == 1


@pytest.mark.parametrize(("slug", "zone", "field"), [
    ("Sundsvall", "Europe/Stockholm", "slug"),
    ("-sundsvall", "Europe/Stockholm", "slug"),
    ("sundsvall", "Mars/Olympus", "timezone"),
])
async def test_a_municipality_needs_a_slug_and_a_real_zone(uow: FakeUnitOfWork, slug: str, zone: str,
                                                           field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await municipalities.create_municipality(CreateMunicipality("Kommunen", slug, zone), uow)
    assert caught.value.problems[0].field == field
    assert uow.municipalities.items == {}


async def test_an_admin_renames_their_municipality_and_chooses_its_eves(uow: FakeUnitOfWork, town: Municipality,
                                                                        admin: Actor) -> None:
    changed = await municipalities.update_municipality(
        town.id, {"name": "  Sundsvall   kommun ", "timezone": KEEP,
                  "closed_eves": [Eve.NEW_YEARS, Eve.CHRISTMAS, Eve.CHRISTMAS]}, uow, admin)
    assert changed.name == "Sundsvall kommun"
    assert changed.closed_eves == ["christmas_eve", "new_years_eve"]  # calendar order, each once
    assert changed.timezone == "Europe/Stockholm"
    entry = uow.audit_log[-1]
    assert (entry.action, entry.actor_id, entry.details) == ("municipality.updated", admin.account_id,
                                                             {"fields": ["closed_eves", "name"]})


async def test_an_unknown_eve_is_named_by_its_place(uow: FakeUnitOfWork, town: Municipality, admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        await municipalities.update_municipality(town.id, {"closed_eves": ["christmas_eve", "halloween"]}, uow,
                                                 admin)
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("closed_eves[1]", "unknown")
    assert (await uow.municipalities.get(town.id)).closed_eves == list(ALL_EVES)  # type: ignore[union-attr]


async def test_a_bad_zone_changes_nothing(uow: FakeUnitOfWork, town: Municipality, admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        await municipalities.update_municipality(town.id, {"name": "Nytt namn", "timezone": "Europe/Sundsvall"},
                                                 uow, admin)
    assert caught.value.problems[0].field == "timezone"
    stored = await uow.municipalities.get(town.id)
    assert stored is not None and stored.name == "Sundsvalls kommun"
    assert uow.audit_log == []


async def test_another_municipality_is_not_found(uow: FakeUnitOfWork, town: Municipality) -> None:
    with pytest.raises(NotFound):
        await municipalities.update_municipality(town.id, {"name": "Kapad"}, uow, stranger())
    with pytest.raises(NotFound):
        await municipalities.update_municipality(uuid.uuid4(), {"name": "Ingen"}, uow, stranger())
    assert (await uow.municipalities.get(town.id)).name == "Sundsvalls kommun"  # type: ignore[union-attr]


# --- areas --------------------------------------------------------------------------------------


async def test_an_area_is_created_and_audited(uow: FakeUnitOfWork, admin: Actor) -> None:
    area = await municipalities.create_area(" Nacksta ", 2100, uow, admin)
    assert (area.name, area.population_0_17, area.municipality_id) == ("Nacksta", 2100, admin.municipality_id)
    assert await uow.areas.get(area.id) is area
    assert [(e.action, e.entity_id) for e in uow.audit_log] == [("area.created", area.id)]


async def test_area_names_are_unique_whatever_the_case(uow: FakeUnitOfWork, admin: Actor) -> None:
    await municipalities.create_area("Nacksta", None, uow, admin)
    with pytest.raises(Conflict) as caught:
        await municipalities.create_area("NACKSTA", None, uow, admin)
    assert caught.value.conflicts == [{"field": "name"}]
    assert len(uow.areas.items) == 1


async def test_another_municipality_may_use_the_same_area_name(uow: FakeUnitOfWork, admin: Actor) -> None:
    await municipalities.create_area("Centrum", None, uow, admin)
    other = await municipalities.create_area("Centrum", None, uow, stranger())
    assert other.name == "Centrum"
    assert len(uow.areas.items) == 2


async def test_a_negative_population_is_refused(uow: FakeUnitOfWork, admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        await municipalities.create_area("Nacksta", -1, uow, admin)
    assert caught.value.problems[0].field == "population_0_17"
    assert uow.areas.items == {}


async def test_renaming_an_area_to_another_areas_name_is_a_conflict(uow: FakeUnitOfWork, admin: Actor) -> None:
    nacksta = await municipalities.create_area("Nacksta", None, uow, admin)
    await municipalities.create_area("Skönsberg", None, uow, admin)
    with pytest.raises(Conflict) as caught:
        await municipalities.update_area(nacksta.id, {"name": "skönsberg"}, uow, admin)
    assert caught.value.conflicts == [{"field": "name"}]
    assert (await uow.areas.get(nacksta.id)).name == "Nacksta"  # type: ignore[union-attr]


async def test_an_area_keeps_its_own_name_in_another_case(uow: FakeUnitOfWork, admin: Actor) -> None:
    area = await municipalities.create_area("Nacksta", 10, uow, admin)
    changed = await municipalities.update_area(area.id, {"name": "NACKSTA", "population_0_17": KEEP}, uow, admin)
    assert (changed.name, changed.population_0_17) == ("NACKSTA", 10)
    assert uow.audit_log[-1].action == "area.updated"


async def test_updating_an_area_checks_what_it_is_given(uow: FakeUnitOfWork, admin: Actor) -> None:
    area = await municipalities.create_area("Nacksta", 10, uow, admin)
    for changes, field in (({"population_0_17": -3}, "population_0_17"), ({"name": "   "}, "name")):
        with pytest.raises(ValidationError) as caught:
            await municipalities.update_area(area.id, changes, uow, admin)
        assert caught.value.problems[0].field == field
    stored = await uow.areas.get(area.id)
    assert stored is not None and (stored.name, stored.population_0_17) == ("Nacksta", 10)
    changed = await municipalities.update_area(area.id, {"population_0_17": None}, uow, admin)
    assert changed.population_0_17 is None


async def test_another_municipalitys_area_is_not_found(uow: FakeUnitOfWork, admin: Actor) -> None:
    area = await municipalities.create_area("Nacksta", None, uow, admin)
    with pytest.raises(NotFound):
        await municipalities.update_area(area.id, {"name": "Kapad"}, uow, stranger())
    with pytest.raises(NotFound):
        await municipalities.delete_area(area.id, uow, stranger())
    assert await uow.areas.get(area.id) is not None


async def test_an_unused_area_is_deleted(uow: FakeUnitOfWork, admin: Actor) -> None:
    area = await municipalities.create_area("Nacksta", None, uow, admin)
    await municipalities.delete_area(area.id, uow, admin)
    assert await uow.areas.get(area.id) is None
    assert [e.action for e in uow.audit_log] == ["area.created", "area.deleted"]


async def test_an_area_a_site_is_in_cannot_be_deleted(uow: FakeUnitOfWork, admin: Actor) -> None:
    area = await municipalities.create_area("Nacksta", None, uow, admin)
    uow.sites.add(Site(admin.municipality_id, "Nackstaskolan", "Vägen 1", "85653", "Sundsvall", area_id=area.id))
    await uow.commit()
    with pytest.raises(Conflict) as caught:
        await municipalities.delete_area(area.id, uow, admin)
    assert "Nacksta" in caught.value.detail
    assert await uow.areas.get(area.id) is not None


async def test_an_area_an_association_is_in_cannot_be_deleted(uow: FakeUnitOfWork, admin: Actor) -> None:
    area = await municipalities.create_area("Nacksta", None, uow, admin)
    uow.associations.add(Association(admin.municipality_id, "Nacksta IF", "802479-4565", area_id=area.id))
    await uow.commit()
    with pytest.raises(Conflict):
        await municipalities.delete_area(area.id, uow, admin)
    assert [e.action for e in uow.audit_log] == ["area.created"]


def test_an_area_changes_through_its_own_rules() -> None:
    area = Area(uuid.uuid4(), "Nacksta", 5)
    area.change(name=" Ny  plats ")
    assert (area.name, area.population_0_17) == ("Ny plats", 5)
    with pytest.raises(ValidationError):
        area.change(population_0_17=-1)
