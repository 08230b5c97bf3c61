"""Customers, orders and campaigns for the campaign tests, written directly."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

from shop.campaigns.models import Campaign
from shop.catalog.models import Category
from shop.customers.models import Customer
from shop.orders.models import Order, OrderLine
from tests.builders import a_product, a_variant

_serial = count(1)
EMPTY_SEGMENT = {"language": None, "bought_in_category": None, "last_order_before": None,
                 "last_order_after": None, "rfm_segment": None}


def a_customer(email: str | None = None, *, locale: str = "es",
               consent: bool = True) -> Customer:
    return Customer.objects.create(email=email or f"c{next(_serial)}@example.com",
                                   locale=locale, marketing_consent=consent)


def many_customers(n: int, *, locale: str = "es", consent: bool = True,
                   prefix: str = "bulk") -> list[Customer]:
    Customer.objects.bulk_create([
        Customer(email=f"{prefix}{i}@example.com", locale=locale, marketing_consent=consent)
        for i in range(n)])
    return list(Customer.objects.filter(email__startswith=prefix).order_by("pk"))


def an_order(customer: Customer, *, category: Category | None = None, status: str = "confirmed",
             placed_at: datetime | None = None) -> Order:
    n = next(_serial)
    variant = a_variant(f"CMP-{n}", product=a_product(category=category) if category else None)
    order = Order.objects.create(
        number=f"T-CMP-{n:06d}", customer=customer, email=customer.email, status=status,
        currency="EUR", subtotal_minor=1999, total_minor=1999, shipping_method="standard",
        shipping_address={})
    OrderLine.objects.create(order=order, variant=variant, sku=variant.sku,
                             product_name="Camiseta", quantity=1, unit_price_minor=1999,
                             total_minor=1999)
    if placed_at is not None:
        Order.objects.filter(pk=order.pk).update(placed_at=placed_at)
    return order


def campaign_values(**segment: Any) -> dict[str, Any]:
    return {"name": "Rebajas", "subject_es": "Rebajas de invierno",
            "subject_en": "Winter sale", "body_es": "Hola:\n\nTodo al 50 % <hoy>.",
            "body_en": "Hello,\n\nEverything 50% off <today>.",
            "segment": {**EMPTY_SEGMENT, **segment}}


def a_campaign(**segment: Any) -> Campaign:
    from shop.campaigns.services import campaign_create

    return campaign_create(values=campaign_values(**segment), actor="staff@tienda.test")
