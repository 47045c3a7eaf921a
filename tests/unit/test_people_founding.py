"""A new municipality and its first administrator (`people.founding`, behind the operator's
`POST /api/municipalities`) with the in-memory unit of work: one transaction for the municipality, the
invited admin (no password), the one-time link and the e-mail; a taken slug or address leaves nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from booking.domain.municipalities.model import Municipality
from booking.domain.municipalities.services import CreateMunicipality
from booking.domain.people.founding import FirstAdmin, Founded, found_municipality
from booking.domain.people.links import LinkKind
from booking.domain.people.model import Account
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, ValidationError
from tests.unit.fakes import FakeUnitOfWork

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BASE = "https://boka.example.se"


async def _found(uow: FakeUnitOfWork, slug: str = "timra", email: str = "it@timra.se",
                 name: str = "Ida IT") -> Founded:
    return await found_municipality(CreateMunicipality("Timrå kommun", slug, "Europe/Stockholm"),
                                    FirstAdmin(email, name, "en"), uow, FixedClock(NOW), BASE)


async def test_the_municipality_its_invited_admin_the_link_and_the_mail_in_one_transaction() -> None:
    uow = FakeUnitOfWork()
    founded = await _found(uow)
    municipality, admin = founded.municipality, founded.admin
    assert await uow.municipalities.by_slug("timra") is municipality
    assert admin.municipality_id == municipality.id and admin.password_hash is None
    assert admin.actor().is_admin and admin.grant_labels() == ["admin:"]
    assert admin.locale == "en"
    [link] = await uow.links.open_of(admin.id, NOW)
    assert link.kind == LinkKind.INVITE
    [mail] = uow.outbox
    assert mail.recipient == "it@timra.se" and "Timrå kommun" in mail.subject + mail.body
    assert f"{BASE}/set-password.html?token=" in mail.body


@pytest.mark.parametrize(("slug", "email", "field"), [("sundsvall", "ny@timra.se", "slug"),
                                                      ("timra", "anna@sundsvall.se", "admin_email")])
async def test_a_taken_slug_or_address_is_a_conflict_and_nothing_is_kept(slug: str, email: str, field: str) -> None:
    uow = FakeUnitOfWork()
    town = Municipality("Sundsvalls kommun", "sundsvall")
    uow.municipalities.add(town)
    uow.accounts.add(Account(town.id, "anna@sundsvall.se", "Anna"))
    await uow.commit()
    with pytest.raises(Conflict) as refused:
        await _found(uow, slug, email)
    assert [c["field"] for c in refused.value.conflicts] == [field]
    assert await uow.municipalities.by_slug("timra") is None
    assert uow.outbox == []


@pytest.mark.parametrize(("email", "name", "field"), [("inte-en-adress", "Ida IT", "admin_email"),
                                                      ("it@timra.se", "", "admin_display_name")])
async def test_the_admins_faults_name_the_requests_fields(email: str, name: str, field: str) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(ValidationError) as refused:
        await _found(uow, email=email, name=name)
    assert [p.field for p in refused.value.problems] == [field]
    assert await uow.municipalities.by_slug("timra") is None
