"""The app served by uvicorn for the browser tests, on a free loopback port: the shared demo server of
conftest.py and the empty, CLI-installed one of empty_server.py start, await and stop it alike."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser.support import LiveServer
from tests.ports import free_port

__all__ = ["address", "free_port", "serving"]

STARTUP_SECONDS = 30


def address(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /health within {STARTUP_SECONDS} s:\n{log.read_text()}")


@contextmanager
def serving(port: int, env: dict[str, str], log: Path) -> Iterator[LiveServer]:
    """uvicorn serving the app (API + frontend) with `env` at http://127.0.0.1:`port` (its BOOKING_BASE_URL),
    its output appended to `log`, from when /health answers until the block ends."""
    url = address(port)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "booking.api.app:app_from_env",
             "--host", "127.0.0.1", "--port", str(port)],
            env={**env, "BOOKING_BASE_URL": url}, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(url, process, log)
        yield LiveServer(url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
