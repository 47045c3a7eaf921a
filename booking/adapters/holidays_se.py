"""Swedish public holidays (the `holidays` package) and the eves municipalities close."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.easter import easter

from booking.domain.municipalities.model import ALL_EVES, Eve


def _eves(year: int) -> dict[str, tuple[date, str]]:
    midsummer = date(year, 6, 19)  # midsommarafton: the Friday from 19 to 25 June
    midsummer += timedelta(days=(4 - midsummer.weekday()) % 7)
    return {Eve.EASTER: (easter(year) - timedelta(days=1), "Påskafton"),
            Eve.MIDSUMMER: (midsummer, "Midsommarafton"),
            Eve.CHRISTMAS: (date(year, 12, 24), "Julafton"),
            Eve.NEW_YEARS: (date(year, 12, 31), "Nyårsafton")}


@lru_cache(maxsize=64)
def _closed_days(year: int, eves: frozenset[str]) -> dict[date, str]:
    days = dict(holidays.country_holidays("SE", years=year, include_sundays=False, language="sv",
                                          categories=("public",)).items())
    for key, (day, name) in _eves(year).items():
        if key in eves:
            days[day] = name
    return dict(sorted(days.items()))


def swedish_closed_days(year: int, eves: Iterable[str] = ALL_EVES) -> dict[date, str]:
    """Public holidays plus the chosen eves (påskafton, midsommarafton, julafton, nyårsafton by
    default), names in Swedish. Ordinary Sundays are not holidays here: opening hours decide about
    weekends."""
    return dict(_closed_days(year, frozenset(eves)))
