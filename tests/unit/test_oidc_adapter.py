"""The relying party's checks of an id_token (adapters/oidc.py), with keys made here and the provider's
answers served by httpx's MockTransport: the claims' rules, the clock skew either way, and the JWKS
fetched again once when a token names a key id the cache does not know (rotated keys). The whole flow
against a real provider is tests/api/test_oidc_sign_in.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from booking.adapters.oidc import OidcClient, check_claims
from booking.domain.people.sign_in import Refusal, SignInRefused
from booking.domain.people.sign_in_config import SignInConfig

ISSUER = "https://idp.example.se"
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
T = int(NOW.timestamp())


def claims(**changes: Any) -> dict[str, Any]:
    return {"iss": ISSUER, "aud": "booking", "sub": "anna", "iat": T, "exp": T + 300, "nonce": "n-1", **changes}


def refused(**changes: Any) -> str:
    with pytest.raises(SignInRefused) as error:
        check_claims(claims(**changes), issuer=ISSUER, client_id="booking", nonce="n-1", now=NOW)
    assert error.value.reason is Refusal.UNVERIFIED
    return error.value.detail


def test_good_claims_pass() -> None:
    check_claims(claims(), issuer=ISSUER, client_id="booking", nonce="n-1", now=NOW)
    check_claims(claims(aud=["booking", "api"], azp="booking"), issuer=ISSUER, client_id="booking", nonce="n-1",
                 now=NOW)


def test_each_claim_rule_refuses() -> None:
    assert "another issuer" in refused(iss="https://evil.example")
    assert "another client" in refused(aud="someone-else")
    assert "authorized party" in refused(aud=["booking", "api"])  # several audiences: azp must be ours
    assert "authorized party" in refused(azp="api")
    assert "expired" in refused(exp=T - 61)
    assert "future" in refused(iat=T + 61)
    assert "not valid yet" in refused(nbf=T + 61)
    assert "nonce" in refused(nonce="n-2")
    assert "no exp" in refused(exp=None)
    assert "no iat" in refused(iat=True)


def test_the_clock_skew_is_sixty_seconds_either_way() -> None:
    check_claims(claims(exp=T - 60, iat=T + 60, nbf=T + 60), issuer=ISSUER, client_id="booking", nonce="n-1",
                 now=NOW)


class Provider:
    def __init__(self) -> None:
        self.keys = [RSAKey.generate_key(2048, parameters={"kid": "old", "alg": "RS256", "use": "sig"})]
        self.jwks_fetches = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/auth",
                                             "token_endpoint": f"{ISSUER}/token", "jwks_uri": f"{ISSUER}/jwks"})
        if request.url.path == "/jwks":
            self.jwks_fetches += 1
            return httpx.Response(200, json={"keys": [k.as_dict(private=False) for k in self.keys]})
        return httpx.Response(404)

    def sign(self, key: RSAKey, **changes: Any) -> str:
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims(**changes), key)


def config() -> SignInConfig:
    return SignInConfig(uuid.uuid4(), ISSUER, "booking", "hemligt")


async def test_rotated_keys_are_fetched_again_once() -> None:
    provider = Provider()
    client = OidcClient(transport=httpx.MockTransport(provider.handler))
    old = provider.keys[0]
    assert (await client.verify(config(), f"{ISSUER}/jwks", provider.sign(old), nonce="n-1", now=NOW))["sub"] == "anna"
    assert provider.jwks_fetches == 1
    await client.verify(config(), f"{ISSUER}/jwks", provider.sign(old), nonce="n-1", now=NOW)
    assert provider.jwks_fetches == 1  # cached
    new = RSAKey.generate_key(2048, parameters={"kid": "new", "alg": "RS256", "use": "sig"})
    provider.keys = [new]
    await client.verify(config(), f"{ISSUER}/jwks", provider.sign(new), nonce="n-1", now=NOW)
    assert provider.jwks_fetches == 2
    # A key id the provider does not have either: one more fetch, then refused.
    stranger = RSAKey.generate_key(2048, parameters={"kid": "stranger", "alg": "RS256", "use": "sig"})
    with pytest.raises(SignInRefused):
        await client.verify(config(), f"{ISSUER}/jwks", provider.sign(stranger), nonce="n-1", now=NOW)
    assert provider.jwks_fetches == 3


async def test_unsigned_and_shared_secret_tokens_are_refused() -> None:
    provider = Provider()
    client = OidcClient(transport=httpx.MockTransport(provider.handler))
    header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    with pytest.raises(SignInRefused, match="algorithm"):
        await client.verify(config(), f"{ISSUER}/jwks", f"{header}.e30.", nonce="n-1", now=NOW)
    with pytest.raises(SignInRefused, match="algorithm"):
        await client.verify(config(), f"{ISSUER}/jwks", "eyJhbGciOiJIUzI1NiJ9.e30.x", nonce="n-1", now=NOW)


async def test_a_discovery_document_of_another_issuer_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"issuer": "https://evil.example", "authorization_endpoint": "x",
                                         "token_endpoint": "y", "jwks_uri": "z"})

    client = OidcClient(transport=httpx.MockTransport(handler))
    with pytest.raises(SignInRefused) as error:
        await client.discovery(ISSUER)
    assert error.value.reason is Refusal.PROVIDER


def test_time_is_the_apps_clock() -> None:
    later = NOW + timedelta(seconds=361)
    with pytest.raises(SignInRefused, match="expired"):
        check_claims(claims(), issuer=ISSUER, client_id="booking", nonce="n-1", now=later)
