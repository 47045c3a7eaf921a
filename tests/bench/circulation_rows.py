"""Benchmark rows of lending circulation; importing this module registers them (see rows.py)."""

from __future__ import annotations
