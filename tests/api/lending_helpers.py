"""Shared steps of the lending API tests: a small catalogue made through the API, and QR decoding."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from booking.adapters.pdf import LabelTemplate
from tests.conftest import World, random_ref
from tests.qr_reading import zbar

PX_PER_MM = 150 / 25.4


async def catalogue(client: httpx.AsyncClient, world: World, *, items: int = 2,
                    self_service: bool = True) -> dict[str, Any]:
    """A category with a subcategory, an article and `items` labelled items at the world's site."""
    staff = world["lending_staff"].headers
    top = await client.post("/api/lending/categories", headers=staff, json={"name": f"Vintersport {random_ref()}"})
    assert top.status_code == 201, top.text
    sub = await client.post("/api/lending/categories", headers=staff,
                            json={"name": "Skridskor", "parent_id": top.json()["id"]})
    assert sub.status_code == 201, sub.text
    article = await client.post("/api/lending/articles", headers=staff, json={
        "category_id": sub.json()["id"], "name": "Hockeyskridskor", "variant": "38", "self_service": self_service,
        "needs_guardian_consent": True})
    assert article.status_code == 201, article.text
    made = await client.post("/api/lending/items", headers=staff, json={
        "article_id": article.json()["id"], "site_id": world.site_id, "count": items})
    assert made.status_code == 201, made.text
    return {"category_id": top.json()["id"], "subcategory_id": sub.json()["id"], "article_id": article.json()["id"],
            "items": made.json()["items"], "codes": [i["label_code"] for i in made.json()["items"]]}


async def borrower(client: httpx.AsyncClient, world: World, **changes: Any) -> dict[str, Any]:
    body = {"name": "Alva Andersson", "mobile": "070-123 45 67", "birth_year": 1990, **changes}
    made = await client.post("/api/lending/borrowers", headers=world["lending_staff"].headers, json=body)
    assert made.status_code == 201, made.text
    return dict(made.json())


def rasterize(pdf: bytes, dpi: int = 150) -> list[Path]:
    """The PDF's pages as PNG files, as `pdftoppm -r 150 -png` renders them."""
    folder = Path(tempfile.mkdtemp(prefix="lending-pdf-"))
    (folder / "in.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(folder / "in.pdf"), str(folder / "page")], check=True,
                   timeout=120)
    return sorted(folder.glob("page-*.png"))


def page_size_pt(pdf: bytes) -> tuple[float, float]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, _, height = size.split(":", 1)[1].split()[:3]
    return float(width), float(height)


def decode_cells(page: Path, template: LabelTemplate, count: int) -> list[list[str]]:
    """Each label cell of the template cut out of the rendered page (mm -> pixels) and decoded alone:
    a cell holds exactly its own QR code when the label sits at its mm position."""
    image = Image.open(page)
    found = []
    for index in range(count):
        x, y, w, h = template.cell(index)
        box = (round(x * PX_PER_MM), round(y * PX_PER_MM), round((x + w) * PX_PER_MM), round((y + h) * PX_PER_MM))
        target = page.with_name(f"{page.stem}-cell{index}.png")
        image.crop(box).save(target)
        found.append(zbar(target))
    return found
