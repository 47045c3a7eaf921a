"""Activities, their sessions, and the registrations (sign-ups) for a session.

The capacity rule: a session never has more confirmed registrations than places. A sign-up is
confirmed while places are free, otherwise it joins the waiting list with the next queue number
of the session; when a place frees, the waiting registration with the lowest queue number is
promoted (first come, first served). The counter `confirmed` on the session is changed only
here, under the session's lock (see services), and the database checks 0 <= confirmed <= capacity.

Children's data is kept to the minimum: a first name, a birth year, optionally a gender (for the
follow-up statistics) and needs (visible only to the activity's staff).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from booking.domain.premises.attendance import Gender
from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.text import clean_name, clean_text

MAX_SESSION_CAPACITY = 1000
SELF_SIGN_UP_AGE = 13
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (("6-9", 6, 9), ("10-12", 10, 12), ("13-15", 13, 15),
                                                ("16+", 16, 200))
ANONYMOUS_NAME = "Anonym"
ANONYMOUS_KEY = "anon:"  # child_key of an anonymised registration: "anon:" + its id
LANGUAGES = frozenset({"sv", "en", "ar", "so", "fa", "ti", "uk", "fi", "es", "de", "fr", "pl", "ku", "bs"})


class Category(StrEnum):
    SPORT = "idrott"
    CULTURE = "kultur"
    OUTDOORS = "friluftsliv"
    CREATIVE = "skapande"
    GAMES = "spel"
    MUSIC = "musik"
    COOKING = "matlagning"
    OTHER = "annat"


class TargetGroup(StrEnum):
    ALL = "all"
    GIRLS = "girls"
    BOYS = "boys"
    FUNCTIONAL_VARIATION = "functional_variation"  # barn med funktionsvariation
    NEWCOMERS = "newcomers"


class ActivityStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # an association's activity awaiting staff approval
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


def age_in(year: int, birth_year: int) -> int:
    """The age a child turns in `year` (the grant rules count by birth year)."""
    return year - birth_year


def age_group(age: int) -> str | None:
    for name, low, high in AGE_GROUPS:
        if low <= age <= high:
            return name
    return None


def first_name(value: str, field_name: str = "first_name") -> str:
    return clean_name(value, field_name, 60)


def optional_text(value: str | None, name: str) -> str | None:
    """Cleaned text, or None for nothing or only spaces."""
    return clean_text(value, name) if value is not None and value.strip() else None


def child_key(name: str) -> str:
    """Who a child is within one guardian's account: the case-folded first name (with the birth year)."""
    return unicodedata.normalize("NFC", name).casefold().strip()


@dataclass(eq=False)
class Activity:
    municipality_id: UUID
    title: str
    category: Category
    organiser: str
    age_min: int
    age_max: int
    created_by: UUID
    description: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # {"en": {"title", "description"}}
    association_id: UUID | None = None
    target_group: TargetGroup = TargetGroup.ALL
    area_id: UUID | None = None
    space_id: UUID | None = None
    place: str | None = None  # free text when not in a space (e.g. "Badplatsen vid Sidsjön")
    capacity: int = 20
    signup_required: bool = True
    signup_opens_at: datetime | None = None
    signup_closes_at: datetime | None = None
    cost: Decimal = Decimal("0")
    languages: list[str] = field(default_factory=lambda: ["sv"])
    adapted: bool = False
    wheelchair_access: bool = False
    bring: str | None = None
    lending_articles: list[str] = field(default_factory=list)  # ids of lending articles one can borrow
    contact: str | None = None
    status: ActivityStatus = ActivityStatus.DRAFT
    cancel_reason: str | None = None
    review_note: str | None = None  # why staff sent an association's submitted activity back
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.category = Category(self.category)
        self.target_group = TargetGroup(self.target_group)
        self.status = ActivityStatus(self.status)
        self.title = clean_name(self.title, "title")
        self.organiser = clean_name(self.organiser, "organiser")
        check_ages(self.age_min, self.age_max)
        check_capacity(self.capacity)
        if self.cost < 0 or self.cost >= Decimal("100000") or self.cost != self.cost.quantize(Decimal("0.01")):
            raise ValidationError("cost", "A cost in kronor with at most two decimals, from 0.", "range")
        unknown = [lang for lang in self.languages if lang not in LANGUAGES]
        if unknown:
            raise ValidationError("languages", f"Unknown language code {unknown[0]!r}.", "unknown")
        for lang, text in self.translations.items():
            if lang not in LANGUAGES or lang == "sv":
                raise ValidationError("translations", f"{lang!r}: a language code other than sv.", "unknown")
            if "title" in text:
                clean_name(text["title"], f"translations.{lang}.title")
        if self.signup_opens_at and self.signup_closes_at and self.signup_closes_at <= self.signup_opens_at:
            raise ValidationError("signup_closes_at", "Sign-up closes before it opens.", "range")

    @property
    def is_public(self) -> bool:
        return self.status is ActivityStatus.PUBLISHED

    def publish(self, by_staff: bool) -> None:
        if self.status is ActivityStatus.CANCELLED:
            raise Conflict("A cancelled activity cannot be published again.")
        if self.status is ActivityStatus.PUBLISHED:
            raise Conflict("The activity is already published.")
        if self.status is ActivityStatus.SUBMITTED and not by_staff:
            raise Conflict("The activity awaits the leisure staff's approval.")
        # An association's activity is published only when staff approve it.
        self.status = ActivityStatus.PUBLISHED if by_staff else ActivityStatus.SUBMITTED
        self.review_note = None

    def send_back(self, reason: str) -> None:
        """Staff return a submitted activity to its association as a draft, saying why."""
        if self.status is not ActivityStatus.SUBMITTED:
            raise Conflict("Only a submitted activity can be sent back.")
        self.status = ActivityStatus.DRAFT
        self.review_note = reason

    def editable_by(self, by_staff: bool) -> bool:
        """Staff edit until the activity is cancelled; an association only its draft or submitted one."""
        if self.status is ActivityStatus.CANCELLED:
            return False
        return by_staff or self.status in (ActivityStatus.DRAFT, ActivityStatus.SUBMITTED)

    def cancel(self, reason: str | None) -> None:
        if self.status is ActivityStatus.CANCELLED:
            raise Conflict("The activity is already cancelled.")
        self.status = ActivityStatus.CANCELLED
        self.cancel_reason = reason

    def accepts_age(self, age: int) -> bool:
        return self.age_min <= age <= self.age_max

    def signup_open(self, now: datetime) -> bool:
        return (self.signup_opens_at is None or now >= self.signup_opens_at) and (
            self.signup_closes_at is None or now < self.signup_closes_at)


def check_ages(age_min: int, age_max: int) -> None:
    if not 0 <= age_min <= 25:
        raise ValidationError("age_min", "An age from 0 to 25.", "range")
    if not age_min <= age_max <= 25:
        raise ValidationError("age_max", "An age from age_min to 25.", "range")


def check_capacity(capacity: int, field_name: str = "capacity") -> int:
    if not 1 <= capacity <= MAX_SESSION_CAPACITY:
        raise ValidationError(field_name, f"From 1 to {MAX_SESSION_CAPACITY} places.", "range")
    return capacity


@dataclass(eq=False)
class ActivitySession:
    """One time an activity happens. `confirmed` counts confirmed registrations; `next_queue_no`
    hands out the order of sign-ups (the waiting list is served by it)."""

    municipality_id: UUID
    activity_id: UUID
    starts_at: datetime
    ends_at: datetime
    capacity: int
    space_id: UUID | None = None
    booking_id: UUID | None = None  # the premises booking that holds the room
    confirmed: int = 0
    next_queue_no: int = 1
    status: SessionStatus = SessionStatus.SCHEDULED
    sequence: int = 0  # grows with each real change (iCalendar SEQUENCE)
    visitors: list[dict[str, Any]] = field(default_factory=list)  # drop-in: [{"gender", "age_group", "count"}]
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.status = SessionStatus(self.status)
        if self.ends_at <= self.starts_at:
            raise ValidationError("end", "The end must be after the start.", "range")
        check_capacity(self.capacity)

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.confirmed) if self.status is SessionStatus.SCHEDULED else 0

    def admit(self, registration: Registration) -> None:
        """Place a new registration: confirmed while a place is free, else on the waiting list."""
        if self.status is not SessionStatus.SCHEDULED:
            raise Conflict("The session is cancelled.")
        registration.queue_no = self.next_queue_no
        self.next_queue_no += 1
        if self.confirmed < self.capacity:
            self.confirmed += 1
            registration.status = RegistrationStatus.CONFIRMED
        else:
            registration.status = RegistrationStatus.WAITING

    def release(self, registration: Registration) -> None:
        """A registration leaves the session (cancelled); its place, if it had one, is free."""
        if registration.status is RegistrationStatus.CANCELLED:
            raise Conflict("The registration is already cancelled.")
        if registration.status is RegistrationStatus.CONFIRMED:
            self.confirmed -= 1
        registration.status = RegistrationStatus.CANCELLED

    def promote(self, waiting: list[Registration]) -> list[Registration]:
        """Fill free places from the waiting list in queue order; answers who was promoted."""
        promoted = []
        for registration in sorted(waiting, key=lambda r: r.queue_no):
            if self.confirmed >= self.capacity or self.status is not SessionStatus.SCHEDULED:
                break
            if registration.status is not RegistrationStatus.WAITING:
                continue
            registration.status = RegistrationStatus.CONFIRMED
            self.confirmed += 1
            promoted.append(registration)
        return promoted

    def require_not_begun(self, now: datetime) -> None:
        if self.starts_at <= now:
            raise Conflict("The session has already begun.")

    def withdraw(self, registration: Registration, queue: list[Registration], now: datetime) -> list[Registration]:
        """Cancel a registration before the session begins; a freed place goes to the first waiting in
        `queue` (the session's registrations). Answers who was promoted."""
        self.require_not_begun(now)
        self.release(registration)
        registration.cancelled_at = now
        return self.promote(queue)

    def resize(self, capacity: int, queue: list[Registration]) -> list[Registration]:
        """New capacity: more places promote the waiting in `queue` in order; fewer than confirmed is refused."""
        self.change_capacity(capacity)
        return self.promote(queue)

    def change_capacity(self, capacity: int) -> None:
        check_capacity(capacity)
        if capacity < self.confirmed:
            raise ValidationError("capacity", f"{self.confirmed} places are already confirmed.", "below-confirmed")
        self.capacity = capacity
        self.sequence += 1

    def move_to(self, starts_at: datetime, ends_at: datetime) -> None:
        if ends_at <= starts_at:
            raise ValidationError("end", "The end must be after the start.", "range")
        self.starts_at, self.ends_at = starts_at, ends_at
        self.sequence += 1

    def cancel(self) -> None:
        if self.status is SessionStatus.CANCELLED:
            raise Conflict("The session is already cancelled.")
        self.status = SessionStatus.CANCELLED
        self.sequence += 1

    def record_visitors(self, counts: list[dict[str, Any]]) -> None:
        clean: list[dict[str, Any]] = []
        for i, c in enumerate(counts):
            gender = c.get("gender")
            group = c.get("age_group")
            count = c.get("count")
            if gender not in {g.value for g in Gender}:
                raise ValidationError(f"visitors[{i}].gender", "female, male or other.", "unknown")
            if group not in {g[0] for g in AGE_GROUPS}:
                raise ValidationError(f"visitors[{i}].age_group", "6-9, 10-12, 13-15 or 16+.", "unknown")
            if not isinstance(count, int) or not 0 <= count <= MAX_SESSION_CAPACITY:
                raise ValidationError(f"visitors[{i}].count", f"From 0 to {MAX_SESSION_CAPACITY}.", "range")
            clean.append({"gender": gender, "age_group": group, "count": count})
        self.visitors = clean


@dataclass(eq=False)
class Registration:
    municipality_id: UUID
    session_id: UUID
    activity_id: UUID
    account_id: UUID  # the guardian, or the young person signing up themselves
    first_name: str
    birth_year: int
    cancel_token_hash: str  # SHA-256 of the unguessable cancellation token (the link in the e-mail)
    ticket_code: str  # unguessable; the QR ticket encodes its URL; shown again in the account
    gender: Gender | None = None
    needs: str | None = None  # allergies, adaptations: only the activity's staff see them
    self_registered: bool = False
    status: RegistrationStatus = RegistrationStatus.WAITING
    queue_no: int = 0
    child_key: str = ""
    attended_at: datetime | None = None
    cancelled_at: datetime | None = None
    reminded_at: datetime | None = None  # the day-before reminder was queued
    home_area_id: UUID | None = None  # the child's home area (follow-up by home area); kept when anonymised
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.first_name = first_name(self.first_name)
        self.child_key = child_key(self.first_name)
        self.status = RegistrationStatus(self.status)
        self.gender = Gender(self.gender) if self.gender is not None else None

    @property
    def active(self) -> bool:
        return self.status is not RegistrationStatus.CANCELLED


def check_birth_year(birth_year: int, today: date, field_name: str = "birth_year") -> int:
    if not today.year - 25 <= birth_year <= today.year:
        raise ValidationError(field_name, f"A birth year from {today.year - 25} to {today.year}.", "range")
    return birth_year
