"""Labels and cards as real QR codes: PDF sheets rasterised by pdftoppm at 150 and 100 dpi and read
back with zbarimg, the whole page in one pass (staff scan sheets, photos and photocopies, not cut-out
cells); SVGs rendered by librsvg first (zbarimg never reads an SVG itself)."""

from __future__ import annotations

import math
import uuid
from pathlib import Path

import httpx
from PIL import Image

from booking.adapters.db.database import Database
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.pdf import A4, CARD, TEMPLATES
from booking.domain.lending.labels import ALPHABET, CODE_LENGTH
from tests.api.lending_helpers import borrower, catalogue, decode_cells, page_size_pt
from tests.conftest import World
from tests.qr_reading import light_margin, need, pdf_pages, svg_via_rsvg, zbar

BASE = "http://testserver"
MM_PER_PT = 25.4 / 72


def _url(code: str) -> str:
    """What a label's QR code holds: scheme, host, path and code in capitals (QR alphanumeric mode)."""
    return f"HTTP://TESTSERVER/Q/{code}"


async def _labels(client: httpx.AsyncClient, world: World, count: int) -> list[str]:
    made = await client.post("/api/lending/labels", headers=world["lending_staff"].headers, json={"count": count})
    assert made.status_code == 201, made.text
    codes = made.json()["codes"]
    assert len(codes) == len(set(codes)) == count
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    return list(codes)


async def _check_sheet(client: httpx.AsyncClient, world: World, template_name: str, codes: list[str],
                       folder: Path) -> None:
    need("pdftoppm", "zbarimg")
    template = TEMPLATES[template_name]
    response = await client.post("/api/lending/label-sheets", headers=world["lending_staff"].headers,
                                 json={"template": template_name, "codes": codes})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    width, height = page_size_pt(response.content)
    assert math.isclose(width * MM_PER_PT, A4[0], abs_tol=0.05)
    assert math.isclose(height * MM_PER_PT, A4[1], abs_tol=0.05)
    for dpi in (150, 100):
        pages = pdf_pages(response.content, folder, dpi)
        assert len(pages) == math.ceil(len(codes) / template.per_page)
        for number, page in enumerate(pages):
            on_page = codes[number * template.per_page:(number + 1) * template.per_page]
            # one zbarimg pass over the whole page finds every label's URL, and nothing else
            assert sorted(zbar(page)) == sorted(_url(c) for c in on_page), f"{template_name}, {dpi} dpi, page {number}"
            if dpi == 150:  # every label cell, cut out at its template position in mm, holds exactly its own URL
                assert decode_cells(page, template, len(on_page)) == [[_url(c)] for c in on_page]


async def test_label_sheets_decode_whole_pages_to_exactly_their_urls_at_their_mm_positions(
        client: httpx.AsyncClient, world: World, tmp_path: Path) -> None:
    codes = await _labels(client, world, 30)
    await _check_sheet(client, world, "a4-3x8", codes, tmp_path / "3x8")  # a full page of 24 and one of 6
    await _check_sheet(client, world, "a4-5x13", codes + await _labels(client, world, 40), tmp_path / "5x13")  # 65 + 5
    log = await client.get("/api/lending/label-prints", headers=world["lending_staff"].headers)
    assert log.status_code == 200
    assert [(p["template"], len(p["codes"])) for p in log.json()["items"]] == [("a4-5x13", 70), ("a4-3x8", 30)]
    printed = await client.get("/api/lending/labels", headers=world["lending_staff"].headers,
                               params={"printed": "false"})
    assert printed.json()["total"] == 0


async def test_svg_and_png_of_a_label_decode_to_its_url(client: httpx.AsyncClient, world: World,
                                                        tmp_path: Path) -> None:
    need("rsvg-convert", "zbarimg")
    [code] = await _labels(client, world, 1)
    staff = world["lending_staff"].headers
    svg = await client.get(f"/api/lending/labels/{code}/qr.svg", headers=staff)
    assert svg.status_code == 200, svg.text
    assert zbar(svg_via_rsvg(svg.content, tmp_path)) == [_url(code)]
    png = await client.get(f"/api/lending/labels/{code}/qr.png", headers=staff)
    assert png.status_code == 200, png.text
    (tmp_path / "qr.png").write_bytes(png.content)
    assert zbar(tmp_path / "qr.png") == [_url(code)]
    assert Image.open(tmp_path / "qr.png").mode in ("L", "RGB")  # opaque: no alpha for a viewer to fill in
    margin, symbol = light_margin(tmp_path / "qr.png")
    assert margin >= 4 * 8 and symbol % 8 == 0  # four modules of 8 pixels of white around the symbol
    other = await client.get(f"/api/lending/labels/{'2' * CODE_LENGTH}/qr.png", headers=staff)
    assert other.status_code == 404


async def test_a_lending_card_pdf_is_card_sized_and_its_qr_decodes(client: httpx.AsyncClient, world: World,
                                                                   sqlite_db: Database, tmp_path: Path) -> None:
    need("pdftoppm", "zbarimg")
    person = await borrower(client, world)
    number = person["card_number"]
    response = await client.get(f"/api/lending/borrowers/{person['id']}/card.pdf",
                                headers=world["lending_staff"].headers)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    width, height = page_size_pt(response.content)
    assert math.isclose(width * MM_PER_PT, CARD[0], abs_tol=0.05) and math.isclose(height * MM_PER_PT, CARD[1],
                                                                                   abs_tol=0.05)
    for dpi in (150, 100):
        [page] = pdf_pages(response.content, tmp_path / "first", dpi)
        assert zbar(page) == [f"{BASE}/k/{number}"], f"{dpi} dpi"

    # a lost card: the old number is blocked, the new one works
    replaced = await client.post(f"/api/lending/borrowers/{person['id']}/card", headers=world["lending_staff"].headers)
    assert replaced.status_code == 201, replaced.text
    new_number = replaced.json()["number"]
    assert new_number != number
    uow = SqlUnitOfWork(sqlite_db)
    async with uow:
        municipality = uuid.UUID(world.municipality_id)
        assert await uow.lending.borrower_by_card(municipality, number) is None
        found = await uow.lending.borrower_by_card(municipality, new_number)
        assert found is not None and str(found[0].id) == person["id"]
    search = await client.get("/api/lending/borrowers", headers=world["lending_staff"].headers,
                              params={"q": number})
    assert search.json()["total"] == 0
    again = await client.get(f"/api/lending/borrowers/{person['id']}/card.pdf", headers=world["lending_staff"].headers)
    for dpi in (150, 100):
        [page] = pdf_pages(again.content, tmp_path / "again", dpi)
        assert zbar(page) == [f"{BASE}/k/{new_number}"], f"{dpi} dpi"


async def test_the_digital_card_on_the_phone_decodes(client: httpx.AsyncClient, world: World,
                                                    tmp_path: Path) -> None:
    need("rsvg-convert", "zbarimg")
    me = world["borrower"].headers
    assert (await client.get("/api/lending/me", headers=me)).status_code == 404
    made = await client.post("/api/lending/me", headers=me, json={
        "name": "Lina Låntagare", "mobile": "0731234567", "birth_year": 2001})
    assert made.status_code == 201, made.text
    card = made.json()["card"]
    assert card["url"] == f"{BASE}/k/{card['number']}"
    twice = await client.post("/api/lending/me", headers=me, json={
        "name": "Lina Låntagare", "mobile": "0731234567", "birth_year": 2001})
    assert twice.status_code == 409
    svg = await client.get("/api/lending/me/card.svg", headers=me)
    assert zbar(svg_via_rsvg(svg.content, tmp_path, "card")) == [card["url"]]
    data = await client.get("/api/lending/me/data", headers=me)
    assert data.status_code == 200
    exported = data.json()
    assert exported["borrower"]["name"] == "Lina Låntagare" and exported["cards"][0]["number"] == card["number"]
    assert "pin_hash" not in exported["borrower"]


async def test_scanning_a_label_url_opens_the_item_or_the_linking_page(client: httpx.AsyncClient,
                                                                      world: World) -> None:
    made = await catalogue(client, world, items=1)
    code = made["codes"][0]
    opened = await client.get(f"/q/{code}")
    assert opened.status_code == 303 and opened.headers["location"] == f"/item.html?code={code}"
    [loose] = await _labels(client, world, 1)
    linking = await client.get(f"/q/{loose}")
    assert linking.status_code == 303 and linking.headers["location"] == f"/labels.html?link={loose}"
    for wrong in ("2" * CODE_LENGTH, "not-a-code", "ABC%00"):
        for prefix in ("/q/", "/Q/"):
            unknown = await client.get(f"{prefix}{wrong}")
            assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("text/html")
            assert "Vi hittar inte" in unknown.text
    # what the label holds now (upper case), and what labels printed before hold (lower case)
    for path in (f"/Q/{code}", f"/q/{code}", f"/q/{code.lower()}"):
        scanned = await client.get(path)
        assert scanned.status_code == 303 and scanned.headers["location"] == f"/item.html?code={code}", path
    assert (await client.get(f"/Q/{loose}")).headers["location"] == f"/labels.html?link={loose}"
    public = await client.get(f"/api/lending/items/by-code/{code.lower()}")
    assert public.status_code == 200
    body = public.json()
    assert (body["code"], body["name"], body["variant"], body["availability"]) == (code, "Hockeyskridskor", "38",
                                                                                  "available")
    assert not {"borrower", "borrower_id", "mobile", "name_of_borrower"} & set(body)
    bad = await client.get("/api/lending/items/by-code/0OIL")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "code"
    assert (await client.get(f"/api/lending/items/by-code/{loose}")).status_code == 404


async def test_linking_a_label_to_an_item_once(client: httpx.AsyncClient, world: World) -> None:
    staff = world["lending_staff"].headers
    made = await catalogue(client, world, items=1)
    bare = await client.post("/api/lending/items", headers=staff, json={
        "article_id": made["article_id"], "site_id": world.site_id, "count": 2, "with_labels": False})
    first, second = (i["id"] for i in bare.json()["items"])
    [code] = await _labels(client, world, 1)
    linked = await client.post(f"/api/lending/labels/{code}/link", headers=staff, json={"item_id": first})
    assert linked.status_code == 200 and linked.json()["label_code"] == code
    again = await client.post(f"/api/lending/labels/{code}/link", headers=staff, json={"item_id": second})
    assert again.status_code == 409
    [other] = await _labels(client, world, 1)
    has_one = await client.post(f"/api/lending/labels/{other}/link", headers=staff, json={"item_id": first})
    assert has_one.status_code == 409
    item = await client.get(f"/api/lending/items/{first}", headers=staff)
    assert [e["kind"] for e in item.json()["history"]] == ["label_linked", "created"]
    assert (await client.get(f"/q/{code}")).headers["location"] == f"/item.html?code={code}"


async def test_a_scanner_that_types_the_upper_case_label_url_counts_the_item(client: httpx.AsyncClient,
                                                                             world: World) -> None:
    staff = world["lending_staff"].headers
    made = await catalogue(client, world, items=2)
    first, second = made["codes"]
    counting = await client.post("/api/lending/stock-counts", headers=staff, json={"site_id": world.site_id})
    assert counting.status_code == 201, counting.text
    scans = f"/api/lending/stock-counts/{counting.json()['id']}/scans"
    for text in (_url(first), f"{BASE}/q/{second}", f"HTTPS://BOKNING.ORNSKOLDSVIK.SE/Q/{second}", f"https://x.example/Q/{second.lower()}?x=1"):
        scanned = await client.post(scans, headers=staff, json={"code": text})
        assert scanned.status_code == 200, (text, scanned.text)
        assert scanned.json()["known"] and scanned.json()["code"] in (first, second), text
    bad = await client.post(scans, headers=staff, json={"code": "HTTP://TESTSERVER/Q/0OIL"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "code"
