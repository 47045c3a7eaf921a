"""Imports and exports in the browser: an administrator imports sites and spaces from a CSV file with
one bad row (reported with its line; nothing written), fixes it, imports, and finds the spaces on
sites.html; lending staff import 120 articles and watch both stages' progress bar; a file that is not
UTF-8 is refused by the page; the page is accessible in Swedish and English, on a desktop and a phone."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    ApiClient,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    open_page,
    sign_in_via_api,
    switch_language,
)

pytestmark = pytest.mark.browser

ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")
LENDING = next(a for a in DEMO_ACCOUNTS if a.role == "lending_staff")
ARTICLES_HEADER = "namn;storlek;kategori;överkategori;lånetid_dagar"
HEADER = "anläggning;gatuadress;postnummer;ort;lokal;typ;kapacitet;del_av"


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _sites_csv(school: str, capacity: str) -> bytes:
    rows = [HEADER,
            f"{school};Importvägen 3;85350;Sundsvall;Idrottshallen;idrottshall;120;",
            f"{school};Importvägen 3;85350;Sundsvall;Idrottshallen A;idrottshall;{capacity};Idrottshallen",
            f"{school};Importvägen 3;85350;Sundsvall;Musiksalen;musiksal;25;"]
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")


def _choose(page: Page, path: Path, kind: str = "Anläggningar och lokaler") -> None:
    page.get_by_label("Vad filen innehåller").select_option(label=kind)
    page.get_by_label("CSV-fil").set_input_files(str(path))
    page.get_by_role("button", name="Förhandsgranska").click()


def _remove_school(live_server: LiveServer, school: str) -> None:
    """The journey's school goes again (parts, then spaces, then the site), so that the public pages'
    tests, which count the demo's schools on the shared server, see only those."""
    api = ApiClient(live_server, ADMIN.email)
    try:
        for site in api.get("/api/sites", q=school)["items"]:
            assert api.remove_site(site["id"]) == 204
        assert api.get("/api/sites", q=school)["total"] == 0
    finally:
        api.close()


def test_an_admin_imports_sites_and_spaces_after_fixing_a_bad_row(page: Page, live_server: LiveServer,
                                                                  tmp_path: Path) -> None:
    school = f"Importskolan {uuid.uuid4().hex[:6]}"
    try:
        _journey(page, live_server, tmp_path, school)
    finally:
        _remove_school(live_server, school)


def _journey(page: Page, live_server: LiveServer, tmp_path: Path, school: str) -> None:
    sign_in_via_api(page, ADMIN.email)
    open_page(page, "/")
    page.get_by_role("navigation").get_by_role("button", name="Personal").click()
    page.locator("#staff-menu").get_by_role("link", name="Import och export").click()
    expect(page.get_by_role("heading", level=1, name="Import och export")).to_be_visible()

    _choose(page, _file(tmp_path, "lokaler.csv", _sites_csv(school, "sextio")))
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()
    row = errors.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("3")
    expect(row.locator("td").nth(1)).to_have_text("kapacitet")
    expect(row).to_contain_text("Skriv ett heltal.")
    expect(page.get_by_text("Rätta raderna i filen och välj den igen. Inget har sparats.")).to_be_visible()
    expect(page.get_by_role("button", name="Bekräfta och importera")).to_have_count(0)
    api = ApiClient(live_server, ADMIN.email)
    try:
        assert api.get("/api/sites", q=school)["total"] == 0
    finally:
        api.close()

    _choose(page, _file(tmp_path, "lokaler-rattad.csv", _sites_csv(school, "60")))
    rows = page.locator("#import-rows tbody tr")
    expect(rows).to_have_count(4)  # the site and its three spaces
    expect(page.get_by_text("4 nya, 0 ändrade och 0 oförändrade.")).to_be_visible()
    page.get_by_role("button", name="Bekräfta och importera").click()
    expect(page.get_by_role("status").filter(has_text="Importen är klar")).to_contain_text("4 nya")

    open_page(page, "/sites.html")
    site = page.get_by_role("article").filter(has=page.get_by_role("heading", name=school))
    for space in ("Idrottshallen", "Idrottshallen A", "Musiksalen"):
        expect(site.get_by_role("heading", name=space, exact=True)).to_be_visible()


def _articles_csv(category: str, count: int, loan_days: str = "7") -> bytes:
    """`count` sizes of one article in a category of the journey's own (no other test looks at it; the
    journey removes the articles and the category again)."""
    rows = [ARTICLES_HEADER, *(f"Provskidor;{100 + i} cm;{category};;{loan_days}" for i in range(count))]
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def test_lending_staff_import_articles_and_see_the_progress_of_both_stages(page: Page, live_server: LiveServer,
                                                                           tmp_path: Path) -> None:
    category = f"Importkategori {uuid.uuid4().hex[:6]}"
    sign_in_via_api(page, LENDING.email)
    open_page(page, "/")
    page.get_by_role("navigation").get_by_role("button", name="Personal").click()
    page.locator("#staff-menu").get_by_role("link", name="Importera artiklar och låntagare").click()
    expect(page.get_by_role("heading", level=1, name="Import och export")).to_be_visible()
    kinds = page.get_by_label("Vad filen innehåller").locator("option")
    expect(kinds).to_have_text(["Fritidsbankens artiklar (en rad per storlek)", "Låntagare med lånekort"])

    kind = "Fritidsbankens artiklar (en rad per storlek)"
    _choose(page, _file(tmp_path, "artiklar-fel.csv", _articles_csv(category, 120, "400")), kind)
    expect(page.locator("#import-errors tbody tr")).to_have_count(120)
    expect(page.locator("#import-errors tbody tr").first).to_contain_text("lånetid_dagar")
    bar = page.locator("#import-progress-bar")
    expect(page.locator("#import-progress-text")).to_have_text("Kontrollerade 120 av 120 rader.")
    expect(bar).to_have_js_property("value", 120)
    expect(bar).to_have_js_property("max", 120)

    _choose(page, _file(tmp_path, "artiklar.csv", _articles_csv(category, 120)), kind)
    expect(page.get_by_text("121 nya, 0 ändrade och 0 oförändrade.")).to_be_visible()  # the category too
    expect(page.locator("#import-progress-text")).to_have_text("Kontrollerade 120 av 120 rader.")
    page.get_by_role("button", name="Bekräfta och importera").click()
    expect(page.get_by_role("status").filter(has_text="Importen är klar")).to_contain_text("121 nya")
    expect(page.locator("#import-progress-text")).to_have_text("Sparade 120 av 120 rader.")
    expect(bar).to_have_js_property("value", 120)
    assert_accessible(page, "the import page after an import (lending staff)")
    switch_language(page, "English")
    expect(page.locator("#import-progress-text")).to_have_text("Saved 120 of 120 rows.")
    assert_accessible(page, "the import page after an import in English (lending staff)")

    api = ApiClient(live_server, LENDING.email)
    try:
        text = api.http.get("/api/exports/lending_articles.csv").text
        assert text.count(f";{category};;7;") == 120
    finally:
        _remove_category(api, category)
        api.close()


def _remove_category(api: ApiClient, name: str) -> None:
    """The journey's articles and their category go again: the shared server's other tests see the demo's."""
    found = [c for c in api.get("/api/lending/categories", municipality="sundsvall") if c["name"] == name]
    for category in found:
        for article in api.http.get("/api/lending/articles").json():
            if article["category_id"] == category["id"]:
                assert api.delete(f"/api/lending/articles/{article['id']}") == 204
        assert api.delete(f"/api/lending/categories/{category['id']}") == 204


def test_a_file_that_is_not_utf8_is_refused_by_the_page(page: Page, tmp_path: Path) -> None:
    sign_in_via_api(page, ADMIN.email)
    open_page(page, "/import.html")
    latin1 = "namn;befolkning_0_17\r\nVästerås;12\r\n".encode("latin-1")
    _choose(page, _file(tmp_path, "omraden.csv", latin1), "Områden med befolkning 0–17 år")
    file_input = page.get_by_label("CSV-fil")
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#import-alert")).to_contain_text("Filen är inte sparad som UTF-8")
    expect(page.locator("#import-file-error")).to_contain_text("Filen är inte sparad som UTF-8")
    expect(page.locator("#import-result")).to_have_count(0)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_import_page_is_accessible(page: Page, phone_page: Page, size: str, tmp_path: Path) -> None:
    page = phone_page if size == "phone" else page
    sign_in_via_api(page, ADMIN.email)
    open_page(page, "/import.html")
    assert_accessible(page, f"the import page in Swedish ({size})")
    _choose(page, _file(tmp_path, "lokaler.csv", _sites_csv(f"Axeskolan {uuid.uuid4().hex[:6]}", "sextio")))
    expect(page.locator("#import-errors")).to_be_visible()
    assert_accessible(page, f"the import page with a bad row in Swedish ({size})")
    if size == "phone":
        assert_no_horizontal_scroll(page, "the import page")
    _choose(page, _file(tmp_path, "lokaler2.csv", _sites_csv(f"Axeskolan {uuid.uuid4().hex[:6]}", "60")))
    expect(page.locator("#import-rows")).to_be_visible()
    switch_language(page, "English")
    expect(page.get_by_role("heading", level=1, name="Import and export")).to_be_visible()
    assert_accessible(page, f"the import page with a plan in English ({size})")
