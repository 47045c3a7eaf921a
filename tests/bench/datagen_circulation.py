"""Benchmark data of lending circulation (historic loans): steps appended to datagen.STEPS after the catalogue's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

STEPS: Sequence[tuple[str, Any]] = []
