"""The order's bearer token: derived from the secret key, so a retried checkout can return it
again and an e-mail can link to the order without the token being stored anywhere."""

from __future__ import annotations

from shop.core.tokens import derived_token, same


def order_access_token(order_id: object) -> str:
    return derived_token("order", str(order_id))


def order_access_allowed(order_id: object, token: str | None) -> bool:
    return bool(token) and same(order_access_token(order_id), str(token))
