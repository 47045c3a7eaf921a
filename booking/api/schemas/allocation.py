"""The season allocation round: rounds, applications, the proposal and the publish report."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta, Struct

from booking.api.schemas.common import Name
from booking.domain.premises.allocation import AgeBand, ApplicationStatus, RoundState, RuleKey

WallTime = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["18:00"],
                               description="Local wall-clock time, HH:MM.")]
Weekday = Annotated[int, Meta(ge=0, le=6, description="0 = Monday ... 6 = Sunday")]


class Rule(Struct, forbid_unknown_fields=True):
    """A priority rule and its weight: youth (youth association or group under 20), local,
    previous_holder (held this space and weekday last season), participants (weight times the
    share of the round's largest group)."""

    key: RuleKey
    weight: Annotated[int, Meta(ge=0, le=100)]


class Rules(Struct, forbid_unknown_fields=True):
    rules: Annotated[list[Rule], Meta(max_length=10)]


class RoundIn(Struct, forbid_unknown_fields=True):
    """A season (first and last day), the application deadline in local time, and optionally the
    rules (the municipality's default rules otherwise)."""

    name: Name
    first_day: dt.date
    last_day: dt.date
    deadline_date: dt.date
    deadline_time: WallTime = "23:59"
    rules: Annotated[list[Rule], Meta(max_length=10)] | None = None


class Round(Struct):
    id: UUID
    name: str
    first_day: dt.date
    last_day: dt.date
    deadline: dt.datetime
    deadline_local: str
    state: RoundState
    rules: list[Rule]
    accepts_applications: bool
    score: float | None
    allocated_at: dt.datetime | None
    published_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class RoundPage(Struct):
    items: list[Round]


class PreferenceIn(Struct, forbid_unknown_fields=True):
    space_id: UUID
    weekday: Weekday
    start: WallTime


class ApplicationIn(Struct, forbid_unknown_fields=True):
    """Preferences in order: the first is the wish, the rest alternatives. `flex_minutes`: the
    start may move this much earlier or later."""

    association_id: UUID
    title: Name
    age_band: AgeBand
    participants: Annotated[int, Meta(ge=1, le=10_000)]
    duration_minutes: Annotated[int, Meta(ge=15, le=1440)]
    preferences: Annotated[list[PreferenceIn], Meta(min_length=1, max_length=5)]
    flex_minutes: Annotated[int, Meta(ge=0, le=120)] = 0
    note: Annotated[str, Meta(max_length=2000)] | None = None


class PreferenceOut(Struct):
    space_id: UUID
    weekday: int
    start: str


class Application(Struct):
    id: UUID
    round_id: UUID
    association_id: UUID
    association_name: str
    title: str
    age_band: AgeBand
    participants: int
    duration_minutes: int
    flex_minutes: int
    preferences: list[PreferenceOut]
    status: ApplicationStatus
    note: str | None
    submitted_at: dt.datetime
    updated_at: dt.datetime


class ApplicationPage(Struct):
    items: list[Application]


class SlotOut(Struct):
    space_id: UUID
    space_name: str
    weekday: int
    start: str
    end: str


class Reason(Struct):
    code: str
    preference: int | None
    params: dict[str, Any]
    causes: list[dict[str, Any]]
    text: str


class DecisionOut(Struct):
    application_id: UUID
    title: str
    association_name: str
    outcome: str
    slot: SlotOut | None
    priority: float
    matched_rules: list[str]
    preference: int | None
    shift_minutes: int
    rank: int
    reasons: list[Reason]
    explanation: str


class Proposal(Struct):
    round_id: UUID
    state: RoundState
    score: float | None
    score_percent: float | None
    decisions: list[DecisionOut]


class AdjustmentIn(Struct, forbid_unknown_fields=True):
    """Put the application on another slot (space, weekday, start), or `deny` it."""

    application_id: UUID
    deny: bool = False
    space_id: UUID | None = None
    weekday: Weekday | None = None
    start: WallTime | None = None


class Skipped(Struct):
    date: str
    rule: str
    message: str
    conflicts: list[dict[str, Any]] = msgspec.field(default_factory=list)


class Published(Struct):
    application_id: UUID
    outcome: str
    series_id: UUID | None
    booked: int
    skipped: list[Skipped]


class PublishReport(Struct):
    round_id: UUID
    state: RoundState
    published_at: dt.datetime | None
    items: list[Published]
