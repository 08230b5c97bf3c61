"""Orders for admin tests, written directly (the admin acts on orders; how they were placed
is the checkout's business)."""

from __future__ import annotations

from itertools import count

from shop.orders.models import Order, OrderEvent, OrderLine
from tests.builders import a_variant

_serial = count(1)


def an_order(status: str = "confirmed", *, sku: str | None = None, quantity: int = 1) -> Order:
    n = next(_serial)
    variant = a_variant(sku or f"ADM-{n}", price=2500)
    order = Order.objects.create(
        number=f"T-TEST-{n:06d}", email=f"buyer{n}@example.com", status=status, currency="EUR",
        subtotal_minor=2500 * quantity, shipping_minor=495, total_minor=2500 * quantity + 495,
        shipping_method="standard",
        shipping_address={"name": "Ana", "line1": "Calle Mayor 1", "line2": "",
                          "city": "Madrid", "postal_code": "28001", "country": "ES"})
    OrderLine.objects.create(order=order, variant=variant, sku=variant.sku,
                             product_name="Camiseta", quantity=quantity,
                             unit_price_minor=2500, total_minor=2500 * quantity)
    OrderEvent.objects.create(order=order, status_from=None, status_to=status, actor="test")
    return order
