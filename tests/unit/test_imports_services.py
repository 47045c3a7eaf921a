"""Imports with the fakes: a dry run writes nothing, an import writes every row or none, an export
reads back unchanged (booking/domain/imports/)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from booking.domain.imports import services as imports
from booking.domain.imports.plan import Action
from booking.domain.municipalities.model import Area
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.model import SpaceKind
from booking.domain.shared.errors import NotFound, ValidationError
from tests.unit.premises_world import World, build_world, other_town

pytestmark = pytest.mark.asyncio

SITES = (
    "anläggning;gatuadress;postnummer;ort;område;lokal;typ;kapacitet;del_av\n"
    "Nackstaskolan;Skolvägen 1;856 53;Sundsvall;;Gympasalen;gym;35;\n"  # capacity 30 -> 35
    "Bergsåkersskolan;Bergsvägen 2;85654;Sundsvall;Nacksta;Aulan;aula;200;\n"
    "Bergsåkersskolan;Bergsvägen 2;85654;Sundsvall;Nacksta;Idrottshallen;idrottshall;120;\n"
    "Bergsåkersskolan;Bergsvägen 2;85654;Sundsvall;Nacksta;Idrottshallen A;idrottshall;60;Idrottshallen\n"
)


@pytest.fixture
async def world() -> World:
    w = await build_world()
    w.uow.areas.add(Area(w.town.id, "Nacksta", 1200))
    await w.uow.commit()
    return w


def admin(w: World) -> Actor:
    return Actor(uuid4(), w.town.id, frozenset({Grant(Role.ADMIN)}))


def _stored(w: World) -> dict[str, dict[object, object]]:
    return {name: {k: repr(vars(v)) for k, v in rows.items()} for name, rows in w.uow.tables.items()}


async def test_a_dry_run_plans_creates_and_changes_and_writes_nothing(world: World) -> None:
    before, commits = _stored(world), world.uow.committed
    plan = await imports.dry_run("sites", SITES, world.uow, admin(world))
    assert plan.problems == []
    assert [(r.line, r.action, r.entity, r.name, r.changes) for r in plan.rows] == [
        (2, Action.UNCHANGED, "site", "Nackstaskolan", ()),
        (2, Action.CHANGE, "space", "Gympasalen", ("kapacitet",)),
        (3, Action.CREATE, "site", "Bergsåkersskolan", ()),
        (3, Action.CREATE, "space", "Aulan", ()),
        (4, Action.CREATE, "space", "Idrottshallen", ()),
        (5, Action.CREATE, "space", "Idrottshallen A", ()),
    ]
    assert _stored(world) == before and world.uow.committed == commits and world.uow.audit_log == []


async def test_the_import_writes_every_row_in_one_commit_with_audit_entries(world: World) -> None:
    commits = world.uow.committed
    plan = await imports.run_import("sites", SITES, world.uow, admin(world))
    assert plan.count(Action.CREATE) == 4 and world.uow.committed == commits + 1
    assert world.gym.capacity == 35
    site = next(s for s in world.uow.sites.items.values() if s.name == "Bergsåkersskolan")
    assert site.postal_code == "856 54" and site.area_id is not None
    spaces = {s.name: s for s in world.uow.spaces.items.values() if s.site_id == site.id}
    assert spaces["Aulan"].kind is SpaceKind.HALL
    assert spaces["Idrottshallen A"].parent_id == spaces["Idrottshallen"].id
    assert sorted(e.action for e in world.uow.audit_log) == ["site.created", *["space.created"] * 3,
                                                             "space.updated"]
    assert all(e.details["import"] == "sites" for e in world.uow.audit_log)


async def test_one_bad_row_refuses_the_whole_file_with_its_line_and_column(world: World) -> None:
    bad = SITES.replace("Idrottshallen;idrottshall;120", "Idrottshallen;idrottshall;many")
    before = _stored(world)
    plan = await imports.dry_run("sites", bad, world.uow, admin(world))
    [problem] = [(p.line, p.column, p.code) for p in plan.problems if p.line == 4]
    assert problem == (4, "kapacitet", "not-a-number")
    assert {p.line for p in plan.problems} == {4, 5}  # the part names the refused whole hall
    with pytest.raises(ValidationError) as caught:
        await imports.run_import("sites", bad, world.uow, admin(world))
    assert {(p.field, p.line, p.column) for p in caught.value.problems} >= {("csv", 4, "kapacitet")}
    assert _stored(world) == before and world.uow.audit_log == []


@pytest.mark.parametrize(("row", "column", "code"), [
    ("Ny skola;Väg 1;123;Sundsvall;;;;;", "postnummer", "invalid"),
    ("Ny skola;Väg 1;85653;Sundsvall;Okänt;;;;", "område", "unknown"),
    ("Ny skola;Väg 1;85653;Sundsvall;;Salen;rymdskepp;10;", "typ", "unknown"),
    ("Ny skola;Väg 1;85653;Sundsvall;;Salen;gym;0;", "kapacitet", "range"),
    ("Ny skola;Väg 1;85653;Sundsvall;;Salen;gym;;", "kapacitet", "required"),
    ("Ny skola;Väg 1;85653;Sundsvall;;Salen <b>;gym;10;", "lokal", "bad-character"),
    ("Ny skola;Väg 1;85653;Sundsvall;;Salen A;gym;10;Salen", "del_av", "unknown"),
    ("Nackstaskolan;Skolvägen 1;85653;Sundsvall;;Sporthallen A;hall;50;Sporthallen B", "del_av", "nested"),
    ("Nackstaskolan;Skolvägen 1;85653;Sundsvall;;Sporthallen;hall;50;Gympasalen", "del_av", "nested"),
    ("Ny skola;Väg 1;85653;Sundsvall;;;;;;extra", None, "extra-cell"),
])
async def test_each_rule_of_the_model_names_its_column(world: World, row: str, column: str | None,
                                                       code: str) -> None:
    header = SITES.split("\n", 1)[0]
    plan = await imports.dry_run("sites", f"{header}\n{row}\n", world.uow, admin(world))
    assert [(p.line, p.column, p.code) for p in plan.problems] == [(2, column, code)]


async def test_rows_of_one_site_must_agree_and_a_space_is_named_once(world: World) -> None:
    header = SITES.split("\n", 1)[0]
    text = (f"{header}\nNy skola;Väg 1;85653;Sundsvall;;A;gym;10;\nNy skola;Väg 2;85653;Sundsvall;;B;gym;10;\n"
            "Ny skola;Väg 1;85653;Sundsvall;;a;gym;10;\n")
    plan = await imports.dry_run("sites", text, world.uow, admin(world))
    assert [(p.line, p.column, p.code) for p in plan.problems] == [(3, "gatuadress", "inconsistent"),
                                                                   (4, "lokal", "repeated")]


async def test_the_export_reads_back_unchanged(world: World) -> None:
    actor = admin(world)
    await imports.run_import("sites", SITES, world.uow, actor)
    for kind in ("areas", "sites", "associations"):
        text = await imports.export(kind, world.uow, actor)
        plan = await imports.dry_run(kind, text, world.uow, actor)
        assert plan.problems == [] and plan.rows, kind
        assert {r.action for r in plan.rows} == {Action.UNCHANGED}, (kind, text)


async def test_areas_match_by_name_in_any_case_and_keep_a_population_not_given(world: World) -> None:
    actor = admin(world)
    plan = await imports.run_import("areas", "namn;befolkning_0_17\nNACKSTA;1300\nSkönsberg;\n", world.uow, actor)
    assert [(r.action, r.changes) for r in plan.rows] == [(Action.CHANGE, ("namn", "befolkning_0_17")),
                                                          (Action.CREATE, ())]
    areas = {a.name: a.population_0_17 for a in await world.uow.areas.of_municipality(world.town.id)}
    assert areas == {"NACKSTA": 1300, "Skönsberg": None}
    again = await imports.dry_run("areas", "name\nnacksta\n", world.uow, actor)
    assert [(r.action, r.changes) for r in again.rows] == [(Action.CHANGE, ("namn",))]
    bad = await imports.dry_run("areas", "namn;befolkning_0_17\nA;-1\nA;2\n", world.uow, actor)
    assert [(p.line, p.column, p.code) for p in bad.problems] == [(2, "befolkning_0_17", "invalid"),
                                                                  (3, "namn", "repeated")]


async def test_associations_match_by_organisationsnummer(world: World) -> None:
    actor = admin(world)
    text = ("namn;organisationsnummer;kategori;område;lokal_förening;offentligt_namn\n"
            "IK Nacksta Innebandy;8024794565;ungdom;Nacksta;ja;ja\n"
            "Sundsvalls PRO;802012-3454;pensionärer;;nej;nej\n"
            "Fel;802012-3456;;;;\n")
    plan = await imports.dry_run("associations", text, world.uow, actor)
    assert [(p.line, p.column, p.code) for p in plan.problems] == [(4, "organisationsnummer", "checksum")]
    assert [(r.line, r.action, r.changes) for r in plan.rows] == [
        (2, Action.CHANGE, ("namn", "område", "offentligt_namn")), (3, Action.CREATE, ())]
    fixed = text.replace("802012-3456", "556036-0793")
    await imports.run_import("associations", fixed, world.uow, actor)
    assert world.club.name == "IK Nacksta Innebandy" and world.club.public_name and world.club.is_verified
    created = await world.uow.associations.by_org_number(world.town.id, "802012-3454")
    assert created is not None and not created.is_verified and not created.is_local


async def test_another_municipality_sees_none_of_this_one(world: World) -> None:
    town, staff = other_town(world.uow)
    other = Actor(staff.account_id, town.id, frozenset({Grant(Role.ADMIN)}))
    plan = await imports.dry_run("sites", SITES, world.uow, other)
    assert all(r.action is Action.CREATE for r in plan.rows)
    assert await imports.export("sites", world.uow, other) == \
        "\ufeffanläggning;gatuadress;postnummer;ort;område;lokal;typ;kapacitet;del_av\r\n"


async def test_an_unknown_kind_does_not_exist() -> None:
    w = await build_world()
    with pytest.raises(NotFound):
        await imports.dry_run("planets", "namn\nx\n", w.uow, admin(w))
