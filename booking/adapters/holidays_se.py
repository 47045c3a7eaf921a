"""Swedish public holidays and the de facto closed eves, from the `holidays` package."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def swedish_closed_days(year: int) -> dict[date, str]:
    """Public holidays plus midsommarafton, julafton and nyårsafton (names in Swedish).
    Ordinary Sundays are not holidays here: opening hours decide about weekends."""
    days = holidays.country_holidays("SE", years=year, include_sundays=False, language="sv",
                                     categories=("public", "de_facto"))
    return dict(days.items())
