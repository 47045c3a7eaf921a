"""Sign-in throttling, shared by all workers through the `login_failures` table.

Two limits in a sliding window (BOOKING_LOGIN_WINDOW_MINUTES):

- Per account (BOOKING_LOGIN_MAX_FAILURES): past it, the account answers 429 to everyone, the
  right password included, until its failures age out.
- Per client address (BOOKING_LOGIN_MAX_FAILURES_PER_CLIENT): past it, the address is slowed,
  not shut. Many people may share one address (a school, a municipality behind one proxy), so
  an attacker there must not lock the others out. An address over its limit gets 429 only for
  accounts that have failed *from that address* in the window; an account with no failures
  from it is still checked, so its right password signs in at once, and a wrong one is
  answered after a delay that grows with how far the address is over its limit
  (`over_limit_delay`). Guessing one password each across many accounts (spraying) from one
  address thus costs the attacker time per guess, and every account it has tried is closed to it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import UUID

from litestar import Request

from booking.adapters.db.auth_store import AuthStore
from booking.config import Settings
from booking.domain.people import services as people
from booking.domain.people.model import Account
from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import RateLimited, Unauthenticated
from booking.domain.shared.ports import PasswordHasher

MAX_DELAY_SECONDS = 10.0
# Registrations of one e-mail address per window, whether or not it is taken (the same for both, so the
# limit tells nothing): a taken address mails its owner each time, and this bounds that mail.
REGISTRATIONS_PER_ADDRESS = 3
# Password resets asked for one e-mail address per window, known or not (the same for both): each mails a link.
RESETS_PER_ADDRESS = 3
sleep = asyncio.sleep  # a module attribute, so tests can count the delays instead of waiting them out


def over_limit_delay(over: int) -> float:
    """Seconds a failed sign-in from an address `over` failures past its limit waits for its answer:
    0.5, 1, 2, 4, 8, then 10 seconds."""
    if over <= 0:
        return 0.0
    return min(MAX_DELAY_SECONDS, 0.5 * 2 ** min(over - 1, 8))


def client_address(request: Request[Any, Any, Any], settings: Settings) -> str:
    """The address sign-in throttling counts against. Behind a trusted reverse proxy it is the last
    X-Forwarded-For entry, the one the proxy itself added: the entries before it are whatever the
    client chose to send, so trusting the first would let every guess come from a new address."""
    if settings.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded and forwarded.split(",")[-1].strip():
            return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else "unknown"


def _retry_after(first: Any, window: timedelta, now: Any) -> int:
    return max(int(((first or now) + window - now).total_seconds()) + 1, 1)


async def throttled_authenticate(request: Request[Any, Any, Any], email: str, password: str, settings: Settings,
                                 store: AuthStore, uow: PeopleUnitOfWork, hasher: PasswordHasher,
                                 clock: Clock) -> Account:
    """A password check behind the limits above.

    The attempt is recorded as a failure *before* the counts are read and the password checked,
    and forgotten again when it succeeds or is refused unchecked: so guesses sent in parallel see
    each other, and no more than the limit of them are ever checked (a check-then-record would let
    a burst through)."""
    now = clock.now()
    window = timedelta(minutes=settings.login_window_minutes)
    account = email.strip().lower()
    address = client_address(request, settings)
    account_key, client_key, pair_key = "login:" + account, "client:" + address, f"client-login:{address} {account}"
    attempt = await store.record_failure([account_key, client_key, pair_key], now)
    counts = await store.failures_since([account_key, client_key, pair_key], now - window)

    failures, first = counts[account_key]
    if failures > settings.login_max_failures_per_account:  # the counts include this attempt
        await store.forget(attempt)
        raise RateLimited("Too many failed sign-ins; wait a while and try again.", _retry_after(first, window, now))
    over = counts[client_key][0] - settings.login_max_failures_per_client
    tried_here, first_here = counts[pair_key]
    if over > 0 and tried_here > 1:  # this account has already failed from this busy address
        await store.forget(attempt)
        raise RateLimited("Too many failed sign-ins from here; wait a while and try again.",
                          _retry_after(first_here, window, now))
    try:
        signed_in = await people.authenticate(email, password, uow, hasher, clock)
    except Unauthenticated:
        if over > 0:  # the recorded attempt stays, as a failure, and costs its sender time
            await sleep(over_limit_delay(over))
        raise
    except BaseException:
        await store.forget(attempt)  # not the caller's failure
        raise
    await store.clear_failures(account_key, pair_key, attempt=attempt)
    return signed_in


async def count_registration(settings: Settings, store: AuthStore, email: str, clock: Clock) -> list[UUID]:
    """Counts a registration of `email` (the returned rows; forget them if it is refused as invalid),
    or raises RateLimited past REGISTRATIONS_PER_ADDRESS in the window."""
    now = clock.now()
    window = timedelta(minutes=settings.login_window_minutes)
    key = "register:" + email.strip().lower()
    attempt = await store.record_failure([key], now)
    registrations, first = (await store.failures_since([key], now - window))[key]
    if registrations > REGISTRATIONS_PER_ADDRESS:
        await store.forget(attempt)
        raise RateLimited("This address was registered several times just now; wait a while and try again.",
                          _retry_after(first, window, now))
    return attempt


async def count_password_reset(settings: Settings, store: AuthStore, email: str, clock: Clock) -> list[UUID]:
    """Counts a password reset asked for `email`, known or not (the returned rows; forget them if the address
    is refused as malformed), or raises RateLimited past RESETS_PER_ADDRESS in the window."""
    now = clock.now()
    window = timedelta(minutes=settings.login_window_minutes)
    key = "reset:" + email.strip().lower()
    attempt = await store.record_failure([key], now)
    resets, first = (await store.failures_since([key], now - window))[key]
    if resets > RESETS_PER_ADDRESS:
        await store.forget(attempt)
        raise RateLimited("A new password was asked for this address several times just now; wait a while and "
                          "try again.", _retry_after(first, window, now))
    return attempt
