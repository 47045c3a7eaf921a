"""The API viewer at /schema: Swagger UI from the app's own files, started by
/assets/js/schema-viewer.js, with no CSP violation (the page fixture fails on any)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_schema_page_renders_swagger_ui_with_the_operations(page: Page) -> None:
    response = page.goto("/schema")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    expect(page.locator(".swagger-ui").first).to_be_visible()
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=15_000)
    assert operations.count() >= 10
    login = page.locator(".opblock-post").filter(has_text="/api/auth/login")
    expect(login).to_have_count(1)
    expect(page.locator(".opblock-get").filter(has_text="/api/sites")).not_to_have_count(0)
    expect(page.locator(".info .title")).to_contain_text("booking")
