"""The OpenID Connect relying party (the `IdentityProvider` port): discovery, the authorization URL,
the code exchange and the id_token's verification.

- Discovery (`{issuer}/.well-known/openid-configuration`) and the provider's keys (its `jwks_uri`) are
  cached per issuer for `cache_ttl`; a token signed with a key id the cache does not know fetches the
  keys again, once (the provider rotated its keys).
- The code is exchanged with the client's secret, by HTTP Basic (`client_secret_basic`) unless the
  provider's discovery lists only `client_secret_post`.
- The id_token: an asymmetric signature (RS/PS/ES; never `none` nor a shared-secret HMAC) by a key of
  the provider's JWKS; `iss` exactly the configured issuer; `aud` containing the client id, and `azp`
  the client id when there are several audiences; `exp`, `iat` and `nbf` against the app's clock with
  `CLOCK_SKEW` of tolerance; `nonce` the one sent with this sign-in.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from booking.domain.people.sign_in import Refusal, SignInRefused, claim_values
from booking.domain.people.sign_in_config import SignInConfig
from booking.domain.people.sign_in_ports import Identity

log = logging.getLogger("booking.oidc")

CLOCK_SKEW = timedelta(seconds=60)
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
_MAX_BODY = 1_000_000


def _token_problem(detail: str) -> SignInRefused:
    return SignInRefused(Refusal.UNVERIFIED, detail)


def _provider_problem(detail: str) -> SignInRefused:
    return SignInRefused(Refusal.PROVIDER, detail)


@dataclass
class _Cached:
    value: Any
    fetched: float


def _header(token: str) -> dict[str, Any]:
    try:
        head = token.split(".")[0]
        value = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, IndexError):
        raise _token_problem("The id_token is not a JWT.") from None
    if not isinstance(value, dict):
        raise _token_problem("The id_token is not a JWT.")
    return value


class OidcClient:
    """One per app: its caches are shared by every request of the process (each worker fills its own)."""

    def __init__(self, *, cache_ttl: timedelta = timedelta(hours=1), timeout: float = 10.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.cache_ttl = cache_ttl.total_seconds()
        self.timeout = timeout
        self.transport = transport
        self._discovery: dict[str, _Cached] = {}
        self._jwks: dict[str, _Cached] = {}

    def _fresh(self, cached: _Cached) -> bool:
        """Fetched less than `cache_ttl` ago."""
        return time.monotonic() - cached.fetched < self.cache_ttl

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout, transport=self.transport, follow_redirects=False)

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            async with self._client() as client:
                response = await client.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise _provider_problem(f"The identity provider could not be reached ({type(exc).__name__}).") from exc
        if response.status_code != 200 or len(response.content) > _MAX_BODY:
            raise _provider_problem(f"The identity provider answered {response.status_code} at {url}.")
        try:
            body = response.json()
        except ValueError:
            raise _provider_problem(f"The identity provider's answer at {url} is not JSON.") from None
        if not isinstance(body, dict):
            raise _provider_problem(f"The identity provider's answer at {url} is not a JSON object.")
        return body

    async def discovery(self, issuer: str) -> dict[str, Any]:
        cached = self._discovery.get(issuer)
        if cached is not None and self._fresh(cached):
            return dict(cached.value)
        document = await self._get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
        if document.get("issuer") != issuer:
            raise _provider_problem("The discovery document names another issuer.")
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(key), str):
                raise _provider_problem(f"The discovery document has no {key}.")
        self._discovery[issuer] = _Cached(document, time.monotonic())
        return dict(document)

    async def _keys(self, jwks_uri: str, *, fresh: bool = False) -> KeySet:
        cached = self._jwks.get(jwks_uri)
        if fresh or cached is None or not self._fresh(cached):
            document = await self._get_json(jwks_uri)
            try:
                keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError, KeyError) as exc:
                raise _provider_problem("The provider's JWKS could not be read.") from exc
            cached = _Cached(keys, time.monotonic())
            self._jwks[jwks_uri] = cached
        return cached.value  # type: ignore[no-any-return]

    async def authorization_url(self, config: SignInConfig, *, redirect_uri: str, state: str, nonce: str,
                                code_challenge: str) -> str:
        endpoint = (await self.discovery(config.issuer))["authorization_endpoint"]
        query = urlencode({
            "response_type": "code", "client_id": config.client_id, "redirect_uri": redirect_uri,
            "scope": " ".join(config.scopes), "state": state, "nonce": nonce,
            "code_challenge": code_challenge, "code_challenge_method": "S256",
        })
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    async def _exchange(self, config: SignInConfig, document: Mapping[str, Any], *, code: str, redirect_uri: str,
                        code_verifier: str) -> dict[str, Any]:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": code_verifier}
        methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        auth: httpx.BasicAuth | None = None
        if "client_secret_basic" in methods or "client_secret_post" not in methods:
            # RFC 6749 2.3.1: the id and secret are form-encoded before they go into Basic.
            auth = httpx.BasicAuth(urlencode({"a": config.client_id})[2:], urlencode({"a": config.client_secret})[2:])
        else:
            form |= {"client_id": config.client_id, "client_secret": config.client_secret or ""}
        try:
            async with self._client() as client:
                response = await client.post(document["token_endpoint"], data=form,
                                             auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT,
                                             headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise _provider_problem(f"The token endpoint could not be reached ({type(exc).__name__}).") from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict):
            error = body.get("error") if isinstance(body, dict) else None
            raise _provider_problem(f"The token endpoint refused the code ({response.status_code} {error}).")
        return body

    async def identify(self, config: SignInConfig, *, code: str, redirect_uri: str, code_verifier: str,
                       nonce: str, now: datetime) -> Identity:
        document = await self.discovery(config.issuer)
        body = await self._exchange(config, document, code=code, redirect_uri=redirect_uri,
                                    code_verifier=code_verifier)
        id_token = body.get("id_token")
        if not isinstance(id_token, str):
            raise _token_problem("The token endpoint gave no id_token.")
        claims = await self.verify(config, document["jwks_uri"], id_token, nonce=nonce, now=now)
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject or len(subject) > 255:
            raise _token_problem("The id_token has no usable sub.")
        email = claims.get("email")
        name = claims.get("name")
        return Identity(
            issuer=config.issuer, subject=subject, email=email if isinstance(email, str) else None,
            email_verified=claims.get("email_verified") is True, name=name if isinstance(name, str) else None,
            values=claim_values(claims, config.claim))

    async def verify(self, config: SignInConfig, jwks_uri: str, id_token: str, *, nonce: str,
                     now: datetime) -> dict[str, Any]:
        header = _header(id_token)
        algorithm = header.get("alg")
        if algorithm not in ALGORITHMS:
            raise _token_problem(f"The id_token's algorithm {algorithm!r} is not accepted.")
        kid = header.get("kid")
        keys = await self._keys(jwks_uri)
        if kid is not None and not any(k.kid == kid for k in keys.keys):
            keys = await self._keys(jwks_uri, fresh=True)  # rotated keys: fetch them again, once
        try:
            token = jwt.decode(id_token, keys, algorithms=[algorithm])
        except (JoseError, ValueError) as exc:
            raise _token_problem(f"The id_token's signature does not verify ({type(exc).__name__}).") from exc
        claims = dict(token.claims)
        check_claims(claims, issuer=config.issuer, client_id=config.client_id, nonce=nonce, now=now)
        return claims


def check_claims(claims: Mapping[str, Any], *, issuer: str, client_id: str, nonce: str, now: datetime,
                 skew: timedelta = CLOCK_SKEW) -> None:
    """The id_token's claims (OpenID Connect Core 3.1.3.7), times against `now` with `skew` either way."""
    if claims.get("iss") != issuer:
        raise _token_problem("The id_token was issued by another issuer.")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
    if client_id not in audiences:
        raise _token_problem("The id_token was issued to another client (aud).")
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != client_id:
        raise _token_problem("The id_token's authorized party (azp) is another client.")
    moment = now.timestamp()
    tolerance = skew.total_seconds()
    for name in ("exp", "iat"):
        if not isinstance(claims.get(name), int | float) or isinstance(claims.get(name), bool):
            raise _token_problem(f"The id_token has no {name}.")
    if moment > claims["exp"] + tolerance:
        raise _token_problem("The id_token has expired.")
    if claims["iat"] > moment + tolerance:
        raise _token_problem("The id_token was issued in the future.")
    not_before = claims.get("nbf")
    if isinstance(not_before, int | float) and not_before > moment + tolerance:
        raise _token_problem("The id_token is not valid yet (nbf).")
    if claims.get("nonce") != nonce:
        raise _token_problem("The id_token's nonce is not this sign-in's.")
    log.debug("id_token of %s accepted for %s", claims.get("sub"), client_id)
