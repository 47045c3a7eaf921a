"""Unguessable tokens, and the links in messages built from the deployment's base URL."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 (the token itself only travels in the message)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Links:
    """Where people open their ticket and cancel: built from the deployment's base URL."""

    base_url: str

    def ticket(self, code: str) -> str:
        return f"{self.base_url}/registrations.html?ticket={code}"

    def cancel(self, token: str) -> str:
        return f"{self.base_url}/registrations.html?cancel={token}"
