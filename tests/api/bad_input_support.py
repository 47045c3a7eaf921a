"""What the bad-input catalogues on a `World` share (test_bad_input_people.py, _sign_in.py, _associations.py):
sending a case's request, the refusal every case expects (a problem+json naming the field, and no row
changed), and running the whole catalogue so that every failing case is reported at once."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

import httpx

from booking.adapters.db.queries import Queries


class Named(Protocol):
    @property
    def id(self) -> str: ...


C = TypeVar("C", bound=Named)


async def send(api: httpx.AsyncClient, method: str, path: str, headers: Mapping[str, str], body: Any = None,
               params: Mapping[str, Any] | None = None) -> httpx.Response:
    """The request: `body` as JSON, or bytes sent as they are (as JSON, to reach the body's parser)."""
    kwargs: dict[str, Any] = {"headers": dict(headers), "params": params}
    if isinstance(body, bytes):
        kwargs["content"] = body
        kwargs["headers"]["Content-Type"] = "application/json"
    elif body is not None:
        kwargs["json"] = body
    return await api.request(method, path, **kwargs)


def assert_refused(response: httpx.Response, status: int, field: str) -> None:
    """A problem+json answer of `status` whose errors name `field` (a regex when it starts with ^)."""
    assert response.status_code == status, f"{response.status_code}: {response.text[:300]}"
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = [e["field"] for e in response.json().get("errors", [])]
    if field.startswith("^"):
        assert any(re.match(field, f) for f in fields), f"errors name {fields}, not {field}"
    else:
        assert field in fields, f"errors name {fields}, not {field}"


async def assert_rows_unchanged(queries: Queries, before: Mapping[str, int]) -> None:
    after = await queries.table_counts()
    changed = {k: (before[k], after[k]) for k in after if before.get(k) != after[k]}
    assert not changed, f"rows changed: {changed}"


async def run_catalogue(cases: Sequence[C], check: Callable[[C], Awaitable[None]], dialect: str) -> None:
    """`check` each case; a failing case is noted and the next one runs; then all failures at once."""
    failures: list[str] = []
    for case in cases:
        try:
            await check(case)
        except AssertionError as exc:
            failures.append(f"{case.id}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} of {len(cases)} cases failed on {dialect}:\n" + "\n".join(failures)
