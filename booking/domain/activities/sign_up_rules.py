"""The rules of a sign-up: who signs up whom, for which session, when; and that no child holds two
sessions at once. Pure functions: the services load what they need and ask these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from booking.domain.activities.model import (
    SELF_SIGN_UP_AGE,
    Activity,
    ActivitySession,
    Registration,
    SessionStatus,
    age_in,
    check_birth_year,
    child_key,
    first_name,
)
from booking.domain.people.roles import Actor, Role
from booking.domain.premises.attendance import Gender
from booking.domain.shared.errors import Conflict, Forbidden, ValidationError
from booking.domain.shared.text import clean_text

MAX_CHILDREN = 8


@dataclass(frozen=True)
class Child:
    first_name: str
    birth_year: int
    gender: Gender | None = None
    needs: str | None = None
    home_area_id: UUID | None = None  # the home area as chosen, or
    postcode: str | None = None  # ... a postcode to look up in the municipality's table (sign_ups resolves it)

    @property
    def key(self) -> str:
        return child_key(self.first_name)


def check_signer(actor: Actor, children: Sequence[Child], self_sign_up: bool) -> None:
    """One to eight children from a guardian account, or only oneself (a young person)."""
    if not children:
        raise ValidationError("children", "Sign up at least one child.", "required")
    if len(children) > MAX_CHILDREN:
        raise ValidationError("children", f"At most {MAX_CHILDREN} at a time.", "too-many")
    if self_sign_up and len(children) != 1:
        raise ValidationError("children", "Signing yourself up: give only yourself.", "too-many")
    if not self_sign_up and not actor.has(Role.GUARDIAN):
        raise Forbidden("Children are signed up from a guardian account; young people of 13 or more may sign "
                        "themselves up (self_sign_up).")


def clean_children(children: Sequence[Child], today: date) -> list[Child]:
    """The children as stored (name and needs cleaned), each once."""
    cleaned = [_clean_child(i, child, today) for i, child in enumerate(children)]
    keys = [(c.key, c.birth_year) for c in cleaned]
    if len(set(keys)) != len(keys):
        raise ValidationError("children", "The same child is listed twice.", "duplicate")
    return cleaned


def _clean_child(i: int, child: Child, today: date) -> Child:
    name = first_name(child.first_name, f"children[{i}].first_name")
    check_birth_year(child.birth_year, today, f"children[{i}].birth_year")
    needs = clean_text(child.needs, f"children[{i}].needs", 1000) if child.needs and child.needs.strip() else None
    postcode = child.postcode if child.postcode and child.postcode.strip() else None
    return Child(name, child.birth_year, Gender(child.gender) if child.gender else None, needs, child.home_area_id,
                 postcode)


def check_open(activity: Activity, session: ActivitySession, now: datetime) -> None:
    """The session takes sign-ups now: scheduled, not begun, with sign-up, in its window."""
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("The session is cancelled.")
    session.require_not_begun(now)
    if not activity.signup_required:
        raise Conflict("Drop-in: no sign-up needed, just come.")
    if not activity.signup_open(now):
        raise Conflict("Sign-up is not open now.")


def check_ages(activity: Activity, session: ActivitySession, children: Sequence[Child], self_sign_up: bool) -> None:
    """Ages count by the year the session is in; one signs oneself up from 13."""
    for i, child in enumerate(children):
        age = age_in(session.starts_at.year, child.birth_year)
        if self_sign_up and age < SELF_SIGN_UP_AGE:
            raise ValidationError(f"children[{i}].birth_year",
                                  "Under 13 a guardian signs up; ask a guardian.", "too-young")
        if not activity.accepts_age(age):
            raise ValidationError(f"children[{i}].birth_year",
                                  f"The activity is for ages {activity.age_min}-{activity.age_max}.", "age")


def check_free_time(i: int, child: Child, session_id: UUID, overlapping: Sequence[Registration]) -> None:
    """`overlapping`: the child's active registrations whose session overlaps this one (this one too)."""
    if any(r.session_id == session_id for r in overlapping):
        raise Conflict(f"{child.first_name} is already signed up for this session.", [{"field": f"children[{i}]"}])
    if overlapping:
        raise Conflict(f"{child.first_name} is signed up for another session at that time.",
                       [{"field": f"children[{i}]", "session_id": str(r.session_id)} for r in overlapping])


def check_move(session_id: UUID, overlapping: Sequence[tuple[Registration, Sequence[Registration]]]) -> None:
    """No child signed up (or waiting) may get two sessions at once through a move: `overlapping` pairs
    each active registration of the session with the child's registrations overlapping the new time."""
    clashes: list[dict[str, Any]] = [
        {"field": "date", "registration_id": str(r.id), "session_id": str(other.session_id)}
        for r, others in overlapping for other in others if other.session_id != session_id]
    if clashes:
        raise Conflict(f"{len(clashes)} signed-up children have another session at that time.", clashes)
