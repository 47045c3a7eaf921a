"""Associations in the open: interest categories, an association's public profile (draft, published,
status), its public training times, the public directory and public association page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from booking.domain.matching.states import ProfileStatus

Age = Annotated[int, Meta(ge=0, le=25)]
ForWhom = Literal["all", "girls", "boys", "disabilities"]
Lang = Annotated[str, Meta(pattern=r"^[a-z]{2}$", examples=["sv"])]
CategoryName = Annotated[str, Meta(min_length=1, max_length=60)]
Weekday = Annotated[int, Meta(ge=1, le=7, description="ISO weekday: 1 = Monday ... 7 = Sunday")]
Clock = Annotated[str, Meta(description="Local time, HH:MM", examples=["18:00"])]


class InterestCategory(Struct):
    id: UUID
    name: str
    name_en: str | None
    position: int


class InterestCategoryCreate(Struct, forbid_unknown_fields=True):
    name: CategoryName
    name_en: CategoryName | None = None
    position: Annotated[int, Meta(ge=0, le=10_000)] | None = None


class InterestCategoryUpdate(Struct, forbid_unknown_fields=True):
    name: CategoryName | UnsetType = UNSET
    name_en: CategoryName | UnsetType | None = UNSET
    position: Annotated[int, Meta(ge=0, le=10_000)] | UnsetType = UNSET


class InterestCategoryList(Struct):
    items: list[InterestCategory]


class Accessibility(Struct, forbid_unknown_fields=True):
    step_free: bool = False
    accessible_toilet: bool = False
    hearing_loop: bool = False
    notes: Annotated[str, Meta(max_length=2000)] | None = None


class ProfileFields(Struct, forbid_unknown_fields=True):
    """One version of the profile. No personal contact details: people reach the association through
    interest requests to its contact person (`contact_id`)."""

    interests: Annotated[list[UUID], Meta(max_length=20, description="1-5 interest category ids")]
    age_min: Age
    age_max: Age
    for_whom: Annotated[list[ForWhom], Meta(max_length=4)]
    description: Annotated[str, Meta(max_length=4000, description="1-1000 characters")]
    areas: Annotated[list[UUID], Meta(max_length=100)] = msgspec.field(default_factory=list)
    languages: Annotated[list[Lang], Meta(max_length=20)] = msgspec.field(default_factory=list)
    membership_fee: Annotated[float, Meta(ge=0, le=100_000, description="kr a year")] | None = None
    free_to_try: bool = False
    try_out_text: Annotated[str, Meta(max_length=2000)] | None = None
    accessibility: Accessibility = msgspec.field(default_factory=Accessibility)
    website: Annotated[str, Meta(max_length=2000, description="https://...")] | None = None


class ProfileWrite(ProfileFields, forbid_unknown_fields=True):
    contact_id: UUID | None = None  # one of the association's contact persons: receives interest requests


class ContactChoice(Struct):
    id: UUID
    name: str


class RegularTime(Struct):
    weekday: Weekday
    start: Clock
    end: Clock
    site_name: str
    space_name: str
    dates: int
    next_date: dt.date


class SingleDate(Struct):
    date: dt.date
    start: Clock
    end: Clock
    site_name: str
    space_name: str


class TrainingTimes(Struct):
    regular: list[RegularTime]
    single: list[SingleDate]


class TimeChoice(Struct):
    kind: Literal["series", "booking"]
    id: UUID
    next_date: dt.date
    start: Clock
    end: Clock
    site_name: str
    space_name: str
    dates: int
    public: bool


class AssociationProfile(Struct):
    """What its representatives and staff see: the draft, the published version and the status."""

    association_id: UUID
    association_name: str
    association_verified: bool
    status: ProfileStatus | None  # None: no profile written yet
    draft: ProfileFields | None
    published: ProfileFields | None
    published_at: dt.datetime | None
    review_note: str | None
    contact_id: UUID | None
    requests_paused: bool
    contacts: list[ContactChoice]
    time_choices: list[TimeChoice]
    training_times: TrainingTimes


class ProfileVerification(Struct, forbid_unknown_fields=True):
    approve: bool
    note: Annotated[str, Meta(max_length=2000)] | None = None


class PublicTimes(Struct, forbid_unknown_fields=True):
    booking_ids: Annotated[list[UUID], Meta(max_length=500)] = msgspec.field(default_factory=list)
    series_ids: Annotated[list[UUID], Meta(max_length=200)] = msgspec.field(default_factory=list)


class PublicTimesOut(Struct):
    time_choices: list[TimeChoice]
    training_times: TrainingTimes


class ProfileQueueEntry(Struct):
    association_id: UUID
    name: str
    status: ProfileStatus
    published_at: dt.datetime | None
    review_note: str | None
    updated_at: dt.datetime


class ProfileQueue(Struct):
    items: list[ProfileQueueEntry]
    total: int
    limit: int
    offset: int


class NamedRef(Struct):
    id: UUID
    name: str


class InterestRef(Struct):
    id: UUID
    name: str
    name_en: str


class WhyItem(Struct):
    code: str
    text_sv: str
    text_en: str


class DirectoryItem(Struct):
    association_id: UUID
    name: str
    interests: list[InterestRef]
    age_min: int
    age_max: int
    for_whom: list[str]
    areas: list[NamedRef]
    free_to_try: bool
    membership_fee: float | None
    languages: list[str]
    accessibility: Accessibility
    training_times: list[RegularTime]  # the first 3 regular times
    why: list[WhyItem]


class DirectoryPage(Struct):
    items: list[DirectoryItem]
    total: int
    limit: int
    offset: int


class PublicActivity(Struct):
    id: UUID
    title: str
    title_en: str | None
    next_start: dt.datetime
    try_out: bool
    url: str


class PublicAssociation(Struct):
    """The published profile: no personal data (no contact names, e-mail addresses, phone numbers)."""

    association_id: UUID
    name: str
    interests: list[InterestRef]
    age_min: int
    age_max: int
    for_whom: list[str]
    areas: list[NamedRef]
    languages: list[str]
    membership_fee: float | None
    free_to_try: bool
    try_out_text: str | None
    accessibility: Accessibility
    description: str
    website: str | None
    published_at: dt.datetime
    training_times: TrainingTimes
    activities: list[PublicActivity]
    accepts_requests: bool
    requests_paused: bool
