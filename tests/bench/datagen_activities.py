"""Benchmark data of holiday activities (lovaktiviteter): steps appended to datagen.STEPS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

STEPS: Sequence[tuple[str, Any]] = []
