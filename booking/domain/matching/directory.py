"""The public directory of associations: which published profiles match the filters a visitor gave, and
why each does ("spelar innebandy", "för 10-12 år", "tränar tisdagar", "i Nacksta", "prova gratis").

Pure: a function over the searchable rows (the published profile's searchable copy), so the matching
reuses the row type and the reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

WEEKDAYS_SV = ("måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar", "söndagar")
WEEKDAYS_EN = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "sv": ("svenska", "Swedish"), "en": ("engelska", "English"), "ar": ("arabiska", "Arabic"),
    "so": ("somaliska", "Somali"), "fa": ("persiska", "Persian"), "ti": ("tigrinska", "Tigrinya"),
    "uk": ("ukrainska", "Ukrainian"), "fi": ("finska", "Finnish"), "es": ("spanska", "Spanish"),
    "de": ("tyska", "German"), "fr": ("franska", "French"), "pl": ("polska", "Polish"),
    "ku": ("kurdiska", "Kurdish"), "bs": ("bosniska", "Bosnian"),
}


@dataclass(frozen=True)
class SearchRow:
    """One published profile as the directory and the matching search it."""

    association_id: UUID
    name: str
    age_min: int
    age_max: int
    free_to_try: bool
    accessible: bool
    interests: tuple[UUID, ...]
    areas: tuple[UUID, ...]
    languages: tuple[str, ...]
    for_whom: tuple[str, ...]
    requests_paused: bool = False


@dataclass(frozen=True)
class DirectoryFilter:
    interest: UUID | None = None
    age: int | None = None
    area: UUID | None = None
    weekday: int | None = None  # ISO 1-7
    free_to_try: bool = False
    language: str | None = None
    accessible: bool = False
    q: str | None = None  # part of the name

    @property
    def needs_weekdays(self) -> bool:
        return self.weekday is not None


@dataclass(frozen=True)
class Why:
    code: str
    text_sv: str
    text_en: str


@dataclass(frozen=True)
class Names:
    """What the reasons name: categories (sv, en) and areas by id."""

    interests: Mapping[UUID, tuple[str, str]]
    areas: Mapping[UUID, str]


def age_reason(row: SearchRow) -> Why:
    return Why("age", f"för {row.age_min}-{row.age_max} år", f"for ages {row.age_min}-{row.age_max}")


def weekday_reason(weekday: int) -> Why:
    return Why("weekday", f"tränar {WEEKDAYS_SV[weekday - 1]}", f"trains on {WEEKDAYS_EN[weekday - 1]}")


def interest_reason(category: UUID, names: Names) -> Why:
    sv, en = names.interests.get(category, ("", ""))
    return Why("interest", f"håller på med {sv}", f"does {en or sv}")


def area_reason(area: UUID, names: Names) -> Why:
    name = names.areas.get(area, "")
    return Why("area", f"i {name}", f"in {name}")


FREE_TO_TRY = Why("free_to_try", "prova gratis", "free to try")
ACCESSIBLE = Why("accessible", "tillgängliga lokaler", "accessible premises")


def matches_scalars(row: SearchRow, f: DirectoryFilter) -> bool:
    """The filters the database applies (repeated here, so the pure function stands alone)."""
    if f.age is not None and not row.age_min <= f.age <= row.age_max:
        return False
    if f.free_to_try and not row.free_to_try:
        return False
    if f.accessible and not row.accessible:
        return False
    return not (f.q and f.q.casefold() not in row.name.casefold())


def why(row: SearchRow, f: DirectoryFilter, names: Names, weekdays: frozenset[int] = frozenset()) -> list[Why] | None:
    """The reasons the row matches every filter given, in the filters' order; None when it does not match.
    `weekdays` are the ISO weekdays of the association's training times (needed for the weekday filter)."""
    if not matches_scalars(row, f):
        return None
    reasons: list[Why] = []
    if f.interest is not None:
        if f.interest not in row.interests:
            return None
        reasons.append(interest_reason(f.interest, names))
    if f.age is not None:
        reasons.append(age_reason(row))
    if f.area is not None:
        if f.area not in row.areas:
            return None
        reasons.append(area_reason(f.area, names))
    if f.weekday is not None:
        if f.weekday not in weekdays:
            return None
        reasons.append(weekday_reason(f.weekday))
    if f.free_to_try:
        reasons.append(FREE_TO_TRY)
    if f.language is not None:
        if f.language not in row.languages:
            return None
        sv, en = LANGUAGE_NAMES.get(f.language, (f.language, f.language))
        reasons.append(Why("language", f"pratar {sv}", f"speaks {en}"))
    if f.accessible:
        reasons.append(ACCESSIBLE)
    if f.q:
        reasons.append(Why("name", f"namnet innehåller \u201d{f.q}\u201d", f"the name contains \u201c{f.q}\u201d"))
    return reasons
