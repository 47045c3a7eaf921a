"""Signing in and registering with the in-memory unit of work: neither answer nor hashing work tells
which addresses have an account; the owner of a taken address is told by e-mail, through the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from booking.domain.municipalities.model import Municipality
from booking.domain.people import registration
from booking.domain.people import services as people
from booking.domain.people.model import Account
from booking.domain.people.passwords import MAX_PASSWORD
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Unauthenticated, ValidationError
from tests.unit.fakes import FakeHasher, FakeUnitOfWork

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
PASSWORD = "långt-lösenord"
SIGN_IN = "https://boka.example.se/login.html"


class CountingHasher(FakeHasher):
    """Counts the slow work: every hash and every verify costs what argon2 costs."""

    def __init__(self, rehash: bool = False) -> None:
        self.work = 0
        self.rehash = rehash

    async def hash(self, password: str) -> str:
        self.work += 1
        return "new$" + password if self.rehash else await super().hash(password)

    async def verify(self, password_hash: str, password: str) -> bool:
        self.work += 1
        return password_hash in (await super().hash(password), "new$" + password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self.rehash and not password_hash.startswith("new$")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def town(uow: FakeUnitOfWork) -> Municipality:
    municipality = Municipality("Sundsvalls kommun", "sundsvall")
    uow.municipalities.add(municipality)
    await uow.commit()
    return municipality


@pytest.fixture
async def vera(uow: FakeUnitOfWork, town: Municipality) -> Account:
    return await people.create_account(people.CreateAccount("Vera@Example.se", "Vera", PASSWORD), uow,
                                       FakeHasher(), town.id, None)


async def _register(uow: FakeUnitOfWork, municipality: Municipality, clock: FixedClock, email: str, *,
                    hasher: FakeHasher | None = None, **fields: Any) -> Account:
    cmd = registration.Register(email=email, display_name=fields.get("name", "Ny person"),
                                password=fields.get("password", PASSWORD))
    return await registration.register(cmd, uow, hasher or FakeHasher(), municipality.id, clock, SIGN_IN)


# --- signing in ---------------------------------------------------------------------------------


async def test_the_right_password_signs_in_and_is_recorded(uow: FakeUnitOfWork, vera: Account,
                                                           clock: FixedClock) -> None:
    signed_in = await people.authenticate("  VERA@example.se ", PASSWORD, uow, FakeHasher(), clock)
    assert signed_in.id == vera.id
    assert (await uow.accounts.get(vera.id)).last_login_at == NOW  # type: ignore[union-attr]


@pytest.mark.parametrize(("email", "password"), [
    ("vera@example.se", "fel-lösenord!"),
    ("okand@example.se", PASSWORD),
    ("inte en adress", PASSWORD),
    ("vera@example.se", PASSWORD + "x" * MAX_PASSWORD),
])
async def test_every_refusal_reads_the_same_and_costs_one_hash(uow: FakeUnitOfWork, vera: Account,
                                                               clock: FixedClock, email: str, password: str) -> None:
    hasher = CountingHasher()
    with pytest.raises(Unauthenticated) as caught:
        await people.authenticate(email, password, uow, hasher, clock)
    assert caught.value.detail == "Wrong e-mail address or password."
    assert hasher.work <= 1
    assert (await uow.accounts.get(vera.id)).last_login_at is None  # type: ignore[union-attr]


async def test_an_unknown_address_costs_the_work_of_a_known_one(uow: FakeUnitOfWork, vera: Account,
                                                                clock: FixedClock) -> None:
    known, unknown = CountingHasher(), CountingHasher()
    with pytest.raises(Unauthenticated):
        await people.authenticate("vera@example.se", "fel-lösenord!", uow, known, clock)
    with pytest.raises(Unauthenticated):
        await people.authenticate("okand@example.se", "fel-lösenord!", uow, unknown, clock)
    assert known.work == unknown.work == 1


async def test_a_deactivated_account_cannot_sign_in(uow: FakeUnitOfWork, vera: Account, clock: FixedClock) -> None:
    vera.is_active = False
    await uow.commit()
    with pytest.raises(Unauthenticated):
        await people.authenticate("vera@example.se", PASSWORD, uow, FakeHasher(), clock)


async def test_an_old_hash_is_replaced_on_sign_in(uow: FakeUnitOfWork, vera: Account, clock: FixedClock) -> None:
    hasher = CountingHasher(rehash=True)
    await people.authenticate("vera@example.se", PASSWORD, uow, hasher, clock)
    assert (await uow.accounts.get(vera.id)).password_hash == "new$" + PASSWORD  # type: ignore[union-attr]
    assert (await people.authenticate("vera@example.se", PASSWORD, uow, hasher, clock)).id == vera.id


def test_a_sign_in_keeps_the_hash_unless_given_a_new_one() -> None:
    account = Account(Municipality("K", "k").id, "a@example.se", "A", password_hash="old")
    account.signed_in(NOW)
    assert (account.password_hash, account.last_login_at) == ("old", NOW)
    account.signed_in(NOW, "stronger")
    assert account.password_hash == "stronger"


# --- registering --------------------------------------------------------------------------------


async def test_a_new_address_gets_an_account_without_roles(uow: FakeUnitOfWork, town: Municipality,
                                                           clock: FixedClock) -> None:
    account = await _register(uow, town, clock, "Ny@Example.se")
    stored = await uow.accounts.by_email("ny@example.se")
    assert stored is account
    assert account.grants == [] and account.municipality_id == town.id
    assert account.password_hash == await FakeHasher().hash(PASSWORD)
    assert [(e.action, e.actor_id, e.details) for e in uow.audit_log] == [("account.created", account.id,
                                                                            {"roles": []})]
    assert uow.outbox == []


async def test_a_taken_address_answers_alike_and_tells_its_owner(uow: FakeUnitOfWork, town: Municipality,
                                                                 vera: Account, clock: FixedClock) -> None:
    answer = await _register(uow, town, clock, "vera@example.se", name="Inkräktare", password="annat-lösenord")
    assert answer.id != vera.id
    assert (answer.email, answer.display_name, answer.grants) == ("vera@example.se", "Inkräktare", [])
    assert answer.created_at == answer.updated_at == NOW  # looks stored
    assert await uow.accounts.get(answer.id) is None  # but is not
    assert len(uow.accounts.items) == 1
    stored = await uow.accounts.get(vera.id)
    assert stored is not None and stored.display_name == "Vera" and stored.password_hash == vera.password_hash
    [message] = uow.outbox
    assert (message.kind, message.recipient, message.municipality_id) == (registration.ATTEMPT_KIND,
                                                                          "vera@example.se", town.id)
    assert SIGN_IN in message.body and "Vera" in message.body


async def test_a_taken_address_costs_the_same_hashing_work(uow: FakeUnitOfWork, town: Municipality, vera: Account,
                                                           clock: FixedClock) -> None:
    new, taken = CountingHasher(), CountingHasher()
    await _register(uow, town, clock, "ny@example.se", hasher=new)
    await _register(uow, town, clock, "vera@example.se", hasher=taken)
    assert new.work == taken.work == 1


async def test_an_address_taken_in_another_municipality_is_told_to_its_owner(
    uow: FakeUnitOfWork, vera: Account, clock: FixedClock
) -> None:
    other = Municipality("Timrå kommun", "timra")
    uow.municipalities.add(other)
    await uow.commit()
    await _register(uow, other, clock, "vera@example.se")
    assert [m.municipality_id for m in uow.outbox] == [vera.municipality_id]  # told by their own municipality
    assert len(uow.accounts.items) == 1


async def test_a_registration_that_loses_a_race_tells_the_owner(uow: FakeUnitOfWork, town: Municipality,
                                                                vera: Account, clock: FixedClock,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The address looked free, but a simultaneous request took it: the unique key refuses the insert at
    commit, and the answer is the one for a taken address."""
    asked: list[str] = []

    async def by_email(email: str) -> Account | None:
        asked.append(email)
        if len(asked) == 1:
            return None  # not yet seen: the other request has not committed
        return next((a for a in uow.accounts.items.values() if a.email == email), None)

    monkeypatch.setattr(uow.accounts, "by_email", by_email)
    answer = await _register(uow, town, clock, "vera@example.se")
    assert len(asked) == 2
    assert await uow.accounts.get(answer.id) is None
    assert [m.recipient for m in uow.outbox] == ["vera@example.se"]
    assert [e.action for e in uow.audit_log] == ["account.created"]  # Vera's own, none for the loser


@pytest.mark.parametrize(("fields", "field"), [({"password": "kort"}, "password"), ({"name": ""}, "display_name")])
async def test_refused_input_is_refused_for_any_address(uow: FakeUnitOfWork, town: Municipality, vera: Account,
                                                        clock: FixedClock, fields: dict[str, str], field: str) -> None:
    for email in ("vera@example.se", "ny@example.se"):
        with pytest.raises(ValidationError) as caught:
            await _register(uow, town, clock, email, hasher=None, **fields)
        assert caught.value.problems[0].field == field
    assert uow.outbox == [] and len(uow.accounts.items) == 1
