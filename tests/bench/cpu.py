"""Who used the CPU while a row ran: the server, the database (local PostgreSQL backends),
the load generator, and everything else on the machine (other people's work on a shared
machine, which makes a row's figures unreliable) plus CPU steal of a virtual machine."""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass

from tests.bench.server import CLK_TCK, cpu_seconds


def _postgres_backends(database: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving `database` (its process title names it)."""
    out: dict[int, float] = {}
    marker = f" {database} ".encode()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                title = handle.read()
            if not title.startswith(b"postgres:") or marker not in title:
                continue
            with open(f"/proc/{entry.name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            out[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    return out


def _machine() -> tuple[float, float]:
    """(busy, steal) seconds of all cores since boot."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    return (user + nice + system + irq + softirq) / CLK_TCK, steal / CLK_TCK


@dataclass
class CpuShares:
    """Percent of one core over the row's wall time."""

    server: float
    database: float
    loadgen: float
    other: float
    steal: float
    server_seconds: float = 0.0  # CPU seconds of the server plus the database during the row

    def cell(self) -> str:
        return f"{self.server:.0f}/{self.database:.0f}/{self.loadgen:.0f}/{self.other:.0f}"


class CpuMeter:
    def __init__(self, server_pid: int, *, postgres_database: str | None) -> None:
        self.server_pid = server_pid
        self.database = postgres_database

    def _snap(self) -> tuple[tuple[float, float, float, float, float], dict[int, float]]:
        busy, steal = _machine()
        backends = _postgres_backends(self.database) if self.database else {}
        return (time.perf_counter(), cpu_seconds(self.server_pid), time.process_time(), busy, steal), backends

    def __enter__(self) -> CpuMeter:
        self._start = self._snap()
        return self

    def __exit__(self, *exc: object) -> None:
        self._end = self._snap()

    def shares(self) -> CpuShares:
        (a, before), (b, after) = self._start, self._end
        wall, server, loadgen, busy, steal = (y - x for x, y in zip(a, b, strict=True))
        # backends that ended meanwhile are lost; new ones count from zero
        database = sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
        pct = 100 / wall if wall > 0 else 0.0
        other = max(0.0, busy - server - database - loadgen)
        return CpuShares(server * pct, database * pct, loadgen * pct, other * pct, steal * pct, server + database)


def load_average() -> str:
    with contextlib.suppress(OSError):
        one, five, fifteen = os.getloadavg()
        return f"{one:.2f} {five:.2f} {fifteen:.2f}"
    return "?"
