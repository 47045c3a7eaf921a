"""A holiday period whose places are given by a wish phase and a draw (lottning), not first come.

The entities kept between requests: the period's draw settings and state, the children wished for
and their ranked wishes. The matching itself is pure and lives in draw.py.

The state: WISHING (guardians rank wishes until `wishes_close_at`) -> PREVIEWED (staff ran the draw
after the deadline; the result is a preview they may adjust and run again) -> PUBLISHED (the grants
became registrations; the rest of the places open first come with the waiting list). Nothing changes
once published.

A child wished for is a first name and a birth year within the guardian's account, as on a
registration: children are not persons of their own here, so "the same child" in an earlier draw or
registration means the same account, the same case-folded first name and the same birth year.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from booking.domain.activities.draw import Weights
from booking.domain.activities.model import child_key, first_name
from booking.domain.premises.attendance import Gender
from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id

MAX_WISHES = 30
MAX_PER_CHILD = 20
MAX_TRAVEL_MINUTES = 240
GROUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
GROUP_CODE_LENGTH = 8


class DrawStatus(StrEnum):
    WISHING = "wishing"  # guardians rank wishes until the deadline; nothing is decided
    PREVIEWED = "previewed"  # staff have run the draw; the result is a preview they may adjust
    PUBLISHED = "published"  # places given; what is left opens first come with the waiting list


def check_weights(weights: dict[str, float]) -> dict[str, float]:
    """Every weight named in Weights.FIELDS, each 0-100 (missing ones take the default)."""
    defaults = Weights()
    clean: dict[str, float] = {}
    for name in weights:
        if name not in Weights.FIELDS:
            raise ValidationError(f"weights.{name}", f"Unknown weight; known: {', '.join(Weights.FIELDS)}.",
                                  "unknown")
    for name in Weights.FIELDS:
        value = float(weights.get(name, getattr(defaults, name)))
        if not 0 <= value <= 100:
            raise ValidationError(f"weights.{name}", "A weight from 0 to 100.", "range")
        clean[name] = value
    return clean


def new_group_code() -> str:
    return "".join(secrets.choice(GROUP_ALPHABET) for _ in range(GROUP_CODE_LENGTH))


def clean_group_code(value: str | None, field_name: str = "group_code") -> str | None:
    """A group code as typed by another family: case and spaces do not matter."""
    if value is None or not value.strip():
        return None
    code = value.replace(" ", "").replace("-", "").upper()
    if not 4 <= len(code) <= 16 or any(c not in GROUP_ALPHABET for c in code):
        raise ValidationError(field_name, "A group code of letters and digits, e.g. K7QF3MZA.", "format")
    return code


@dataclass(eq=False)
class HolidayDraw:
    """The draw of one holiday period: its settings, its state and its kept result."""

    municipality_id: UUID
    period_id: UUID
    wishes_close_at: datetime
    max_per_child: int = 3
    travel_minutes: int = 0
    weights: dict[str, float] = field(default_factory=lambda: check_weights({}))
    priority_areas: list[str] = field(default_factory=list)  # area ids (as text: kept as JSON)
    status: DrawStatus = DrawStatus.WISHING
    seed: str | None = None
    result: dict[str, Any] | None = None  # the preview: {"outcomes": [...]} (see services/draw_run.py)
    run_at: datetime | None = None
    published_at: datetime | None = None
    version: int = 0
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.status = DrawStatus(self.status)
        self.configure(self.wishes_close_at, self.max_per_child, self.travel_minutes, self.weights,
                       [UUID(a) for a in self.priority_areas], None)

    @property
    def published(self) -> bool:
        return self.status is DrawStatus.PUBLISHED

    def wishes_open(self, now: datetime) -> bool:
        return not self.published and now < self.wishes_close_at

    def configure(self, wishes_close_at: datetime, max_per_child: int, travel_minutes: int,
                  weights: dict[str, float], priority_areas: list[UUID], now: datetime | None) -> None:
        """New settings. After a run: before the deadline the draw goes back to wishing; after it the
        preview is dropped (run again) but the status stays previewed."""
        self.require_not_published()
        if wishes_close_at.tzinfo is None:
            raise ValidationError("wishes_close_at", "Give a time zone, e.g. 2027-02-01T12:00:00+01:00.", "format")
        if now is not None and wishes_close_at <= now and wishes_close_at != self.wishes_close_at:
            raise ValidationError("wishes_close_at", "The wish phase must close in the future.", "past")
        if not 1 <= max_per_child <= MAX_PER_CHILD:
            raise ValidationError("max_per_child", f"From 1 to {MAX_PER_CHILD}.", "range")
        if not 0 <= travel_minutes <= MAX_TRAVEL_MINUTES:
            raise ValidationError("travel_minutes", f"From 0 to {MAX_TRAVEL_MINUTES} minutes.", "range")
        self.wishes_close_at, self.max_per_child, self.travel_minutes = wishes_close_at, max_per_child, travel_minutes
        self.weights = check_weights(weights)
        self.priority_areas = sorted({str(a) for a in priority_areas})
        if now is not None and self.status is DrawStatus.PREVIEWED:
            self.result = None
            if now < wishes_close_at:
                self.status, self.seed, self.run_at = DrawStatus.WISHING, None, None
        self.version += 1

    def require_not_published(self) -> None:
        if self.published:
            raise Conflict("The draw is published; its places are given.")

    def require_wishes_open(self, now: datetime) -> None:
        self.require_not_published()
        if now >= self.wishes_close_at:
            raise Conflict(f"The wish phase closed at {self.wishes_close_at.isoformat()}.")

    def require_runnable(self, now: datetime) -> None:
        self.require_not_published()
        if now < self.wishes_close_at:
            raise Conflict(f"The wish phase is open until {self.wishes_close_at.isoformat()}; run the draw after it.")

    def keep_result(self, seed: str, result: dict[str, Any], now: datetime) -> None:
        self.require_runnable(now)
        self.status, self.seed, self.result, self.run_at = DrawStatus.PREVIEWED, seed, result, now
        self.version += 1

    def adjust(self, result: dict[str, Any]) -> None:
        self.require_preview()
        self.result = result
        self.version += 1

    def require_preview(self) -> dict[str, Any]:
        self.require_not_published()
        if self.status is not DrawStatus.PREVIEWED or self.result is None:
            raise Conflict("The draw has no preview: run it first.")
        return self.result

    def publish(self, result: dict[str, Any], now: datetime) -> None:
        self.require_preview()
        self.status, self.result, self.published_at = DrawStatus.PUBLISHED, result, now
        self.version += 1


@dataclass(frozen=True)
class ChildWish:
    session_id: UUID
    rank: int  # 1 is the first wish
    favourite: bool = False


@dataclass(eq=False)
class WishingChild:
    """A child a guardian wishes places for in a draw (a first name and birth year within the account)."""

    municipality_id: UUID
    draw_id: UUID
    account_id: UUID
    first_name: str
    birth_year: int
    max_activities: int
    gender: Gender | None = None
    needs: str | None = None
    home_area_id: UUID | None = None
    group_code: str | None = None
    withdrawn_at: datetime | None = None
    child_key: str = ""
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.first_name = first_name(self.first_name)
        self.child_key = child_key(self.first_name)
        self.gender = Gender(self.gender) if self.gender is not None else None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def ranked(session_ids: list[tuple[UUID, bool]]) -> list[ChildWish]:
    """The wishes in list order (rank 1 first), each session once."""
    if not 1 <= len(session_ids) <= MAX_WISHES:
        raise ValidationError("wishes", f"From 1 to {MAX_WISHES} wishes.", "range")
    seen: set[UUID] = set()
    for i, (session_id, _) in enumerate(session_ids):
        if session_id in seen:
            raise ValidationError(f"wishes[{i}].session_id", "The same session is wished twice.", "duplicate")
        seen.add(session_id)
    return [ChildWish(s, i + 1, fav) for i, (s, fav) in enumerate(session_ids)]
