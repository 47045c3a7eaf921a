"""One mapping from errors to RFC 9457 problem+json answers.

Every error the API gives is built here: a stable `type`, a human `title` and
`detail`, the `status`, the `instance` (request path), `errors` naming fields
for invalid input, `conflicts` for clashes.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    SerializationException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from msgspec import UNSET, Struct, UnsetType

from booking.domain.shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthenticated,
    ValidationError,
)

log = logging.getLogger("booking.api")
PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:booking:problem:"

_TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many attempts",
    500: "Internal error",
    503: "Service unavailable",
}
_CODES = {
    400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
    409: "conflict", 413: "too-large", 415: "unsupported-media-type", 422: "validation", 429: "rate-limited",
    500: "internal", 503: "unavailable",
}


class FieldError(Struct):
    """One piece of input at fault: `field` names it (a dotted path into the body, a query
    parameter, `body` for the body as a whole, or a header such as `Idempotency-Key`)."""

    field: str
    message: str
    code: str
    source: str | UnsetType = UNSET
    line: int | UnsetType = UNSET  # in a file the field holds (a CSV import): the line at fault
    column: str | UnsetType = UNSET  # ... and its column


class Problem(Struct):
    """An RFC 9457 problem: `type` is stable (urn:booking:problem:...), `title` and `detail` are
    for people, `instance` is the request path."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | UnsetType = UNSET
    conflicts: list[dict[str, Any]] | UnsetType = UNSET


_DESCRIPTIONS = {
    400: "The request could not be read (for example malformed JSON); `errors` names `body`.",
    401: "No valid sign-in: no credentials, or an unknown, revoked or expired session or token.",
    403: "Not allowed: the route is closed to the caller's roles (type ...:role-not-allowed), "
         "a cookie write lacks its X-CSRF-Token (type ...:csrf), a sign-in route was called from another "
         "site (type ...:cross-site), or this object is not the caller's (type ...:forbidden).",
    404: "No such object (or one of another municipality).",
    409: "Clashes with the current state (a name in use, a retried request still running: see "
         "Retry-After); `conflicts` lists what it clashes with.",
    415: "A write whose body is not JSON: API writes take `application/json` (or `application/*+json`) "
         "only; `errors` names `Content-Type`.",
    422: "Well-formed input that breaks a rule; `errors` names each field at fault.",
    429: "Too many failed sign-ins; wait for Retry-After seconds.",
}


def problem_responses(statuses: set[int] | frozenset[int]) -> dict[int, ResponseSpec]:
    """OpenAPI `responses` documenting the problem+json answers a route can give."""
    return {
        status: ResponseSpec(data_container=Problem, media_type=PROBLEM_JSON, generate_examples=False,
                             description=_DESCRIPTIONS[status])
        for status in sorted(statuses)
    }


def problem(
    request: Request[Any, Any, Any] | None,
    status: int,
    detail: str,
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body = problem_document(status, detail, request.url.path if request is not None else None, code=code, **extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_document(status: int, detail: str, instance: str | None, *, code: str | None = None,
                     **extra: Any) -> dict[str, Any]:
    """The problem+json body itself, for answers given below the framework (ASGI middleware)."""
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + (code or _CODES.get(status, "error")),
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


_MSGSPEC_PATH = re.compile(r"at `\$\.?([^`]*)`")
# msgspec names the field itself, not its path, when one is missing or unknown.
_NAMED_FIELD = re.compile(r"(?:missing required field|contains unknown field) `([^`]+)`")


def _field_of(key: str | None, message: str) -> str:
    match = _MSGSPEC_PATH.search(message)
    if match and match.group(1):
        path = match.group(1)
    elif key:
        path = key.removeprefix("data.").removeprefix("data")
    else:
        path = ""
    named = _NAMED_FIELD.search(message)
    if named:  # "Object missing required field `city`" at `address` -> address.city
        path = f"{path}.{named.group(1)}" if path else named.group(1)
    return path or "body"


def _public_name(request: Request[Any, Any, Any], name: str) -> str:
    """The name the client used: a parameter declared as `starts_to` with query="to" is `to`."""
    try:
        kwarg = request.route_handler.signature_model._fields[name].kwarg_definition
    except (AttributeError, KeyError):
        return name
    for attribute in ("query", "header", "cookie"):
        alias = getattr(kwarg, attribute, None)
        if isinstance(alias, str) and alias:
            return alias
    return name


def _clean_message(message: str) -> str:
    return _MSGSPEC_PATH.sub("", message).strip(" -")


def on_validation_exception(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors: list[dict[str, str]] = []
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if isinstance(item, dict):
            message = str(item.get("message", "Invalid value"))
            if item.get("key") == "data" and message == "'data'":
                # Litestar's way of saying that the body is missing altogether.
                errors.append({"field": "body", "message": "A JSON body is required.", "code": "required",
                               "source": "body"})
                continue
            source = item.get("source")
            field = _field_of(item.get("key"), message)
            if source is not None and str(getattr(source, "value", source)) != "body":
                field = _public_name(request, field)
            errors.append({"field": field, "message": _clean_message(message) or "Invalid value",
                           "code": "invalid", **({"source": str(getattr(source, "value", source))} if source else {})})
    detail = str(exc.detail)
    if not errors:
        lowered = detail.lower()
        if "json" in lowered or "malformed" in lowered or "decode" in lowered:
            errors.append({"field": "body", "message": "The body is not valid JSON.", "code": "malformed"})
            detail = "The request body is not valid JSON."
        else:
            errors.append({"field": _field_of(None, detail), "message": _clean_message(detail), "code": "invalid"})
    # Malformed bodies are 400; well-formed input that breaks a rule is 422.
    status = 400 if errors and errors[0]["code"] == "malformed" else 422
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(request, status, summary or detail, code="validation" if status == 422 else "malformed",
                   errors=errors)


def on_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if isinstance(exc, ValidationError):
        errors = [{"field": p.field, "message": p.message, "code": p.code,
                   **({"line": p.line} if p.line is not None else {}),
                   **({"column": p.column} if p.column is not None else {})} for p in exc.problems]
        return problem(request, 422, exc.detail, code="validation", errors=errors)
    if isinstance(exc, NotFound):
        return problem(request, 404, exc.detail)
    if isinstance(exc, Forbidden):
        return problem(request, 403, exc.detail)
    if isinstance(exc, Unauthenticated):
        return problem(request, 401, exc.detail, headers={"WWW-Authenticate": 'Bearer realm="booking"'})
    if isinstance(exc, RateLimited):
        return problem(request, 429, exc.detail, headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, Conflict):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return problem(request, 409, exc.detail, headers=headers, conflicts=exc.conflicts,
                       **getattr(exc, "extra", {}))  # e.g. the draw_id of a period's draw
    log.error("unmapped domain error %s", type(exc).__name__)
    return problem(request, 400, exc.detail, code=exc.code)


def _is_stock_detail(detail: str, status: int) -> bool:
    """Litestar's default detail is the status phrase ("Not Found"): say something useful instead."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return not detail or detail.casefold() in {_TITLES.get(status, "").casefold(), phrase.casefold()}


def on_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    headers = dict(exc.headers or {})
    if isinstance(exc.__cause__, SerializationException):
        # The body is not valid JSON (truncated, a syntax error, ...): name the body as the field.
        return problem(request, 400, "The request body is not valid JSON.", code="malformed",
                       errors=[{"field": "body", "message": str(exc.__cause__) or "The body is not valid JSON.",
                                "code": "malformed", "source": "body"}])
    errors = None
    if isinstance(exc, NotAuthorizedException):
        headers.setdefault("WWW-Authenticate", 'Bearer realm="booking"')
        if isinstance(exc.extra, dict) and exc.extra.get("field"):
            # A presented credential (bearer token or session cookie) was refused: name it.
            errors = [{"field": str(exc.extra["field"]), "message": exc.detail, "code": "credentials"}]
    detail = exc.detail
    if _is_stock_detail(detail, status):
        if isinstance(exc, NotFoundException):
            detail = "Nothing is at this address; check it (the API lives under /api)."
        elif isinstance(exc, MethodNotAllowedException):
            allowed = headers.get("allow") or headers.get("Allow")
            detail = f"{request.method} is not possible here" + (f"; use {allowed}." if allowed else ".")
        elif isinstance(exc, PermissionDeniedException):
            detail = "Your role does not allow this."
        else:
            detail = _TITLES.get(status, "Error")
    if status >= 500:
        log.error("HTTP %s on %s: %s", status, request.url.path, exc.detail, exc_info=exc)
        detail = _TITLES.get(status, "Error")
    code = str(exc.extra["code"]) if isinstance(exc.extra, dict) and exc.extra.get("code") else None
    return problem(request, status, str(detail), code=code, headers=headers or None, errors=errors)


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(request, HTTP_500_INTERNAL_SERVER_ERROR,
                   "Something went wrong on our side; try again in a moment.")


exception_handlers: dict[type[Exception] | int, Any] = {
    ValidationException: on_validation_exception,
    DomainError: on_domain_error,
    HTTPException: on_http_exception,
    Exception: on_unexpected,
}

__all__ = ["PROBLEM_JSON", "MediaType", "Problem", "exception_handlers", "problem", "problem_document",
           "problem_responses"]
