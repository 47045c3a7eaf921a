"""Logging for the web server and the command line: one handler on the root logger, one format.

`BOOKING_LOG_FORMAT=json` writes one JSON object per line (time in UTC ISO 8601, level, logger,
message, request_id inside a request, exc_info when an exception is attached, and any `extra`
fields), for a log shipper; `text` writes lines for people. The default follows BOOKING_ENV:
json in production, text in development and test (`booking demo` in a terminal).

The request id lives in REQUEST_ID (set by booking.api.request_log for the length of a request);
RequestIdFilter copies it onto every record that reaches the handler, whichever logger made it.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from booking.config import Settings

REQUEST_ID: ContextVar[str | None] = ContextVar("booking_request_id", default=None)
# The attributes every LogRecord has; anything else on a record came in through `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "request_id", "taskName", "color_message"}  # uvicorn's message with ANSI colours


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None outside a request) on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            document["request_id"] = request_id
        if record.exc_info:
            document["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            document["stack_info"] = self.formatStack(record.stack_info)
        document.update({k: v for k, v in _extras(record).items() if k not in document})
        return json.dumps(document, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`2025-01-31 12:00:00,123 INFO booking.access [3f2a...] GET /health 200 1.2 ms`."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request_tag)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request_tag = f" [{request_id}]" if request_id else ""
        return super().format(record)


class _StandardError(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to sys.stderr as it is when a record comes (test runners and tools replace it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def make_handler(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream) if stream is not None else _StandardError()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())
    handler.set_name("booking")
    return handler


def configure_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Install the booking handler on the root logger (replacing one installed before, leaving
    others alone). Uvicorn's loggers are sent through it too, so every line has one format, and
    uvicorn's access log is quietened: booking.access writes one line per request, with its id."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "booking"]:
        root.removeHandler(old)
    handler = make_handler(settings, stream)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    return handler
