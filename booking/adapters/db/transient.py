"""Lock conflicts the database settles by refusing one transaction: worth running the same work again.

PostgreSQL: serialization failure (SQLSTATE 40001), deadlock (40P01), lock not available (55P03,
also what `lock_timeout` raises). SQLite: "database is locked" / busy (SQLITE_BUSY, SQLITE_LOCKED).
Also the pool of connections staying empty for its whole timeout (on SQLite the one pooled writer is
the process's write lock). The unit of work turns these into `TransientDatabaseError`; the API runs
the request again (booking/api/retry.py) when the failed attempt committed nothing, and otherwise
answers 503 with Retry-After.

`commits_in_attempt()` counts the transactions committed on write connections while it is open
(an event on the write engine calls `note_commit`), so the API can tell an attempt that changed
nothing (safe to run again) from one that committed part of its work.
"""

from __future__ import annotations

import contextvars
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import exc as sa_exc

POSTGRES_TRANSIENT = {
    "40001": "serialization failure",
    "40P01": "deadlock detected",
    "55P03": "lock not available",
}
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_SQLITE_TEXTS = ("database is locked", "database table is locked", "database is busy")


class TransientDatabaseError(Exception):
    """The database refused this transaction over a lock conflict; nothing of it was kept."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def transient_reason(error: BaseException) -> str | None:
    """Why `error` is a transient lock conflict ("40P01 deadlock detected", "SQLITE_BUSY: ..."), or None."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, TransientDatabaseError):
            return current.reason
        if isinstance(current, sa_exc.TimeoutError):  # QueuePool limit ... connection timed out
            return "connection pool timeout"
        sqlstate = getattr(current, "sqlstate", None) or getattr(current, "pgcode", None)
        if isinstance(sqlstate, str) and sqlstate in POSTGRES_TRANSIENT:
            return f"{sqlstate} {POSTGRES_TRANSIENT[sqlstate]}"
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            text = str(current).lower()
            if (isinstance(code, int) and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)) or any(
                    t in text for t in _SQLITE_TEXTS):
                return f"SQLITE_BUSY: {current}"
        current = getattr(current, "orig", None) or current.__cause__
    return None


def as_transient(error: BaseException) -> TransientDatabaseError | None:
    """The transient error a database error stands for; None for anything else (domain errors,
    constraint violations, a lost connection ...)."""
    if not isinstance(error, sa_exc.DBAPIError | sa_exc.TimeoutError):
        return None
    reason = transient_reason(error)
    return TransientDatabaseError(reason) if reason is not None else None


@dataclass
class Commits:
    count: int = 0


_commits: contextvars.ContextVar[Commits | None] = contextvars.ContextVar("booking_commits", default=None)


def note_commit() -> None:
    counter = _commits.get()
    if counter is not None:
        counter.count += 1


@contextmanager
def commits_in_attempt() -> Iterator[Commits]:
    counter = Commits()
    token = _commits.set(counter)
    try:
        yield counter
    finally:
        _commits.reset(token)
