"""Password hashing with argon2id (argon2-cffi), behind the PasswordHasher port.

Hashing is deliberately slow, so it runs in a worker thread and the event loop stays free."""

from __future__ import annotations

import asyncio
import weakref

from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Hasher:
    """argon2id. At most `concurrency` hashes (default one) run at once per process: each takes `memory_cost`
    KiB, so a burst of sign-ins cannot push the process past its memory budget."""

    # OWASP's argon2id configuration m=46 MiB, t=1, p=1: strong, and a process under a burst of
    # sign-ins stays within its memory budget. Stored hashes carry their parameters, and hashes
    # made with others are upgraded at the next sign-in (needs_rehash).
    def __init__(self, *, time_cost: int = 1, memory_cost: int = 46 * 1024, parallelism: int = 1,
                 concurrency: int = 1) -> None:
        self._argon = Argon2(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        self._concurrency = concurrency
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
            weakref.WeakKeyDictionary()

    def _semaphore(self) -> asyncio.Semaphore:
        # One per event loop (a semaphore belongs to the loop it first waited in).
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(self._concurrency)
        return slots

    async def hash(self, password: str) -> str:
        async with self._semaphore():
            return await asyncio.to_thread(self._argon.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        async with self._semaphore():
            return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
