"""Benchmark data of the season allocation round (tidsfördelning): steps appended to datagen.STEPS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

STEPS: Sequence[tuple[str, Any]] = []
