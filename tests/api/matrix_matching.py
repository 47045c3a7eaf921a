"""The authorization matrix's requests for föreningsmatchning: the match (public; the counter's card number is
left out, as it is for lending staff only and tested in test_association_matching), interest requests (public
to send; the association's representatives list, answer and pause them; staff see the unanswered ones and the
follow-up).

`path_ids` publishes the world's association's profile through the profiles' API and sends it one request,
whose id fills `{request_id}`."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api import profile_support as ps
from tests.conftest import World

_INTEREST: dict[str, str] = {}  # world slug -> one interest category id (filled by path_ids)


def _interest(w: World) -> list[str]:
    return [_INTEREST[w.slug]] if w.slug in _INTEREST else []


REQUESTS: dict[str, Any] = {
    "matchAssociations": lambda w: {"json": {"municipality": w.slug, "interests": _interest(w), "age": 11}},
    "sendInterestRequest": lambda w: {"json": {"association_id": w.association_id, "interests": _interest(w),
                                               "age": 11, "consent": False}},
    "listUnansweredInterestRequests": lambda w: {"params": {"days": 14}},
    "answerInterestRequest": lambda w: {"json": {"text": "Välkommen på tisdag!"}},
    "listInterestRequests": lambda w: {},
    "pauseInterestRequests": lambda w: {"json": {"paused": False}},
    "getMatchingFollowUp": lambda w: {},
    "getMatchingFollowUpCsv": lambda w: {},
}


async def path_ids(client: httpx.AsyncClient, world: World, path: str, operation_id: str) -> dict[str, str]:
    categories = await ps.categories(client, world)
    _INTEREST[world.slug] = categories["innebandy"]
    if "{request_id}" not in path:
        return {}
    await ps.verify_association(client, world)
    contact = await ps.with_contacts(client, world)
    await ps.publish(client, world, ps.profile_body([categories["innebandy"]], contact_id=contact))
    sent = await client.post("/api/interest-requests", json={
        "association_id": world.association_id, "interests": [categories["innebandy"]], "age": 11, "consent": False})
    assert sent.status_code == 201, sent.text
    return {"request_id": sent.json()["id"]}
