"""Benchmark rows of the season allocation round; importing this module registers them (rows.py)."""

from __future__ import annotations
