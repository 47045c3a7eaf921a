"""Benchmark rows of equipment lending (Fritidsbanken); importing this module registers them (see rows.py)."""

from __future__ import annotations
