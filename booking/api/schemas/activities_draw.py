"""The wish phase and draw of a holiday period: settings, guardians' children with wishes, the staff's
overview, preview, adjustments and publishing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from msgspec import Meta, Struct

from booking.domain.activities.draw import Reason
from booking.domain.activities.draw_model import DrawStatus
from booking.domain.premises.attendance import Gender

WeightValue = Annotated[float, Meta(ge=0, le=100)]
Seed = Annotated[str, Meta(min_length=1, max_length=64)]
ChildName = Annotated[str, Meta(min_length=1, max_length=60)]
Postcode = Annotated[str, Meta(min_length=5, max_length=6, examples=["85231"])]
GroupCode = Annotated[str, Meta(min_length=1, max_length=20, examples=["K7QF3MZA"])]


class Weights(Struct, forbid_unknown_fields=True):
    """How much each rule adds to a wish's score (each 0-100)."""

    rank: WeightValue = 10.0
    favourite: WeightValue = 5.0
    priority_area: WeightValue = 8.0
    nothing_last_time: WeightValue = 6.0
    first_time: WeightValue = 3.0
    group: WeightValue = 2.0


class Draw(Struct):
    id: UUID
    period_id: UUID
    status: DrawStatus
    wishes_close_at: dt.datetime
    max_per_child: int
    travel_minutes: int
    weights: Weights
    priority_areas: list[UUID]
    seed: str | None
    run_at: dt.datetime | None
    published_at: dt.datetime | None


class DrawSet(Struct, forbid_unknown_fields=True):
    wishes_close_at: dt.datetime
    max_per_child: Annotated[int, Meta(ge=1, le=20)] = 3
    travel_minutes: Annotated[int, Meta(ge=0, le=240)] = 0
    weights: Weights | None = None
    priority_areas: Annotated[list[UUID], Meta(max_length=100)] | None = None


class WishIn(Struct, forbid_unknown_fields=True):
    session_id: UUID
    favourite: bool = False


class ChildIn(Struct, forbid_unknown_fields=True):
    """A child and its wishes; the list order is the rank (first = most wanted)."""

    first_name: ChildName
    birth_year: Annotated[int, Meta(ge=1900, le=2200)]
    wishes: Annotated[list[WishIn], Meta(min_length=1, max_length=30)]
    max_activities: Annotated[int, Meta(ge=1, le=20)] = 1
    gender: Gender | None = None
    needs: Annotated[str, Meta(max_length=1000)] | None = None
    home_area_id: UUID | None = None
    postcode: Postcode | None = None
    group_code: GroupCode | None = None


class WishOutcome(Struct):
    granted: bool
    reason: Reason
    registration_id: UUID | None


class ChildWish(Struct):
    session_id: UUID
    activity_id: UUID | None
    activity_title: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    rank: int
    favourite: bool
    outcome: WishOutcome | None


class DrawChild(Struct):
    child_id: UUID
    first_name: str
    birth_year: int
    gender: Gender | None
    home_area_id: UUID | None
    max_activities: int
    group_code: str | None
    withdrawn: bool
    wishes: list[ChildWish]


class MyWishes(Struct):
    draw: Draw
    children: list[DrawChild]


class GroupCodeOut(Struct):
    code: str


class OverviewSession(Struct):
    session_id: UUID
    activity_id: UUID
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    places: int
    wishes: int


class SuggestedArea(Struct):
    area_id: UUID
    name: str
    per_1000: float


class DrawOverview(Struct):
    draw: Draw
    children: int
    wishes: int
    withdrawn: int
    sessions: list[OverviewSession]
    suggested_priority_areas: list[SuggestedArea]


class RunIn(Struct, forbid_unknown_fields=True):
    seed: Seed | None = None


class AreaFigures(Struct):
    area_id: UUID | None
    area_name: str | None
    children: int
    with_place: int
    share_with_place: float
    mean_rank_granted: float | None
    per_1000_before: float | None
    per_1000_after: float | None


class Figures(Struct):
    children: int
    with_place: int
    share_with_place: float
    mean_rank_granted: float | None
    per_area: list[AreaFigures]


class PreviewWish(Struct):
    session_id: UUID
    activity_title: str
    starts_at: dt.datetime | None
    rank: int
    favourite: bool
    granted: bool
    reason: Reason
    score: float
    blocking_session_id: UUID | None


class PreviewChild(Struct):
    child_id: UUID
    first_name: str
    birth_year: int
    home_area_id: UUID | None
    group_code: str | None
    max_activities: int
    wishes: list[PreviewWish]


class Preview(Struct):
    draw_id: UUID
    seed: str | None
    figures: Figures
    children: list[PreviewChild]


class GrantIn(Struct, forbid_unknown_fields=True):
    child_id: UUID
    session_id: UUID
    granted: bool


class Published(Struct):
    registrations: int
    notified: int
