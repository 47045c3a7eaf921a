"""A bounded, closed-loop load generator for loopback HTTP/1.1.

`concurrency` clients each keep one keep-alive connection and send the next request
as soon as the previous answer is read completely. A run stops at the deadline or
after `max_requests`, whichever comes first; requests in flight at the deadline
are finished and counted. A warm-up phase (not recorded) comes first.

Two clients: `raw` (asyncio streams, prebuilt request bytes, minimal response
parsing; the default, because httpx costs more CPU per request than the server's
trivial endpoint and would make the ceiling a measure of the client) and `httpx`
(for comparison and as a cross-check).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import httpx

TIMEOUT = 30.0  # seconds per request; a timeout counts as an error


@dataclass(frozen=True)
class Req:
    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "application/json"

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", "User-Agent: booking-bench",
                 "Accept: */*"]
        lines += [f"{k}: {v}" for k, v in self.headers]
        if self.body is not None:
            lines += [f"Content-Type: {self.content_type}", f"Content-Length: {len(self.body)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (self.body or b"")

    @cached_property
    def _cache(self) -> dict[str, bytes]:
        return {}

    def wire(self, host: str) -> bytes:
        """The encoded request, cached per host (requests from a fixed list are encoded once)."""
        cached = self._cache.get(host)
        if cached is None:
            cached = self._cache[host] = self.encode(host)
        return cached


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Client(Protocol):
    async def send(self, req: Req) -> Response: ...
    async def close(self) -> None: ...


class ProtocolError(Exception):
    pass


class RawClient:
    """One keep-alive HTTP/1.1 connection over asyncio streams; reconnects when the server closes."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.authority = f"{host}:{port}"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)

    async def send(self, req: Req) -> Response:
        if self.writer is None:
            await self._connect()
        assert self.reader is not None and self.writer is not None
        self.writer.write(req.wire(self.authority))
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            raise
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ProtocolError(f"bad status line {lines[0]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if line:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        elif status in (204, 304) or 100 <= status < 200 or req.method == "HEAD":
            body = b""
        else:  # delimited by close
            body = await self.reader.read()
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, body)

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        out = bytearray()
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while (await self.reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return bytes(out)
            out += await self.reader.readexactly(size + 2)
            del out[-2:]

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None


class HttpxClient:
    def __init__(self, host: str, port: int) -> None:
        self._client = httpx.AsyncClient(base_url=f"http://{host}:{port}", timeout=TIMEOUT,
                                         limits=httpx.Limits(max_connections=1, max_keepalive_connections=1))

    async def send(self, req: Req) -> Response:
        headers = dict(req.headers)
        if req.body is not None:
            headers["content-type"] = req.content_type
        r = await self._client.request(req.method, req.path, content=req.body, headers=headers)
        return Response(r.status_code, dict(r.headers), r.content)

    async def close(self) -> None:
        await self._client.aclose()


CLIENTS: dict[str, Callable[[str, int], Client]] = {"raw": RawClient, "httpx": HttpxClient}


def is_2xx(status: int) -> bool:
    return 200 <= status < 300


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    elapsed: float = 0.0
    warmup_requests: int = 0
    warmup_statuses: dict[str, int] = field(default_factory=dict)  # status -> count, warm-up phase
    latencies_ns: list[int] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)  # status (or exception name) -> count
    first_failures: list[str] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies_ns:
            return float("nan")
        ordered = sorted(self.latencies_ns)
        rank = max(1, min(len(ordered), -(-int(p * len(ordered)) // 100)))
        return ordered[rank - 1] / 1e6


async def run_load(
    make: Callable[[int], Req], *, host: str, port: int, concurrency: int, duration: float,
    max_requests: int, warmup: float = 0.0, client: str = "raw",
    ok: Callable[[int], bool] = is_2xx, check: Callable[[Response], str | None] | None = None,
) -> LoadResult:
    """Drive `make(i)` requests at the server. `check` looks at the warm-up answers (and the
    first measured ones when there is no warm-up) and may return a complaint, which aborts the run."""
    clients = [CLIENTS[client](host, port) for _ in range(concurrency)]
    result = LoadResult()
    issued = 0  # every request's index, warm-up included: make(i) never sees an index twice
    in_phase = 0  # requests started in the current phase, for its limit
    checked = 0

    async def one(c: Client, req: Req, record: bool) -> None:
        nonlocal checked
        started = time.perf_counter_ns()
        try:
            response = await asyncio.wait_for(c.send(req), TIMEOUT)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ProtocolError, httpx.HTTPError) as exc:
            await c.close()
            if record:
                result.requests += 1
                result.errors += 1
                key = type(exc).__name__
                result.statuses[key] = result.statuses.get(key, 0) + 1
                if len(result.first_failures) < 3:
                    result.first_failures.append(f"{req.method} {req.path}: {exc!r}")
            return
        latency = time.perf_counter_ns() - started
        if not record:
            key = str(response.status)
            result.warmup_statuses[key] = result.warmup_statuses.get(key, 0) + 1
        if check is not None and checked < 3 and (not record or warmup == 0):
            checked += 1
            complaint = check(response)
            if complaint:
                raise AssertionError(f"{req.method} {req.path} answered {response.status}: {complaint}")
        if record:
            result.requests += 1
            result.latencies_ns.append(latency)
            key = str(response.status)
            result.statuses[key] = result.statuses.get(key, 0) + 1
            if not ok(response.status):
                result.errors += 1
                if len(result.first_failures) < 3:
                    result.first_failures.append(
                        f"{req.method} {req.path}: {response.status} {response.body[:300]!r}")

    async def worker(c: Client, until: float, limit: int, record: bool) -> None:
        nonlocal issued, in_phase
        while time.perf_counter() < until and in_phase < limit:
            i = issued
            issued += 1
            in_phase += 1
            await one(c, make(i), record)

    try:
        if warmup > 0:
            until = time.perf_counter() + warmup
            await asyncio.gather(*(worker(c, until, max(max_requests // 10, concurrency), False) for c in clients))
        result.warmup_requests = in_phase
        in_phase = 0
        started = time.perf_counter()
        until = started + duration
        await asyncio.gather(*(worker(c, until, max_requests, True) for c in clients))
        result.elapsed = time.perf_counter() - started
    finally:
        for c in clients:
            await c.close()
    return result
