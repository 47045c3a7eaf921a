"""What the association-profile tests share: a world's association with contact persons, its interest
categories, a valid profile body, and publishing a profile through the API (fill, submit, verify)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import World

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
