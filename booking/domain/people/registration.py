"""Self-registration that does not tell who has an account.

Answering "this address already has an account" would let anyone test addresses one by one
(across municipalities too: an address is unique in the whole deployment). So a registration
with a taken address is answered exactly like a new one (the same answer, the same argon2 work),
nothing is created, and the owner of the address is told by e-mail instead: the one person
who may learn that the account exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from booking.domain.people.model import Account
from booking.domain.people.passwords import check_password
from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict
from booking.domain.shared.notifications import Message
from booking.domain.shared.ports import PasswordHasher

ATTEMPT_KIND = "account.registration_attempt"

_SUBJECT = "Någon försökte registrera ett konto med din e-postadress / Someone tried to register with your address"
_BODY = """Hej {name},

någon försökte just registrera ett nytt konto med din e-postadress. Du har redan ett konto, så inget nytt
konto skapades och ditt konto är oförändrat.

Om det var du: logga in på {sign_in}. Har du glömt ditt lösenord, be kommunen att sätta ett nytt.
Om det inte var du behöver du inte göra något.

--

Hello {name},

someone just tried to register a new account with your e-mail address. You already have an account, so no
new account was created and yours is unchanged.

If it was you: sign in at {sign_in}. If you have forgotten your password, ask the municipality to set a
new one. If it was not you, there is nothing you need to do."""


@dataclass(frozen=True)
class Register:
    email: str
    display_name: str
    password: str
    locale: str = "sv"


def attempt_message(owner: Account, sign_in_url: str) -> Message:
    return Message(owner.municipality_id, ATTEMPT_KIND, owner.email, _SUBJECT,
                   _BODY.format(name=owner.display_name, sign_in=sign_in_url))


async def register(cmd: Register, uow: PeopleUnitOfWork, hasher: PasswordHasher, municipality_id: UUID, clock: Clock,
                   sign_in_url: str) -> Account:
    """An account without roles in the municipality, or, when the address is taken, an account
    that looks the same and is never stored (its owner is told by e-mail). The caller cannot tell
    which: both are answered as created."""
    check_password(cmd.password)
    account = Account(municipality_id=municipality_id, email=cmd.email, display_name=cmd.display_name,
                      locale=cmd.locale)
    # Hashed either way, and outside the transaction (on SQLite it would hold the writer lock).
    password_hash = await hasher.hash(cmd.password)
    if await _stored_unless_taken(account, password_hash, uow, sign_in_url):
        return account
    return _unsaved(account, clock)


async def _stored_unless_taken(account: Account, password_hash: str, uow: PeopleUnitOfWork, sign_in_url: str) -> bool:
    """True when the new account is stored; False when its address is taken and the owner was told."""
    async with uow:
        if await _told_owner(account.email, uow, sign_in_url):
            return False
        account.password_hash = password_hash
        uow.accounts.add(account)
        uow.audit(AuditEntry(account.municipality_id, account.id, "account.created", "account", account.id,
                             {"roles": []}))
        try:
            await uow.commit()
            return True
        except Conflict:
            pass  # registered a moment ago by a simultaneous request: taken after all
    async with uow:
        await _told_owner(account.email, uow, sign_in_url)
    return False


async def _told_owner(email: str, uow: PeopleUnitOfWork, sign_in_url: str) -> bool:
    """If `email` has an account, tell its owner (the message committed to the outbox) and say True."""
    owner = await uow.accounts.by_email(email)
    if owner is None:
        return False
    uow.notify(attempt_message(owner, sign_in_url))
    await uow.commit()
    return True


def _unsaved(account: Account, clock: Clock) -> Account:
    """The answer for a taken address: what a new account looks like, never stored."""
    account.created_at = account.updated_at = clock.now()
    return account
