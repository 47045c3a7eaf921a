"""An association's public profile: the fields its representatives fill in (checked here, naming the
field at fault), the draft -> submitted -> published flow with staff verification, and the searchable
copy of the published version the directory filters on.

No personal contact details belong in a profile: the public reaches the association through interest
requests to one of its contact persons (`contact_id`), chosen by its representatives."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from booking.domain.matching.states import ProfileStatus
from booking.domain.shared.errors import Conflict, FieldProblem, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.text import clean_text

FOR_WHOM = ("all", "girls", "boys", "disabilities")
LANGUAGES = ("sv", "en", "ar", "so", "fa", "ti", "uk", "fi", "es", "de", "fr", "pl", "ku", "bs")
MAX_INTERESTS = 5
MAX_AGE = 25
MAX_FEE = 100_000
MAX_DESCRIPTION = 1000
MAX_NOTE = 500


@dataclass(frozen=True)
class Accessibility:
    step_free: bool = False
    accessible_toilet: bool = False
    hearing_loop: bool = False
    notes: str | None = None

    @property
    def accessible(self) -> bool:
        """What the directory's "accessible" filter means: in without steps, and a toilet for everyone."""
        return self.step_free and self.accessible_toilet


@dataclass(frozen=True)
class ProfileFields:
    """One version of a profile (the draft, or the published one): the shape of both JSON columns."""

    interests: tuple[UUID, ...]
    age_min: int
    age_max: int
    for_whom: tuple[str, ...]
    description: str
    areas: tuple[UUID, ...] = ()
    languages: tuple[str, ...] = ()
    membership_fee: float | None = None
    free_to_try: bool = False
    try_out_text: str | None = None
    accessibility: Accessibility = field(default_factory=Accessibility)
    website: str | None = None

    def to_json(self) -> dict[str, Any]:
        a = self.accessibility
        return {
            "interests": [str(i) for i in self.interests], "age_min": self.age_min, "age_max": self.age_max,
            "for_whom": list(self.for_whom), "areas": [str(i) for i in self.areas], "languages": list(self.languages),
            "membership_fee": self.membership_fee, "free_to_try": self.free_to_try, "try_out_text": self.try_out_text,
            "accessibility": {"step_free": a.step_free, "accessible_toilet": a.accessible_toilet,
                              "hearing_loop": a.hearing_loop, "notes": a.notes},
            "description": self.description, "website": self.website,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ProfileFields:
        """A stored version (checked when it was saved)."""
        a = raw.get("accessibility") or {}
        return cls(
            interests=tuple(UUID(i) for i in raw["interests"]), age_min=raw["age_min"], age_max=raw["age_max"],
            for_whom=tuple(raw["for_whom"]), areas=tuple(UUID(i) for i in raw.get("areas", [])),
            languages=tuple(raw.get("languages", [])), membership_fee=raw.get("membership_fee"),
            free_to_try=bool(raw.get("free_to_try")), try_out_text=raw.get("try_out_text"),
            accessibility=Accessibility(bool(a.get("step_free")), bool(a.get("accessible_toilet")),
                                        bool(a.get("hearing_loop")), a.get("notes")),
            description=raw["description"], website=raw.get("website"),
        )


def _text(value: str | None, name: str, limit: int, problems: list[FieldProblem], *,
          required: bool = False) -> str | None:
    """Free text (no control or bidirectional-override characters); a fault is noted, not raised."""
    try:
        text = clean_text(value, name, limit)
    except ValidationError as exc:
        problems.extend(exc.problems)
        return None
    if text is None and required:
        problems.append(FieldProblem(name, "Write something here.", "required"))
    return text


def _ids(values: Iterable[UUID], name: str, known: Collection[UUID], what: str,
         problems: list[FieldProblem]) -> tuple[UUID, ...]:
    out: list[UUID] = []
    for i, value in enumerate(values):
        if value not in known:
            problems.append(FieldProblem(f"{name}[{i}]", f"No such {what} in this municipality.", "unknown"))
        elif value in out:
            problems.append(FieldProblem(f"{name}[{i}]", f"This {what} is already listed.", "duplicate"))
        else:
            out.append(value)
    return tuple(out)


def _website(value: str | None, problems: list[FieldProblem]) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        parts = urlsplit(text)
        ok = parts.scheme == "https" and bool(parts.hostname) and "." in (parts.hostname or "")
    except ValueError:
        ok = False
    if not ok or len(text) > 300 or any(c.isspace() for c in text):
        problems.append(FieldProblem("website", "Give a web address starting with https://.", "invalid"))
    return text


def check_fields(raw: ProfileFields, *, categories: Collection[UUID], areas: Collection[UUID]) -> ProfileFields:
    """The fields cleaned, or a ValidationError naming every field at fault (`interests[0]`, `age_max`)."""
    problems: list[FieldProblem] = []
    if not 1 <= len(raw.interests) <= MAX_INTERESTS:
        problems.append(FieldProblem("interests", f"Choose 1-{MAX_INTERESTS} interests.", "invalid"))
    interests = _ids(raw.interests, "interests", categories, "interest category", problems)
    area_ids = _ids(raw.areas, "areas", areas, "area", problems)
    if not 0 <= raw.age_min <= MAX_AGE:
        problems.append(FieldProblem("age_min", f"An age from 0 to {MAX_AGE}.", "out-of-range"))
    if not 0 <= raw.age_max <= MAX_AGE:
        problems.append(FieldProblem("age_max", f"An age from 0 to {MAX_AGE}.", "out-of-range"))
    elif raw.age_max < raw.age_min:
        problems.append(FieldProblem("age_max", "The highest age is below the lowest.", "out-of-range"))
    if not raw.for_whom:
        problems.append(FieldProblem("for_whom", "Say whom the association is for.", "required"))
    for i, who in enumerate(raw.for_whom):
        if who not in FOR_WHOM or who in raw.for_whom[:i]:
            problems.append(FieldProblem(f"for_whom[{i}]", "One of " + ", ".join(FOR_WHOM) + ", once.", "invalid"))
    for i, code in enumerate(raw.languages):
        if code not in LANGUAGES or code in raw.languages[:i]:
            problems.append(FieldProblem(f"languages[{i}]", "A language code (sv, en, ar, ...), once.", "invalid"))
    fee = raw.membership_fee
    if fee is not None and not (0 <= fee <= MAX_FEE):
        problems.append(FieldProblem("membership_fee", f"Kronor a year, 0-{MAX_FEE}.", "out-of-range"))
    description = _text(raw.description, "description", MAX_DESCRIPTION, problems, required=True)
    try_out = _text(raw.try_out_text, "try_out_text", MAX_NOTE, problems)
    notes = _text(raw.accessibility.notes, "accessibility.notes", MAX_NOTE, problems)
    website = _website(raw.website, problems)
    if problems:
        raise ValidationError.many(problems)
    return replace(raw, interests=interests, areas=area_ids, description=description or "", try_out_text=try_out,
                   accessibility=replace(raw.accessibility, notes=notes), website=website)


@dataclass(frozen=True)
class SearchableCopy:
    """The published version's columns the directory filters on in SQL (scalars) and in Python (lists)."""

    age_min: int | None = None
    age_max: int | None = None
    free_to_try: bool = False
    accessible: bool = False
    interests: tuple[UUID, ...] = ()
    areas: tuple[UUID, ...] = ()
    languages: tuple[str, ...] = ()
    for_whom: tuple[str, ...] = ()

    @classmethod
    def of(cls, fields: ProfileFields | None) -> SearchableCopy:
        if fields is None:
            return cls()
        return cls(fields.age_min, fields.age_max, fields.free_to_try, fields.accessibility.accessible,
                    fields.interests, fields.areas, fields.languages, fields.for_whom)


@dataclass(eq=False)
class AssociationProfile:
    """The aggregate: one per association. `published` is what the public sees; `draft` what its
    representatives edit. An edit after publishing leaves the published version public until staff verify
    the new one."""

    municipality_id: UUID
    association_id: UUID
    draft: ProfileFields
    status: ProfileStatus = ProfileStatus.DRAFT
    published: ProfileFields | None = None
    published_at: datetime | None = None
    verified_by: UUID | None = None
    review_note: str | None = None
    requests_paused: bool = False
    contact_id: UUID | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def searchable(self) -> SearchableCopy:
        return SearchableCopy.of(self.published)

    @property
    def is_public(self) -> bool:
        return self.published is not None

    def edit(self, fields: ProfileFields, contact_id: UUID | None) -> None:
        """A new draft: back to `draft` (it must be submitted again); the published version stays."""
        self.draft = fields
        self.contact_id = contact_id
        self.status = ProfileStatus.DRAFT

    def submit(self) -> None:
        if self.status is ProfileStatus.SUBMITTED:
            raise Conflict("The profile already awaits verification.")
        if self.status is ProfileStatus.PUBLISHED:
            raise Conflict("The profile is published as it stands; change it before submitting again.")
        if self.contact_id is None:
            raise ValidationError("contact_id", "Choose the contact person who receives interest requests.",
                                  "required")
        self.status = ProfileStatus.SUBMITTED

    def verify(self, by: UUID, at: datetime, *, association_verified: bool) -> None:
        """Staff publish the submitted draft: it becomes the public version (and the searchable copy)."""
        self._must_await_verification()
        if not association_verified:
            raise Conflict("The association itself is not verified yet; verify it first.",
                           [{"field": "association_id"}])
        if self.contact_id is None:
            raise ValidationError("contact_id", "The profile has no contact person; send it back.", "required")
        self.published = self.draft
        self.published_at = at
        self.verified_by = by
        self.review_note = None
        self.status = ProfileStatus.PUBLISHED

    def send_back(self, note: str) -> None:
        """Staff return the draft with a note saying what to change; any published version stays."""
        self._must_await_verification()
        problems: list[FieldProblem] = []
        text = _text(note, "note", MAX_NOTE, problems, required=True)
        if problems:
            raise ValidationError.many(problems)
        self.review_note = text
        self.status = ProfileStatus.DRAFT

    def unpublish(self) -> None:
        """Staff hide the profile: nothing is public until a new draft is submitted and verified."""
        if self.published is None:
            raise Conflict("The profile is not published.")
        self.published = None
        self.published_at = None
        if self.status is ProfileStatus.PUBLISHED:
            self.status = ProfileStatus.DRAFT

    def _must_await_verification(self) -> None:
        if self.status is not ProfileStatus.SUBMITTED:
            raise Conflict("The profile does not await verification (it was not submitted, or was decided).")
