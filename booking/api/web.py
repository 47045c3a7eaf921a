"""The web side: security headers, the frontend's static files and the API viewer at /schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui_bundle
from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets style attributes on its elements; its page alone allows inline styles. Scripts stay 'self'.
SCHEMA_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

SWAGGER_DIR = Path(swagger_ui_bundle.swagger_ui_path)


def security_headers(path: str, https: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", (SCHEMA_CSP if path.startswith("/schema") else CSP).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),
    ]
    if https:
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
    return headers


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP answer (pages, API, files)."""

    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.https = https
        self._pages = security_headers("/", https)
        self._schema = security_headers("/schema", https)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self._schema if scope.get("path", "/").startswith("/schema") else self._pages

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LocalSwaggerPlugin(OpenAPIRenderPlugin):
    """Swagger UI served from this app's own files, with no inline script (CSP-safe, works offline)."""

    def __init__(self, path: str = "/") -> None:
        super().__init__(path=path)

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return b"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>booking API</title>
<link rel="stylesheet" href="/schema-assets/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" data-spec-url="/schema/openapi.json"></main>
<script src="/schema-assets/swagger-ui-bundle.js"></script>
<script src="/assets/js/schema-viewer.js"></script>
</body>
</html>
"""
