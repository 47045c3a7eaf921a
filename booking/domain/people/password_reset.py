"""Forgotten passwords, and the first password of an invited person: both through a one-time link.

Asking for a reset does not tell who has an account: the caller gets the same answer for any address
(the controller answers 202 either way, after the same throttle); only a known, active address gets a
link, by e-mail, the one place where its owner learns of it. Choosing a password through a link signs
nothing in: the person then signs in as usual. Every other session of the account is ended by the
caller (the sessions live in the API's auth store, not in the domain).
"""

from __future__ import annotations

from booking.domain.people.link_messages import reset_message, set_password_link
from booking.domain.people.links import LinkKind, OneTimeLink, check_token, link_token_hash, unknown_link
from booking.domain.people.model import Account, normalize_email
from booking.domain.people.passwords import check_password
from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.ports import PasswordHasher

_ACTIONS = {LinkKind.INVITE: "account.password_chosen", LinkKind.RESET: "account.password_reset"}


async def request_reset(email: str, uow: PeopleUnitOfWork, clock: Clock, base_url: str) -> None:
    """Mail a reset link (1 hour, used once) to `email` if it is an active account's; else nothing.
    A malformed address is refused naming `email` (that tells nothing about accounts)."""
    address = normalize_email(email)
    async with uow:
        account = await uow.accounts.by_email(address)
        if account is None or not account.is_active:
            return
        link, token = OneTimeLink.issue(account.municipality_id, account.id, LinkKind.RESET, clock.now())
        uow.links.add(link)
        uow.audit(AuditEntry(account.municipality_id, None, "account.reset_requested", "account", account.id, {}))
        uow.notify(reset_message(account, set_password_link(base_url, token)))
        await uow.commit()


async def _usable_link(token: str, uow: PeopleUnitOfWork, clock: Clock) -> tuple[OneTimeLink, Account]:
    link = await uow.links.by_token_hash(link_token_hash(token))
    if link is None:
        raise unknown_link()
    account = await uow.accounts.get(link.account_id)
    if account is None or not account.is_active:
        raise ValidationError("token", "This account is deactivated; ask the municipality.", "inactive")
    if not link.is_open(clock.now()):
        link.use(clock.now())  # raises, saying why
    return link, account


async def set_password(token: str, password: str, uow: PeopleUnitOfWork, hasher: PasswordHasher,
                       clock: Clock) -> Account:
    """Spend the link and give its account the new password (the rules of registration); the
    account's other open links end with it. Returns the account, whose sessions the caller ends."""
    check_password(password)
    token = check_token(token)
    async with uow:  # a bad link costs no hashing
        await _usable_link(token, uow, clock)
    password_hash = await hasher.hash(password)  # outside the transaction (SQLite's writer lock)
    async with uow:
        link, account = await _usable_link(token, uow, clock)
        now = clock.now()
        link.use(now)
        for other in await uow.links.open_of(account.id, now):
            other.close(now)
        account.password_hash = password_hash
        uow.audit(AuditEntry(account.municipality_id, account.id, _ACTIONS[link.kind], "account", account.id,
                             {"link": str(link.kind)}))
        await uow.commit()
        return account
