"""`booking demo --port N` and `booking serve`: without BOOKING_BASE_URL the links (QR codes, cards,
feeds, e-mails) point at the port actually served, in this process and in uvicorn's workers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from booking import cli
from booking.config import base_url_for, get_settings


@pytest.fixture
def no_base_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """BOOKING_BASE_URL unset (and restored afterwards, whatever the CLI writes); uvicorn, migrations and
    seeding replaced by recorders."""
    monkeypatch.setenv("BOOKING_BASE_URL", "placeholder")  # recorded, so the teardown removes what cli sets
    monkeypatch.delenv("BOOKING_BASE_URL")
    ran: dict[str, Any] = {}

    def fake_run(app: str, **kwargs: Any) -> None:
        ran.update(kwargs, app=app, settings=get_settings())  # what a worker's app_from_env() reads

    async def fake_seed(settings: Any) -> bool:
        return True

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.setattr(cli, "_upgrade", lambda settings: None)
    monkeypatch.setattr(cli, "_seed", fake_seed)
    monkeypatch.setattr(cli, "configure_logging", lambda settings: None)  # the root logger stays pytest's
    get_settings.cache_clear()
    yield ran
    get_settings.cache_clear()


def test_demo_on_another_port_prints_and_serves_links_of_that_port(
        no_base_url: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--port", "8123"]) == 0
    printed = capsys.readouterr().out
    assert "Open http://127.0.0.1:8123/ - the API is described at http://127.0.0.1:8123/schema" in printed
    assert ":8000" not in printed
    assert no_base_url["port"] == 8123
    assert no_base_url["settings"].base_url == "http://127.0.0.1:8123"


def test_serve_on_every_interface_links_to_this_machine_at_the_port(no_base_url: dict[str, Any]) -> None:
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "9001", "--no-migrate"]) == 0
    assert no_base_url["settings"].base_url == "http://127.0.0.1:9001"


def test_an_explicit_base_url_is_kept(no_base_url: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BOOKING_BASE_URL", "https://boka.sundsvall.se/")
    get_settings.cache_clear()
    assert cli.main(["demo", "--port", "8123"]) == 0
    assert "Open https://boka.sundsvall.se/" in capsys.readouterr().out
    assert no_base_url["settings"].base_url == "https://boka.sundsvall.se"


def test_base_url_for_hosts() -> None:
    assert base_url_for("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert base_url_for("0.0.0.0", 80) == "http://127.0.0.1:80"
    assert base_url_for("::", 8080) == "http://127.0.0.1:8080"
    assert base_url_for("::1", 8080) == "http://[::1]:8080"
    assert base_url_for("boka.local", 8443) == "http://boka.local:8443"
