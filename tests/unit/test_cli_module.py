"""`python -m booking` is the `booking` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUBCOMMANDS = ("serve", "demo", "db", "seed-demo", "maintenance", "check", "admin")


def test_python_m_booking_lists_the_subcommands() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "booking", "--help"], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: booking ")
    for command in SUBCOMMANDS:
        assert command in done.stdout


def test_python_m_booking_refuses_an_unknown_subcommand() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "booking", "fly"], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "invalid choice: 'fly'" in done.stderr
