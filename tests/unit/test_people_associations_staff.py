"""Associations registered and changed by staff, with the in-memory unit of work: staff who register
one for others do not become its representative (and it waits unverified like any other); an edit's
area must be one of the association's municipality (another's is refused naming `area_id`)."""

from __future__ import annotations

import uuid

import pytest

from booking.domain.municipalities.model import Area, Municipality
from booking.domain.people import associations
from booking.domain.people.associations import RegisterAssociation, UpdateAssociation
from booking.domain.people.model import Account
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.errors import ValidationError
from tests.unit.fakes import FakeUnitOfWork

ORG = "802479-4565"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


async def _town(uow: FakeUnitOfWork, slug: str) -> tuple[Municipality, Area]:
    municipality = Municipality(f"{slug.capitalize()} kommun", slug)
    area = Area(municipality.id, "Centrum")
    uow.municipalities.add(municipality)
    uow.areas.add(area)
    await uow.commit()
    return municipality, area


@pytest.mark.parametrize("role", [Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF, Role.ADMIN])
async def test_staff_who_register_an_association_do_not_become_its_representative(
        uow: FakeUnitOfWork, role: Role) -> None:
    town, _ = await _town(uow, "sundsvall")
    account = Account(town.id, "leif@example.se", "Leif", grants=[])
    account.grant(role)
    uow.accounts.add(account)
    await uow.commit()
    association = await associations.register_association(RegisterAssociation("Nacksta IF", ORG), uow,
                                                           account.actor())
    assert not association.is_verified
    stored = await uow.accounts.get(account.id)
    assert stored is not None and not stored.actor().represents(association.id)
    assert stored.grant_labels() == [f"{role}:"]


async def test_an_edit_refuses_another_municipalitys_area_and_keeps_the_association(uow: FakeUnitOfWork) -> None:
    town, own_area = await _town(uow, "sundsvall")
    _, other_area = await _town(uow, "timra")
    staff = Actor(uuid.uuid4(), town.id, frozenset({Grant(Role.PREMISES_STAFF)}))
    association = await associations.register_association(RegisterAssociation("Nacksta IF", ORG), uow, staff)
    with pytest.raises(ValidationError) as refused:
        await associations.update_association(UpdateAssociation(association.id, {"area_id": other_area.id}), uow,
                                              staff)
    assert [p.field for p in refused.value.problems] == ["area_id"]
    assert (await uow.associations.get(association.id)).area_id is None  # type: ignore[union-attr]
    moved = await associations.update_association(UpdateAssociation(association.id, {"area_id": own_area.id}),
                                                  uow, staff)
    assert moved.area_id == own_area.id
