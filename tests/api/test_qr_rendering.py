"""Every QR image the system serves carries its own light ground and a quiet zone of four modules,
so it reads wherever it is shown: rendered by librsvg (which paints nothing behind an image) and by
Chromium on a dark page in dark mode, then decoded by zbarimg. A QR code drawn black on
transparent reads as black on black there (the label, card and ticket SVGs did before)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import time_machine

from tests.api.lending_helpers import catalogue
from tests.api.test_activities_api import _one_session
from tests.conftest import World
from tests.qr_reading import light_margin, need, svg_via_rsvg, svgs_via_chromium, zbar

QUIET_ZONE = 4


def quiet_zone(image: Path, svg: bytes) -> float:
    """Modules of the image's own light ground around the symbol: the light margin over the size of a
    module (the dark extent spans the viewBox's modules less the 2 x 4 of the intended quiet zone)."""
    box = re.search(rb'viewBox="0 0 (\d+) (\d+)"', svg)
    assert box, svg[:200]
    margin, symbol = light_margin(image)
    return margin / (symbol / (int(box.group(1)) - 2 * QUIET_ZONE))


async def assert_reads_everywhere(svgs: dict[str, tuple[bytes, str]], folder: Path) -> None:
    """Each SVG (name -> (image, the text it must hold)) decodes to exactly its text with a quiet zone
    of at least four modules of its own light ground, in librsvg and in Chromium on a dark page."""
    need("rsvg-convert", "zbarimg", "chromium")
    names = list(svgs)
    shots = await svgs_via_chromium([svgs[n][0] for n in names], folder)
    for name, shot in zip(names, shots, strict=True):
        svg, text = svgs[name]
        assert svg.startswith(b"<?xml"), name
        drawn = svg_via_rsvg(svg, folder, name)
        assert zbar(drawn) == [text], f"{name}: librsvg"
        assert quiet_zone(drawn, svg) >= QUIET_ZONE - 0.1, f"{name}: librsvg, less than four modules of light ground"
        assert zbar(shot) == [text], f"{name}: Chromium, dark page"
        assert quiet_zone(shot, svg) >= QUIET_ZONE - 0.1, f"{name}: Chromium, less than four modules of light ground"


async def test_label_card_and_ticket_svgs_read_in_librsvg_and_in_chromium_on_a_dark_page(
        client: httpx.AsyncClient, world: World, tmp_path: Path) -> None:
    staff = world["lending_staff"].headers
    made = await catalogue(client, world, items=1)
    label = made["items"][0]
    label_svg = await client.get(f"/api/lending/labels/{label['label_code']}/qr.svg", headers=staff)
    assert label_svg.status_code == 200 and label_svg.headers["content-type"].startswith("image/svg+xml")
    listed = await client.get("/api/lending/labels", headers=staff, params={"linked": "true"})
    label_url = next(x["url"] for x in listed.json()["items"] if x["code"] == label["label_code"])
    assert label_url == f"HTTP://TESTSERVER/Q/{label['label_code']}"

    me = world["borrower"].headers
    registered = await client.post("/api/lending/me", headers=me, json={
        "name": "Lina Låntagare", "mobile": "0731234567", "birth_year": 2001})
    assert registered.status_code == 201, registered.text
    card_svg = await client.get("/api/lending/me/card.svg", headers=me)
    assert card_svg.status_code == 200

    with time_machine.travel("2026-12-01T09:00:00+01:00", tick=True):  # before the session's day
        session = await _one_session(client, world, capacity=2)
        signed = await client.post(f"/api/activity-sessions/{session['id']}/registrations",
                                   headers=world["guardian"].headers,
                                   json={"children": [{"first_name": "Alva", "birth_year": 2016}]})
        assert signed.status_code == 201, signed.text
        registration = signed.json()["registrations"][0]
        ticket_svg = await client.get(f"/api/registrations/{registration['id']}/ticket.svg",
                                      headers=world["guardian"].headers)
        assert ticket_svg.status_code == 200

    await assert_reads_everywhere({
        "label": (label_svg.content, label_url),
        "card": (card_svg.content, registered.json()["card"]["url"]),
        "ticket": (ticket_svg.content, registration["ticket_url"]),
    }, tmp_path)
