"""Interest requests (intresseanmälan), on both engines: contact details only with consent (a guardian's
under 13), the e-mail to the association's contact person with a link to its page, the answer e-mailed
back, pausing, rate limits with Retry-After, the staff's list of requests left unanswered after 14 days,
the follow-up, and the retention job."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine

from booking.adapters.db.database import Database
from booking.adapters.jobs_matching import run as retention_job
from booking.domain.shared.clock import FixedClock
from tests.api import matching_support as ms
from tests.conftest import World, build_world, make_app
from tests.conftest import test_settings as settings_for

pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned() -> AsyncIterator[None]:
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
async def scene(db: Database, world: World) -> ms.Scene:
    cats = await ms.categories(db, world)
    email = f"kontakt-{uuid.uuid4().hex[:6]}@testif.example"
    await ms.publish(db, world, world.association_id, [cats["innebandy"]], 10, 14, contact_email=email)
    return ms.Scene(world, cats, email)


async def test_without_consent_no_contact_details_are_kept_or_passed_on(api: httpx.AsyncClient, db: Database,
                                                                         scene: ms.Scene) -> None:
    w = scene.world
    sent = await ms.send(api, w.association_id, [scene.categories["innebandy"]], age=14,
                         contact={"name": "Nora Nilsson", "email": "nora@hem.example", "phone": "0701112233"},
                         message="Jag vill prova!")
    assert sent.status_code == 201, sent.text
    assert sent.json()["contact_kept"] is False
    [row] = await ms.request_rows(db, w.association_id)
    assert (row.contact_name, row.contact_email, row.contact_phone) == (None, None, None)
    [mail] = await ms.outbox(db, "matching.request", scene.contact_email)
    assert "Nora" not in mail.body and "nora@hem.example" not in mail.body
    assert "kontaktar er själv" in mail.body
    listed = await api.get(f"/api/associations/{w.association_id}/interest-requests",
                           headers=w["association_rep"].headers)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"][0]["contact_name"] is None


async def test_under_13_contact_details_need_a_guardians_consent(api: httpx.AsyncClient, db: Database,
                                                                 scene: ms.Scene) -> None:
    w = scene.world
    body = {"age": 12, "consent": True, "contact": {"name": "Vera Vårdnadshavare", "email": "vera@hem.example"}}
    refused = await ms.send(api, w.association_id, [scene.categories["innebandy"]], **body)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "guardian_consent" in {e["field"] for e in refused.json()["errors"]}
    assert await ms.request_rows(db, w.association_id) == []
    assert await ms.outbox(db, "matching.request") == []

    sent = await ms.send(api, w.association_id, [scene.categories["innebandy"]], guardian_consent=True, **body)
    assert sent.status_code == 201, sent.text
    assert sent.json() == {"id": sent.json()["id"], "status": "sent", "contact_kept": True}
    [row] = await ms.request_rows(db, w.association_id)
    assert (row.contact_name, row.contact_email, row.guardian_consent) == ("Vera Vårdnadshavare", "vera@hem.example",
                                                                           True)


async def test_the_contact_person_gets_an_email_whose_link_opens_the_page_to_answer(
        api: httpx.AsyncClient, db: Database, scene: ms.Scene) -> None:
    w = scene.world
    sent = await ms.send(api, w.association_id, [scene.categories["innebandy"]], age=12, consent=True,
                         guardian_consent=True, days=[2, 4], message="Kan jag börja i januari?",
                         contact={"name": "Vera Vårdnadshavare", "email": "vera@hem.example"})
    assert sent.status_code == 201, sent.text
    [mail] = await ms.outbox(db, "matching.request")
    assert mail.recipient == scene.contact_email  # the profile's contact person, not the representatives
    assert mail.subject == "Ny intresseanmälan till Test IF"
    assert "innebandy" in mail.body and "12 år" in mail.body and "tisdagar, torsdagar" in mail.body
    assert "Vera Vårdnadshavare" in mail.body and "vera@hem.example" in mail.body
    link = re.search(r"http://testserver(/association-requests\.html\?association=[0-9a-f-]+)", mail.body)
    assert link is not None, mail.body
    assert link.group(1).endswith(w.association_id)
    page = await api.get(link.group(1))
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "association-requests.js" in page.text

    # the association answers from its page; the answer goes to the address given with consent
    request_id = sent.json()["id"]
    answered = await api.post(f"/api/interest-requests/{request_id}/answer", headers=w["association_rep"].headers,
                              json={"text": "Välkommen på tisdag kl 18!"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered"
    [reply] = await ms.outbox(db, "matching.answer")
    assert reply.recipient == "vera@hem.example"
    assert "Välkommen på tisdag kl 18!" in reply.body and "Test IF" in reply.subject
    again = await api.post(f"/api/interest-requests/{request_id}/answer", headers=w["association_rep"].headers,
                           json={"text": "En gång till"})
    assert again.status_code == 409, again.text
    other = await api.post(f"/api/interest-requests/{request_id}/answer", headers=w["guardian"].headers,
                           json={"text": "Jag är inte föreningen"})
    assert other.status_code == 403, other.text


async def test_without_a_contact_person_the_representatives_are_told(api: httpx.AsyncClient, db: Database,
                                                                    world: World) -> None:
    cats = await ms.categories(db, world)
    await ms.publish(db, world, world.association_id, [cats["schack"]], 8, 18)
    sent = await ms.send(api, world.association_id, [cats["schack"]], age=15)
    assert sent.status_code == 201, sent.text
    assert [m.recipient for m in await ms.outbox(db, "matching.request")] == [world["association_rep"].email]
    # an answer to someone who left no address with consent is e-mailed nowhere
    answered = await api.post(f"/api/interest-requests/{sent.json()['id']}/answer",
                              headers=world["association_rep"].headers, json={"text": "Hör av dig!"})
    assert answered.status_code == 200, answered.text
    assert await ms.outbox(db, "matching.answer") == []


async def test_a_paused_or_unpublished_association_takes_no_requests(api: httpx.AsyncClient, db: Database,
                                                                     scene: ms.Scene) -> None:
    w = scene.world
    interest = [scene.categories["innebandy"]]
    paused = await api.put(f"/api/associations/{w.association_id}/interest-request-pause",
                           headers=w["association_rep"].headers, json={"paused": True})
    assert paused.status_code == 200, paused.text
    assert paused.json() == {"association_id": w.association_id, "paused": True}
    refused = await ms.send(api, w.association_id, interest, age=11)
    assert refused.status_code == 409, refused.text
    assert "paused" in refused.json()["detail"]
    listed = await api.get(f"/api/associations/{w.association_id}/interest-requests",
                           headers=w["association_rep"].headers)
    assert listed.json()["paused"] is True
    resumed = await api.put(f"/api/associations/{w.association_id}/interest-request-pause",
                            headers=w["association_rep"].headers, json={"paused": False})
    assert resumed.status_code == 200
    assert (await ms.send(api, w.association_id, interest, age=11)).status_code == 201
    # staff do not pause for the association
    staff = await api.put(f"/api/associations/{w.association_id}/interest-request-pause",
                          headers=w["activities_staff"].headers, json={"paused": True})
    assert staff.status_code == 403

    draft_only = await ms.association(db, w, "Utkast BK")
    await ms.publish(db, w, draft_only, interest, 10, 12, published=False)
    assert (await ms.send(api, draft_only, interest, age=11)).status_code == 409
    assert (await ms.send(api, str(uuid.uuid4()), interest, age=11)).status_code == 404


async def test_requests_are_rate_limited_per_sender_with_retry_after(api: httpx.AsyncClient, db: Database,
                                                                     scene: ms.Scene) -> None:
    w = scene.world
    interest = [scene.categories["innebandy"]]
    for _ in range(5):
        assert (await ms.send(api, w.association_id, interest, age=15)).status_code == 201
    limited = await ms.send(api, w.association_id, interest, age=15)
    refused_at = datetime.now(UTC)
    assert limited.status_code == 429, limited.text
    assert limited.headers["content-type"].startswith("application/problem+json")
    wait = int(limited.headers["retry-after"])
    assert 3000 < wait <= 3601
    assert len(await ms.request_rows(db, w.association_id)) == 5
    # another sender (a signed-in account) is not held back by the first one's requests
    other = await api.post("/api/interest-requests", headers=w["guardian"].headers, json={
        "association_id": w.association_id, "interests": interest, "age": 15, "consent": False})
    assert other.status_code == 201, other.text
    # when Retry-After says, the first sender may send again
    with time_machine.travel(refused_at + timedelta(seconds=wait + 1), tick=False):
        assert (await ms.send(api, w.association_id, interest, age=15)).status_code == 201


async def test_staff_see_requests_left_unanswered_for_14_days(api: httpx.AsyncClient, db: Database,
                                                              scene: ms.Scene) -> None:
    w = scene.world
    interest = [scene.categories["innebandy"]]
    old = (await ms.send(api, w.association_id, interest, age=13,
                         contact={"name": "Ida", "email": "ida@hem.example"}, consent=True)).json()["id"]
    answered = (await ms.send(api, w.association_id, interest, age=14)).json()["id"]
    assert (await api.post(f"/api/interest-requests/{answered}/answer", headers=w["association_rep"].headers,
                           json={"text": "Välkommen!"})).status_code == 200
    with time_machine.travel(ms.NOW + timedelta(days=10), tick=False):
        recent = (await ms.send(api, w.association_id, interest, age=12)).json()["id"]
    with time_machine.travel(ms.NOW + timedelta(days=15, hours=1), tick=False):
        listed = await api.get("/api/interest-requests/unanswered", headers=w["activities_staff"].headers)
        assert listed.status_code == 200, listed.text
        items = listed.json()["items"]
        assert [i["id"] for i in items] == [old]
        assert items[0]["association_name"] == "Test IF" and items[0]["days_waiting"] == 15
        assert "Ida" not in listed.text and "ida@hem.example" not in listed.text  # no contact details
        week = await api.get("/api/interest-requests/unanswered", params={"days": 3},
                             headers=w["premises_staff"].headers)
        assert [i["id"] for i in week.json()["items"]] == [old, recent]
        refused = await api.get("/api/interest-requests/unanswered", headers=w["association_rep"].headers)
        assert refused.status_code == 403


async def test_the_follow_up_counts_requests_per_area_interest_age_group_and_gender(
        api: httpx.AsyncClient, db: Database, scene: ms.Scene) -> None:
    w = scene.world
    await ms.place(db, w, area=None, site=None, population=400)
    chess = await ms.association(db, w, "Schackklubben")
    await ms.publish(db, w, chess, [scene.categories["schack"]], 8, 18)
    sends = [(w.association_id, "innebandy", 11, "female", w.area_id), (w.association_id, "innebandy", 12, "male",
                                                                         w.area_id),
             (chess, "schack", 14, "female", w.area_id), (chess, "schack", 17, None, None)]
    ids = []
    for association_id, interest, age, gender, area in sends:
        body = {"age": age, "gender": gender, "home_area_id": area}
        made = await ms.send(api, association_id, [scene.categories[interest]], **body)
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    assert (await api.post(f"/api/interest-requests/{ids[0]}/answer", headers=w["association_rep"].headers,
                           json={"text": "Kom på tisdag!"})).status_code == 200
    report = await api.get("/api/association-matching/follow-up", headers=w["lending_staff"].headers,
                           params={"from": "2026-11-01", "to": "2026-12-31"})
    assert report.status_code == 200, report.text
    r = report.json()
    assert (r["requests"], r["answered"]) == (4, 1)
    assert {t["name"]: (t["requests"], t["answered"]) for t in r["by_interest"]} == {"innebandy": (2, 1),
                                                                                     "schack": (2, 0)}
    assert {t["key"]: t["requests"] for t in r["by_age_group"]} == {"10-12": 2, "13-15": 1, "16+": 1}
    assert {t["key"]: t["requests"] for t in r["by_gender"]} == {"female": 2, "male": 1, "unknown": 1}
    nacksta = next(a for a in r["by_area"] if a["area_id"] == w.area_id)
    assert (nacksta["requests"], nacksta["answered"], nacksta["per_1000"]) == (3, 1, 7.5)  # 3 of 400 children
    assert next(a for a in r["by_area"] if a["area_id"] is None)["requests"] == 1
    as_csv = await api.get("/api/association-matching/follow-up.csv", headers=w["admin"].headers,
                           params={"from": "2026-11-01", "to": "2026-12-31"})
    assert as_csv.status_code == 200
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert ["area_per_1000", "Nacksta", "7.5", ""] in rows
    assert ["interest", "innebandy", "2", "1"] in rows
    # another month counts nothing
    empty = await api.get("/api/association-matching/follow-up", headers=w["lending_staff"].headers,
                          params={"from": "2026-10-01", "to": "2026-10-31"})
    assert empty.json()["requests"] == 0


async def test_the_retention_job_anonymises_old_requests(api: httpx.AsyncClient, db: Database,
                                                         scene: ms.Scene) -> None:
    w = scene.world
    sent = await ms.send(api, w.association_id, [scene.categories["innebandy"]], age=15, consent=True,
                         message="Hej!", contact={"name": "Olle", "email": "olle@hem.example", "phone": "0702223344"})
    assert sent.status_code == 201
    await api.post(f"/api/interest-requests/{sent.json()['id']}/answer", headers=w["association_rep"].headers,
                   json={"text": "Välkommen Olle"})
    settings = settings_for(matching_anonymise_after_months=6)
    early = await retention_job(db, FixedClock(ms.NOW + timedelta(days=170)), settings)
    assert early == {"interest_requests_anonymised": 0}
    done = await retention_job(db, FixedClock(ms.NOW + timedelta(days=190)), settings)
    assert done == {"interest_requests_anonymised": 1}
    [row] = await ms.request_rows(db, w.association_id)
    assert (row.contact_name, row.contact_email, row.contact_phone, row.message) == (None, None, None, None)
    assert row.answer == "anonymiserad" and row.anonymised_at is not None
    assert (row.age, row.status) == (15, "answered")  # the follow-up keeps counting it
    again = await retention_job(db, FixedClock(ms.NOW + timedelta(days=400)), settings)
    assert again == {"interest_requests_anonymised": 0}
