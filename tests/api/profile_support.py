"""What the association-profile tests share: a world's association with contact persons, its interest
categories, a valid profile body, and publishing a profile through the API (fill, submit, verify)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from stdnum import luhn

from tests.conftest import PASSWORD, World, random_ref

CONTACTS = [{"name": "Kontakt Karlsson", "email": "kontakt.karlsson@example.se", "phone": "070-111 22 33",
             "role": "Ungdomsansvarig"},
            {"name": "Sekreterare Svensson", "email": "sekr.svensson@example.se", "phone": "073-444 55 66"}]


async def categories(api: httpx.AsyncClient, world: World) -> dict[str, str]:
    """The municipality's interest categories, name -> id (the defaults on first listing)."""
    listed = await api.get("/api/interest-categories", params={"municipality": world.slug})
    assert listed.status_code == 200, listed.text
    return {c["name"]: c["id"] for c in listed.json()["items"]}


async def with_contacts(api: httpx.AsyncClient, world: World, association_id: str | None = None) -> str:
    """Gives the association its contact persons; answers the id of the first (from the profile view)."""
    association_id = association_id or world.association_id
    staff = world["premises_staff"].headers
    changed = await api.patch(f"/api/associations/{association_id}", headers=staff, json={"contacts": CONTACTS})
    assert changed.status_code == 200, changed.text
    view = await api.get(f"/api/associations/{association_id}/profile", headers=staff)
    assert view.status_code == 200, view.text
    return next(c["id"] for c in view.json()["contacts"] if c["name"] == "Kontakt Karlsson")


def profile_body(interest_ids: list[str], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "interests": interest_ids, "age_min": 10, "age_max": 12, "for_whom": ["all"], "areas": [],
        "languages": ["sv"], "membership_fee": 300, "free_to_try": False, "try_out_text": None,
        "accessibility": {"step_free": False, "accessible_toilet": False, "hearing_loop": False, "notes": None},
        "description": "Vi spelar innebandy för barn och unga, nybörjare är välkomna.",
        "website": "https://testif.example.se",
    }
    body.update(changes)
    return body


async def verify_association(api: httpx.AsyncClient, world: World, association_id: str | None = None) -> None:
    done = await api.post(f"/api/associations/{association_id or world.association_id}/verification",
                          headers=world["premises_staff"].headers, json={"verified": True})
    assert done.status_code == 200, done.text


async def publish(api: httpx.AsyncClient, world: World, body: dict[str, Any], *, rep: dict[str, str] | None = None,
                  association_id: str | None = None) -> dict[str, Any]:
    """Fill in (as its representative), submit and verify (as staff) a profile; answers the staff's view."""
    association_id = association_id or world.association_id
    rep = rep or world["association_rep"].headers
    base = f"/api/associations/{association_id}/profile"
    saved = await api.put(base, headers=rep, json=body)
    assert saved.status_code == 200, saved.text
    submitted = await api.post(f"{base}/submission", headers=rep)
    assert submitted.status_code == 200, submitted.text
    verified = await api.post(f"{base}/verification", headers=world["activities_staff"].headers,
                              json={"approve": True})
    assert verified.status_code == 200, verified.text
    return verified.json()  # type: ignore[no-any-return]


def org_number() -> str:
    """A fresh, valid organisationsnummer (Luhn check digit)."""
    base = f"80{uuid.uuid4().int % 10**7:07d}"
    number = base + luhn.calc_check_digit(base)
    return f"{number[:6]}-{number[6:]}"


async def association_with_rep(api: httpx.AsyncClient, world: World, name: str,
                               rep_name: str = "Företrädare Fransson") -> tuple[str, dict[str, str], str]:
    """A verified association registered by staff, with contact persons and a representative account
    (made by the admin): (association id, the representative's headers, its contact person's id)."""
    made = await api.post("/api/associations", headers=world["premises_staff"].headers,
                          json={"name": name, "org_number": org_number(), "area_id": world.area_id})
    assert made.status_code == 201, made.text
    association_id = made.json()["id"]
    await verify_association(api, world, association_id)
    email = f"{random_ref('rep-')}@example.se"
    account = await api.post("/api/accounts", headers=world["admin"].headers, json={
        "email": email, "display_name": rep_name, "password": PASSWORD,
        "roles": [{"role": "association_rep", "scope_id": association_id}]})
    assert account.status_code == 201, account.text
    token = await api.post("/api/auth/tokens", json={"email": email, "password": PASSWORD})
    assert token.status_code == 201, token.text
    contact = await with_contacts(api, world, association_id)
    return association_id, {"Authorization": f"Bearer {token.json()['token']}"}, contact
