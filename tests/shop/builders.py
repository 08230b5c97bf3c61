"""Builders for the shop's core: a stocked catalog (through the ledger), carts, placed orders,
and the checks every stock test ends with."""

from __future__ import annotations

from shop.checkout.services import PlacedOrder, cart_create, cart_line_add, checkout_place
from shop.inventory.services import stock_set
from tests.builders import a_variant, a_warehouse

ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "city": "Madrid",
           "postal_code": "28013", "country": "ES"}


def stocked(sku: str, *, price: int = 1995, **per_warehouse: int):
    """A variant whose units per warehouse code went in as ledger adjustments."""
    a_warehouse("MAD")
    a_warehouse("BCN")
    variant = a_variant(sku, price=price)
    for code, quantity in per_warehouse.items():
        stock_set(sku=sku, quantity=quantity, warehouse_code=code, actor="test")
    return variant


def cart_with(lines: dict[str, int]):
    cart, token = cart_create()
    for sku, quantity in lines.items():
        cart_line_add(cart=cart, sku=sku, quantity=quantity)
    return cart, token


def checkout_args(payment: str = "tok_sandbox_ok", **overrides: object) -> dict:
    return {"email": "ana@example.com", "shipping_address": ADDRESS,
            "shipping_method": "standard", "payment_token": payment, "locale": "es",
            **overrides}


def place(lines: dict[str, int], payment: str = "tok_sandbox_ok", key: str | None = None,
          locale: str = "es") -> PlacedOrder:
    cart, token = cart_with(lines)
    return checkout_place(cart_id=cart.pk, token=token, idempotency_key=key,
                          **checkout_args(payment, locale=locale))
