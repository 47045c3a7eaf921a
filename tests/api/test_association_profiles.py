"""An association's public profile, on both engines: its representative fills it in and submits it, staff
send it back with a note or verify it, and only then is it public; an edit after publishing waits for
verification while the published version stays public; staff unpublish it. Its training times are its
approved public bookings in the current season: adding, moving and cancelling a booking shows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from tests.api.profile_support import categories, profile_body, publish, verify_association, with_contacts
from tests.api.test_bookings_api import _open_and_verify
from tests.conftest import World, build_world, make_app


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(db)),
                                 base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def world(db: Database, api: httpx.AsyncClient) -> World:
    return await build_world(db, api)


async def _public(api: httpx.AsyncClient, world: World) -> httpx.Response:
    return await api.get(f"/api/association-directory/{world.association_id}", params={"municipality": world.slug})


async def _listed(api: httpx.AsyncClient, world: World, **params: Any) -> list[str]:
    found = await api.get("/api/association-directory", params={"municipality": world.slug, **params})
    assert found.status_code == 200, found.text
    return [i["name"] for i in found.json()["items"]]


async def test_a_profile_is_public_only_once_staff_verified_it(api: httpx.AsyncClient, world: World) -> None:
    rep, staff = world["association_rep"].headers, world["activities_staff"].headers
    base = f"/api/associations/{world.association_id}/profile"
    cats = await categories(api, world)
    assert list(cats)[:3] == ["fotboll", "innebandy", "handboll"] and len(cats) == 20
    contact = await with_contacts(api, world)

    empty = (await api.get(base, headers=rep)).json()
    assert (empty["status"], empty["draft"], empty["published"]) == (None, None, None)

    saved = await api.put(base, headers=rep, json=profile_body([cats["innebandy"]], contact_id=contact))
    assert saved.status_code == 200, saved.text
    assert saved.json()["status"] == "draft" and saved.json()["draft"]["interests"] == [cats["innebandy"]]
    assert (await _public(api, world)).status_code == 404
    assert await _listed(api, world) == []

    # staff cannot decide a draft nobody submitted; the association itself must be verified to publish
    early = await api.post(f"{base}/verification", headers=staff, json={"approve": True})
    assert early.status_code == 409, early.text
    submitted = await api.post(f"{base}/submission", headers=rep)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    queue = (await api.get("/api/association-profiles", headers=staff, params={"status": "submitted"})).json()
    assert [e["name"] for e in queue["items"]] == ["Test IF"]
    unverified = await api.post(f"{base}/verification", headers=staff, json={"approve": True})
    assert unverified.status_code == 409 and "not verified" in unverified.json()["detail"]

    # sent back with a note: a draft again, the note shown to the representative
    no_note = await api.post(f"{base}/verification", headers=staff, json={"approve": False})
    assert no_note.status_code == 422 and no_note.json()["errors"][0]["field"] == "note"
    back = await api.post(f"{base}/verification", headers=staff,
                          json={"approve": False, "note": "Skriv vilka åldrar ni tar emot."})
    assert back.status_code == 200, back.text
    seen = (await api.get(base, headers=rep)).json()
    assert (seen["status"], seen["review_note"]) == ("draft", "Skriv vilka åldrar ni tar emot.")

    await verify_association(api, world)
    published = await publish(api, world, profile_body([cats["innebandy"]], contact_id=contact, age_max=13))
    assert published["status"] == "published" and published["published"]["age_max"] == 13
    assert published["review_note"] is None and published["published_at"]
    public = await _public(api, world)
    assert public.status_code == 200, public.text
    assert public.json()["interests"] == [{"id": cats["innebandy"], "name": "innebandy", "name_en": "floorball"}]
    assert public.json()["accepts_requests"] is True
    assert await _listed(api, world) == ["Test IF"]


async def test_an_edit_waits_for_verification_while_the_published_version_stays(
        api: httpx.AsyncClient, world: World) -> None:
    rep, staff = world["association_rep"].headers, world["premises_staff"].headers
    base = f"/api/associations/{world.association_id}/profile"
    cats = await categories(api, world)
    contact = await with_contacts(api, world)
    await verify_association(api, world)
    await publish(api, world, profile_body([cats["innebandy"]], contact_id=contact))

    edited = await api.put(base, headers=rep, json=profile_body(
        [cats["innebandy"], cats["fotboll"]], contact_id=contact, description="Nu även fotboll på sommaren."))
    assert edited.status_code == 200, edited.text
    assert edited.json()["status"] == "draft"
    assert edited.json()["published"]["interests"] == [cats["innebandy"]]
    assert [i["name"] for i in (await _public(api, world)).json()["interests"]] == ["innebandy"]
    assert await _listed(api, world, interest=cats["fotboll"]) == []

    assert (await api.post(f"{base}/submission", headers=rep)).status_code == 200
    assert [i["name"] for i in (await _public(api, world)).json()["interests"]] == ["innebandy"]
    assert (await api.post(f"{base}/verification", headers=staff, json={"approve": True})).status_code == 200
    public = (await _public(api, world)).json()
    assert [i["name"] for i in public["interests"]] == ["innebandy", "fotboll"]
    assert public["description"] == "Nu även fotboll på sommaren."
    assert await _listed(api, world, interest=cats["fotboll"]) == ["Test IF"]

    # staff unpublish: gone from the directory and the public page; the draft stays for its representatives
    hidden = await api.post(f"{base}/unpublication", headers=staff)
    assert hidden.status_code == 200 and hidden.json()["published"] is None
    assert (await _public(api, world)).status_code == 404
    assert await _listed(api, world) == []
    assert (await api.get(base, headers=rep)).json()["draft"]["description"] == "Nu även fotboll på sommaren."
    assert (await api.post(f"{base}/unpublication", headers=staff)).status_code == 409


async def test_a_profile_names_the_fields_at_fault_and_keeps_the_contact_among_its_own(
        api: httpx.AsyncClient, world: World, db: Database) -> None:
    rep = world["association_rep"].headers
    base = f"/api/associations/{world.association_id}/profile"
    cats = await categories(api, world)
    other = await build_world(db, api)
    foreign_contact = await with_contacts(api, other, other.association_id)
    bad = profile_body([cats["innebandy"], other.area_id], age_min=14, age_max=12, website="http://x.se",
                       areas=[other.area_id], contact_id=foreign_contact, description=" ")
    refused = await api.put(base, headers=rep, json=bad)
    assert refused.status_code == 422, refused.text
    assert sorted(e["field"] for e in refused.json()["errors"]) == [
        "age_max", "areas[0]", "contact_id", "description", "interests[1]", "website"]
    assert (await api.get(base, headers=rep)).json()["draft"] is None
    # a submission needs a contact person
    saved = await api.put(base, headers=rep, json=profile_body([cats["schack"]]))
    assert saved.status_code == 200, saved.text
    refused = await api.post(f"{base}/submission", headers=rep)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "contact_id"


def _times(profile: dict[str, Any]) -> list[tuple[Any, ...]]:
    t = profile["training_times"]
    return ([("weekly", r["weekday"], r["start"], r["end"], r["space_name"], r["dates"], r["next_date"])
             for r in t["regular"]] + [("once", d["date"], d["start"], d["end"]) for d in t["single"]])


@time_machine.travel("2026-12-01T09:00:00+01:00", tick=True)
async def test_training_times_follow_the_associations_approved_public_bookings(
        api: httpx.AsyncClient, world: World) -> None:
    rep, staff = world["association_rep"].headers, world["premises_staff"].headers
    cats = await categories(api, world)
    contact = await with_contacts(api, world)
    await _open_and_verify(api, world)
    await publish(api, world, profile_body([cats["innebandy"]], contact_id=contact))

    series = await api.post("/api/bookings", headers=staff, json={
        "space_id": world.space_id, "title": "Innebandy P12", "association_id": world.association_id,
        "date": "2027-02-02", "start": "18:00", "end": "19:30", "recurrence": {"weekdays": [1], "count": 4}})
    assert series.status_code == 201, series.text
    series_id = series.json()["series_id"]
    tuesdays = sorted(series.json()["bookings"], key=lambda b: b["starts_at"])
    single = await api.post("/api/bookings", headers=staff, json={
        "space_id": world.space_id, "title": "Prova på-kväll", "association_id": world.association_id,
        "date": "2027-02-11", "start": "17:00", "end": "18:00"})
    assert single.status_code == 201, single.text
    single_id = single.json()["bookings"][0]["id"]
    public = (await _public(api, world)).json()
    assert _times(public) == []  # nothing chosen yet

    # the association chooses: the series and the single evening; a pending booking is not among its choices
    pending = await api.post("/api/bookings", headers=rep, json={
        "space_id": world.space_id, "title": "Styrelsemöte", "association_id": world.association_id,
        "date": "2027-02-15", "start": "19:00", "end": "20:00"})
    assert pending.status_code == 201 and pending.json()["bookings"][0]["status"] == "pending"
    refused = await api.put(f"/api/associations/{world.association_id}/public-times", headers=rep, json={
        "series_ids": [series_id], "booking_ids": [single_id, pending.json()["bookings"][0]["id"]]})
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["booking_ids[1]"]
    assert _times((await _public(api, world)).json()) == []
    chosen = await api.put(f"/api/associations/{world.association_id}/public-times", headers=rep, json={
        "series_ids": [series_id], "booking_ids": [single_id]})
    assert chosen.status_code == 200, chosen.text
    weekly = ("weekly", 2, "18:00", "19:30", "Gympasalen", 4, "2027-02-02")
    assert _times((await _public(api, world)).json()) == [weekly, ("once", "2027-02-11", "17:00", "18:00")]
    assert _times(chosen.json()) == _times((await _public(api, world)).json())

    # added: another approved evening, made public
    added = await api.post("/api/bookings", headers=staff, json={
        "space_id": world.space_id, "title": "Extraträning", "association_id": world.association_id,
        "date": "2027-02-25", "start": "18:00", "end": "19:00"})
    added_id = added.json()["bookings"][0]["id"]
    assert (await api.put(f"/api/associations/{world.association_id}/public-times", headers=rep, json={
        "series_ids": [series_id], "booking_ids": [single_id, added_id]})).status_code == 200
    assert _times((await _public(api, world)).json()) == [
        weekly, ("once", "2027-02-11", "17:00", "18:00"), ("once", "2027-02-25", "18:00", "19:00")]

    # moved by staff: the profile shows the new time
    moved = await api.post(f"/api/bookings/{single_id}/move", headers=staff,
                           json={"date": "2027-02-12", "start": "18:00", "end": "19:00"})
    assert moved.status_code == 200, moved.text
    assert _times((await _public(api, world)).json()) == [
        weekly, ("once", "2027-02-12", "18:00", "19:00"), ("once", "2027-02-25", "18:00", "19:00")]

    # cancelled: one Tuesday by the representative, the extra evening too
    for booking_id in (tuesdays[1]["id"], added_id):
        cancelled = await api.post(f"/api/bookings/{booking_id}/cancellation", headers=rep, json={})
        assert cancelled.status_code == 200, cancelled.text
    assert _times((await _public(api, world)).json()) == [
        ("weekly", 2, "18:00", "19:30", "Gympasalen", 3, "2027-02-02"), ("once", "2027-02-12", "18:00", "19:00")]

    # the profile view lists the choices with their flags; the directory shows the weekly time
    view = (await api.get(f"/api/associations/{world.association_id}/profile", headers=rep)).json()
    flags = {c["kind"]: c["public"] for c in view["time_choices"] if c["id"] in (series_id, single_id)}
    assert flags == {"series": True, "booking": True}
    assert all(c["id"] != pending.json()["bookings"][0]["id"] for c in view["time_choices"])  # not approved
    item = (await api.get("/api/association-directory",
                          params={"municipality": world.slug, "weekday": 2})).json()["items"][0]
    assert [(t["weekday"], t["start"]) for t in item["training_times"]] == [(2, "18:00")]
    assert [w["code"] for w in item["why"]] == ["weekday"] and item["why"][0]["text_sv"] == "tränar tisdagar"
    assert await _listed(api, world, weekday=3) == []


@time_machine.travel("2027-03-01T09:00:00+01:00", tick=True)
async def test_training_times_keep_their_local_time_across_the_dst_change(api: httpx.AsyncClient,
                                                                          world: World) -> None:
    """Tuesdays at 18:00 across the change to summer time stay one weekly time; a time that moves from
    18:00 to 19:00 with the change (the same instant in UTC) shows as the two it is."""
    rep, staff = world["association_rep"].headers, world["premises_staff"].headers
    cats = await categories(api, world)
    contact = await with_contacts(api, world)
    await _open_and_verify(api, world)
    await publish(api, world, profile_body([cats["innebandy"]], contact_id=contact))
    series = await api.post("/api/bookings", headers=staff, json={
        "space_id": world.space_id, "title": "Innebandy", "association_id": world.association_id,
        "date": "2027-03-16", "start": "18:00", "end": "19:00", "recurrence": {"weekdays": [1], "count": 4}})
    assert series.status_code == 201, series.text
    singles = []
    for day, start, end in (("2027-03-18", "18:00", "19:00"), ("2027-03-25", "18:00", "19:00"),
                            ("2027-04-01", "19:00", "20:00"), ("2027-04-08", "19:00", "20:00")):
        made = await api.post("/api/bookings", headers=staff, json={
            "space_id": world.space_id, "title": "Schack", "association_id": world.association_id, "date": day,
            "start": start, "end": end})
        assert made.status_code == 201, made.text
        singles.append(made.json()["bookings"][0]["id"])
    chosen = await api.put(f"/api/associations/{world.association_id}/public-times", headers=rep,
                           json={"series_ids": [series.json()["series_id"]], "booking_ids": singles})
    assert chosen.status_code == 200, chosen.text
    assert _times((await _public(api, world)).json()) == [
        ("weekly", 2, "18:00", "19:00", "Gympasalen", 4, "2027-03-16"),
        ("weekly", 4, "18:00", "19:00", "Gympasalen", 2, "2027-03-18"),
        ("weekly", 4, "19:00", "20:00", "Gympasalen", 2, "2027-04-01")]
