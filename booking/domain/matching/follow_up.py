"""The follow-up of föreningsmatchning: interest requests and answers per home area, interest, age group and
gender, with the reach per 1,000 children of each area, and which requests got no answer in time. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from booking.domain.activities.model import age_group
from booking.domain.shared.reach import per_1000

NO_AREA = "none"
UNKNOWN = "unknown"
UNANSWERED_DAYS = 14


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the follow-up counts of one request (no personal data)."""

    home_area_id: UUID | None
    interests: tuple[UUID, ...]
    age: int | None
    gender: str | None
    answered: bool
    via_counter: bool


@dataclass(frozen=True, slots=True)
class AreaFacts:
    area_id: UUID
    name: str
    population_0_17: int | None


@dataclass
class Tally:
    requests: int = 0
    answered: int = 0

    def add(self, answered: bool) -> None:
        self.requests += 1
        self.answered += int(answered)


@dataclass(frozen=True, slots=True)
class AreaReach:
    area_id: UUID | None
    name: str | None
    population_0_17: int | None
    requests: int
    answered: int
    per_1000: float | None  # requests per 1,000 children of the area


@dataclass
class FollowUp:
    requests: int = 0
    answered: int = 0
    via_counter: int = 0
    by_interest: dict[str, Tally] = field(default_factory=dict)
    by_age_group: dict[str, Tally] = field(default_factory=dict)
    by_gender: dict[str, Tally] = field(default_factory=dict)
    by_area: list[AreaReach] = field(default_factory=list)


def follow_up(facts: list[RequestFacts], areas: list[AreaFacts]) -> FollowUp:
    report = FollowUp()
    area_tally: dict[UUID | None, Tally] = {}
    for f in facts:
        report.requests += 1
        report.answered += int(f.answered)
        report.via_counter += int(f.via_counter)
        for interest in f.interests:
            report.by_interest.setdefault(str(interest), Tally()).add(f.answered)
        group = (age_group(f.age) if f.age is not None else None) or UNKNOWN
        report.by_age_group.setdefault(group, Tally()).add(f.answered)
        report.by_gender.setdefault(f.gender or UNKNOWN, Tally()).add(f.answered)
        area_tally.setdefault(f.home_area_id, Tally()).add(f.answered)
    for area in sorted(areas, key=lambda a: a.name.casefold()):
        tally = area_tally.pop(area.area_id, Tally())
        report.by_area.append(AreaReach(area.area_id, area.name, area.population_0_17, tally.requests, tally.answered,
                                        per_1000(tally.requests, area.population_0_17)))
    rest = Tally()
    for tally in area_tally.values():  # no home area given (or an area since removed)
        rest.requests += tally.requests
        rest.answered += tally.answered
    if rest.requests:
        report.by_area.append(AreaReach(None, None, None, rest.requests, rest.answered, None))
    return report


def unanswered_before(now: datetime, days: int = UNANSWERED_DAYS) -> datetime:
    """Requests sent before this instant and still without an answer are overdue."""
    return now - timedelta(days=days)

