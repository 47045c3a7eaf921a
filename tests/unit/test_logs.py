"""booking.logs: the JSON and text formats, the request id filter, and BOOKING_LOG_FORMAT."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from booking.config import Settings
from booking.logs import REQUEST_ID, JsonFormatter, RequestIdFilter, TextFormatter, configure_logging


def _record(message: str = "booked %s", *args: object, exc: bool = False, **extra: object) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("the hall is on fire")
        except ValueError:
            exc_info = sys.exc_info()
    record = logging.LogRecord("booking.test", logging.WARNING, __file__, 1, message, args or None, exc_info)
    record.created = datetime(2027, 2, 10, 8, 30, 15, 250_000, tzinfo=UTC).timestamp()
    for key, value in extra.items():
        setattr(record, key, value)
    RequestIdFilter().filter(record)
    return record


def test_a_json_line_has_the_fields() -> None:
    token = REQUEST_ID.set("req-1")
    try:
        line = JsonFormatter().format(_record("booked %s", "Gympasalen", status=201, color_message="\x1b[36m"))
    finally:
        REQUEST_ID.reset(token)
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2027-02-10T08:30:15.250+00:00", "level": "WARNING", "logger": "booking.test",
        "message": "booked Gympasalen", "request_id": "req-1", "status": 201,
    }


def test_a_json_line_outside_a_request_has_no_request_id_and_carries_the_exception() -> None:
    document = json.loads(JsonFormatter().format(_record("failed", exc=True)))
    assert "request_id" not in document
    assert document["message"] == "failed"
    assert document["exc_info"].startswith("Traceback")
    assert "ValueError: the hall is on fire" in document["exc_info"]
    assert "\n" not in JsonFormatter().format(_record("failed", exc=True))  # the traceback is escaped


def test_json_keeps_swedish_letters_and_survives_odd_extras() -> None:
    document = json.loads(JsonFormatter().format(_record("Bokning i Målarsalen", when=datetime(2027, 1, 1))))  # noqa: DTZ001 an odd extra, logged as str() gives it
    assert document["message"] == "Bokning i Målarsalen"
    assert document["when"] == "2027-01-01 00:00:00"


def test_a_text_line_names_the_request() -> None:
    token = REQUEST_ID.set("abc123")
    try:
        inside = TextFormatter().format(_record("booked %s", "Gympasalen"))
    finally:
        REQUEST_ID.reset(token)
    outside = TextFormatter().format(_record("booked %s", "Gympasalen"))
    assert inside.endswith(" WARNING booking.test [abc123]: booked Gympasalen")
    assert outside.endswith(" WARNING booking.test: booked Gympasalen")


@pytest.fixture
def restored_root() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    uvicorn = {name: (list(logging.getLogger(name).handlers), logging.getLogger(name).propagate,
                      logging.getLogger(name).level) for name in ("uvicorn", "uvicorn.error", "uvicorn.access")}
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, (old, propagate, old_level) in uvicorn.items():
        logging.getLogger(name).handlers[:] = old
        logging.getLogger(name).propagate = propagate
        logging.getLogger(name).setLevel(old_level)


def test_configure_logging_installs_one_handler_and_routes_uvicorn_through_it(restored_root: logging.Logger) -> None:
    first = io.StringIO()
    configure_logging(Settings(log_format="text"), first)
    stream = io.StringIO()
    configure_logging(Settings(log_format="json"), stream)  # again: replaces, does not add
    assert sum(1 for h in restored_root.handlers if h.get_name() == "booking") == 1
    logging.getLogger("booking.test").info("hej")
    logging.getLogger("uvicorn.error").info("Uvicorn running")
    logging.getLogger("uvicorn.access").info("GET / 200")  # booking.access has the line, with its id
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("booking.test", "hej"), ("uvicorn.error", "Uvicorn running")]
    assert first.getvalue() == ""


@pytest.mark.parametrize(("environment", "variable", "expected"), [
    ("production", None, "json"), ("development", None, "text"), ("test", None, "text"),
    ("production", "text", "text"), ("development", " JSON ", "json"),
])
def test_the_log_format_follows_the_environment_unless_set(
        monkeypatch: pytest.MonkeyPatch, environment: str, variable: str | None, expected: str) -> None:
    monkeypatch.setenv("BOOKING_ENV", environment)
    monkeypatch.setenv("BOOKING_SECRET_KEY", "x" * 32)
    if variable is None:
        monkeypatch.delenv("BOOKING_LOG_FORMAT", raising=False)
    else:
        monkeypatch.setenv("BOOKING_LOG_FORMAT", variable)
    assert Settings.from_env().log_format == expected


def test_an_unknown_log_format_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("BOOKING_LOG_FORMAT", "xml")
    with pytest.raises(RuntimeError, match="BOOKING_LOG_FORMAT"):
        Settings.from_env()


def test_the_handler_writes_to_standard_error_as_it_is_now(restored_root: logging.Logger,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(log_format="json"))
    logging.getLogger("booking.test").warning("till stderr")
    assert json.loads(capsys.readouterr().err.splitlines()[-1])["message"] == "till stderr"


def test_the_log_level_is_info_unless_set_and_warning_drops_the_access_lines(
        restored_root: logging.Logger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_SECRET_KEY", "x" * 32)
    monkeypatch.delenv("BOOKING_LOG_LEVEL", raising=False)
    assert Settings.from_env().log_level == "INFO"
    monkeypatch.setenv("BOOKING_LOG_LEVEL", " warning ")
    monkeypatch.setenv("BOOKING_LOG_FORMAT", "json")
    settings = Settings.from_env()
    assert settings.log_level == "WARNING"
    stream = io.StringIO()
    configure_logging(settings, stream)
    logging.getLogger("booking.access").info("GET /api/spaces 200 1.0 ms")
    logging.getLogger("booking.api").warning("the database answered slowly")
    assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == ["the database answered slowly"]


def test_an_unknown_log_level_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("BOOKING_LOG_LEVEL", "loud")
    with pytest.raises(RuntimeError, match="BOOKING_LOG_LEVEL"):
        Settings.from_env()
