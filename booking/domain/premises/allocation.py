"""The season allocation round (tidsfördelning): rounds, their priority rules and applications
(the allocator that decides them is in allocator.py).

Staff open a round for a season; associations apply for weekly slots, each with an ordered list
of preferences (space, weekday, start; the first is the wish, the rest alternatives). The
allocator is a pure, deterministic function: applications are taken in priority order (the
weights of the municipality's rules that match, ties by application time, then id), and each
gets the first preference that is free (optionally shifted within the application's
flexibility), or is denied. Every outcome carries structured reasons (code + params) so the
frontend can explain it in Swedish or English, and the proposal has one score: the
priority-weighted share of requested hours granted.

Wall times: a weekly slot is a weekday and local minutes since midnight, so DST does not move
it. Two slots collide when they fall on the same weekday, their spaces share a leaf unit (a
whole divisible hall occupies every part) and [start, end + changeover buffer) overlap, the
same rule the occupancy rows of approved bookings follow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from uuid import UUID

from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.text import clean_name

WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_PREFERENCES = 5
MAX_FLEX_MINUTES = 120
SHIFT_STEP = 15  # shifted starts are tried in steps of this many minutes
TOLERATED_TAKEN_DATES = 2  # a weekly slot taken by existing bookings on at most this many dates is still granted


class RoundState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"  # applications accepted until the deadline
    ALLOCATED = "allocated"  # a proposal exists; staff may adjust it
    PUBLISHED = "published"  # the series are created
    CLOSED = "closed"  # cancelled without publishing


class AgeBand(StrEnum):
    CHILDREN = "0-12"
    TEENS = "13-19"
    ADULTS = "20-64"
    SENIORS = "65+"
    MIXED = "mixed"


YOUTH_BANDS = frozenset({AgeBand.CHILDREN, AgeBand.TEENS})


class RuleKey(StrEnum):
    YOUTH = "youth"  # a youth association, or a group under 20
    LOCAL = "local"  # a local association
    PREVIOUS_HOLDER = "previous_holder"  # held this space and weekday at that time last season
    PARTICIPANTS = "participants"  # more participants weigh more (share of the round's largest group)


class Outcome(StrEnum):
    GRANTED = "granted"  # the first wish
    MOVED = "moved"  # an alternative, or shifted within the flexibility
    DENIED = "denied"


@dataclass(frozen=True)
class PriorityRule:
    key: RuleKey
    weight: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", RuleKey(self.key))
        if not 0 <= self.weight <= 100:
            raise ValidationError("rules.weight", "A weight is between 0 and 100.", "range")


DEFAULT_RULES: tuple[PriorityRule, ...] = (
    PriorityRule(RuleKey.YOUTH, 40), PriorityRule(RuleKey.PREVIOUS_HOLDER, 30), PriorityRule(RuleKey.LOCAL, 20),
    PriorityRule(RuleKey.PARTICIPANTS, 10),
)


def check_rules(rules: Sequence[PriorityRule], field_name: str = "rules") -> list[PriorityRule]:
    seen: set[RuleKey] = set()
    for i, rule in enumerate(rules):
        if rule.key in seen:
            raise ValidationError(f"{field_name}[{i}].key", "Each rule once.", "duplicate")
        seen.add(rule.key)
    return list(rules)


def rules_to_json(rules: Iterable[PriorityRule]) -> list[dict[str, Any]]:
    return [{"key": str(r.key), "weight": r.weight} for r in rules]


def rules_from_json(items: Iterable[Mapping[str, Any]]) -> list[PriorityRule]:
    return [PriorityRule(RuleKey(i["key"]), int(i["weight"])) for i in items]


def minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def wall(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


# --- the stored objects --------------------------------------------------------------------------


@dataclass(eq=False)
class AllocationRound:
    municipality_id: UUID
    name: str
    first_day: date
    last_day: date
    deadline: datetime  # aware UTC; applications close then
    rules: list[dict[str, Any]] = field(default_factory=lambda: rules_to_json(DEFAULT_RULES))
    state: RoundState = RoundState.DRAFT
    proposal: list[dict[str, Any]] | None = None  # the allocator's outcomes (JSON), adjusted by staff
    score: float | None = None
    allocated_at: datetime | None = None
    published_at: datetime | None = None
    report: list[dict[str, Any]] | None = None  # what publishing created, per application
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        self.name = clean_name(self.name)
        self.state = RoundState(self.state)
        if self.last_day < self.first_day:
            raise ValidationError("last_day", "The season ends before it starts.", "range")
        if (self.last_day - self.first_day).days > 366:
            raise ValidationError("last_day", "A season is at most a year.", "range")
        if self.deadline.tzinfo is None:
            raise ValueError("aware deadline expected")
        check_rules(rules_from_json(self.rules))

    @property
    def priority_rules(self) -> list[PriorityRule]:
        return rules_from_json(self.rules)

    def accepts_applications(self, now: datetime) -> bool:
        return self.state is RoundState.OPEN and now < self.deadline

    def check_takes_applications(self, now: datetime) -> None:
        """A 409 saying why, unless the round is open and its deadline has not passed."""
        if self.accepts_applications(now):
            return
        if self.state is RoundState.OPEN:
            raise Conflict("The application deadline has passed.", [{"field": "deadline",
                                                                     "deadline": self.deadline.isoformat()}])
        raise Conflict(f"The round does not take applications; it is {self.state}.", [{"state": str(self.state)}])


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Preference:
    space_id: UUID
    weekday: int
    start: int  # local minutes since midnight

    def as_json(self) -> dict[str, Any]:
        return {"space_id": str(self.space_id), "weekday": self.weekday, "start": wall(self.start)}

    @staticmethod
    def from_json(item: Mapping[str, Any]) -> Preference:
        hh, mm = str(item["start"]).split(":")
        return Preference(UUID(str(item["space_id"])), int(item["weekday"]), int(hh) * 60 + int(mm))


@dataclass(eq=False)
class Application:
    municipality_id: UUID
    round_id: UUID
    association_id: UUID
    title: str
    age_band: AgeBand
    participants: int
    duration_minutes: int
    preferences: list[dict[str, Any]]  # [{space_id, weekday, start "HH:MM"}], first is the wish
    submitted_by: UUID
    submitted_at: datetime
    flex_minutes: int = 0  # the start may move this much earlier or later
    status: ApplicationStatus = ApplicationStatus.SUBMITTED
    note: str | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        self.title = clean_name(self.title, "title")
        self.age_band = AgeBand(self.age_band)
        self.status = ApplicationStatus(self.status)
        if not 1 <= self.participants <= 10_000:
            raise ValidationError("participants", "Between 1 and 10000 participants.", "range")
        if not 15 <= self.duration_minutes <= 24 * 60 or self.duration_minutes % 5:
            raise ValidationError("duration_minutes", "Between 15 minutes and a day, in steps of 5 minutes.",
                                  "range")
        if not 0 <= self.flex_minutes <= MAX_FLEX_MINUTES:
            raise ValidationError("flex_minutes", f"Between 0 and {MAX_FLEX_MINUTES} minutes.", "range")
        if not self.preferences:
            raise ValidationError("preferences", "Give at least one wished time.", "required")
        if len(self.preferences) > MAX_PREFERENCES:
            raise ValidationError("preferences", f"At most {MAX_PREFERENCES} preferences.", "too-long")
        seen = set()
        for i, pref in enumerate(self.wishes):
            if pref.weekday not in range(7):
                raise ValidationError(f"preferences[{i}].weekday", "Weekdays are 0 (Monday) to 6 (Sunday).")
            if pref.start + self.duration_minutes > 24 * 60:
                raise ValidationError(f"preferences[{i}].start", "The time must end on the day it starts.", "range")
            if pref in seen:
                raise ValidationError(f"preferences[{i}]", "The same preference twice.", "duplicate")
            seen.add(pref)

    @property
    def wishes(self) -> list[Preference]:
        return [Preference.from_json(p) for p in self.preferences]


# --- the allocator's input -----------------------------------------------------------------------
