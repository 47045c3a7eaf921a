"""The booking's check-in link, `{BASE_URL}/c/<code>`: what a phone camera opens when it reads the
check-in QR code that the association shows at the door.

Premises staff who are signed in go on to the check-in page with the code filled in (one press
checks in: opening a link never does). Anyone else gets a page that says what the code is and that
the staff scan it, with a sign-in link for staff that comes back here. A code we did not issue is a
friendly HTML 404: people land here, not programs. Nothing about the booking is revealed."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from litestar import Response, get
from litestar.response import Redirect

from booking.api.access import PUBLIC
from booking.config import Settings
from booking.domain.people.roles import Actor, Role
from booking.domain.premises.access import booking_of_check_in_code

MAX_CODE = 100  # `{32 hex}.{16 hex}` is 49 characters

UNKNOWN_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Okänd incheckningskod – Bokning</title><link rel="stylesheet" href="/assets/css/main.css"></head>
<body><main id="main" class="container"><h1>Vi känner inte igen den här incheckningskoden</h1>
<p>Koden <strong>{code}</strong> är inte en incheckningskod från oss. Be föreningen visa QR-koden från
sin bokning igen, eller fråga personalen.</p>
<p lang="en">This is not a check-in code of ours. Ask the association to show the QR code of its booking again.</p>
<p><a href="/">Till startsidan</a></p></main></body></html>
"""


@get("/c/{code:str}", include_in_schema=False, opt={"access": PUBLIC}, name="check_in_link")
async def check_in_link(code: str, settings: Settings, maybe_actor: Actor | None) -> Response[Any]:
    code = code.strip()
    if len(code) > MAX_CODE or booking_of_check_in_code(settings.secret_key, code) is None:
        return Response(UNKNOWN_PAGE.format(code=html.escape(code[:60])), status_code=404, media_type="text/html",
                        headers={"Cache-Control": "no-store"})
    staff = maybe_actor is not None and maybe_actor.has(Role.PREMISES_STAFF)
    page = "/check-in.html" if staff else "/check-in-code.html"
    # who is signed in decides where the same URL leads: no shared cache may keep the answer
    return Redirect(f"{page}?code={quote(code, safe='')}", status_code=303, headers={"Cache-Control": "no-store"})


HANDLERS: list[Any] = [check_in_link]
