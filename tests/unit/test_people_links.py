"""One-time links with the in-memory unit of work: an invitation (7 days) and a reset (1 hour) are used
once, only the token's SHA-256 is kept, a used, expired or unknown link is refused naming `token`; who may
invite with which roles; a reset for an unknown address leaves no trace."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from booking.domain.municipalities.model import Municipality
from booking.domain.people import invitations, password_reset
from booking.domain.people import services as people
from booking.domain.people.links import LinkKind, OneTimeLink, link_token_hash
from booking.domain.people.model import Account
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.model import Site
from booking.domain.shared.clock import FixedClock
from booking.domain.shared.errors import Conflict, Forbidden, Unauthenticated, ValidationError
from tests.unit.fakes import FakeHasher, FakeUnitOfWork

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BASE = "https://boka.example.se"
PASSWORD = "ett-nytt-långt-lösenord"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def town(uow: FakeUnitOfWork) -> Municipality:
    municipality = Municipality("Sundsvall", "sundsvall")
    uow.municipalities.add(municipality)
    await uow.commit()
    return municipality


async def _actor(uow: FakeUnitOfWork, town: Municipality, email: str, *grants: Grant) -> Actor:
    account = Account(town.id, email, "Someone", password_hash=await FakeHasher().hash("gammalt-lösenord"))
    for grant in grants:
        account.grant(grant.role, grant.scope_id)
    uow.accounts.add(account)
    await uow.commit()
    return account.actor()


@pytest.fixture
async def admin(uow: FakeUnitOfWork, town: Municipality) -> Actor:
    return await _actor(uow, town, "admin@sundsvall.se", Grant(Role.ADMIN))


async def _site(uow: FakeUnitOfWork, town: Municipality, name: str = "Nackstaskolan") -> Site:
    site = Site(town.id, name, "Vägen 1", "85653", "Sundsvall")
    uow.sites.add(site)
    await uow.commit()
    return site


def _token(uow: FakeUnitOfWork, email: str) -> str:
    [body] = [m.body for m in uow.outbox if m.recipient == email][-1:]
    found = re.search(re.escape(BASE) + r"/set-password\.html\?token=([A-Za-z0-9_-]+)", body)
    assert found, body
    return found.group(1)


async def _invite(uow: FakeUnitOfWork, actor: Actor, clock: FixedClock, *grants: Grant,
                  email: str = "ny@sundsvall.se") -> Account:
    return await invitations.invite(invitations.Invite(email, "Ny Personal", grants=grants), uow, actor, clock, BASE)


# --- the link -----------------------------------------------------------------------------------


def test_a_link_keeps_only_the_hash_of_its_token_and_expires_by_kind() -> None:
    invite, token = OneTimeLink.issue(uuid.uuid4(), uuid.uuid4(), LinkKind.INVITE, NOW)
    reset, other = OneTimeLink.issue(uuid.uuid4(), uuid.uuid4(), LinkKind.RESET, NOW)
    assert invite.token_hash == link_token_hash(token) != token
    assert token not in repr(invite.__dict__)
    assert len(token) >= 43 and token != other
    assert invite.expires_at == NOW + timedelta(days=7)
    assert reset.expires_at == NOW + timedelta(hours=1)


def test_a_link_is_used_once_and_not_after_it_expires() -> None:
    link, _ = OneTimeLink.issue(uuid.uuid4(), uuid.uuid4(), LinkKind.RESET, NOW)
    link.use(NOW + timedelta(minutes=59))
    with pytest.raises(ValidationError) as used:
        link.use(NOW + timedelta(minutes=59))
    assert (used.value.problems[0].field, used.value.problems[0].code) == ("token", "used")
    late, _ = OneTimeLink.issue(uuid.uuid4(), uuid.uuid4(), LinkKind.RESET, NOW)
    with pytest.raises(ValidationError) as expired:
        late.use(NOW + timedelta(hours=1))
    assert (expired.value.problems[0].field, expired.value.problems[0].code) == ("token", "expired")
    assert late.used_at is None


# --- inviting -----------------------------------------------------------------------------------


async def test_an_invited_person_has_roles_no_password_and_a_link_by_mail(
        uow: FakeUnitOfWork, town: Municipality, admin: Actor, clock: FixedClock) -> None:
    site = await _site(uow, town)
    account = await _invite(uow, admin, clock, Grant(Role.PREMISES_STAFF, site.id))
    assert account.password_hash is None
    assert account.actor().acts_at(site.id, Role.PREMISES_STAFF)
    [message] = uow.outbox
    assert (message.kind, message.recipient) == ("account.invited", "ny@sundsvall.se")
    assert "inbjuden" in message.subject and "invited" in message.subject
    assert "7 dagar" in message.body and "7 days" in message.body
    token = _token(uow, "ny@sundsvall.se")
    [link] = uow.links.items.values()
    assert (link.kind, link.account_id, link.token_hash) == (LinkKind.INVITE, account.id, link_token_hash(token))
    assert (uow.audit_log[-1].action, uow.audit_log[-1].actor_id) == ("account.invited", admin.account_id)
    with pytest.raises(Unauthenticated):  # no password yet
        await people.authenticate("ny@sundsvall.se", "", uow, FakeHasher(), clock)


async def test_a_taken_address_is_a_conflict(uow: FakeUnitOfWork, town: Municipality, admin: Actor,
                                             clock: FixedClock) -> None:
    with pytest.raises(Conflict):
        await _invite(uow, admin, clock, email="admin@sundsvall.se")
    assert uow.outbox == [] and uow.links.items == {}


async def test_staff_invite_to_their_own_role_within_their_sites(uow: FakeUnitOfWork, town: Municipality,
                                                                 clock: FixedClock) -> None:
    here, there = await _site(uow, town), await _site(uow, town, "Skönsbergsskolan")
    narrowed = await _actor(uow, town, "lokal@sundsvall.se", Grant(Role.PREMISES_STAFF, here.id))
    account = await _invite(uow, narrowed, clock, Grant(Role.PREMISES_STAFF, here.id))
    assert account.actor().sites_for(Role.PREMISES_STAFF) == {here.id}
    for beyond in (Grant(Role.PREMISES_STAFF, there.id), Grant(Role.PREMISES_STAFF),
                   Grant(Role.LENDING_STAFF, here.id), Grant(Role.ADMIN)):
        with pytest.raises(Forbidden):
            await _invite(uow, narrowed, clock, beyond, email="mer@sundsvall.se")
    wide = await _actor(uow, town, "bred@sundsvall.se", Grant(Role.PREMISES_STAFF))
    await _invite(uow, wide, clock, Grant(Role.PREMISES_STAFF, there.id), email="dar@sundsvall.se")
    with pytest.raises(Forbidden):
        await _invite(uow, wide, clock, Grant(Role.ASSOCIATION_REP, uuid.uuid4()), email="rep@sundsvall.se")
    assert await uow.accounts.by_email("mer@sundsvall.se") is None


# --- choosing the password through the link ----------------------------------------------------


async def test_the_invitation_link_sets_the_password_once(uow: FakeUnitOfWork, town: Municipality, admin: Actor,
                                                          clock: FixedClock) -> None:
    await _invite(uow, admin, clock, Grant(Role.PREMISES_STAFF))
    token = _token(uow, "ny@sundsvall.se")
    clock.move_to(NOW + timedelta(days=6))
    await password_reset.set_password(token, PASSWORD, uow, FakeHasher(), clock)
    signed_in = await people.authenticate("ny@sundsvall.se", PASSWORD, uow, FakeHasher(), clock)
    assert signed_in.email == "ny@sundsvall.se"
    assert uow.audit_log[-1].action == "account.password_chosen"
    with pytest.raises(ValidationError) as again:
        await password_reset.set_password(token, "ännu-ett-lösenord", uow, FakeHasher(), clock)
    assert (again.value.problems[0].field, again.value.problems[0].code) == ("token", "used")
    await people.authenticate("ny@sundsvall.se", PASSWORD, uow, FakeHasher(), clock)


async def test_an_expired_or_unknown_link_changes_nothing(uow: FakeUnitOfWork, town: Municipality, admin: Actor,
                                                          clock: FixedClock) -> None:
    account = await _invite(uow, admin, clock)
    token = _token(uow, "ny@sundsvall.se")
    clock.move_to(NOW + timedelta(days=7))
    for presented, code in ((token, "expired"), ("x" * 43, "unknown"), ("\x00", "unknown")):
        with pytest.raises(ValidationError) as refused:
            await password_reset.set_password(presented, PASSWORD, uow, FakeHasher(), clock)
        assert (refused.value.problems[0].field, refused.value.problems[0].code) == ("token", code)
    assert account.password_hash is None
    assert [link.used_at for link in uow.links.items.values()] == [None]


async def test_a_short_password_is_refused_before_the_link_is_spent(uow: FakeUnitOfWork, town: Municipality,
                                                                    admin: Actor, clock: FixedClock) -> None:
    await _invite(uow, admin, clock)
    with pytest.raises(ValidationError) as refused:
        await password_reset.set_password(_token(uow, "ny@sundsvall.se"), "kort", uow, FakeHasher(), clock)
    assert refused.value.problems[0].field == "password"
    assert [link.used_at for link in uow.links.items.values()] == [None]


# --- resetting ---------------------------------------------------------------------------------


async def test_a_reset_mails_a_link_for_an_hour_and_ends_the_other_links(
        uow: FakeUnitOfWork, town: Municipality, admin: Actor, clock: FixedClock) -> None:
    await password_reset.request_reset("ADMIN@sundsvall.se", uow, clock, BASE)
    first = _token(uow, "admin@sundsvall.se")
    await password_reset.request_reset("admin@sundsvall.se", uow, clock, BASE)
    second = _token(uow, "admin@sundsvall.se")
    assert [m.kind for m in uow.outbox] == ["account.password_reset"] * 2
    assert "60 minuter" in uow.outbox[0].body and "60 minutes" in uow.outbox[0].body
    clock.move_to(NOW + timedelta(minutes=30))
    await password_reset.set_password(second, PASSWORD, uow, FakeHasher(), clock)
    await people.authenticate("admin@sundsvall.se", PASSWORD, uow, FakeHasher(), clock)
    assert uow.audit_log[-1].action == "account.password_reset"
    with pytest.raises(ValidationError) as closed:  # the other link ended with the one used
        await password_reset.set_password(first, "ännu-ett-lösenord", uow, FakeHasher(), clock)
    assert closed.value.problems[0].field == "token"


async def test_a_reset_link_expires_after_an_hour(uow: FakeUnitOfWork, town: Municipality, admin: Actor,
                                                  clock: FixedClock) -> None:
    await password_reset.request_reset("admin@sundsvall.se", uow, clock, BASE)
    clock.move_to(NOW + timedelta(hours=1, seconds=1))
    with pytest.raises(ValidationError) as refused:
        await password_reset.set_password(_token(uow, "admin@sundsvall.se"), PASSWORD, uow, FakeHasher(), clock)
    assert refused.value.problems[0].code == "expired"


async def test_a_reset_for_an_unknown_or_inactive_address_leaves_no_trace(
        uow: FakeUnitOfWork, town: Municipality, admin: Actor, clock: FixedClock) -> None:
    await password_reset.request_reset("okand@sundsvall.se", uow, clock, BASE)
    inactive = await uow.accounts.by_email("admin@sundsvall.se")
    assert inactive is not None
    inactive.is_active = False
    await uow.commit()
    await password_reset.request_reset("admin@sundsvall.se", uow, clock, BASE)
    assert uow.outbox == [] and uow.links.items == {}
    with pytest.raises(ValidationError) as malformed:
        await password_reset.request_reset("inte en adress", uow, clock, BASE)
    assert malformed.value.problems[0].field == "email"


async def test_a_link_of_a_deactivated_account_is_refused(uow: FakeUnitOfWork, town: Municipality, admin: Actor,
                                                          clock: FixedClock) -> None:
    account = await _invite(uow, admin, clock)
    account.is_active = False
    await uow.commit()
    with pytest.raises(ValidationError) as refused:
        await password_reset.set_password(_token(uow, "ny@sundsvall.se"), PASSWORD, uow, FakeHasher(), clock)
    assert (refused.value.problems[0].field, refused.value.problems[0].code) == ("token", "inactive")
