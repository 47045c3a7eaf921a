"""Organisationsnummer, e-mail, roles and the actor."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from booking.domain.people.model import Account, Association, normalize_email
from booking.domain.people.orgnr import normalize_org_number
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.errors import Forbidden, ValidationError


@pytest.mark.parametrize(("raw", "canonical"), [
    ("802479-4565", "802479-4565"),
    ("8024794565", "802479-4565"),
    ("556036-0793", "556036-0793"),  # an aktiebolag
])
def test_valid_organisation_numbers_are_normalised(raw: str, canonical: str) -> None:
    assert normalize_org_number(raw) == canonical


@pytest.mark.parametrize(("raw", "code"), [
    ("802479-4566", "checksum"),
    ("802479-456", "format"),
    ("80247945655", "format"),
    ("ABCDEF-1234", "format"),
    ("", "format"),
    ("8" * 30, "format"),
])
def test_invalid_organisation_numbers_say_why(raw: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_org_number(raw)
    assert caught.value.problems[0].field == "org_number"
    assert caught.value.problems[0].code == code


def test_email_is_lower_cased_and_checked() -> None:
    assert normalize_email(" Sara.Ek@Example.SE ") == "sara.ek@example.se"
    for bad in ("sara", "sara@", "@example.se", "sara@example", "<a>@example.se"):
        with pytest.raises(ValidationError):
            normalize_email(bad)


def test_association_rep_grant_needs_an_association() -> None:
    account = Account(uuid.uuid4(), "rep@example.se", "Rep")
    with pytest.raises(ValidationError):
        account.grant(Role.ASSOCIATION_REP)
    association = uuid.uuid4()
    account.grant(Role.ASSOCIATION_REP, association)
    account.grant(Role.ASSOCIATION_REP, association)  # granting twice keeps one
    assert len(account.grants) == 1
    actor = account.actor()
    assert actor.represents(association)
    assert not actor.represents(uuid.uuid4())
    assert not actor.has(Role.PREMISES_STAFF)


def test_admin_has_every_role() -> None:
    account = Account(uuid.uuid4(), "admin@example.se", "Admin")
    account.grant(Role.ADMIN)
    assert account.actor().has(Role.PREMISES_STAFF, Role.LENDING_STAFF)


def test_set_grants_replaces_the_set() -> None:
    account = Account(uuid.uuid4(), "x@example.se", "X")
    account.grant(Role.GUARDIAN)
    account.grant(Role.BORROWER)
    account.set_grants([Grant(Role.BORROWER), Grant(Role.PREMISES_STAFF)])
    assert {g.role for g in account.grants} == {Role.BORROWER, Role.PREMISES_STAFF}


def test_association_validates_on_creation() -> None:
    with pytest.raises(ValidationError) as caught:
        Association(uuid.uuid4(), "Test IF", "802479-4566")
    assert caught.value.problems[0].field == "org_number"
    association = Association(uuid.uuid4(), "  Test   IF ", "8024794565")
    assert association.name == "Test IF"
    assert not association.is_verified


def test_a_staff_grant_narrowed_to_a_site_covers_that_site_only() -> None:
    here, there = uuid.uuid4(), uuid.uuid4()
    narrowed = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.LENDING_STAFF, here)}))
    assert narrowed.sites_for(Role.LENDING_STAFF) == {here}
    assert narrowed.acts_at(here, Role.LENDING_STAFF)
    assert not narrowed.acts_at(there, Role.LENDING_STAFF)
    assert not narrowed.acts_at(None, Role.LENDING_STAFF)  # a thing at no site needs a municipality-wide grant
    assert not narrowed.acts_at(here, Role.PREMISES_STAFF)  # the grant is for lending only
    with pytest.raises(Forbidden):
        narrowed.require_site(there, Role.LENDING_STAFF)
    wide = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.LENDING_STAFF, here), Grant(Role.LENDING_STAFF)}))
    assert wide.sites_for(Role.LENDING_STAFF) is None and wide.acts_at(there, Role.LENDING_STAFF)
    admin = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.ADMIN)}))
    assert admin.sites_for(Role.PREMISES_STAFF) is None and admin.acts_at(there, Role.PREMISES_STAFF)
    nobody = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.GUARDIAN)}))
    assert nobody.sites_for(Role.PREMISES_STAFF) == frozenset()


def test_an_admin_keeps_their_own_admin_role_and_their_account() -> None:
    account = Account(uuid.uuid4(), "admin@example.se", "Admin")
    account.grant(Role.ADMIN)
    me = account.actor()
    with pytest.raises(ValidationError):
        account.check_keeps_own_admin([Grant(Role.PREMISES_STAFF)], by=me)
    account.check_keeps_own_admin([Grant(Role.ADMIN), Grant(Role.PREMISES_STAFF)], by=me)
    with pytest.raises(ValidationError):
        account.change(me, is_active=False)
    other_admin = Actor(uuid.uuid4(), account.municipality_id, frozenset({Grant(Role.ADMIN)}))
    account.check_keeps_own_admin([], by=other_admin)  # another admin may take it
    account.change(other_admin, is_active=False)
    assert not account.is_active


def test_a_new_organisation_number_unverifies_and_is_checked() -> None:
    association = Association(uuid.uuid4(), "Test IF", "8024794565")
    staff = Actor(uuid.uuid4(), association.municipality_id, frozenset({Grant(Role.PREMISES_STAFF)}))
    association.verify(staff.account_id, datetime(2027, 1, 4, tzinfo=UTC))
    association.change(staff, public_name=True)
    assert association.is_verified
    with pytest.raises(ValidationError):
        association.change(staff, org_number="556036-0794")
    association.change(staff, org_number="5560360793")
    assert (association.org_number, association.is_verified) == ("556036-0793", False)
    rep = Actor(uuid.uuid4(), association.municipality_id, frozenset({Grant(Role.ASSOCIATION_REP, association.id)}))
    assert association.visible_to(rep)
    with pytest.raises(Forbidden):
        association.change(rep, org_number="8024794565")
    stranger = Actor(uuid.uuid4(), uuid.uuid4(), frozenset({Grant(Role.ASSOCIATION_REP, association.id)}))
    assert not association.visible_to(stranger)  # the same id, another municipality: nothing
