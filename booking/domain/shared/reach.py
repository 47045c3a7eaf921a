"""Reach: how many children a service reaches per 1,000 children aged 0-17 living in an area (the
municipality's equity view, "har alla samma möjligheter"). One rule for every follow-up."""

from __future__ import annotations


def per_1000(count: int, population_0_17: int | None) -> float | None:
    """`count` per 1,000 of the area's children, to one decimal; None without a population."""
    return round(count * 1000 / population_0_17, 1) if population_0_17 else None
