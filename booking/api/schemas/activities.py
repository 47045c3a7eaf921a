"""Holiday activities: periods, activities, sessions, sign-ups, attendance, follow-up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from booking.api.schemas.activities_draw import Draw
from booking.api.schemas.bookings import Skipped, WallTime
from booking.api.schemas.common import Name
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import (
    ActivityStatus,
    Category,
    RegistrationStatus,
    SessionStatus,
    TargetGroup,
)
from booking.domain.premises.attendance import Gender

LongText = Annotated[str, Meta(max_length=4000)]
ShortText = Annotated[str, Meta(max_length=1000)]
Age = Annotated[int, Meta(ge=0, le=25)]
Capacity = Annotated[int, Meta(ge=1, le=1000)]
Lang = Annotated[str, Meta(pattern=r"^[a-z]{2}$", examples=["en"])]
Weekday = Annotated[int, Meta(ge=0, le=6, description="0 = Monday ... 6 = Sunday")]
Year = Annotated[int, Meta(ge=1970, le=2200)]
Token = Annotated[str, Meta(min_length=1, max_length=200)]


class HolidayPeriod(Struct):
    id: UUID
    kind: LovKind
    year: int
    first_day: dt.date
    last_day: dt.date


class ListedHolidayPeriod(HolidayPeriod):
    """A holiday in the municipality's list, with its wish phase and draw (null: places first come)."""
    draw: Draw | None = None


class HolidayPeriodGenerate(Struct, forbid_unknown_fields=True):
    """Generate the defaults of a year (for the holidays not set yet)."""

    year: Year
    sportlov_week: Annotated[int, Meta(ge=7, le=10)] = 8


class HolidayPeriodSet(Struct, forbid_unknown_fields=True):
    first_day: dt.date
    last_day: dt.date


class Translation(Struct, forbid_unknown_fields=True):
    title: Name
    description: LongText = ""


class ActivityCreate(Struct, forbid_unknown_fields=True):
    title: Name
    category: Category
    organiser: Name
    age_min: Age
    age_max: Age
    description: LongText = ""
    translations: dict[Lang, Translation] = msgspec.field(default_factory=dict)
    association_id: UUID | None = None
    target_group: TargetGroup = TargetGroup.ALL
    area_id: UUID | None = None
    space_id: UUID | None = None
    place: ShortText | None = None
    capacity: Capacity = 20
    signup_required: bool = True
    signup_opens_at: dt.datetime | None = None
    signup_closes_at: dt.datetime | None = None
    cost: Decimal = Decimal("0")
    languages: Annotated[list[Lang], Meta(max_length=14)] = msgspec.field(default_factory=lambda: ["sv"])
    adapted: bool = False
    wheelchair_access: bool = False
    bring: ShortText | None = None
    lending_articles: Annotated[list[Annotated[str, Meta(min_length=1, max_length=64)]], Meta(max_length=50)] = \
        msgspec.field(default_factory=list)
    contact: ShortText | None = None


ArticleIds = Annotated[list[Annotated[str, Meta(min_length=1, max_length=64)]], Meta(max_length=50)]


class ActivityUpdate(Struct, forbid_unknown_fields=True):
    """The fields to change (any of them); validated as on creation. `null` empties an optional
    field. The association, the space and the status change by their own operations."""

    title: Name | UnsetType = UNSET
    category: Category | UnsetType = UNSET
    organiser: Name | UnsetType = UNSET
    age_min: Age | UnsetType = UNSET
    age_max: Age | UnsetType = UNSET
    description: LongText | UnsetType = UNSET
    translations: dict[Lang, Translation] | UnsetType = UNSET
    target_group: TargetGroup | UnsetType = UNSET
    area_id: UUID | UnsetType | None = UNSET
    place: ShortText | UnsetType | None = UNSET
    capacity: Capacity | UnsetType = UNSET
    signup_required: bool | UnsetType = UNSET
    signup_opens_at: dt.datetime | UnsetType | None = UNSET
    signup_closes_at: dt.datetime | UnsetType | None = UNSET
    cost: Decimal | UnsetType = UNSET
    languages: Annotated[list[Lang], Meta(max_length=14)] | UnsetType = UNSET
    adapted: bool | UnsetType = UNSET
    wheelchair_access: bool | UnsetType = UNSET
    bring: ShortText | UnsetType | None = UNSET
    lending_articles: ArticleIds | UnsetType = UNSET
    contact: ShortText | UnsetType | None = UNSET


class SendBack(Struct, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=1, max_length=1000)]


class BorrowableArticle(Struct):
    """An article of the lending catalogue one can borrow for the activity."""

    id: str
    name: str


class Activity(Struct):
    id: UUID
    title: str
    description: str
    translations: dict[str, dict[str, str]]
    category: Category
    organiser: str
    association_id: UUID | None
    age_min: int
    age_max: int
    target_group: TargetGroup
    area_id: UUID | None
    space_id: UUID | None
    place: str | None
    capacity: int
    signup_required: bool
    signup_opens_at: dt.datetime | None
    signup_closes_at: dt.datetime | None
    cost: Decimal
    languages: list[str]
    adapted: bool
    wheelchair_access: bool
    bring: str | None
    lending_articles: list[str]
    contact: str | None
    status: ActivityStatus
    cancel_reason: str | None
    review_note: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ActivityPage(Struct):
    items: list[Activity]
    total: int
    limit: int
    offset: int


class Cancel(Struct, forbid_unknown_fields=True):
    reason: ShortText | None = None


class SessionsCreate(Struct, forbid_unknown_fields=True):
    """One session on `date`, or with `period_id` one on every day of that holiday (from `date`, if
    given) that is on `weekdays` and on which the place is open, all at the same local time."""

    start: WallTime
    end: WallTime
    date: dt.date | None = None
    period_id: UUID | None = None
    weekdays: Annotated[list[Weekday], Meta(min_length=1, max_length=7)] = msgspec.field(
        default_factory=lambda: [0, 1, 2, 3, 4, 5, 6])
    capacity: Capacity | None = None


class Session(Struct):
    """A session as the public sees it: no participants, only counts."""

    id: UUID
    activity_id: UUID
    title: str
    category: Category
    age_min: int
    age_max: int
    target_group: TargetGroup
    area_id: UUID | None
    area_name: str | None
    place: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    local_date: dt.date
    local_start: str
    local_end: str
    status: SessionStatus
    signup_required: bool
    capacity: int
    free_places: int
    waiting: int
    cost: Decimal
    languages: list[str]
    adapted: bool
    wheelchair_access: bool
    sequence: int
    updated_at: dt.datetime


class SessionPage(Struct):
    items: list[Session]
    total: int
    limit: int
    offset: int


class SessionsOutcome(Struct):
    sessions: list[Session]
    skipped: list[Skipped]


class ActivityDetail(Struct):
    activity: Activity
    sessions: list[Session]
    borrowable: list[BorrowableArticle] = msgspec.field(default_factory=list)


class SessionMove(Struct, forbid_unknown_fields=True):
    """The new local date and wall times."""

    date: dt.date
    start: WallTime
    end: WallTime


class CapacitySet(Struct, forbid_unknown_fields=True):
    capacity: Capacity


class ChildIn(Struct, forbid_unknown_fields=True):
    first_name: Annotated[str, Meta(min_length=1, max_length=60)]
    birth_year: Year
    gender: Gender | None = None
    needs: ShortText | None = None
    # The child's home area (for the follow-up by home area, never an address): an area of the
    # municipality, or a postcode the municipality's postcode table knows. Both optional, not both.
    home_area_id: UUID | None = None
    postcode: Annotated[str, Meta(max_length=12, examples=["852 31"])] | None = None


class SignUpIn(Struct, forbid_unknown_fields=True):
    """A guardian signs up children; a young person of 13 or more may sign up themselves
    (`self_sign_up`, with themselves as the one child)."""

    children: Annotated[list[ChildIn], Meta(min_length=1, max_length=8)]
    self_sign_up: bool = False


class Registration(Struct):
    id: UUID
    session_id: UUID
    activity_id: UUID
    first_name: str
    birth_year: int
    gender: Gender | None
    status: RegistrationStatus
    queue_no: int
    ticket_url: str
    attended: bool
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    local_date: dt.date
    local_start: str
    local_end: str
    place: str | None
    session_status: SessionStatus
    needs: str | None = None  # only to the registering account and the activity's staff
    home_area_id: UUID | None = None  # the child's home area, as the sign-up gave it


class SignUpOutcome(Struct):
    registrations: list[Registration]
    cancel_urls: list[str]


class RegistrationList(Struct):
    items: list[Registration]


class TokenIn(Struct, forbid_unknown_fields=True):
    token: Token


class CancelOutcome(Struct):
    registration: Registration
    promoted: int


class TicketIn(Struct, forbid_unknown_fields=True):
    ticket: Token


class AttendanceIn(Struct, forbid_unknown_fields=True):
    present: bool


class VisitorCount(Struct, forbid_unknown_fields=True):
    gender: Gender
    age_group: Annotated[str, Meta(pattern=r"^(6-9|10-12|13-15|16\+)$")]
    count: Annotated[int, Meta(ge=0, le=1000)]


class VisitorsIn(Struct, forbid_unknown_fields=True):
    visitors: Annotated[list[VisitorCount], Meta(max_length=12)]


class Participant(Struct):
    """A participant as the activity's staff see them: needs included."""

    registration_id: UUID
    first_name: str
    birth_year: int
    gender: Gender | None
    needs: str | None
    status: RegistrationStatus
    queue_no: int
    attended: bool


class Roster(Struct):
    session: Session
    participants: list[Participant]
    visitors: list[dict[str, Any]]


class AreaReach(Struct):
    """One area's reach: the signed-up participants who LIVE there (their home area, whatever area the
    activity is in) per 1,000 children aged 0-17 living there (null without a population)."""

    area_id: UUID
    area_name: str
    population_0_17: int | None
    participants: int
    per_1000: float | None


class FollowUp(Struct):
    """`participants_by_area` and `equity` count signed-up participants by their HOME area (the area
    the child lives in, from the sign-up), not by the area the activity is in. Those signed up
    without a home area are `participants_unknown_home_area`; drop-in visitors (`drop_in_visitors`)
    have no home area and are never given to an area. Gender and age groups count both."""

    period_id: UUID | None
    first_day: dt.date
    last_day: dt.date
    activities: int
    sessions: int
    places: int
    sign_ups: int
    waiting: int
    attended: int
    drop_in_visitors: int
    participants_by_gender: dict[str, int]
    participants_by_age_group: dict[str, int]
    participants_by_area: dict[str, int]
    participants_by_gender_and_age_group: dict[str, dict[str, int]]
    equity: list[AreaReach]
    participants_unknown_home_area: int = 0


class FeedToken(Struct):
    url: str
