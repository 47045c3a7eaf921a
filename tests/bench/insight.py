"""Why a row costs what it costs: SQL statements per request (`--queries`) and sampling
profiles of the server (`--profile`, with py-spy when it is installed).

Neither changes the server: `--queries` starts it with BOOKING_LOG_SQL=true (SQLAlchemy's
echo) and counts the statements it logs around each request; `--profile` attaches py-spy to
the server process while a row runs (the sampling itself costs the server a few percent).
"""

from __future__ import annotations

import collections
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# SQLAlchemy's echo line: "2026-11-22 20:15:31,918 INFO sqlalchemy.engine.Engine SELECT ..."; the app's
# logging may print each record a second time in another format, which is not counted.
_ECHO = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO sqlalchemy\.engine\.Engine (.*)$")
_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class SqlCount:
    """The statements one request sent, by kind; `transactions` counts BEGINs."""

    kinds: collections.Counter[str] = field(default_factory=collections.Counter)
    transactions: int = 0
    texts: list[str] = field(default_factory=list)  # first line of each statement

    @property
    def statements(self) -> int:
        return sum(self.kinds.values())

    def cell(self) -> str:
        parts = [f"{n} {k}" for k, n in sorted(self.kinds.items(), key=lambda kv: _STATEMENTS.index(kv[0]))]
        return f"{self.statements} ({', '.join(parts) or 'none'})"


def count_sql(log: str) -> SqlCount:
    out = SqlCount()
    for line in log.splitlines():
        m = _ECHO.match(line)
        if not m:
            continue
        message = m.group(1)
        word = message.split(" ", 1)[0].upper()
        if word in _STATEMENTS:
            out.kinds[word] += 1
            out.texts.append(message[:160])
        elif message.startswith("BEGIN (implicit)"):  # SQLAlchemy's mark of a new transaction
            out.transactions += 1
    return out


# --- profiles --------------------------------------------------------------------------------------


def py_spy() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


class Profiler:
    """py-spy record on the server while a row runs; raw folded stacks to `path`."""

    def __init__(self, pid: int, path: Path, rate: int = 200) -> None:
        self.pid, self.path, self.rate = pid, path, rate
        self.process: subprocess.Popen[bytes] | None = None
        self.error = ""

    def __enter__(self) -> Profiler:
        exe = py_spy()
        if exe is None:
            self.error = "py-spy is not installed"
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [exe, "record", "--pid", str(self.pid), "--rate", str(self.rate), "--format", "raw",
             "--output", str(self.path), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        try:
            _, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        if not self.path.exists():
            self.error = err.decode(errors="replace").strip()[-300:] or "py-spy wrote nothing"


# Samples where a thread only waits: aiosqlite's worker on its queue, the event loop in C.
_IDLE_LEAVES = ("_connection_worker_thread (aiosqlite/core.py:59)", "Runner.run (asyncio/runners.py:118)")
_FRAME = re.compile(r"^(.*) \((.*?)(?::(\d+))?\)$")


def _short(path: str) -> str:
    path = re.sub(r".*/(site-packages|lib/python3\.\d+)/", "", path)
    return re.sub(r".*?/(booking|tests)/", r"\1/", path, count=1)


def summarize(path: Path, top: int = 12) -> list[str]:
    """Busy samples by package (self time) and the heaviest functions of the app (inclusive)."""
    if not path.exists():
        return []
    packages: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    busy = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        frames = []
        for frame in stack.split(";"):
            m = _FRAME.match(frame)
            frames.append((m.group(1), _short(m.group(2)), m.group(3) or "") if m else (frame, "", ""))
        if not frames:
            continue
        fn, file, line_no = frames[-1]
        if f"{fn} ({file}:{line_no})" in _IDLE_LEAVES:
            continue
        count = int(n)
        busy += count
        packages[file.split("/")[0].removesuffix(".py") or "?"] += count
        for key in {f"{f} ({p})" for f, p, _ in frames if p.startswith("booking/")}:
            inclusive[key] += count
    if not busy:
        return []
    out = ["self time by package: " + ", ".join(f"{k} {100 * v / busy:.0f} %" for k, v in packages.most_common(6))]
    out += [f"{100 * v / busy:5.1f} % {k}" for k, v in inclusive.most_common(top)]
    return out
