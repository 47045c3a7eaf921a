"""BOOKING_OPERATOR_KEY: unset (or empty) leaves `POST /api/municipalities` absent; a key shorter than
32 characters stops the start, so a guessable key is never live."""

from __future__ import annotations

import pytest

from booking.config import Settings


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_SECRET_KEY", "x" * 32)


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("", None), ("k" * 32, "k" * 32)])
def test_the_operator_key_is_read_from_the_environment(
        monkeypatch: pytest.MonkeyPatch, value: str | None, expected: str | None) -> None:
    if value is None:
        monkeypatch.delenv("BOOKING_OPERATOR_KEY", raising=False)
    else:
        monkeypatch.setenv("BOOKING_OPERATOR_KEY", value)
    assert Settings.from_env().operator_key == expected


def test_a_short_operator_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_OPERATOR_KEY", "hemligt")
    with pytest.raises(RuntimeError, match="BOOKING_OPERATOR_KEY must be at least 32 characters"):
        Settings.from_env()
