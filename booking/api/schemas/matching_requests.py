"""Föreningsmatchning: the match, interest requests (intresseanmälan), pausing and the follow-up."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta, Struct

from booking.domain.premises.attendance import Gender

Weekday = Annotated[int, Meta(ge=1, le=7)]
Days = Annotated[list[Weekday], Meta(max_length=7)]
Interests = Annotated[list[UUID], Meta(min_length=1, max_length=10)]
Age = Annotated[int, Meta(ge=0, le=120)]
Slug = Annotated[str, Meta(min_length=1, max_length=100)]
CardNumber = Annotated[str, Meta(min_length=1, max_length=40)]


class Reason(Struct):
    code: str
    text_sv: str
    text_en: str


class TrainingTime(Struct):
    weekday: int
    start: str
    end: str
    site_name: str
    space_name: str
    dates: int


class MatchQuery(Struct, forbid_unknown_fields=True):
    municipality: Slug
    interests: Interests
    age: Age | None = None
    area_id: UUID | None = None
    days: Days = []
    card_number: CardNumber | None = None


class MatchItem(Struct):
    association_id: UUID
    name: str
    score: int
    reasons: list[Reason]
    training_times: list[TrainingTime]
    free_to_try: bool
    accepts_requests: bool


class MatchResult(Struct):
    items: list[MatchItem]
    age: int  # the age matched (at the counter: the borrower's, from the card)
    area_id: UUID | None  # the area matched (at the counter: the borrower's)


class ContactIn(Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(max_length=200)]
    email: Annotated[str, Meta(max_length=254)] | None = None
    phone: Annotated[str, Meta(max_length=30)] | None = None


class InterestRequestCreate(Struct, forbid_unknown_fields=True):
    association_id: UUID
    interests: Interests
    consent: bool
    age: Age | None = None
    gender: Gender | None = None
    home_area_id: UUID | None = None
    days: Days = []
    message: Annotated[str, Meta(max_length=1000)] | None = None
    contact: ContactIn | None = None
    guardian_consent: bool = False
    via_counter: bool = False


class InterestRequestCreated(Struct):
    id: UUID
    status: str
    contact_kept: bool  # False: no contact details went to the association (contact the club yourself)


class InterestRef(Struct):
    id: UUID
    name: str
    name_en: str


class InterestRequest(Struct):
    id: UUID
    association_id: UUID
    status: str
    created_at: datetime
    interests: list[InterestRef]
    age: int | None
    gender: Gender | None
    days: list[int]
    message: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    consent: bool
    guardian_consent: bool
    via_counter: bool
    answer: str | None
    answered_at: datetime | None
    anonymised: bool


class InterestRequestList(Struct):
    association_id: UUID
    paused: bool
    items: list[InterestRequest]


class AnswerIn(Struct, forbid_unknown_fields=True):
    text: Annotated[str, Meta(min_length=1, max_length=2000)]


class PauseIn(Struct, forbid_unknown_fields=True):
    paused: bool


class PauseState(Struct):
    association_id: UUID
    paused: bool


class Unanswered(Struct):
    id: UUID
    association_id: UUID
    association_name: str
    created_at: datetime
    days_waiting: int
    interests: list[InterestRef]
    age: int | None
    via_counter: bool


class UnansweredList(Struct):
    days: int
    items: list[Unanswered]


class Tally(Struct):
    key: str
    name: str
    requests: int
    answered: int


class AreaReach(Struct):
    area_id: UUID | None
    area_name: str | None
    population_0_17: int | None
    requests: int
    answered: int
    per_1000: float | None


class FollowUp(Struct):
    first_day: str
    last_day: str
    requests: int
    answered: int
    via_counter: int
    by_interest: list[Tally]
    by_age_group: list[Tally]
    by_gender: list[Tally]
    by_area: list[AreaReach]
