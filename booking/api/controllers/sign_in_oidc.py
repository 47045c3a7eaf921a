"""Sign-in with the municipality's identity provider (OpenID Connect, authorization code flow with PKCE).

`GET /api/auth/oidc/providers` tells the login page which municipalities offer it;
`GET /api/auth/oidc/{municipality}/start` sends the browser to the provider;
`GET /api/auth/oidc/callback` takes it back: the state is taken once from the database, the code is
exchanged, the id_token verified (adapters/oidc.py), the claim's values mapped to roles
(domain/people/sign_in.py), and a browser session made exactly as `POST /api/auth/login` makes it.
A refusal answers 303 to `/login.html?oidc_error=<reason>`, and is logged (and audited when an account
is involved).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Response, get
from litestar.params import Parameter
from litestar.status_codes import HTTP_303_SEE_OTHER

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.oidc_store import SignInStore
from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_setup import SetupQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.oidc import OidcClient
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.auth import browser_session
from booking.api.controllers.params import PRINTABLE
from booking.api.controllers.setup import landing_page
from booking.api.schemas import sign_in as s
from booking.config import Settings
from booking.domain.people import sign_in as oidc
from booking.domain.people.sign_in import Refusal, SignInRefused
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError

log = logging.getLogger("booking.oidc")

PENDING_LIFETIME = timedelta(minutes=10)
CALLBACK_PATH = "/api/auth/oidc/callback"
_RETURN = re.compile(r"^/(?![/\\])[\x21-\x7E]{0,499}$")

MunicipalityRef = Annotated[str | None, Parameter(query="municipality", max_length=64, pattern=PRINTABLE,
                                                  description="Only this municipality (its slug or id).")]
ReturnTo = Annotated[str | None, Parameter(query="return_to", max_length=500, pattern=PRINTABLE,
                                           description="A path of this site to land on after signing in.")]
StateQ = Annotated[str | None, Parameter(query="state", min_length=1, max_length=200, pattern=PRINTABLE)]
CodeQ = Annotated[str | None, Parameter(query="code", min_length=1, max_length=2000, pattern=PRINTABLE)]
IssQ = Annotated[str | None, Parameter(query="iss", max_length=500, pattern=PRINTABLE,
                                       description="The issuer of the answer (RFC 9207), when the provider says.")]
ErrorQ = Annotated[str | None, Parameter(query="error", max_length=200, pattern=PRINTABLE,
                                         description="The provider's error (the person cancelled, say).")]


def redirect_uri(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + CALLBACK_PATH


def start_url(slug: str) -> str:
    return f"/api/auth/oidc/{quote(slug, safe='')}/start"


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _refused(reason: Refusal) -> Response[None]:
    return Response(None, status_code=HTTP_303_SEE_OTHER,
                    headers={"Location": f"/login.html?oidc_error={reason.value}", "Cache-Control": "no-store"})


async def _municipality_id(queries: Queries, ref: str) -> UUID | None:
    try:
        ident = UUID(ref)
    except ValueError:
        return await queries.municipality_id_by_slug(ref)
    return ident if await queries.municipality(ident) is not None else None


class OidcSignInController(Controller):
    path = "/api/auth/oidc"
    tags = ["auth"]

    @get("/providers", operation_id="listSignInProviders", **guarded(PUBLIC))
    async def providers(self, queries: Queries, sign_in_store: SignInStore,
                        municipality: MunicipalityRef = None) -> s.SignInProviders:
        """The municipalities whose staff sign in with their own identity provider (enabled settings only):
        the login page shows a button for each."""
        municipality_id = None
        if municipality is not None:
            municipality_id = await _municipality_id(queries, municipality)
            if municipality_id is None:
                raise ValidationError("municipality", f"No municipality {municipality!r}.", "unknown")
        rows = await sign_in_store.enabled(municipality_id)
        return s.SignInProviders([s.SignInProvider(r.municipality_id, r.slug, r.name, start_url(r.slug))
                                  for r in rows])

    @get("/{municipality:str}/start", operation_id="startOidcSignIn", status_code=HTTP_303_SEE_OTHER,
         **guarded(PUBLIC))
    async def start(self, municipality: Annotated[str, Parameter(max_length=64, pattern=PRINTABLE)],
                    queries: Queries, read_uow: SqlUnitOfWork, sign_in_store: SignInStore, oidc_client: OidcClient,
                    settings: Settings, clock: Clock, return_to: ReturnTo = None) -> Response[None]:
        """Sends the browser to the municipality's identity provider (303), with PKCE (S256), a state and
        a nonce kept for ten minutes. An unknown municipality is a 404; one without enabled sign-in, or an
        unreachable provider, sends the browser back to the login page with `oidc_error`."""
        if return_to is not None and (not _RETURN.match(return_to) or return_to.startswith("/login.html")):
            raise ValidationError("return_to", "A path of this site, starting with one /.", "format")
        municipality_id = await _municipality_id(queries, municipality)
        if municipality_id is None:
            raise NotFound("Municipality", municipality)
        state, nonce, verifier = (secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64))
        try:
            async with read_uow:
                config = await oidc.enabled_config(read_uow, municipality_id)
            url = await oidc_client.authorization_url(config, redirect_uri=redirect_uri(settings), state=state,
                                                      nonce=nonce, code_challenge=_challenge(verifier))
        except SignInRefused as refused:
            log.warning("OIDC sign-in refused at start for municipality %s: %s", municipality_id, refused.detail)
            return _refused(refused.reason)
        await sign_in_store.put(municipality_id, state, nonce, verifier, return_to or "/", clock.now(),
                                PENDING_LIFETIME)
        return Response(None, status_code=HTTP_303_SEE_OTHER,
                        headers={"Location": url, "Cache-Control": "no-store"})

    @get("/callback", operation_id="oidcCallback", status_code=HTTP_303_SEE_OTHER,
         **guarded(PUBLIC))
    async def callback(self, uow: SqlUnitOfWork, sign_in_store: SignInStore, oidc_client: OidcClient,
                       auth_store: AuthStore, settings: Settings, clock: Clock, setup_queries: SetupQueries,
                       oidc_state: StateQ = None,
                       code: CodeQ = None, error: ErrorQ = None, iss: IssQ = None) -> Response[None]:
        """Where the provider sends the browser back. Signs in (a session cookie, as `POST /api/auth/login`)
        and answers 303 to the page the sign-in started from (an administrator whose municipality is not set
        up yet and who started from no page in particular: the set-up checklist, as after a password
        sign-in); or 303 to `/login.html?oidc_error=<reason>`
        when the sign-in is refused: `state` (unknown, used or expired), `provider`, `unverified`, `no-role`,
        `no-account`, `no-email`, `email-taken`, `deactivated`, `other-municipality`, `not-enabled`."""
        if oidc_state is None:
            raise ValidationError("state", "The provider's answer has no state.", "required")
        if code is None and error is None:
            raise ValidationError("code", "The provider's answer has neither a code nor an error.", "required")
        pending = await sign_in_store.take(oidc_state, clock.now())
        if pending is None:
            log.warning("OIDC sign-in refused: unknown, used or expired state")
            return _refused(Refusal.STATE)
        if error is not None or code is None:
            log.warning("OIDC sign-in refused by the provider for municipality %s: %s", pending.municipality_id,
                        error)
            return _refused(Refusal.PROVIDER)
        try:
            async with uow:
                config = await oidc.enabled_config(uow, pending.municipality_id)
            if iss is not None and iss != config.issuer:  # RFC 9207: an answer of another provider (mix-up)
                raise SignInRefused(Refusal.PROVIDER, "The answer names another issuer (iss).")
            identity = await oidc_client.identify(config, code=code, redirect_uri=redirect_uri(settings),
                                                  code_verifier=pending.code_verifier, nonce=pending.nonce,
                                                  now=clock.now())
            account = await oidc.sign_in(identity, pending.municipality_id, uow, clock)
        except SignInRefused as refused:
            log.warning("OIDC sign-in refused for municipality %s (%s%s): %s", pending.municipality_id,
                        refused.reason.value, f", account {refused.account_id}" if refused.account_id else "",
                        refused.detail)
            return _refused(refused.reason)
        _token, cookies = await browser_session(account.id, settings, auth_store, clock)
        log.info("OIDC sign-in of account %s (municipality %s)", account.id, account.municipality_id)
        location = pending.return_path
        if location == "/":
            location = await landing_page(account, setup_queries)
        return Response(None, status_code=HTTP_303_SEE_OTHER, cookies=cookies,
                        headers={"Location": location, "Cache-Control": "no-store"})


HANDLERS: list[Any] = [OidcSignInController]
