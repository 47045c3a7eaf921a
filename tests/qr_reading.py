"""Reading QR codes the way a person's device meets them: an SVG rendered by librsvg
(`rsvg-convert`) and by Chromium on a dark page in dark mode, a PDF rasterised by poppler
(`pdftoppm`), then decoded by `zbarimg`.

Each tool is one that CI installs (.ci/run: librsvg2-bin, chromium, poppler-utils, zbar-tools).
zbarimg is never handed an SVG: it would read it through whatever ImageMagick SVG delegate the
machine happens to have, which paints white behind a transparent image and so hides the bug of a
QR code without its own light background.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DARK = "#000000"  # a dark page at its darkest: black modules on no ground of their own vanish


def need(*tools: str) -> None:
    """Skip (or fail, where CI requires the browser tier's tools) when a tool is missing."""
    missing = [t for t in tools if (t == "chromium" and not CHROMIUM.exists()) or
               (t != "chromium" and shutil.which(t) is None)]
    if missing:
        message = f"not installed: {', '.join(missing)}"
        if require("BOOKING_REQUIRE_BROWSER"):
            pytest.fail(message + " (BOOKING_REQUIRE_BROWSER=1; .ci/run installs them)")
        pytest.skip(reason=message)


def zbar(image: Path) -> list[str]:
    """Every text zbarimg finds in the image (PNG), one per QR code, in one pass (only QR is looked for: a
    linear symbology can "read" a few digits out of QR modules)."""
    assert image.suffix == ".png", "zbarimg reads the rendered PNG, never the SVG"
    done = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
                          capture_output=True, text=True, timeout=120)
    return [line for line in done.stdout.splitlines() if line]


def svg_via_rsvg(svg: bytes, folder: Path, name: str = "qr") -> Path:
    """The SVG as librsvg renders it: a PNG with alpha, nothing painted behind the image."""
    source, target = folder / f"{name}.svg", folder / f"{name}-rsvg.png"
    source.write_bytes(svg)
    subprocess.run(["rsvg-convert", "--format=png", "--output", str(target), str(source)], check=True, timeout=60)
    return target


async def svgs_via_chromium(svgs: Sequence[bytes], folder: Path, name: str = "qr") -> list[Path]:
    """Each SVG as an <img> at its own size on a page in dark mode with a dark background, as
    Chromium paints it: the screenshot takes in the dark page around the image."""
    from playwright.async_api import async_playwright

    shots = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = await browser.new_context(color_scheme="dark", viewport={"width": 800, "height": 800})
            page = await context.new_page()
            for i, svg in enumerate(svgs):
                source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
                await page.set_content(
                    '<!doctype html><html><head><meta name="color-scheme" content="dark"></head>'
                    f'<body style="margin:0;background:{DARK}"><img id="qr" alt="" src="{source}" '
                    'style="display:block;margin:48px"></body></html>')
                await page.wait_for_function("() => { const i = document.getElementById('qr');"
                                             " return i.complete && i.naturalWidth > 0; }")
                box = await page.locator("#qr").bounding_box()
                assert box is not None
                target = folder / f"{name}-{i}-chromium.png"
                await page.screenshot(path=str(target), clip={"x": box["x"] - 24, "y": box["y"] - 24,
                                                              "width": box["width"] + 48, "height": box["height"] + 48})
                shots.append(target)
        finally:
            await browser.close()
    return shots


def pdf_pages(pdf: bytes, folder: Path, dpi: int) -> list[Path]:
    """The PDF's pages as `pdftoppm -r <dpi> -png` renders them."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "in.pdf"
    source.write_bytes(pdf)
    prefix = folder / f"page-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(prefix)], check=True, timeout=180)
    return sorted(folder.glob(f"page-{dpi}-*.png"))


def light_margin(image: Path) -> tuple[int, int]:
    """(margin, symbol): pixels of opaque light ground around the dark modules (the smallest of the
    four sides), i.e. how far the code's own ground reaches before the page behind it shows or
    transparency begins; and the width in pixels of the dark modules' extent (the symbol)."""
    from PIL import Image

    rgba = Image.open(image).convert("RGBA")
    width, height = rgba.size
    pixels = rgba.load()
    assert pixels is not None

    def light(x: int, y: int) -> bool:
        r, g, b, a = pixels[x, y]  # type: ignore[misc]
        return bool(a == 255 and min(r, g, b) >= 200)

    def dark(x: int, y: int) -> bool:
        r, g, b, a = pixels[x, y]  # type: ignore[misc]
        return bool(a >= 128 and max(r, g, b) < 80)

    # the symbol: the dark pixels inside the largest light area's bounding box
    lights = [(x, y) for y in range(height) for x in range(width) if light(x, y)]
    assert lights, f"{image.name}: no opaque light ground at all"
    lx0, ly0 = min(x for x, _ in lights), min(y for _, y in lights)
    lx1, ly1 = max(x for x, _ in lights), max(y for _, y in lights)
    darks = [(x, y) for y in range(ly0, ly1 + 1) for x in range(lx0, lx1 + 1) if dark(x, y)]
    assert darks, f"{image.name}: no dark modules on the light ground"
    x0, y0 = min(x for x, _ in darks), min(y for _, y in darks)
    x1, y1 = max(x for x, _ in darks), max(y for _, y in darks)

    def band_is_light(step: int) -> bool:
        xs = range(x0 - step, x1 + step + 1)
        ys = range(y0 - step, y1 + step + 1)
        if xs.start < 0 or ys.start < 0 or xs.stop > width or ys.stop > height:
            return False
        return (all(light(x, ys.start) and light(x, ys.stop - 1) for x in xs)
                and all(light(xs.start, y) and light(xs.stop - 1, y) for y in ys))

    margin = 0
    while band_is_light(margin + 1):
        margin += 1
    return margin, x1 - x0 + 1
