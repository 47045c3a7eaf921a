"""Free loopback ports for the servers the tests start (uvicorn, aiosmtpd).

A port is taken from a block of its own for each pytest-xdist worker (gw0, gw1, ...), below the kernel's
ephemeral range (32768-60999 on Linux): the port asked for with bind(("127.0.0.1", 0)) is only free until
something else takes it, and outgoing connections (Chromium's, httpx's, the OIDC provider's) and the other
worker's servers draw from that range. Here only this worker's own servers can collide, and it checks
first that nothing listens there.
"""

from __future__ import annotations

import os
import random
import socket

BASE = 20000
BLOCK = 1000  # ports per worker: gw0 gets 20000-20999, gw1 21000-21999, ...


def worker_index() -> int:
    """0 for gw0 or a run without xdist, 1 for gw1, ..."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0


def free_port() -> int:
    start = BASE + (worker_index() % 12) * BLOCK  # 12 blocks end at 32000, below the ephemeral range
    for port in random.sample(range(start, start + BLOCK), BLOCK):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in {start}-{start + BLOCK - 1}")
