"""A municipality's OpenID Connect sign-in: which identity provider, which client, and how the provider's
claim values (groups or roles) map to roles here.

Only staff roles come from the provider: an admin, and the three staff roles (each optionally narrowed to
one site, as an admin's grant may be). Citizen roles (guardian, borrower) and an association's
representative are not a municipality's directory groups and stay managed here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

from booking.domain.people.roles import STAFF_ROLES, Grant, Role
from booking.domain.shared.errors import FieldProblem, ValidationError
from booking.domain.shared.ids import new_id

MAPPABLE_ROLES = frozenset({Role.ADMIN, *STAFF_ROLES})
SITE_SCOPED_ROLES = STAFF_ROLES  # a staff grant may be narrowed to one site; an admin's never is
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
MAX_MAPPINGS = 100
_CLAIM = re.compile(r"^[A-Za-z0-9_:.\-/]{1,100}$")
_SCOPE = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]{1,100}$")  # RFC 6749 scope-token
_CLIENT_ID = re.compile(r"^[\x21-\x7E]{1,255}$")


def _has_control(value: str) -> bool:
    return any(unicodedata.category(c)[0] == "C" for c in value)


@dataclass(frozen=True, slots=True)
class RoleMapping:
    """One claim value (a group's name or object id, an app role) and the grant it gives."""

    value: str
    role: Role
    site_id: UUID | None = None

    @property
    def grant(self) -> Grant:
        return Grant(self.role, self.site_id)


def check_issuer(value: str, field: str = "issuer") -> str:
    """An https URL without query or fragment; plain http only on this machine (a test provider)."""
    value = value.strip()
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or not host or len(value) > 500 or _has_control(value):
        raise ValidationError(field, "Not a URL.", "format")
    if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK_HOSTS):
        raise ValidationError(field, "The issuer must be an https URL.", "format")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationError(field, "The issuer has no query, fragment or user name.", "format")
    return value.rstrip("/") if value.endswith("/") and parts.path not in ("", "/") else value


def check_scopes(scopes: list[str]) -> list[str]:
    cleaned: list[str] = []
    for i, scope in enumerate(scopes):
        if not _SCOPE.match(scope):
            raise ValidationError(f"scopes[{i}]", "A scope is one word of printable ASCII.", "format")
        if scope not in cleaned:
            cleaned.append(scope)
    if "openid" not in cleaned:
        raise ValidationError("scopes", "The scopes must include openid.", "required")
    return cleaned


@dataclass(eq=False)
class SignInConfig:
    """The sign-in settings of one municipality (at most one provider each)."""

    municipality_id: UUID
    issuer: str
    client_id: str
    client_secret: str | None = None  # write-only in the API: never shown, only whether it is set
    scopes: list[str] = field(default_factory=lambda: ["openid", "email", "profile"])
    claim: str = "groups"
    mappings: list[RoleMapping] = field(default_factory=list)
    create_accounts: bool = False
    enabled: bool = False
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        problems: list[FieldProblem] = []
        for check in (self._check_issuer, self._check_client_id, self._check_secret, self._check_scopes,
                      self._check_claim, self._check_mappings):
            try:
                check()
            except ValidationError as error:
                problems.extend(error.problems)
        if self.enabled and not self.client_secret:
            problems.append(FieldProblem("client_secret", "Enabled sign-in needs the client secret.", "required"))
        if self.enabled and not self.mappings:
            problems.append(FieldProblem("mappings", "Enabled sign-in needs at least one mapping.", "required"))
        if problems:
            raise ValidationError.many(problems)

    def _check_issuer(self) -> None:
        self.issuer = check_issuer(self.issuer)

    def _check_client_id(self) -> None:
        if not _CLIENT_ID.match(self.client_id):
            raise ValidationError("client_id", "1-255 printable ASCII characters without spaces.", "format")

    def _check_secret(self) -> None:
        if self.client_secret is not None and not _CLIENT_ID.match(self.client_secret):
            raise ValidationError("client_secret", "1-255 printable ASCII characters without spaces.", "format")

    def _check_scopes(self) -> None:
        self.scopes = check_scopes(list(self.scopes))

    def _check_claim(self) -> None:
        if not _CLAIM.match(self.claim):
            raise ValidationError("claim", "A claim name: letters, digits and _ : . - /.", "format")

    def _check_mappings(self) -> None:
        if len(self.mappings) > MAX_MAPPINGS:
            raise ValidationError("mappings", f"At most {MAX_MAPPINGS} mappings.", "too-long")
        seen: set[tuple[str, Role, UUID | None]] = set()
        for i, m in enumerate(self.mappings):
            value = m.value.strip()
            if not value or len(value) > 255 or _has_control(value):
                raise ValidationError(f"mappings[{i}].value", "1-255 characters, no control characters.", "format")
            if m.role not in MAPPABLE_ROLES:
                raise ValidationError(f"mappings[{i}].role",
                                      "Only admin and the staff roles come from the identity provider.", "invalid")
            if m.site_id is not None and m.role not in SITE_SCOPED_ROLES:
                raise ValidationError(f"mappings[{i}].site_id", f"The role {m.role} is not narrowed to a site.",
                                      "invalid")
            key = (value, m.role, m.site_id)
            if key in seen:
                raise ValidationError(f"mappings[{i}]", "This mapping is listed twice.", "duplicate")
            seen.add(key)
            self.mappings[i] = RoleMapping(value, Role(m.role), m.site_id)

    @property
    def has_secret(self) -> bool:
        return bool(self.client_secret)

    @property
    def managed_roles(self) -> frozenset[Role]:
        """The roles the provider decides for its accounts: those some mapping gives."""
        return frozenset(m.role for m in self.mappings)
