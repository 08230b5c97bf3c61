"""Orders for the chaos tests, placed through the checkout services as a customer would."""

from __future__ import annotations

from collections import Counter

from django.core.files.storage import storages

from shop.checkout.services import PlacedOrder, cart_create, cart_line_add, checkout_place
from shop.inventory.services import stock_set
from shop.orders.models import Order
from shop.payments.models import SandboxCharge
from tests.builders import a_variant, a_warehouse

ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "city": "Madrid",
           "postal_code": "28013", "country": "ES"}


def a_stocked_variant(sku: str, quantity: int) -> None:
    a_warehouse("MAD")
    a_variant(sku)
    stock_set(sku=sku, quantity=quantity, warehouse_code="MAD", actor="test")


def an_order(sku: str, n: int) -> PlacedOrder:
    cart, token = cart_create()
    cart_line_add(cart=cart, sku=sku, quantity=1)
    return checkout_place(cart_id=cart.pk, token=token, email=f"cliente{n}@example.com",
                          shipping_address=ADDRESS, shipping_method="standard",
                          payment_token="tok_sandbox_ok", locale="es")


def statuses() -> Counter[str]:
    return Counter(Order.objects.values_list("status", flat=True))


def captures() -> list[int]:
    return sorted(SandboxCharge.objects.values_list("captures", flat=True))


def invoice_blobs() -> list[str]:
    container = storages["invoices"].client
    return sorted(blob.name for blob in container.list_blobs())


def no_invoice_blobs() -> None:
    container = storages["invoices"].client
    for blob in list(container.list_blobs()):
        container.delete_blob(blob.name)


def mails_per_order(mails: list) -> Counter[str]:  # type: ignore[type-arg]
    return Counter(mail.message["X-Tienda-Order"] for mail in mails)
