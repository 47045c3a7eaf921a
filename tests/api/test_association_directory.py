"""The public directory of associations, on both engines: only verified, published profiles; every filter
(interest, age, area, weekday, free to try, language, accessible, name) narrows the list and each result
says why it matches; the public routes carry no personal data of the seeded people (contact persons,
representatives); another association's representative cannot touch a profile."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from tests.api.profile_support import (
    CONTACTS,
    association_with_rep,
    categories,
    profile_body,
    publish,
    with_contacts,
)
from tests.api.test_bookings_api import _open_and_verify
from tests.conftest import World, build_world, make_app

OPEN_ALL_WEEK = {"general": [{"weekday": d, "opens": "08:00", "closes": "22:00"} for d in range(7)]}


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@dataclass
class Town:
    world: World
    cats: dict[str, str]
    skonsberg: str  # a second area
    ids: dict[str, str]  # association name -> id
    reps: dict[str, dict[str, str]]


async def _weekly(api: httpx.AsyncClient, world: World, association_id: str, rep: dict[str, str], first: str,
                  weekday: int) -> None:
    """An approved weekly time of the association (staff book it), made public by its representative."""
    booked = await api.post("/api/bookings", headers=world["premises_staff"].headers, json={
        "space_id": world.space_id, "title": "Träning", "association_id": association_id, "date": first,
        "start": "18:00", "end": "19:30", "recurrence": {"weekdays": [weekday], "count": 3}})
    assert booked.status_code == 201, booked.text
    chosen = await api.put(f"/api/associations/{association_id}/public-times", headers=rep,
                           json={"series_ids": [booked.json()["series_id"]]})
    assert chosen.status_code == 200, chosen.text


@pytest.fixture
async def town(db: Database, api: httpx.AsyncClient) -> Town:
    """Nacksta IBK (innebandy 10-12, Nacksta, free to try, Arabic, trains Tuesdays), Skönsbergs SK (chess
    8-16, Skönsberg, accessible, Somali, trains Wednesdays), Test IF (football 13-19, Nacksta) and a club
    whose profile is only a draft."""
    with time_machine.travel("2026-12-01T09:00:00+01:00", tick=True):
        world = await build_world(db, api)
        cats = await categories(api, world)
        area = await api.post("/api/areas", headers=world["admin"].headers, json={"name": "Skönsberg"})
        assert area.status_code == 201, area.text
        skonsberg = area.json()["id"]
        await _open_and_verify(api, world)
        contact = await with_contacts(api, world)
        ids, reps = {"Test IF": world.association_id}, {"Test IF": world["association_rep"].headers}
        await publish(api, world, profile_body([cats["fotboll"]], age_min=13, age_max=19, areas=[world.area_id],
                                               contact_id=contact))
        ibk, ibk_rep, ibk_contact = await association_with_rep(api, world, "Nacksta IBK", "Ida Företrädare")
        await publish(api, world, profile_body(
            [cats["innebandy"]], areas=[world.area_id], free_to_try=True, languages=["sv", "ar"],
            try_out_text="Kom på en prova på-träning!", contact_id=ibk_contact), rep=ibk_rep, association_id=ibk)
        await _weekly(api, world, ibk, ibk_rep, "2027-02-02", 1)
        chess, chess_rep, chess_contact = await association_with_rep(api, world, "Skönsbergs SK", "Sam Schackson")
        await publish(api, world, profile_body(
            [cats["schack"]], age_min=8, age_max=16, areas=[skonsberg], languages=["sv", "so"],
            accessibility={"step_free": True, "accessible_toilet": True, "hearing_loop": True, "notes": None},
            contact_id=chess_contact), rep=chess_rep, association_id=chess)
        await _weekly(api, world, chess, chess_rep, "2027-02-03", 2)
        draft, draft_rep, draft_contact = await association_with_rep(api, world, "Utkastklubben", "Dora Draft")
        saved = await api.put(f"/api/associations/{draft}/profile", headers=draft_rep,
                              json=profile_body([cats["innebandy"]], areas=[world.area_id], free_to_try=True,
                                                contact_id=draft_contact))
        assert saved.status_code == 200, saved.text
        ids |= {"Nacksta IBK": ibk, "Skönsbergs SK": chess, "Utkastklubben": draft}
        reps |= {"Nacksta IBK": ibk_rep, "Skönsbergs SK": chess_rep, "Utkastklubben": draft_rep}
        return Town(world, cats, skonsberg, ids, reps)


async def _search(api: httpx.AsyncClient, town: Town, **params: Any) -> dict[str, list[str]]:
    """name -> the Swedish reasons, in the directory's order."""
    found = await api.get("/api/association-directory", params={"municipality": town.world.slug, **params})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["total"] == len(body["items"])
    return {i["name"]: [w["text_sv"] for w in i["why"]] for i in body["items"]}


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_each_filter_narrows_the_directory_and_says_why(api: httpx.AsyncClient, town: Town) -> None:
    cats, nacksta = town.cats, town.world.area_id
    everyone = await _search(api, town)
    assert everyone == {"Nacksta IBK": [], "Skönsbergs SK": [], "Test IF": []}  # never the mere draft
    assert await _search(api, town, interest=cats["innebandy"]) == {"Nacksta IBK": ["håller på med innebandy"]}
    assert await _search(api, town, age=11) == {"Nacksta IBK": ["för 10-12 år"], "Skönsbergs SK": ["för 8-16 år"]}
    assert await _search(api, town, area=nacksta) == {"Nacksta IBK": ["i Nacksta"], "Test IF": ["i Nacksta"]}
    assert await _search(api, town, area=town.skonsberg) == {"Skönsbergs SK": ["i Skönsberg"]}
    assert await _search(api, town, weekday=2) == {"Nacksta IBK": ["tränar tisdagar"]}
    assert await _search(api, town, weekday=3) == {"Skönsbergs SK": ["tränar onsdagar"]}
    assert await _search(api, town, weekday=5) == {}
    assert await _search(api, town, free_to_try="true") == {"Nacksta IBK": ["prova gratis"]}
    assert await _search(api, town, language="so") == {"Skönsbergs SK": ["pratar somaliska"]}
    assert await _search(api, town, accessible="true") == {"Skönsbergs SK": ["tillgängliga lokaler"]}
    assert await _search(api, town, q="ibk") == {"Nacksta IBK": ["namnet innehåller \u201dibk\u201d"]}
    assert await _search(api, town, interest=cats["innebandy"], age=12, area=nacksta, weekday=2) == {
        "Nacksta IBK": ["håller på med innebandy", "för 10-12 år", "i Nacksta", "tränar tisdagar"]}
    assert await _search(api, town, interest=cats["innebandy"], age=14) == {}

    found = (await api.get("/api/association-directory", params={
        "municipality": town.world.slug, "age": 12, "free_to_try": "true"})).json()["items"][0]
    assert found["why"][1] == {"code": "free_to_try", "text_sv": "prova gratis", "text_en": "free to try"}
    assert found["interests"] == [{"id": cats["innebandy"], "name": "innebandy", "name_en": "floorball"}]
    assert found["areas"] == [{"id": nacksta, "name": "Nacksta"}]
    assert [(t["weekday"], t["start"], t["end"], t["site_name"], t["dates"]) for t in found["training_times"]] == [
        (2, "18:00", "19:30", "Testskolan", 3)]

    page = (await api.get("/api/association-directory", params={
        "municipality": town.world.slug, "limit": 2, "offset": 2})).json()
    assert (page["total"], [i["name"] for i in page["items"]]) == (3, ["Test IF"])
    refused = await api.get("/api/association-directory", params={"municipality": town.world.slug, "language": "xx"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "language"


def _people_strings(town: Town) -> set[str]:
    """What identifies the seeded people: contact persons' names, e-mail addresses and phone numbers (as
    typed and as stored), the representatives' and staff's names and e-mail addresses."""
    needles: set[str] = set()
    for c in CONTACTS:
        needles |= {c["name"], c["email"], c["phone"], re.sub(r"[\s-]", "", c["phone"])}
    needles |= {"Ida Företrädare", "Sam Schackson", "Dora Draft", "Association Rep"}
    needles |= {caller.email for caller in town.world.callers.values()}
    return needles


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_public_routes_carry_no_personal_data(api: httpx.AsyncClient, town: Town) -> None:
    slug = town.world.slug
    answers = [await api.get("/api/association-directory", params={"municipality": slug}),
               await api.get("/api/association-directory", params={"municipality": slug, "weekday": 2}),
               await api.get("/api/interest-categories", params={"municipality": slug})]
    for association_id in town.ids.values():
        answers.append(await api.get(f"/api/association-directory/{association_id}", params={"municipality": slug}))
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 200, 200, 404]  # the draft is not public
    public = answers[3].json()
    assert public["name"] == "Test IF" and public["accepts_requests"] is True
    ibk = answers[4].json()
    assert ibk["try_out_text"] == "Kom på en prova på-träning!" and ibk["training_times"]["regular"]
    found = {needle for a in answers for needle in _people_strings(town) if needle.casefold() in a.text.casefold()}
    assert found == set()
    # ... while the representatives' own view does show their contact persons (the scan is not vacuous)
    own = await api.get(f"/api/associations/{town.ids['Nacksta IBK']}/profile", headers=town.reps["Nacksta IBK"])
    assert "Kontakt Karlsson" in own.text


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_another_associations_representative_cannot_touch_the_profile(
        api: httpx.AsyncClient, town: Town) -> None:
    other_rep = town.reps["Skönsbergs SK"]
    ibk = town.ids["Nacksta IBK"]
    before = (await api.get(f"/api/associations/{ibk}/profile", headers=town.reps["Nacksta IBK"])).json()
    for method, path, body in (
            ("GET", "profile", None),
            ("PUT", "profile", profile_body([town.cats["schack"]])),
            ("POST", "profile/submission", None),
            ("PUT", "public-times", {"series_ids": [], "booking_ids": []})):
        answer = await api.request(method, f"/api/associations/{ibk}/{path}", headers=other_rep, json=body)
        assert answer.status_code == 404, (method, path, answer.text)
        assert "Kontakt Karlsson" not in answer.text
    after = (await api.get(f"/api/associations/{ibk}/profile", headers=town.reps["Nacksta IBK"])).json()
    assert after == before
    assert (await _search(api, town, weekday=2)) == {"Nacksta IBK": ["tränar tisdagar"]}
    # a representative does not verify their own profile
    own = await api.post(f"/api/associations/{ibk}/profile/verification", headers=town.reps["Nacksta IBK"],
                         json={"approve": True})
    assert own.status_code == 403


async def test_staff_maintain_interest_categories(db: Database, api: httpx.AsyncClient) -> None:
    world = await build_world(db, api)
    staff = world["activities_staff"].headers
    cats = await categories(api, world)
    made = await api.post("/api/interest-categories", headers=staff, json={"name": "Parkour", "name_en": "parkour"})
    assert made.status_code == 201, made.text
    assert made.json()["position"] == 210
    duplicate = await api.post("/api/interest-categories", headers=staff, json={"name": "parkour"})
    assert duplicate.status_code == 409 and duplicate.json()["conflicts"] == [{"field": "name"}]
    moved = await api.patch(f"/api/interest-categories/{made.json()['id']}", headers=staff, json={"position": 1})
    assert moved.status_code == 200, moved.text
    assert next(iter(await categories(api, world))) == "Parkour"
    # a category a profile names stays
    contact = await with_contacts(api, world)
    saved = await api.put(f"/api/associations/{world.association_id}/profile", headers=world["association_rep"].headers,
                          json=profile_body([cats["dans"]], contact_id=contact))
    assert saved.status_code == 200, saved.text
    assert (await api.delete(f"/api/interest-categories/{cats['dans']}", headers=staff)).status_code == 409
    assert (await api.delete(f"/api/interest-categories/{made.json()['id']}", headers=staff)).status_code == 204
    assert "Parkour" not in await categories(api, world) and "dans" in await categories(api, world)
