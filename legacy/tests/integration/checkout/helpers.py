"""Checkout helpers shared by the checkout and worker tests."""

from __future__ import annotations

from tienda.domain.orders import Address
from tienda.service_layer import checkout

ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "city": "Madrid",
           "postal_code": "28013", "country": "ES"}


def checkout_body(token: str = "tok_sandbox_ok", **overrides: object) -> dict[str, object]:
    return {"email": "ana@example.com", "shipping_address": ADDRESS,
            "shipping_method": "standard", "payment_token": token, **overrides}


def cart_with(tienda, lines: dict[str, int]) -> tuple[str, str]:
    cart_id, token = checkout.create_cart(tienda.uows, tienda.policy)
    for sku, quantity in lines.items():
        checkout.add_to_cart(tienda.uows, cart_id, token, sku, quantity)
    return cart_id, token


def place(tienda, lines: dict[str, int], payment: str = "tok_sandbox_ok",
          key: str | None = None, locale: str = "es") -> checkout.PlacedOrder:
    cart_id, token = cart_with(tienda, lines)
    return checkout.checkout(
        tienda.uows, tienda.payments, tienda.relay, tienda.policy, cart_id, token,
        checkout.CheckoutRequest("ana@example.com", Address(**ADDRESS), "standard", payment,
                                 locale=locale, idempotency_key=key))
