"""Benchmark rows of holiday activities (lovaktiviteter); importing this module registers them (see rows.py)."""

from __future__ import annotations
