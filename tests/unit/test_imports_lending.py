"""Imports of lending articles and borrowers with the fakes: good rows, each bad row's reason, the round
trip, who may import them, and the progress of both stages (booking/domain/imports/)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from booking.domain.imports import services as imports
from booking.domain.imports.plan import Action, Run
from booking.domain.lending.borrowers import Borrower
from booking.domain.lending.labels import luhn_digit, luhn_valid
from booking.domain.lending.model import Category
from booking.domain.municipalities.model import Area
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.shared.errors import Forbidden, ValidationError
from booking.domain.shared.ids import new_id
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes.lending import LendingWorld

pytestmark = pytest.mark.asyncio

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
RUN = Run(NOW, date(2027, 2, 1))
ARTICLE_HEADER = "namn;storlek;kategori;överkategori;lånetid_dagar;min_ålder;max_ålder;samtycke_krävs;" \
                 "självbetjäning;beskrivning;bild"
ARTICLES = (f"{ARTICLE_HEADER}\n"
            "Slalomskidor;150 cm;Skidor;Vintersport;7;8;;ja;nej;Carvingskidor;\n"
            "Slalomskidor;170 cm;Skidor;Vintersport;7;12;;ja;nej;Carvingskidor;\n"
            "Skridskor;38;Skridskor;;;;;nej;ja;;https://example.se/skridsko.jpg\n")
BORROWER_HEADER = "namn;födelseår;mobil;epost;kön;område;kortnummer;vårdnadshavare_kortnummer;samtycken"
CARD_A, CARD_B = "1234567897", "2345678904"  # valid Luhn check digits


def borrowers_file(*rows: str) -> str:
    return "\n".join((BORROWER_HEADER, *rows)) + "\n"


BORROWERS = borrowers_file(
    f"Per Ek;1980;070-123 45 67;Per@Example.se;man;Nacksta;{CARD_A};;Vintersport",
    f"Tove Ek;2016;;;flicka;Nacksta;;{CARD_A};Vintersport",
    "Alva Berg;1995;0701112233;;;;;;",
)


@pytest.fixture
async def world() -> LendingWorld:
    w = await LendingWorld.create(FakeUnitOfWork())
    w.uow.areas.add(Area(w.id, "Nacksta", 1200))
    await w.uow.commit()
    return w


def admin(w: LendingWorld) -> Actor:
    return Actor(new_id(), w.id, frozenset({Grant(Role.ADMIN)}))


def stored(w: LendingWorld) -> dict[str, dict[object, str]]:
    return {name: {k: repr(vars(v)) for k, v in rows.items()} for name, rows in w.uow.tables.items()}


def problems(plan: imports.Plan) -> list[tuple[int, str | None, str]]:
    return [(p.line, p.column, p.code) for p in plan.problems]


# --- articles ------------------------------------------------------------------------------------


async def test_articles_create_their_categories_in_a_dry_run_that_writes_nothing(world: LendingWorld) -> None:
    before = stored(world)
    plan = await imports.dry_run("lending_articles", ARTICLES, world.uow, world.staff(), RUN)
    assert problems(plan) == []
    assert [(r.line, r.action, r.entity, r.name) for r in plan.rows] == [
        (2, Action.CREATE, "category", "Skidor"),
        (2, Action.CREATE, "article", "Slalomskidor (150 cm)"),
        (3, Action.CREATE, "article", "Slalomskidor (170 cm)"),
        (4, Action.CREATE, "category", "Skridskor"),
        (4, Action.CREATE, "article", "Skridskor (38)"),
    ]
    assert stored(world) == before and world.uow.audit_log == []


async def test_the_article_import_writes_every_row_and_the_export_reads_back_unchanged(world: LendingWorld) -> None:
    staff = world.staff()
    await imports.run_import("lending_articles", ARTICLES, world.uow, staff, RUN)
    articles = {(a.name, a.variant): a for a in world.uow.lending.articles.values()}
    ski = articles[("Slalomskidor", "150 cm")]
    skis = world.uow.lending.categories[ski.category_id]
    assert (skis.name, skis.parent_id) == ("Skidor", world.top.id)
    assert (ski.loan_period_days, ski.min_age, ski.needs_guardian_consent, ski.self_service) == (7, 8, True, False)
    skates = articles[("Skridskor", "38")]
    assert (skates.loan_period_days, skates.self_service, skates.photo_url) == (14, True,
                                                                               "https://example.se/skridsko.jpg")
    assert sorted(e.action for e in world.uow.audit_log) == [*["lending.article_created"] * 3,
                                                             *["lending.category_created"] * 2]
    assert all(e.details["import"] == "lending_articles" and e.actor_id == staff.account_id
               for e in world.uow.audit_log)
    text = await imports.export("lending_articles", world.uow, staff)
    assert text.startswith("\ufeff" + ARTICLE_HEADER + "\r\n")
    again = await imports.dry_run("lending_articles", text, world.uow, staff, RUN)
    assert problems(again) == [] and {r.action for r in again.rows} == {Action.UNCHANGED}


async def test_an_article_is_matched_by_name_and_size(world: LendingWorld) -> None:
    await imports.run_import("lending_articles", ARTICLES, world.uow, world.staff(), RUN)
    text = f"{ARTICLE_HEADER}\nslalomskidor;150 CM;Skidor;Vintersport;10;8;;ja;nej;Carvingskidor;\n"
    plan = await imports.run_import("lending_articles", text, world.uow, world.staff(), RUN)
    assert [(r.action, r.changes) for r in plan.rows] == [(Action.CHANGE, ("namn", "storlek", "lånetid_dagar"))]
    assert sorted((a.name, a.variant, a.loan_period_days) for a in world.uow.lending.articles.values()) == [
        ("Skridskor", "38", 14), ("Slalomskidor", "170 cm", 7), ("slalomskidor", "150 CM", 10)]


@pytest.mark.parametrize(("row", "column", "code"), [
    ("Skidor;;Vintersport;;0;;;;;;", "lånetid_dagar", "out-of-range"),
    ("Skidor;;Vintersport;;sju;;;;;;", "lånetid_dagar", "not-a-number"),
    ("Skidor;;Vintersport;;;12;8;;;;", "max_ålder", "out-of-range"),
    ("Skidor;;Vintersport;;;;;kanske;;;", "samtycke_krävs", "not-a-boolean"),
    ("Skidor;;Vintersport;;;;;;;;http://example.se/a.jpg", "bild", "format"),
    ("Skidor <b>;;Vintersport;;;;;;;;", "namn", "bad-character"),
    ("Skidor;;;;;;;;;;", "kategori", "required"),
    ("Skidor;;Längdskidor;Skidor;;;;;;;", "överkategori", "too-deep"),
    ("Skidor;;Övrigt;;;;;;;;", "kategori", "ambiguous"),
    ("Skidor;;Vintersport;;;;;;;;;extra", None, "extra-cell"),
])
async def test_each_bad_article_row_names_its_column(world: LendingWorld, row: str, column: str | None,
                                                     code: str) -> None:
    skis = Category(world.id, "Skidor", world.top.id)
    for category in (skis, Category(world.id, "Övrigt"), Category(world.id, "Övrigt", world.top.id)):
        world.uow.lending.add_category(category)
    await world.uow.commit()
    plan = await imports.dry_run("lending_articles", f"{ARTICLE_HEADER}\n{row}\n", world.uow, world.staff(), RUN)
    assert problems(plan) == [(2, column, code)]
    assert plan.rows == []  # a bad row plans no category either


async def test_a_bad_article_row_refuses_the_whole_file(world: LendingWorld) -> None:
    before = stored(world)
    bad = ARTICLES + "Slalomskidor;150 cm;Skidor;Vintersport;7;;;;;;\n"
    with pytest.raises(ValidationError) as caught:
        await imports.run_import("lending_articles", bad, world.uow, world.staff(), RUN)
    assert [(p.field, p.line, p.column, p.code) for p in caught.value.problems] == [("csv", 5, "namn", "repeated")]
    assert stored(world) == before and world.uow.audit_log == []


# --- borrowers -----------------------------------------------------------------------------------


async def test_borrowers_are_registered_with_cards_guardians_and_consents(world: LendingWorld) -> None:
    staff = world.staff()
    before = stored(world)
    dry = await imports.dry_run("borrowers", BORROWERS, world.uow, staff, RUN)
    assert problems(dry) == [] and [(r.line, r.action, r.name) for r in dry.rows] == [
        (2, Action.CREATE, "Per Ek"), (3, Action.CREATE, "Tove Ek"), (4, Action.CREATE, "Alva Berg")]
    assert stored(world) == before
    await imports.run_import("borrowers", BORROWERS, world.uow, staff, RUN)
    people = {b.name: b for b in world.uow.lending.borrowers.values()}
    per, tove, alva = people["Per Ek"], people["Tove Ek"], people["Alva Berg"]
    assert (per.mobile, per.email, per.gender, per.registered_via) == ("+46701234567", "per@example.se", "male",
                                                                        "import")
    assert tove.guardian_id == per.id and tove.mobile is None and tove.consents[0].given_by == per.id
    cards = {c.borrower_id: c.number for c in world.uow.lending.cards.values() if c.active}
    assert cards[per.id] == CARD_A and len(cards[alva.id]) == 10 and cards[alva.id] != CARD_A
    assert sorted(e.action for e in world.uow.audit_log) == ["lending.borrower_registered"] * 3


async def test_the_borrowers_export_reads_back_unchanged_and_is_audited(world: LendingWorld) -> None:
    staff = world.staff()
    await imports.run_import("borrowers", BORROWERS, world.uow, staff, RUN)
    before = len(world.uow.audit_log)
    text = await imports.export("borrowers", world.uow, staff, world.uow)
    assert "Tove Ek;2016;;;female;Nacksta;" in text and f";{CARD_A};Vintersport\r\n" in text
    assert [(e.action, e.details) for e in world.uow.audit_log[before:]] == [
        ("lending.borrowers_exported", {"export": "borrowers", "rows": 3})]
    again = await imports.dry_run("borrowers", text, world.uow, staff, RUN)
    assert problems(again) == [] and [r.action for r in again.rows] == [Action.UNCHANGED] * 3


async def test_a_borrower_is_matched_by_card_or_else_by_person(world: LendingWorld) -> None:
    staff = world.staff()
    await imports.run_import("borrowers", BORROWERS, world.uow, staff, RUN)
    text = borrowers_file(f"Per Ek;1980;070-999 99 99;;man;Nacksta;{CARD_A};;",
                          "Alva Berg;1995;0701112233;alva@example.se;kvinna;;;;")
    plan = await imports.run_import("borrowers", text, world.uow, staff, RUN)
    assert [(r.action, r.changes) for r in plan.rows] == [
        (Action.CHANGE, ("mobil", "epost", "samtycken")), (Action.CHANGE, ("epost", "kön"))]
    per = next(b for b in world.uow.lending.borrowers.values() if b.name == "Per Ek")
    assert per.mobile == "+46709999999" and per.consents == [] and len(world.uow.lending.borrowers) == 3
    assert "lending.consent_withdrawn" in [e.action for e in world.uow.audit_log]


@pytest.mark.parametrize(("row", "column", "code"), [
    ("Ny Person;1850;0701234567;;;;;;", "födelseår", "out-of-range"),
    ("Ny Person;;0701234567;;;;;;", "födelseår", "required"),
    ("Ny Person;1990;12345;;;;;;", "mobil", "format"),
    ("Ny Person;1990;0701234567;inte-en-adress;;;;;", "epost", "format"),
    ("Ny Person;1990;0701234567;;robot;;;;", "kön", "unknown"),
    ("Ny Person;1990;0701234567;;;Okänt;;;", "område", "unknown"),
    ("Ny Person;1990;0701234567;;;;1234567890;;", "kortnummer", "checksum"),
    ("Ny Person;1990;0701234567;;;;;;Cyklar", "samtycken", "unknown"),
    ("Ny Person;2015;;;;;;;", "mobil", "required"),  # a child needs a mobile number or a guardian
    ("Ny Person;2015;0701234567;;;;;;Vintersport", "vårdnadshavare_kortnummer", "required"),
    (f"Ny Person;2015;;;;;;{CARD_B};", "vårdnadshavare_kortnummer", "unknown"),
    ("Ny Person <b>;1990;0701234567;;;;;;", "namn", "bad-character"),
    ("Ny Person;1990;0701234567;;;;;;;extra", None, "extra-cell"),
])
async def test_each_bad_borrower_row_names_its_column(world: LendingWorld, row: str, column: str | None,
                                                      code: str) -> None:
    plan = await imports.dry_run("borrowers", borrowers_file(row), world.uow, world.staff(), RUN)
    assert problems(plan) == [(2, column, code)]


async def test_guardians_and_cards_follow_the_registration_rules(world: LendingWorld) -> None:
    minor, minor_card = await world.borrower("Liten Ek", 2014)
    _, elsewhere = await (await LendingWorld.create(world.uow, "Timra")).borrower("Annan", 1970)
    text = borrowers_file(
        f"Barn Ett;2016;;;;;;{minor_card.number};",  # a guardian is an adult
        f"Ny Person;1990;0701234567;;;;{elsewhere.number};;",  # another municipality's card
        f"Kim Ny;1991;0701234567;;;;{CARD_B};;",
        f"Kim Ny;1991;0701234568;;;;{CARD_B};;",  # the card twice
        f"Barn Två;2017;;;;;;{CARD_B};",  # the guardian's row is refused
        f"Liten Ek;2014;070-123 45 67;;;;{CARD_A};;",  # registered with another card
    )
    plan = await imports.dry_run("borrowers", text, world.uow, world.staff(), RUN)
    assert problems(plan) == [(2, "vårdnadshavare_kortnummer", "minor"), (3, "kortnummer", "taken"),
                              (5, "kortnummer", "repeated"), (6, "vårdnadshavare_kortnummer", "refused"),
                              (7, "kortnummer", "registered")]
    assert minor.guardian_id is None


async def test_a_registered_borrower_is_named_once(world: LendingWorld) -> None:
    await imports.run_import("borrowers", BORROWERS, world.uow, world.staff(), RUN)
    text = borrowers_file("Per Ek;1980;070-123 45 67;;;;;;", f"Per Ek;1980;070-999 99 99;;;;{CARD_A};;")
    plan = await imports.dry_run("borrowers", text, world.uow, world.staff(), RUN)
    assert problems(plan) == [(3, "kortnummer", "repeated")]


async def test_an_import_does_not_change_a_registered_guardian(world: LendingWorld) -> None:
    await imports.run_import("borrowers", BORROWERS, world.uow, world.staff(), RUN)
    tove = next(b for b in world.uow.lending.borrowers.values() if b.name == "Tove Ek")
    card = next(c.number for c in world.uow.lending.cards.values() if c.borrower_id == tove.id)
    plan = await imports.dry_run("borrowers", borrowers_file(f"Tove Ek;2016;;;;;{card};;"), world.uow,
                                 world.staff(), RUN)
    assert problems(plan) == [(2, "vårdnadshavare_kortnummer", "not-changed")]


# --- who, and progress ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["lending_articles", "borrowers"])
async def test_only_lending_staff_of_the_whole_municipality_and_admins_import_lending(world: LendingWorld,
                                                                                       kind: str) -> None:
    site = await world.site()
    premises = Actor(new_id(), world.id, frozenset({Grant(Role.PREMISES_STAFF)}))
    for actor in (premises, world.staff(site)):
        with pytest.raises(Forbidden):
            await imports.dry_run(kind, BORROWERS, world.uow, actor, RUN)
        with pytest.raises(Forbidden):
            await imports.export(kind, world.uow, actor, world.uow)
    plan = await imports.dry_run(kind, BORROWERS if kind == "borrowers" else ARTICLES, world.uow, admin(world), RUN)
    assert plan.problems == []
    with pytest.raises(Forbidden):
        await imports.dry_run("areas", "namn\nNacksta\n", world.uow, world.staff(), RUN)


async def test_both_stages_report_their_progress(world: LendingWorld) -> None:
    rows = [f"Person {i};1990;070{i:07d};;;;{_card(i)};;" for i in range(120)]
    heard: list[tuple[str, int, int]] = []

    async def listen(stage: str, done: int, total: int) -> None:
        heard.append((stage, done, total))

    await imports.run_import("borrowers", borrowers_file(*rows), world.uow, world.staff(), Run(NOW, RUN.today,
                                                                                                 listen))
    assert heard == [("check", 50, 120), ("check", 100, 120), ("check", 120, 120),
                     ("write", 50, 120), ("write", 100, 120), ("write", 120, 120)]
    assert sum(isinstance(b, Borrower) for b in world.uow.lending.borrowers.values()) == 120


def _card(i: int) -> str:
    body = f"5{i:08d}"
    return body + luhn_digit(body)


async def test_card_numbers_in_the_tests_are_valid() -> None:
    assert luhn_valid(CARD_A) and luhn_valid(CARD_B) and luhn_valid(_card(7))
