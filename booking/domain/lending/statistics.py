"""Lending statistics from loan rows: loans per category, month and site; unique borrowers by age band,
gender and area; the most borrowed articles. Pure: the adapter hands over the rows, the local zone
decides the month. Nothing here names a person."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

AGE_BANDS = ((0, 6), (7, 12), (13, 15), (16, 19), (20, 25), (26, 64), (65, 200))


def age_band(age: int) -> str:
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}" if high < 200 else f"{low}+"
    return "unknown"


@dataclass(frozen=True, slots=True)
class LoanRow:
    lent_at: datetime
    site: str
    category: str  # the top category
    article: str  # name and variant
    borrower_id: UUID | None
    birth_year: int | None
    gender: str | None
    area: str | None


CHILD_MAX_AGE = 17  # reach is counted per 1,000 children aged 0-17 living in the area


@dataclass
class Statistics:
    loans: int = 0
    by_month: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (month, site, category)
    by_category: Counter[str] = field(default_factory=Counter)
    by_site: Counter[str] = field(default_factory=Counter)
    top_articles: list[tuple[str, int]] = field(default_factory=list)
    borrowers: int = 0
    by_age_band: Counter[str] = field(default_factory=Counter)
    by_gender: Counter[str] = field(default_factory=Counter)
    by_area: Counter[str] = field(default_factory=Counter)
    children_by_area: Counter[str] = field(default_factory=Counter)  # borrowers aged 0-17, by where they live


def summarise(rows: Iterable[LoanRow], zone: ZoneInfo, year: int, top: int = 10) -> Statistics:
    """`year` is the year ages are counted in (the period's last year)."""
    stats = Statistics()
    articles: Counter[str] = Counter()
    people: dict[UUID, LoanRow] = {}
    for row in rows:
        stats.loans += 1
        month = row.lent_at.astimezone(zone).strftime("%Y-%m")
        stats.by_month[(month, row.site, row.category)] += 1
        stats.by_category[row.category] += 1
        stats.by_site[row.site] += 1
        articles[row.article] += 1
        if row.borrower_id is not None:
            people.setdefault(row.borrower_id, row)
    stats.top_articles = sorted(articles.items(), key=lambda kv: (-kv[1], kv[0]))[:top]  # ties by name
    stats.borrowers = len(people)
    for person in people.values():
        stats.by_age_band[age_band(year - person.birth_year) if person.birth_year else "unknown"] += 1
        stats.by_gender[person.gender or "unknown"] += 1
        stats.by_area[person.area or "unknown"] += 1
        if person.birth_year is not None and 0 <= year - person.birth_year <= CHILD_MAX_AGE:
            stats.children_by_area[person.area or "unknown"] += 1
    return stats
