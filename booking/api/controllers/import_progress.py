"""An import that reports its progress: NDJSON lines while it runs, for a client that asks with
`Accept: application/x-ndjson` (docs/imports.md).

Stateless: the import runs inside the request that streams its progress, so any worker serves it and
nothing is kept between requests. Each line is one JSON object: `{"stage": "check"|"write", "done": n,
"total": N}` as the rows are checked and written, then one last line, the answer the plain request
would have had in its body: the ImportPlan, or the problem object (a refused file's 422 with its rows).
The status line was sent before the first row was checked, so it is 200 whatever the last line says."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.response import Stream
from litestar.response.base import ASGIResponse

from booking.adapters.db.transient import TransientDatabaseError
from booking.api.problems import on_domain_error, on_unexpected, problem_document
from booking.api.retry import ATTEMPTS, BACKOFF  # a lock conflict runs the import again, as for plain answers
from booking.domain.imports.plan import Plan, Progress
from booking.domain.shared.errors import DomainError

log = logging.getLogger("booking.api.imports")

NDJSON = "application/x-ndjson"
END = object()


class NdjsonStream(Stream):
    """A stream of NDJSON lines (Litestar would label a Response with its route's media type otherwise)."""

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        kwargs["media_type"] = NDJSON
        return super().to_asgi_response(*args, **kwargs)


def wants_progress(request: Request[Any, Any, Any]) -> bool:
    """Asked for with `Accept: application/x-ndjson` (in any of the request's Accept fields)."""
    return any(NDJSON in value for value in request.headers.getall("accept", []))


def _line(value: Any) -> bytes:
    return msgspec.json.encode(value) + b"\n"


@dataclass
class ProgressStream:
    """Runs `work(progress)` and yields its progress lines, then its answer's line."""

    request: Request[Any, Any, Any]
    work: Callable[[Progress], Awaitable[Plan]]
    answer: Callable[[Plan], Any]

    async def lines(self) -> AsyncIterator[bytes]:
        queue: asyncio.Queue[Any] = asyncio.Queue()

        async def progress(stage: str, done: int, total: int) -> None:
            queue.put_nowait({"stage": stage, "done": done, "total": total})
            await asyncio.sleep(0)  # let the line go out before the next rows

        async def run() -> None:
            try:
                queue.put_nowait(await self._attempts(progress))
            finally:
                queue.put_nowait(END)

        task = asyncio.create_task(run())
        try:
            while (item := await queue.get()) is not END:
                yield _line(item)
        finally:
            if not task.done():  # the client went away: the import's transaction rolls back
                task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _attempts(self, progress: Progress) -> Any:
        path = self.request.url.path
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self.answer(await self.work(progress))
            except DomainError as exc:
                return on_domain_error(self.request, exc).content
            except TransientDatabaseError as exc:
                log.warning("lock conflict on %s (attempt %d): %s", path, attempt, exc)
                await asyncio.sleep(BACKOFF * attempt)
            except Exception as exc:
                return on_unexpected(self.request, exc).content
        return problem_document(503, "The database was busy with a conflicting change; try again in a moment.",
                                path, code="busy")


@dataclass
class ImportOperation(Operation):
    """The import's OpenAPI operation: its 200 answer is JSON, or NDJSON progress lines when asked for."""

    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse) and ok.content is not None:
            ok.content[NDJSON] = OpenAPIMediaType(schema=Schema(
                type=OpenAPIType.STRING,
                description='Sent for `Accept: application/x-ndjson`: one JSON object a line, '
                            '`{"stage": "check"|"write", "done": n, "total": N}` while the rows are checked and '
                            'written, then the ImportPlan (as for application/json) or a problem object.'))
