"""Opaque and derived tokens. Opaque ones (cart tokens) are stored only as SHA-256; derived
ones (order access, unsubscribe) are HMACs of the secret key and never stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def derived_token(purpose: str, value: str, length: int = 40) -> str:
    return salted_hmac(f"tienda.{purpose}", value, algorithm="sha256").hexdigest()[:length]


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
