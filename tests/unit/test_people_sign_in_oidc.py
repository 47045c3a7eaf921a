"""The rule of OpenID Connect sign-in, with the in-memory unit of work: claim values -> grants, the account
found by subject or verified e-mail, created only when the settings allow, refused (with no account) when
the values map to no role; the settings' own checks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from booking.domain.municipalities.model import Municipality
from booking.domain.people import sign_in as oidc
from booking.domain.people.model import Account
from booking.domain.people.roles import Grant, Role
from booking.domain.people.sign_in import Refusal, SignInRefused, claim_values, grants_for
from booking.domain.people.sign_in_config import RoleMapping, SignInConfig, check_issuer
from booking.domain.people.sign_in_ports import Identity
from booking.domain.premises.model import Site
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import ValidationError
from tests.unit.fakes import FakeUnitOfWork

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
ISSUER = "https://login.example.se/realms/sundsvall"


class Town:
    def __init__(self) -> None:
        self.uow = FakeUnitOfWork()
        self.configs = self.uow.sign_in_configs
        self.clock = FixedClock(NOW)
        self.municipality = Municipality("Sundsvall", "sundsvall")

    async def setup(self, **changes: object) -> SignInConfig:
        self.uow.municipalities.add(self.municipality)
        self.site = Site(self.municipality.id, "Skolan", "Vägen 1", "85350", "Sundsvall", None)
        self.uow.sites.add(self.site)
        values: dict[str, object] = {
            "issuer": ISSUER, "client_id": "booking", "client_secret": "hemligt", "enabled": True,
            "create_accounts": True, "mappings": [RoleMapping("booking-admins", Role.ADMIN),
                                                  RoleMapping("premises", Role.PREMISES_STAFF),
                                                  RoleMapping("lending-skolan", Role.LENDING_STAFF, self.site.id)],
            **changes}
        config = SignInConfig(municipality_id=self.municipality.id, **values)  # type: ignore[arg-type]
        await self.configs.save(config)
        await self.uow.commit()
        return config

    async def sign_in(self, subject: str = "anna", *values: str, email: str | None = "anna@kommun.example",
                      verified: bool = True, name: str | None = "Anna Andersson") -> Account:
        identity = Identity(ISSUER, subject, email, verified, name, values)
        return await oidc.sign_in(identity, self.municipality.id, self.uow, self.clock)


@pytest.fixture
async def town() -> Town:
    t = Town()
    await t.setup()
    return t


def test_claim_values_take_a_string_or_a_list_of_strings() -> None:
    assert claim_values({"groups": ["a", "b", 3]}, "groups") == ("a", "b")
    assert claim_values({"roles": "admin"}, "roles") == ("admin",)
    assert claim_values({"groups": {"a": 1}}, "groups") == ()
    assert claim_values({}, "groups") == ()


def test_grants_come_from_exact_matches_only() -> None:
    site = uuid.uuid4()
    mappings = [RoleMapping("Admins", Role.ADMIN), RoleMapping("desk", Role.LENDING_STAFF, site)]
    assert grants_for(["admins", "desk"], mappings) == {Grant(Role.LENDING_STAFF, site)}
    assert grants_for(["other"], mappings) == frozenset()


async def test_first_sign_in_creates_the_account_with_the_mapped_grants_and_links_the_subject(town: Town) -> None:
    account = await town.sign_in("anna", "premises", "lending-skolan", "all-staff")
    assert {(g.role, g.scope_id) for g in account.grants} == {(Role.PREMISES_STAFF, None),
                                                             (Role.LENDING_STAFF, town.site.id)}
    assert account.password_hash is None and account.last_login_at == NOW
    assert await town.configs.account_for(ISSUER, "anna") == account.id
    assert [e.action for e in town.uow.audit_log] == ["account.created", "account.roles_changed"]
    # The second time the subject finds it, whatever the address says now.
    again = await town.sign_in("anna", "booking-admins", email="anna.ny@kommun.example")
    assert again.id == account.id and {g.role for g in again.grants} == {Role.ADMIN}


async def test_values_that_map_to_no_role_are_refused_and_no_account_is_made(town: Town) -> None:
    with pytest.raises(SignInRefused) as refused:
        await town.sign_in("anna", "all-staff")
    assert refused.value.reason is Refusal.NO_ROLE
    assert await town.uow.accounts.by_email("anna@kommun.example") is None
    assert await town.configs.account_for(ISSUER, "anna") is None


async def test_an_account_matched_by_verified_email_keeps_the_grants_the_provider_does_not_manage(
        town: Town) -> None:
    association = uuid.uuid4()
    existing = Account(town.municipality.id, "anna@kommun.example", "Anna")
    existing.grant(Role.ASSOCIATION_REP, association)
    existing.grant(Role.ADMIN)
    town.uow.accounts.add(existing)
    await town.uow.commit()

    account = await town.sign_in("anna", "premises")

    assert account.id == existing.id
    assert {g.role for g in account.grants} == {Role.ASSOCIATION_REP, Role.PREMISES_STAFF}  # admin: managed, gone


async def test_an_unverified_email_never_matches_nor_takes_an_existing_address(town: Town) -> None:
    town.uow.accounts.add(Account(town.municipality.id, "anna@kommun.example", "Anna"))
    await town.uow.commit()
    with pytest.raises(SignInRefused) as refused:
        await town.sign_in("anna", "premises", verified=False)
    assert refused.value.reason is Refusal.EMAIL_TAKEN


async def test_an_existing_account_without_a_role_now_loses_its_managed_grants_and_is_refused(town: Town) -> None:
    account = await town.sign_in("anna", "premises")
    with pytest.raises(SignInRefused) as refused:
        await town.sign_in("anna", "left-the-team")
    assert refused.value.reason is Refusal.NO_ROLE and refused.value.account_id == account.id
    assert (await town.uow.accounts.get(account.id)).grants == []  # type: ignore[union-attr]
    assert town.uow.audit_log[-1].action == "account.sign_in_refused"


async def test_a_deactivated_account_or_one_of_another_municipality_is_refused(town: Town) -> None:
    account = await town.sign_in("anna", "premises")
    stored = await town.uow.accounts.get(account.id)
    assert stored is not None
    stored.is_active = False
    await town.uow.commit()
    with pytest.raises(SignInRefused) as refused:
        await town.sign_in("anna", "premises")
    assert refused.value.reason is Refusal.DEACTIVATED

    elsewhere = Account(uuid.uuid4(), "bo@annan.example", "Bo")
    town.uow.accounts.add(elsewhere)
    await town.uow.commit()
    with pytest.raises(SignInRefused) as refused:
        await town.sign_in("bo", "premises", email="bo@annan.example")
    assert refused.value.reason is Refusal.OTHER_MUNICIPALITY


async def test_without_account_creation_or_without_an_address_nobody_new_gets_in() -> None:
    town = Town()
    await town.setup(create_accounts=False)
    with pytest.raises(SignInRefused) as refused:
        await town.sign_in("anna", "premises")
    assert refused.value.reason is Refusal.NO_ACCOUNT
    other = Town()
    await other.setup()
    with pytest.raises(SignInRefused) as refused:
        await other.sign_in("anna", "premises", email=None)
    assert refused.value.reason is Refusal.NO_EMAIL


async def test_disabled_settings_refuse() -> None:
    town = Town()
    await town.setup(enabled=False)
    with pytest.raises(SignInRefused) as refused:
        await town.sign_in("anna", "premises")
    assert refused.value.reason is Refusal.NOT_ENABLED


def test_a_name_the_name_rules_refuse_falls_back_to_the_address() -> None:
    identity = Identity(ISSUER, "x", "anna_b@kommun.example", True, "Anna <script>", ())
    assert oidc._display_name(identity, "anna_b@kommun.example") == "anna b"


@pytest.mark.parametrize(("issuer", "ok"), [
    ("https://login.microsoftonline.com/tenant/v2.0", True),
    ("http://127.0.0.1:8080", True),
    ("http://idp.example.se", False),
    ("https://idp.example.se/?q=1", False),
    ("ftp://idp.example.se", False),
    ("https://", False),
])
def test_an_issuer_is_https_or_loopback(issuer: str, ok: bool) -> None:
    if ok:
        assert check_issuer(issuer) == issuer
    else:
        with pytest.raises(ValidationError):
            check_issuer(issuer)


def test_settings_name_every_wrong_field() -> None:
    with pytest.raises(ValidationError) as error:
        SignInConfig(uuid.uuid4(), "http://idp.example.se", "a b", scopes=["email"], claim="a b",
                     mappings=[RoleMapping("x", Role.GUARDIAN)], enabled=True)
    fields = {p.field for p in error.value.problems}
    assert fields == {"issuer", "client_id", "scopes", "claim", "mappings[0].role", "client_secret"}
