"""Föreningsmatchning: rank the published associations for a young person's interests, age, area and days,
and say why each one fits ("10-12 år", "tränar tisdagar i Nacksta idrottshall", "400 m från Nacksta",
"prova gratis") in Swedish and English.

Pure: the candidates (published profiles with their public training times) come from storage."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from uuid import UUID

WEEKDAYS_SV = ("måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar", "söndagar")
WEEKDAYS_EN = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
EARTH_RADIUS_M = 6_371_000.0
MAX_RESULTS = 50

# points of the score; the order of results follows them, then the name
INTEREST_POINTS = 40  # per shared interest
AGE_POINTS = 20
DAY_POINTS = 15  # per wished day it trains on (at most two days count)
AREA_POINTS = 15  # active in the young person's area (or trains near its centre)
FREE_TO_TRY_POINTS = 5
NEAR_M = 5_000  # beyond this a training site earns no distance points


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # interest | age | day | distance | area | free_to_try
    text_sv: str
    text_en: str


@dataclass(frozen=True, slots=True)
class TrainingTime:
    weekday: int  # ISO 1-7
    start: str  # local "18:00"
    end: str
    site_name: str
    space_name: str
    dates: int = 1
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A published association as the matching sees it."""

    association_id: UUID
    name: str
    interests: tuple[UUID, ...]
    age_min: int | None
    age_max: int | None
    areas: tuple[UUID, ...]
    free_to_try: bool
    accepts_requests: bool
    training_times: tuple[TrainingTime, ...] = ()


@dataclass(frozen=True, slots=True)
class Wish:
    interests: tuple[UUID, ...]
    age: int | None
    area_id: UUID | None = None
    area_name: str | None = None
    area_latitude: float | None = None
    area_longitude: float | None = None
    days: tuple[int, ...] = ()
    interest_names: dict[UUID, tuple[str, str]] = field(default_factory=dict)  # id -> (sv, en)


@dataclass(frozen=True, slots=True)
class Match:
    candidate: Candidate
    score: int
    reasons: tuple[Reason, ...]


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres between two WGS 84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def distance_text(metres: float) -> tuple[str, str]:
    """"400 m" under a kilometre (to 100 m, at least 100 m), else "2,3 km" / "2.3 km"."""
    if metres < 950:
        shown = max(100, round(metres / 100.0) * 100)
        return f"{shown} m", f"{shown} m"
    km = f"{metres / 1000:.1f}"
    return f"{km.replace('.', ',')} km", f"{km} km"


def age_text(low: int | None, high: int | None) -> tuple[str, str]:
    if low is not None and high is not None:
        return f"{low}-{high} år", f"ages {low}-{high}"
    if low is not None:
        return f"från {low} år", f"from age {low}"
    return f"upp till {high} år", f"up to age {high}"


def _fits_age(c: Candidate, age: int | None) -> bool:
    if age is None:
        return True
    return (c.age_min is None or c.age_min <= age) and (c.age_max is None or age <= c.age_max)


def _nearest(c: Candidate, wish: Wish) -> tuple[float, TrainingTime] | None:
    if wish.area_latitude is None or wish.area_longitude is None:
        return None
    best: tuple[float, TrainingTime] | None = None
    for time in c.training_times:
        if time.latitude is None or time.longitude is None:
            continue
        d = haversine_m(wish.area_latitude, wish.area_longitude, time.latitude, time.longitude)
        if best is None or d < best[0]:
            best = (d, time)
    return best


def score(c: Candidate, wish: Wish) -> Match | None:
    """The candidate's match, or None when it does not fit (no shared interest, or the age is outside its range)."""
    shared = [i for i in c.interests if i in set(wish.interests)]
    if not shared or not _fits_age(c, wish.age):
        return None
    points = INTEREST_POINTS * len(shared)
    reasons: list[Reason] = []
    names = [wish.interest_names[i] for i in shared if i in wish.interest_names]
    if names:
        reasons.append(Reason("interest", ", ".join(n[0] for n in names), ", ".join(n[1] for n in names)))
    if wish.age is not None and (c.age_min is not None or c.age_max is not None):
        points += AGE_POINTS
        sv, en = age_text(c.age_min, c.age_max)
        reasons.append(Reason("age", sv, en))
    day_hits = 0
    for day in sorted(set(wish.days)):
        on_day = [t for t in c.training_times if t.weekday == day]
        if on_day:
            day_hits += 1
            first = on_day[0]
            reasons.append(Reason("day", f"tränar {WEEKDAYS_SV[day - 1]} i {first.site_name}",
                                  f"trains on {WEEKDAYS_EN[day - 1]} at {first.site_name}"))
    points += DAY_POINTS * min(day_hits, 2)
    nearest = _nearest(c, wish)
    if nearest is not None and wish.area_name:
        metres = nearest[0]
        sv, en = distance_text(metres)
        reasons.append(Reason("distance", f"{sv} från {wish.area_name}", f"{en} from {wish.area_name}"))
        points += max(0, round(AREA_POINTS * (1 - min(metres, NEAR_M) / NEAR_M)))
    elif wish.area_id is not None and wish.area_id in c.areas:
        reasons.append(Reason("area", "i ditt område", "in your area"))
        points += AREA_POINTS
    if c.free_to_try:
        reasons.append(Reason("free_to_try", "prova gratis", "free to try"))
        points += FREE_TO_TRY_POINTS
    return Match(c, points, tuple(reasons))


def rank(candidates: list[Candidate], wish: Wish, limit: int = MAX_RESULTS) -> list[Match]:
    """The fitting candidates, best first (score, then name, then id for a stable order)."""
    matches = [m for m in (score(c, wish) for c in candidates) if m is not None]
    matches.sort(key=lambda m: (-m.score, m.candidate.name.casefold(), str(m.candidate.association_id)))
    return matches[:limit]
