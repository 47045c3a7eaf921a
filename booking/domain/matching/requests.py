"""Interest requests (intresseanmälan): what a young person, a guardian or staff at the counter send to an
association, and the rules that keep the young person's contact details safe.

- Contact details (name, e-mail, phone) are kept and passed on only with consent; under 13 a guardian's
  consent too. Without consent the request carries no contact details at all, and the page tells the young
  person to contact the club themselves.
- Requests are rate-limited per sender and per association (`rate_limit_wait`, pure, from the times of
  earlier requests); an association can pause them.
- The answer goes back by e-mail only to an address given with consent."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from booking.domain.matching.states import RequestStatus
from booking.domain.premises.attendance import Gender
from booking.domain.shared.errors import Conflict, FieldProblem, ValidationError
from booking.domain.shared.ids import new_id

GUARDIAN_CONSENT_BELOW = 13  # under this age a guardian's consent is needed to pass contact details on
MAX_MESSAGE = 1000
MAX_ANSWER = 2000
MAX_INTERESTS = 10
ANONYMISED = "anonymiserad"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 \-]{6,20}$")


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class RateLimits:
    per_sender_hour: int = 5
    per_sender_day: int = 20
    per_association_day: int = 50


DEFAULT_LIMITS = RateLimits()


@dataclass(eq=False)
class InterestRequest:
    municipality_id: UUID
    association_id: UUID
    interests: list[UUID]
    age: int | None
    sender_hash: str
    consent: bool = False
    guardian_consent: bool = False
    via_counter: bool = False
    gender: Gender | None = None
    home_area_id: UUID | None = None
    days: list[int] = field(default_factory=list)
    message: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    made_by: UUID | None = None
    status: RequestStatus = RequestStatus.SENT
    answer: str | None = None
    answered_at: datetime | None = None
    answered_by: UUID | None = None
    anonymised_at: datetime | None = None
    created_at: datetime | None = None
    id: UUID = field(default_factory=new_id)

    @property
    def has_contact(self) -> bool:
        return self.contact_name is not None

    def answer_with(self, text: str, by: UUID, now: datetime) -> None:
        """The association's answer. Once: a second answer is a conflict (write to the young person directly)."""
        if self.anonymised_at is not None:
            raise Conflict("This request is past its retention period and was anonymised.")
        if self.status is not RequestStatus.SENT:
            raise Conflict("This request is already answered or closed.")
        cleaned = text.strip()
        if not cleaned:
            raise ValidationError("text", "Write an answer.", "required")
        if len(cleaned) > MAX_ANSWER:
            raise ValidationError("text", f"At most {MAX_ANSWER} characters.", "too-long")
        self.answer, self.answered_at, self.answered_by = cleaned, now, by
        self.status = RequestStatus.ANSWERED

    @property
    def answer_address(self) -> str | None:
        """Where the answer is e-mailed: the address given with consent, else nowhere."""
        return self.contact_email if self.consent and self.anonymised_at is None else None


def check_contact(contact: Contact | None, age: int | None, consent: bool, guardian_consent: bool
                  ) -> Contact | None:
    """The contact details to keep: None without consent (they are dropped, not stored). With consent the
    details must be usable (a name and an e-mail address or a phone number); under 13 the guardian must
    consent too (422 naming `guardian_consent`)."""
    if contact is None or not consent:
        return None
    problems: list[FieldProblem] = []
    name = contact.name.strip()
    email = (contact.email or "").strip() or None
    phone = (contact.phone or "").strip() or None
    if not name or len(name) > 200:
        problems.append(FieldProblem("contact.name", "Give a name (at most 200 characters).", "required"))
    if email is not None and (len(email) > 254 or not _EMAIL.match(email)):
        problems.append(FieldProblem("contact.email", "This is not an e-mail address.", "invalid"))
    if phone is not None and not _PHONE.match(phone):
        problems.append(FieldProblem("contact.phone", "This is not a phone number.", "invalid"))
    if email is None and phone is None:
        problems.append(FieldProblem("contact.email", "Give an e-mail address or a phone number.", "required"))
    if age is not None and age < GUARDIAN_CONSENT_BELOW and not guardian_consent:
        problems.append(FieldProblem("guardian_consent", "Under 13, a guardian must consent to passing on contact "
                                     "details.", "required"))
    if problems:
        raise ValidationError.many(problems)
    return Contact(name, email, phone)


def check_request_fields(interests: list[UUID], age: int | None, days: list[int], message: str | None) -> str | None:
    """The request's own fields; answers the cleaned message."""
    problems: list[FieldProblem] = []
    if not interests or len(interests) > MAX_INTERESTS or len(set(interests)) != len(interests):
        problems.append(FieldProblem("interests", f"Choose 1-{MAX_INTERESTS} different interests.", "invalid"))
    if age is not None and not 0 <= age <= 120:
        problems.append(FieldProblem("age", "An age is 0-120.", "range"))
    if any(d < 1 or d > 7 for d in days) or len(set(days)) != len(days):
        problems.append(FieldProblem("days", "Weekdays are 1 (Monday) to 7 (Sunday), each once.", "invalid"))
    cleaned = (message or "").strip() or None
    if cleaned is not None and len(cleaned) > MAX_MESSAGE:
        problems.append(FieldProblem("message", f"At most {MAX_MESSAGE} characters.", "too-long"))
    if problems:
        raise ValidationError.many(problems)
    return cleaned


def sender_hash(secret: str, account_id: UUID | None, address: str, day: str) -> str:
    """Who sent it, for rate limiting only: a keyed hash of the signed-in account, or of the client's address
    and the day (the address is not kept)."""
    source = f"account:{account_id}" if account_id is not None else f"address:{address}:{day}"
    return hmac.new(secret.encode(), source.encode(), hashlib.sha256).hexdigest()


def rate_limit_wait(sender_times: list[datetime], association_times: list[datetime], now: datetime,
                    limits: RateLimits = DEFAULT_LIMITS) -> int | None:
    """Seconds to wait before this sender may send to this association again, or None when it may now.

    `sender_times` are the sender's requests of the last day, `association_times` the association's (any
    order). A window frees a place when its oldest counted request leaves it."""
    waits: list[datetime] = []
    hour, day = now - timedelta(hours=1), now - timedelta(days=1)
    last_hour = sorted(t for t in sender_times if t > hour)
    if len(last_hour) >= limits.per_sender_hour:
        waits.append(last_hour[len(last_hour) - limits.per_sender_hour] + timedelta(hours=1))
    last_day = sorted(t for t in sender_times if t > day)
    if len(last_day) >= limits.per_sender_day:
        waits.append(last_day[len(last_day) - limits.per_sender_day] + timedelta(days=1))
    association_day = sorted(t for t in association_times if t > day)
    if len(association_day) >= limits.per_association_day:
        waits.append(association_day[len(association_day) - limits.per_association_day] + timedelta(days=1))
    if not waits:
        return None
    return max(1, int((max(waits) - now).total_seconds()) + 1)


def anonymise(request: InterestRequest, now: datetime) -> None:
    """Past retention: contact details, message and answer go; interests, age, gender, area and dates stay
    for the follow-up."""
    request.contact_name = request.contact_email = request.contact_phone = None
    request.message = None
    if request.answer is not None:
        request.answer = ANONYMISED
    request.anonymised_at = now
