"""Föreningsmatchning, on both engines: the ranked associations with their reasons in Swedish and English
(interests, age range, training on the wished days from the public training times, the distance from the
area's centre to the training site or "i ditt område", free to try), counter mode from a lending card
(staff with the lending role only; another municipality's card is unknown), and no personal data in the
public answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from tests.api import matching_support as ms
from tests.api.lending_helpers import borrower
from tests.conftest import World, build_world, make_app

NACKSTA = (62.4069, 17.2650)
SITE_400_M_NORTH = (62.4069 + 0.0036, 17.2650)  # 0.0036 degrees of latitude is about 400 m
TUESDAYS_18 = datetime(2027, 1, 12, 17, 0, tzinfo=UTC)  # 18:00 in Stockholm


@pytest.fixture(autouse=True)
def pinned() -> Any:
    with time_machine.travel(ms.NOW, tick=True):
        yield


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def world(db: Database, api: httpx.AsyncClient) -> World:
    return await build_world(db, api)


@pytest.fixture
async def scene(db: Database, world: World) -> dict[str, str]:
    """Test IF (innebandy 10-12, trains Tuesdays 18:00 at Testskolan, 400 m from Nacksta's centre); Innebandy
    Två (8-16, active in Nacksta, free to try, no public times); two that do not fit a 12-year-old who wants
    innebandy (fotboll; innebandy 15-19)."""
    cats = await ms.categories(db, world)
    await ms.publish(db, world, world.association_id, [cats["innebandy"]], 10, 12, areas=[],
                     contact_email="kontakt@testif.example")
    await ms.trains(db, world, world.association_id, TUESDAYS_18, 6)
    two = await ms.association(db, world, "Innebandy Två")
    await ms.publish(db, world, two, [cats["innebandy"], cats["schack"]], 8, 16, free_to_try=True)
    football = await ms.association(db, world, "Fotbollsklubben")
    await ms.publish(db, world, football, [cats["fotboll"]], 10, 12)
    older = await ms.association(db, world, "Äldre IBK")
    await ms.publish(db, world, older, [cats["innebandy"]], 15, 19)
    hidden = await ms.association(db, world, "Ej publicerad IBK")
    await ms.publish(db, world, hidden, [cats["innebandy"]], 10, 12, published=False)
    await ms.place(db, world, area=NACKSTA, site=SITE_400_M_NORTH)
    return {"two": two, **cats}


async def _match(api: httpx.AsyncClient, world: World, headers: dict[str, str] | None = None,
                 **body: Any) -> httpx.Response:
    return await api.post("/api/association-matches", headers=headers, json={"municipality": world.slug, **body})


def _reasons(item: dict[str, Any], language: str = "sv") -> list[str]:
    return [r[f"text_{language}"] for r in item["reasons"]]


async def test_associations_are_ranked_with_their_reasons(api: httpx.AsyncClient, world: World,
                                                          scene: dict[str, str]) -> None:
    found = await _match(api, world, interests=[scene["innebandy"]], age=12, area_id=world.area_id, days=[2])
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    assert [i["name"] for i in items] == ["Test IF", "Innebandy Två"]
    first, second = items
    assert first["score"] > second["score"]
    assert _reasons(first) == ["innebandy", "10-12 år", "tränar tisdagar i Testskolan", "400 m från Nacksta"]
    assert _reasons(first, "en") == ["floorball", "ages 10-12", "trains on Tuesdays at Testskolan",
                                     "400 m from Nacksta"]
    assert first["training_times"] == [{"weekday": 2, "start": "18:00", "end": "19:30", "site_name": "Testskolan",
                                        "space_name": "Gympasalen", "dates": 6}]
    assert (first["free_to_try"], first["accepts_requests"]) == (False, True)
    assert _reasons(second) == ["innebandy", "8-16 år", "i ditt område", "prova gratis"]
    assert _reasons(second, "en")[2:] == ["in your area", "free to try"]
    assert second["training_times"] == []


async def test_without_coordinates_the_area_says_in_your_area_and_days_count(
        api: httpx.AsyncClient, db: Database, world: World, scene: dict[str, str]) -> None:
    await ms.place(db, world, area=(None, None), site=None)  # type: ignore[arg-type]
    found = await _match(api, world, interests=[scene["innebandy"], scene["schack"]], age=11,
                         area_id=world.area_id, days=[4])
    items = found.json()["items"]
    # two shared interests and the area outweigh Test IF, which trains on no wished day and is not in the area
    assert [i["name"] for i in items] == ["Innebandy Två", "Test IF"]
    assert _reasons(items[0]) == ["innebandy, schack", "8-16 år", "i ditt område", "prova gratis"]
    assert _reasons(items[1]) == ["innebandy", "10-12 år"]


async def test_a_paused_association_is_shown_without_requests(api: httpx.AsyncClient, world: World,
                                                              scene: dict[str, str]) -> None:
    paused = await api.put(f"/api/associations/{world.association_id}/interest-request-pause",
                           headers=world["association_rep"].headers, json={"paused": True})
    assert paused.status_code == 200
    items = (await _match(api, world, interests=[scene["innebandy"]], age=12)).json()["items"]
    assert {i["name"]: i["accepts_requests"] for i in items} == {"Test IF": False, "Innebandy Två": True}


async def test_the_public_answer_carries_no_personal_data(api: httpx.AsyncClient, world: World,
                                                          scene: dict[str, str]) -> None:
    found = await _match(api, world, interests=[scene["innebandy"], scene["fotboll"]], age=11,
                         area_id=world.area_id, days=[1, 2, 3])
    assert found.status_code == 200
    text = found.text
    for personal in ("kontakt@testif.example", "Kim Kontakt", "070-111 22 33", world["association_rep"].email,
                     "Association Rep", world["premises_staff"].email):
        assert personal not in text


async def test_counter_mode_fills_age_and_area_from_a_lending_card(api: httpx.AsyncClient, db: Database,
                                                                   world: World, scene: dict[str, str]) -> None:
    child = await borrower(api, world, name="Tolv Tolvsson", birth_year=2014, area_id=world.area_id)
    card = child["card_number"]
    desk = world["lending_staff"].headers
    found = await _match(api, world, desk, interests=[scene["innebandy"]], card_number=card, days=[2])
    assert found.status_code == 200, found.text
    assert found.json()["age"] == 12
    first = found.json()["items"][0]
    assert first["name"] == "Test IF"
    assert "400 m från Nacksta" in _reasons(first)  # the borrower's area
    assert "Tolv" not in found.text
    # the desk sends the request on the child's behalf
    sent = await api.post("/api/interest-requests", headers=desk, json={
        "association_id": world.association_id, "interests": [scene["innebandy"]], "age": 12, "via_counter": True,
        "home_area_id": world.area_id, "consent": True, "guardian_consent": True,
        "contact": {"name": "Förälder Tolvsson", "phone": "070-999 88 77"}})
    assert sent.status_code == 201, sent.text
    [row] = await ms.request_rows(db, world.association_id)
    assert row.via_counter and row.made_by is not None

    for role in ("no_role", "premises_staff", "guardian", "association_rep"):
        refused = await _match(api, world, world[role].headers, interests=[scene["innebandy"]], card_number=card)
        assert refused.status_code == 403, (role, refused.text)
    anonymous = await _match(api, world, interests=[scene["innebandy"]], card_number=card)
    assert anonymous.status_code == 403
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    not_staff = await api.post("/api/interest-requests", headers=world["guardian"].headers, json={
        "association_id": world.association_id, "interests": [scene["innebandy"]], "age": 12, "via_counter": True,
        "consent": False})
    assert not_staff.status_code == 403


async def test_a_card_of_another_municipality_is_not_found(api: httpx.AsyncClient, db: Database, world: World,
                                                           scene: dict[str, str]) -> None:
    other = await build_world(db, api)
    theirs = await borrower(api, other, name="Annan Kommun", birth_year=2013)
    found = await _match(api, world, world["lending_staff"].headers, interests=[scene["innebandy"]],
                         card_number=theirs["card_number"])
    assert found.status_code == 404, found.text
    assert found.headers["content-type"].startswith("application/problem+json")


async def test_bad_match_input_names_the_field(api: httpx.AsyncClient, world: World, scene: dict[str, str]) -> None:
    no_age = await _match(api, world, interests=[scene["innebandy"]])
    assert no_age.status_code == 422 and no_age.json()["errors"][0]["field"] == "age"
    unknown = await _match(api, world, interests=["0190a0a0-0000-7000-8000-000000000000"], age=12)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "interests"
    bad_card = await _match(api, world, world["lending_staff"].headers, interests=[scene["innebandy"]],
                            card_number="1234")
    assert bad_card.status_code == 422 and bad_card.json()["errors"][0]["field"] == "card_number"


async def test_a_public_series_gives_its_weekday_and_a_private_one_nothing(
        api: httpx.AsyncClient, db: Database, world: World, scene: dict[str, str]) -> None:
    thursdays = datetime(2027, 1, 14, 16, 0, tzinfo=UTC)  # 17:00 in Stockholm
    await ms.trains_in_series(db, world, scene["two"], thursdays, 8, "17:00", "18:30")
    await ms.trains_in_series(db, world, scene["two"], thursdays + timedelta(days=1), 8, "17:00", "18:30",
                              public=False)
    found = await _match(api, world, interests=[scene["innebandy"]], age=12, days=[4, 5])
    two = next(i for i in found.json()["items"] if i["name"] == "Innebandy Två")
    assert two["training_times"] == [{"weekday": 4, "start": "17:00", "end": "18:30", "site_name": "Testskolan",
                                      "space_name": "Gympasalen", "dates": 8}]
    assert "tränar torsdagar i Testskolan" in _reasons(two)
    assert not any("fredagar" in r for r in _reasons(two))
