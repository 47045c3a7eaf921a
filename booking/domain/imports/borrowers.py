"""Import and export of borrowers (låntagare) with their lending cards: personal data, so lending staff of
the whole municipality and administrators only, and every export is written in the audit log.

A row is matched by its card number (`kortnummer`, an active card of the municipality); a row without
one by the person (name, birth year, mobile and guardian's card) and otherwise registered with a new,
generated card. A card number the municipality does not have yet is the new borrower's card (cards
moved in from another system). A child's guardian is named by the guardian's card number, stored or
in the same file. A new borrower is checked by the registration's own rules (borrower_services: birth
year, an adult guardian still registered, a mobile number or a guardian's, a minor's consents given by
their guardian); a stored one is changed as staff change one at the desk (BORROWER_FIELDS and consents;
the guardian is not changed by an import)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from booking.domain.imports.csv_text import Column, Row
from booking.domain.imports.plan import (
    Plan,
    Run,
    audit,
    by_name,
    check_no_extra,
    lending_staff_everywhere,
    parse_choice,
    parse_int,
)
from booking.domain.imports.ports import ImportsUnitOfWork
from booking.domain.lending import labels
from booking.domain.lending.borrowers import (
    Borrower,
    Card,
    Gender,
    check_birth_year,
    check_guardian,
    check_minor_consents,
    check_reachable,
)
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import ValidationError

NAME, BIRTH_YEAR, MOBILE, EMAIL, GENDER, AREA = "namn", "födelseår", "mobil", "epost", "kön", "område"
CARD, GUARDIAN, CONSENTS = "kortnummer", "vårdnadshavare_kortnummer", "samtycken"
COLUMNS = (
    Column(NAME, ("name",)),
    Column(BIRTH_YEAR, ("birth_year", "fodelsear")),
    Column(MOBILE, ("mobile", "mobilnummer"), required=False),
    Column(EMAIL, ("email", "e_post", "mejl"), required=False),
    Column(GENDER, ("gender", "kon"), required=False),
    Column(AREA, ("area", "omrade"), required=False),
    Column(CARD, ("card_number", "kort", "lånekort"), required=False),
    Column(GUARDIAN, ("guardian_card_number", "vardnadshavare_kortnummer", "vårdnadshavare", "vardnadshavare"),
           required=False),
    Column(CONSENTS, ("consents", "samtycke"), required=False),
)
FIELDS = {"name": NAME, "birth_year": BIRTH_YEAR, "mobile": MOBILE, "email": EMAIL, "gender": GENDER,
          "area_id": AREA, "card_number": CARD, "guardian_id": GUARDIAN, "consents": CONSENTS}
GENDERS = {g.value: g.value for g in Gender} | {
    "kvinna": "female", "flicka": "female", "tjej": "female", "k": "female", "f": "female",
    "man": "male", "pojke": "male", "kille": "male", "m": "male", "p": "male",
    "annat": "other", "annan": "other", "ickebinär": "other", "x": "other",
}
SEPARATORS = ("|", ";")  # between the consents' categories (neither is ever in a name)


@dataclass
class Entry:
    """A row once read: the borrower it names (stored or new), its card number, its guardian's."""

    row: Row
    borrower: Borrower
    stored: bool
    card: str
    guardian_card: str
    consents: dict[UUID, str] = field(default_factory=dict)  # category -> name
    changes: dict[str, Any] = field(default_factory=dict)


def person_key(name: str, birth_year: int, mobile: str | None, guardian_card: str) -> tuple[str, int, str, str]:
    return name.casefold(), birth_year, mobile or "", guardian_card


class BorrowerImport:
    name = "borrowers"
    columns = COLUMNS
    export_audit = "lending.borrowers_exported"

    @staticmethod
    def allow(actor: Actor) -> None:
        lending_staff_everywhere(actor, "the borrowers' register")

    async def export(self, uow: ImportsUnitOfWork, actor: Actor) -> list[list[str]]:
        municipality = actor.municipality_id
        areas = {a.id: a.name for a in await uow.areas.of_municipality(municipality)}
        categories = {c.id: c.name for c in await uow.imports.categories(municipality)}
        cards = {c.borrower_id: c.number for c in await uow.imports.active_cards(municipality)}
        return [[b.name, str(b.birth_year), b.mobile or "", b.email or "", str(b.gender or ""),
                 areas.get(b.area_id, "") if b.area_id else "", cards.get(b.id, ""),
                 cards.get(b.guardian_id, "") if b.guardian_id else "",
                 "|".join(sorted(categories[c.category_id] for c in b.consents if c.category_id in categories))]
                for b in await uow.imports.borrowers(municipality)]

    async def plan(self, rows: Sequence[Row], uow: ImportsUnitOfWork, actor: Actor, run: Run) -> Plan:
        planner = _Planner(Plan(self.name), uow, actor, run)
        await planner.load()
        entries: list[Entry] = []
        async for row in run.checking(rows):
            try:
                entries.append(planner.read(row))
            except ValidationError as error:
                planner.plan.reject(row.line, error, FIELDS)
                planner.refused.add("".join(c for c in row.get(CARD) if c.isdigit()))
        await planner.claim_cards(entries)
        by_card = {e.card: e for e in entries if e.card}
        new_guardians = {e.guardian_card for e in entries if e.guardian_card in by_card
                         and not by_card[e.guardian_card].stored}
        # a guardian registered with the file is created before the children who name them
        for wards in (False, True):
            for entry in entries:
                if (entry.guardian_card in new_guardians) is wards:
                    try:
                        planner.settle(entry, by_card)
                    except ValidationError as error:
                        planner.plan.reject(entry.row.line, error, FIELDS)
        planner.plan.rows.sort(key=lambda r: r.line)
        planner.plan.problems.sort(key=lambda p: p.line)
        return planner.plan


class _Planner:
    def __init__(self, plan: Plan, uow: ImportsUnitOfWork, actor: Actor, run: Run) -> None:
        self.plan, self.uow, self.actor = plan, uow, actor
        self.at, self.today = run.now()
        self.seen_cards: dict[str, int] = {}
        self.seen_people: dict[tuple[str, int, str, str], int] = {}
        self.refused: set[str] = set()  # the card numbers of refused rows
        self.matched: dict[UUID, int] = {}  # a registered borrower -> the line that names them

    async def load(self) -> None:
        municipality = self.actor.municipality_id
        self.find_area = by_name(await self.uow.areas.of_municipality(municipality), "areas", AREA)
        self.find_category = by_name(await self.uow.imports.categories(municipality), "categories", CONSENTS)
        borrowers = {b.id: b for b in await self.uow.imports.borrowers(municipality)}
        self.cards: dict[str, Borrower] = {}
        self.card_of: dict[UUID, str] = {}
        for card in await self.uow.imports.active_cards(municipality):
            if card.borrower_id in borrowers:
                self.cards[card.number] = borrowers[card.borrower_id]
                self.card_of[card.borrower_id] = card.number
        self.people: dict[tuple[str, int, str, str], Borrower] = {
            person_key(b.name, b.birth_year, b.mobile, self.card_of.get(b.guardian_id, "") if b.guardian_id else ""):
            b for b in borrowers.values()}

    def _consents(self, row: Row) -> dict[UUID, str]:
        text = row.get(CONSENTS)
        for separator in SEPARATORS[1:]:
            text = text.replace(separator, SEPARATORS[0])
        found: dict[UUID, str] = {}
        for name in (n.strip() for n in text.split(SEPARATORS[0])):
            if name:
                category = self.find_category(name)
                if category is None:
                    raise ValidationError(CONSENTS, f"No lending category is named {name}.", "unknown")
                found[category.id] = category.name
        return found

    def read(self, row: Row) -> Entry:
        """The row's values checked one by one, and the borrower it names (stored, or new)."""
        check_no_extra(row)
        card = labels.normalize_card_number(row.get(CARD), CARD) if row.get(CARD) else ""
        guardian_card = labels.normalize_card_number(row.get(GUARDIAN), GUARDIAN) if row.get(GUARDIAN) else ""
        if card and card in self.seen_cards:
            raise ValidationError(CARD, f"Line {self.seen_cards[card]} has this card number too.", "repeated")
        if card:
            self.seen_cards[card] = row.line
        year = parse_int(row, BIRTH_YEAR, required=True) or 0  # required: never None
        area = self.find_area(row.get(AREA)) if row.get(AREA) else None
        if row.get(AREA) and area is None:
            raise ValidationError(AREA, f"No area is named {row.get(AREA)}; import the areas first.", "unknown")
        gender = parse_choice(row, GENDER, GENDERS, "") or None
        candidate = Borrower(self.actor.municipality_id, row.get(NAME), row.get(MOBILE) or None,
                             check_birth_year(year, self.today, BIRTH_YEAR), email=row.get(EMAIL) or None,
                             gender=Gender(gender) if gender else None, area_id=area.id if area else None,
                             registered_via="import", last_active_at=self.at)
        key = person_key(candidate.name, year, candidate.mobile, guardian_card)
        if key in self.seen_people:
            raise ValidationError(NAME, f"Line {self.seen_people[key]} names this person too.", "repeated")
        self.seen_people[key] = row.line
        consents = self._consents(row)
        stored = self.cards.get(card) if card else self.people.get(key)
        if stored is None and card and key in self.people:
            other = self.card_of.get(self.people[key].id, "")
            raise ValidationError(CARD, "This person is registered with another card"
                                        + (f" (ending {other[-4:]})" if other else "") + ".", "registered")
        if stored is None:
            return Entry(row, candidate, False, card, guardian_card, consents)
        if stored.id in self.matched:
            raise ValidationError(CARD, f"Line {self.matched[stored.id]} is this borrower too.", "repeated")
        self.matched[stored.id] = row.line
        changes = {f: getattr(candidate, f) for f in ("name", "birth_year", "mobile", "email", "gender", "area_id")
                   if row.has(FIELDS[f]) and getattr(stored, f) != getattr(candidate, f)}
        if not row.has(CONSENTS):
            consents = {c.category_id: "" for c in stored.consents}
        return Entry(row, stored, True, card or self.card_of.get(stored.id, ""), guardian_card, consents, changes)

    async def claim_cards(self, entries: list[Entry]) -> None:
        """New borrowers' card numbers: those given must be free, the others are made (and free)."""
        given = [e for e in entries if not e.stored and e.card]
        taken = await self.uow.imports.taken_card_numbers([e.card for e in given])
        for entry in given:
            if entry.card in taken:
                self.plan.reject(entry.row.line, ValidationError(
                    CARD, "This card number is taken (another borrower's card, or one blocked).", "taken"), FIELDS)
                self.refused.add(entry.card)
                entries.remove(entry)
        wanting = [e for e in entries if not e.stored and not e.card]
        numbers: set[str] = set()
        while len(numbers) < len(wanting):
            fresh = {labels.new_card_number() for _ in range(len(wanting) - len(numbers))} - self.seen_cards.keys()
            numbers |= fresh - await self.uow.imports.taken_card_numbers(sorted(fresh))
        for entry, number in zip(wanting, sorted(numbers), strict=True):
            entry.card = number

    def _guardian(self, entry: Entry, by_card: dict[str, Entry]) -> Borrower | None:
        if not entry.guardian_card:
            return None
        if entry.guardian_card == entry.card:
            raise ValidationError(GUARDIAN, "A borrower is not their own guardian.", "invalid")
        if entry.guardian_card in self.refused:
            raise ValidationError(GUARDIAN, "The guardian's row in this file is refused; fix that row.", "refused")
        in_file = by_card.get(entry.guardian_card)
        if in_file is not None:
            if in_file.guardian_card and not in_file.stored and in_file.guardian_card in by_card:
                raise ValidationError(GUARDIAN, f"The guardian on line {in_file.row.line} names a guardian too.",
                                      "nested")
            guardian = in_file.borrower
        elif entry.guardian_card in self.cards:
            guardian = self.cards[entry.guardian_card]
        else:
            raise ValidationError(GUARDIAN, "No borrower has this card, in the file or registered.", "unknown")
        if in_file is not None and in_file.row.line in {p.line for p in self.plan.problems}:
            raise ValidationError(GUARDIAN, f"The guardian on line {in_file.row.line} is refused; fix that line.",
                                  "refused")
        check_guardian(guardian, self.today)
        return guardian

    def settle(self, entry: Entry, by_card: dict[str, Entry]) -> None:
        """The row's rules that need the others (its guardian), and its step."""
        borrower = entry.borrower
        if entry.stored:
            current = self.card_of.get(borrower.guardian_id, "") if borrower.guardian_id else ""
            if entry.row.has(GUARDIAN) and entry.guardian_card != current:
                raise ValidationError(GUARDIAN, "An import does not change a registered borrower's guardian.",
                                      "not-changed")
            self._change(entry)
            return
        guardian = self._guardian(entry, by_card)
        check_reachable(borrower.mobile, guardian)
        check_minor_consents(borrower, guardian, bool(entry.consents), self.today)
        borrower.guardian_id = guardian.id if guardian else None
        self.plan.create(entry.row.line, "borrower", borrower.name, self._create(entry))

    def _create(self, entry: Entry) -> Any:
        borrower, at = entry.borrower, self.at

        def step() -> None:
            for category_id in entry.consents:
                borrower.give_consent(category_id, by=borrower.guardian_id, at=at)
            self.uow.lending.add_borrower(borrower)
            self.uow.lending.add_card(Card(borrower.id, entry.card, borrower.municipality_id, issued_at=at))
            audit(self.uow, self.actor, "lending.borrower_registered", "borrower", borrower.id, "borrowers")
        return step

    def _change(self, entry: Entry) -> None:
        borrower, changes, at, today = entry.borrower, entry.changes, self.at, self.today
        had = {c.category_id for c in borrower.consents}
        give = [c for c in entry.consents if c not in had]
        withdraw = sorted(had - entry.consents.keys())
        columns = [FIELDS[k] for k in changes] + ([CONSENTS] if give or withdraw else [])

        def step() -> None:
            borrower.change(changes, today)
            if changes:
                audit(self.uow, self.actor, "lending.borrower_updated", "borrower", borrower.id, "borrowers",
                      fields=sorted(changes))
            for category_id in give:
                borrower.give_consent(category_id, by=borrower.guardian_id, at=at)
                audit(self.uow, self.actor, "lending.consent_given", "borrower", borrower.id, "borrowers",
                      category_id=str(category_id))
            for category_id in withdraw:
                borrower.withdraw_consent(category_id)
                audit(self.uow, self.actor, "lending.consent_withdrawn", "borrower", borrower.id, "borrowers",
                      category_id=str(category_id))
        self.plan.change(entry.row.line, "borrower", borrower.name, columns, step)


BORROWERS = BorrowerImport()
