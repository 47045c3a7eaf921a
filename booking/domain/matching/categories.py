"""The municipality's interest categories (what associations do: fotboll, schack, scouting ...). Staff
maintain the list; a municipality starts with DEFAULTS, stored the first time its list is asked for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from booking.domain.shared.errors import FieldProblem, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.text import clean_name

MAX_NAME = 60

DEFAULTS: tuple[tuple[str, str], ...] = (
    ("fotboll", "football"), ("innebandy", "floorball"), ("handboll", "handball"), ("basket", "basketball"),
    ("ishockey", "ice hockey"), ("konståkning", "figure skating"), ("simning", "swimming"),
    ("friidrott", "athletics"), ("gymnastik", "gymnastics"), ("dans", "dance"), ("kampsport", "martial arts"),
    ("ridning", "riding"), ("schack", "chess"), ("scouting", "scouting"), ("musik", "music"), ("kör", "choir"),
    ("teater", "theatre"), ("e-sport", "esports"), ("friluftsliv", "outdoor life"), ("klättring", "climbing"),
)


def _name(value: str | None, name: str, problems: list[FieldProblem], *, required: bool) -> str | None:
    if value is None or not value.strip():
        if required:
            problems.append(FieldProblem(name, "Give the category a name.", "required"))
        return None
    try:
        return clean_name(value, name, MAX_NAME)
    except ValidationError as exc:
        problems.extend(exc.problems)
        return None


@dataclass(eq=False)
class InterestCategory:
    municipality_id: UUID
    name: str  # Swedish, shown by default
    name_en: str | None = None
    position: int = 0
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        problems: list[FieldProblem] = []
        self.name = _name(self.name, "name", problems, required=True) or ""
        self.name_en = _name(self.name_en, "name_en", problems, required=False)
        if not 0 <= self.position <= 10_000:
            problems.append(FieldProblem("position", "A position from 0 to 10000.", "out-of-range"))
        if problems:
            raise ValidationError.many(problems)

    def label(self, lang: str) -> str:
        return (self.name_en or self.name) if lang == "en" else self.name


def defaults_for(municipality_id: UUID) -> list[InterestCategory]:
    return [InterestCategory(municipality_id, sv, en, (i + 1) * 10) for i, (sv, en) in enumerate(DEFAULTS)]
