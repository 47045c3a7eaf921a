"""Attendance at booked occasions, and what counts as a meeting for LOK-stöd.

LOK-stöd (the state grant for sports associations) counts a meeting when it lasts at least 45
minutes, has a leader aged 13 or more, and at least 3 participants besides the leader who turn
7-25 that year (at most 20 participants per leader are counted). Attendance is kept per
participant as birth year and gender only: the minimum the report needs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from booking.domain.shared.errors import ValidationError
from booking.domain.shared.text import clean_name

LOK_MIN_DURATION = timedelta(minutes=45)
LOK_MIN_PARTICIPANTS = 3
LOK_AGES = range(7, 26)
LOK_MIN_LEADER_AGE = 13
LOK_PER_LEADER = 20
MAX_PARTICIPANTS = 500


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"  # annat / vill inte ange


@dataclass(frozen=True)
class Participants:
    """How many of one birth year and gender took part."""

    birth_year: int
    gender: Gender
    count: int


@dataclass(eq=False)
class Attendance:
    booking_id: UUID
    municipality_id: UUID
    leader_name: str
    leader_birth_year: int | None
    participants: list[dict[str, object]]  # [{"birth_year", "gender", "count"}], stored as JSON
    recorded_by: UUID
    leaders: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.leader_name = clean_name(self.leader_name, "leader_name")
        if not 1 <= self.leaders <= 50:
            raise ValidationError("leaders", "Between 1 and 50 leaders.", "range")
        groups = [Participants(int(p["birth_year"]), Gender(str(p["gender"])), int(p["count"]))  # type: ignore[call-overload]
                  for p in self.participants]
        for i, group in enumerate(groups):
            if not 1900 <= group.birth_year <= 2200:
                raise ValidationError(f"participants[{i}].birth_year", "Not a birth year.", "range")
            if not 0 <= group.count <= MAX_PARTICIPANTS:
                raise ValidationError(f"participants[{i}].count", f"Between 0 and {MAX_PARTICIPANTS}.", "range")
        if sum(g.count for g in groups) > MAX_PARTICIPANTS:
            raise ValidationError("participants", f"At most {MAX_PARTICIPANTS} participants.", "range")
        merged: Counter[tuple[int, Gender]] = Counter()
        for g in groups:
            merged[(g.birth_year, g.gender)] += g.count
        self.participants = [{"birth_year": y, "gender": str(gender), "count": n}
                             for (y, gender), n in sorted(merged.items()) if n]

    @property
    def groups(self) -> list[Participants]:
        return [Participants(int(p["birth_year"]), Gender(str(p["gender"])), int(p["count"]))  # type: ignore[call-overload]
                for p in self.participants]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


@dataclass(frozen=True)
class LokAssessment:
    counts: bool
    eligible_participants: int  # counted for the grant (capped per leader)
    reasons: list[str] = field(default_factory=list)


def assess_lok(attendance: Attendance, starts_at: datetime, ends_at: datetime) -> LokAssessment:
    year = starts_at.year
    reasons: list[str] = []
    if ends_at - starts_at < LOK_MIN_DURATION:
        reasons.append("shorter than 45 minutes")
    if attendance.leader_birth_year is None or year - attendance.leader_birth_year < LOK_MIN_LEADER_AGE:
        reasons.append("leader under 13 or age unknown")
    in_age = sum(g.count for g in attendance.groups if year - g.birth_year in LOK_AGES)
    eligible = min(in_age, LOK_PER_LEADER * attendance.leaders)
    if in_age < LOK_MIN_PARTICIPANTS:
        reasons.append("fewer than 3 participants aged 7-25")
    return LokAssessment(not reasons, eligible if not reasons else 0, reasons)
